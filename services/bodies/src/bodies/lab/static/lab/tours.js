// Guided failure tours: the failure demos played by the page. A tour starts from a calm lab,
// then each step sets its faults through the chaos drawer's API (PUT /api/v1/lab/chaos/{service}),
// says what to watch and waits, within its time bound, until the page shows it; at the end, or
// when stopped, it takes every fault off and waits for all green. Every fault is sent with an
// expiry and renewed while the tour runs, so a page closed mid-tour leaves no chaos behind.
// The tours come from the server (bodies/lab/tours.py), in the page's config, only with chaos on.

import { el, setHidden, setText } from "./dom.js";

const SERVICES = ["bodies", "frostings", "toppings"];
const SERVICE_OF = { body: "bodies", frosting: "frostings", topping: "toppings" };
const CALM = Object.freeze({ latency_ms: 0, error_rate: 0, down: false });
const CHECK_MS = 200;
const REQUEST_TIMEOUT_MS = 6000;
const CALM_WITHIN_MS = 30_000;
const CHOICE_WITHIN_MS = 10_000;

const byId = (id) => document.getElementById(id);
const sleep = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));

/** Whether the page shows `watch` right now (see WATCH_VALUES in tours.py). */
function shows({ kind, service, value }) {
  const values = value.split("|");
  const callsOf = (name) => [...document.querySelectorAll(`#wire-calls tr.call[data-service="${name}"]`)];
  if (kind === "status") {
    return values.includes(document.querySelector(`#panel-${service} [data-role="status"]`)?.dataset.status);
  }
  if (kind === "breaker") {
    return callsOf(service).some((row) => {
      const badge = row.querySelector('.call-badge[data-kind="breaker"]');
      return badge && !badge.hidden && values.includes(badge.dataset.state);
    });
  }
  if (kind === "cache") {
    return callsOf(service).some((row) => values.includes(row.querySelector(".call-cache")?.dataset.cache));
  }
  if (kind === "bake") return values.includes(byId("bake-result")?.dataset.outcome);
  if (kind === "health") return values.includes(byId("lab-health")?.dataset.health);
  return false;
}

async function chaosPut(url, service, settings) {
  const controller = new AbortController();
  const timer = window.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(`${url}/${service}`, {
      method: "PUT",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify(settings),
      cache: "no-store",
      signal: controller.signal,
    });
    return response.status === 200;
  } catch {
    return false;
  } finally {
    window.clearTimeout(timer);
  }
}

/** The tour panel and the picker in the chaos drawer, wired to play `tours`. */
function createTours({ panel, picker, busy, drawer, chaosUrl, tours }) {
  const part = (role) => panel.querySelector(`[data-role="${role}"]`);
  const stopButton = panel.querySelector('[data-action="stop"]');
  const closeButton = panel.querySelector('[data-action="close"]');
  const expiryS = tours.chaosExpiryS;
  let faults = {}; // service -> the settings the tour holds on it now
  const owed = new Set(); // services whose last change the lab did not confirm
  let renewTimer = 0;
  let stopping = null; // the running tour's AbortController

  /** Send `service` what the tour wants of it now: its faults with the expiry, or none. */
  async function send(service) {
    const settings = service in faults ? { ...faults[service], expires_in_s: expiryS } : CALM;
    const done = await chaosPut(chaosUrl, service, settings);
    if (done) owed.delete(service);
    else owed.add(service);
    return done;
  }

  /** Set the lab's faults to `wanted` (a service not named: none); `everywhere` takes off
   * faults the tour did not set too (a tour starts from a calm lab). */
  async function faultsApply(wanted, { everywhere = false } = {}) {
    const held = everywhere ? SERVICES : Object.keys(faults);
    const touched = new Set([...held, ...Object.keys(wanted)]);
    faults = { ...wanted };
    const sent = await Promise.all([...touched].map(send));
    return sent.every(Boolean);
  }

  /** Renew the faults' expiry, and send again what the lab did not take. */
  function renew() {
    for (const service of new Set([...Object.keys(faults), ...owed])) send(service);
  }

  function stepsShow(steps) {
    part("steps").replaceChildren(
      ...steps.map((step, index) =>
        el("li", { className: "tour-step", dataset: { state: "pending", index: String(index) } }, step.does),
      ),
    );
  }

  function stepShow(steps, index, outcome, words) {
    const items = part("steps").children;
    const item = items[index];
    if (outcome === "now") {
      const step = steps[index];
      setText(part("progress"), `Step ${index + 1} of ${items.length}`);
      setText(part("does"), step.does);
      setText(part("watch"), step.watch);
    }
    item.dataset.state = outcome;
    item.toggleAttribute("aria-current", outcome === "now");
    const line = part("outcome");
    line.dataset.outcome = outcome === "now" ? "waiting" : outcome;
    setText(line, words);
  }

  async function until(step, signal) {
    const ends = performance.now() + step.withinMs;
    while (!signal.aborted) {
      if (step.until.every(shows)) return "seen";
      if (performance.now() > ends) return "missed";
      await sleep(CHECK_MS);
    }
    return "stopped";
  }

  /** Pick the tour's cupcake the way a visitor does: a card at a time, each once it is offered. */
  async function choose(choices, signal) {
    for (const [layer, slug] of Object.entries(choices)) {
      const ends = performance.now() + CHOICE_WITHIN_MS;
      while (!signal.aborted && performance.now() < ends) {
        const input = document.querySelector(`#panel-${SERVICE_OF[layer]} .card-input[value="${slug}"]`);
        if (input?.checked) break;
        if (input && !input.disabled) input.click();
        await sleep(CHECK_MS);
      }
    }
  }

  async function play(tour) {
    const controller = new AbortController();
    stopping = controller;
    const { signal } = controller;
    const steps = [
      {
        does: "Starting from a calm lab: every fault is taken off, the tour's cupcake is picked.",
        watch: "Every light green.",
        until: [{ kind: "health", value: "ok" }],
        faults: {},
        withinMs: CALM_WITHIN_MS,
        setup: true,
      },
      ...tour.steps,
    ];
    panel.dataset.tour = tour.id;
    panel.dataset.state = "running";
    setText(part("title"), tour.title);
    const back = { does: "Every fault the tour set is taken off.", watch: "Every light green again." };
    stepsShow([...steps, back]);
    setHidden(stopButton, false);
    setHidden(closeButton, true);
    setHidden(busy, false);
    for (const button of picker.querySelectorAll(".tours-start")) button.disabled = true;
    renewTimer = window.setInterval(renew, (expiryS * 1000) / 3);

    let missed = 0;
    for (const [index, step] of steps.entries()) {
      if (signal.aborted) break;
      stepShow(steps, index, "now", `Waiting for the lab to show it (up to ${step.withinMs / 1000} s)…`);
      const applied = await faultsApply(step.faults, { everywhere: Boolean(step.setup) });
      if (step.setup) await choose(tour.choices, signal);
      if (step.bake) byId("bake-button")?.click();
      const outcome = await until(step, signal);
      if (outcome === "stopped") break;
      if (outcome === "seen") stepShow(steps, index, "seen", "Seen.");
      else {
        missed += 1;
        const why = applied ? "" : " The lab did not take every fault: is each service running?";
        stepShow(steps, index, "missed", `Not seen within ${step.withinMs / 1000} s; the tour goes on.${why}`);
      }
    }
    await putBack([...steps, back], signal.aborted, missed);
  }

  /** The last step of every tour, played even when it was stopped: no fault left, all green. */
  async function putBack(steps, stopped, missed) {
    window.clearInterval(renewTimer);
    const index = steps.length - 1;
    const item = part("steps").children[index];
    for (const pending of part("steps").querySelectorAll('[data-state="pending"], [data-state="now"]')) {
      if (pending !== item) pending.dataset.state = "skipped";
    }
    stepShow(steps, index, "now", stopped ? "Stopped. Putting everything back…" : "Putting everything back…");
    await faultsApply({});
    const ends = performance.now() + CALM_WITHIN_MS;
    const calm = () => owed.size === 0 && shows({ kind: "health", value: "ok" });
    while (!calm() && performance.now() < ends) {
      await sleep(CHECK_MS);
      if (owed.size) await Promise.all([...owed].map(send));
    }
    const green = calm();
    const summary = green
      ? `Everything is back as it was: all services up.${missed ? ` ${missed} step${missed > 1 ? "s were" : " was"} not seen in time.` : ""}`
      : `Not every light is green after ${CALM_WITHIN_MS / 1000} s; faults the tour set end by themselves within ${expiryS} s.`;
    stepShow(steps, index, green ? "seen" : "missed", summary);
    panel.dataset.state = stopped ? "stopped" : "done";
    stopping = null;
    setHidden(stopButton, true);
    setHidden(closeButton, false);
    setHidden(busy, true);
    for (const button of picker.querySelectorAll(".tours-start")) button.disabled = false;
    closeButton.focus();
  }

  function start(tour) {
    if (stopping) return;
    setHidden(panel, false);
    document.body.dataset.tour = "on";
    const focusTitle = () => byId("tour-title").focus();
    if (drawer?.open) {
      // The drawer gives the focus back to its toggle when it closes; the tour takes it after.
      drawer.addEventListener("close", focusTitle, { once: true });
      drawer.close();
    } else {
      focusTitle();
    }
    play(tour);
  }

  stopButton.addEventListener("click", () => stopping?.abort());
  closeButton.addEventListener("click", () => {
    setHidden(panel, true);
    delete document.body.dataset.tour;
    panel.dataset.state = "idle";
    byId("chaos-toggle")?.focus();
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && stopping) stopping.abort();
  });
  for (const button of picker.querySelectorAll(".tours-start")) {
    const tour = tours.list.find((candidate) => candidate.id === button.dataset.tour);
    if (tour) button.addEventListener("click", () => start(tour));
  }
}

/** Wire the tours when the page's config has them (a lab run with chaos). */
export function toursStart(config) {
  const panel = byId("tour");
  const picker = byId("tours-picker");
  if (!config.tours || !config.chaosUrl || !panel || !picker) return;
  createTours({
    panel,
    picker,
    busy: byId("tours-busy"),
    drawer: byId("chaos-drawer"),
    chaosUrl: config.chaosUrl,
    tours: config.tours,
  });
}
