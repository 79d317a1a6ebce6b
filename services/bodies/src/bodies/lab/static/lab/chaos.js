// The chaos drawer: each service's injected faults (down, added latency, error rate),
// changed from the page through bodies (GET /api/v1/lab/chaos, PUT /api/v1/lab/chaos/{service}),
// which holds the admin token so that the browser never does. It shows itself only when the
// lab runs with chaos, sends every change at once (sliders after a short pause) and then
// shows each service's settings as that service confirmed them.

import { announce, el, setHidden, setText } from "./dom.js";
import { faulty, faultsWords, sectionControls } from "./chaos-section.js";

const SERVICES = ["bodies", "frostings", "toppings"];
const CALM = Object.freeze({ latency_ms: 0, error_rate: 0, down: false });
const REQUEST_TIMEOUT_MS = 6000;
const DISCOVER_RETRY_MS = 10_000;
const FOCUSABLE = "button:not([disabled]), input:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

/** The settings in a server's JSON, or null when it holds none. */
function settingsFrom(doc) {
  if (!doc || typeof doc !== "object") return null;
  const { latency_ms: latency, error_rate: rate, down, expires_in_s: expires = null } = doc;
  if (typeof latency !== "number" || typeof rate !== "number" || typeof down !== "boolean") return null;
  return { latency_ms: latency, error_rate: rate, down, expires_in_s: typeof expires === "number" ? expires : null };
}

async function jsonRequest(url, { method = "GET", body } = {}) {
  const controller = new AbortController();
  const timer = window.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      cache: "no-store",
      signal: controller.signal,
    });
    return { status: response.status, doc: await response.json().catch(() => null) };
  } catch (error) {
    return { status: 0, doc: null, error };
  } finally {
    window.clearTimeout(timer);
  }
}

/** Why a change was not applied, in words. */
function problemWords(service, { status, doc, error }) {
  const detail = doc?.detail ? `: ${doc.detail}` : "";
  if (status === 0 && error?.name === "AbortError") {
    return `Not confirmed — the lab did not answer within ${REQUEST_TIMEOUT_MS / 1000} s.`;
  }
  if (status === 0) return "Not applied — the lab cannot be reached.";
  if (status === 422) return `Not applied (422) — refused as invalid: ${doc?.detail ?? "bad settings"}.`;
  if (status === 503) {
    return `Not applied (503) — ${doc?.detail ?? `${service} cannot be reached`}. Is ${service} running?`;
  }
  if (status === 404) return "Not applied — chaos is off in this lab (start it with --chaos).";
  return `Not applied — the lab answered ${status}${detail}.`;
}

/**
 * The chaos drawer behind the header's Chaos button. `chaosUrl` null means chaos is off and
 * nothing is asked at all.
 */
export function createChaos({ toggle, count, drawer, closeButton, resetAll, problem, config }) {
  const url = config.chaosUrl;
  const debounceMs = config.chaosDebounceMs ?? 250;
  const pollMs = config.chaosPollMs ?? 3000;
  const states = Object.fromEntries(
    SERVICES.map((service) => {
      const section = drawer.querySelector(`.chaos-service[data-service="${service}"]`);
      const controls = sectionControls(section, {
        deadlineMs: config.deadlineMs ?? 0,
        latencyMaxMs: config.latencyMaxMs ?? 3000,
      });
      // confirmed: the service's settings as last confirmed (null: it could not be asked;
      // undefined: not asked yet); seq: the number of the latest change sent.
      return [service, { service, controls, confirmed: undefined, timer: 0, seq: 0, inflight: 0, error: null }];
    }),
  );
  let pollTimer = 0;
  let polling = false;

  const pending = (state) => Boolean(state.timer) || state.inflight > 0;

  function countShow() {
    const on = SERVICES.filter((service) => faulty(states[service].confirmed));
    toggle.dataset.faults = on.length ? "on" : "none";
    setHidden(count, on.length === 0);
    const words = `${on.length} service${on.length === 1 ? "" : "s"} with faults`;
    if (count.dataset.words !== words) {
      count.dataset.words = words;
      count.replaceChildren(
        el("span", { "aria-hidden": "true", text: String(on.length) }),
        el("span", { className: "visually-hidden", text: ` (${words})` }),
      );
    }
  }

  function render(state) {
    const { controls, confirmed, service } = state;
    const busy = pending(state);
    if (!busy && confirmed) controls.show(confirmed);
    let words;
    let mood;
    if (busy) [words, mood] = ["Applying…", "applying"];
    else if (confirmed === undefined) [words, mood] = [`Asking ${service}…`, "unknown"];
    else if (confirmed === null) [words, mood] = [`${service} did not answer: its faults are unknown.`, "unknown"];
    else [words, mood] = [`${service} confirms: ${faultsWords(confirmed)}`, faulty(confirmed) ? "faults" : "calm"];
    setText(controls.confirmed, words);
    controls.confirmed.dataset.state = mood;
    setText(controls.error, state.error ?? "");
    setHidden(controls.error, !state.error);
    controls.section.dataset.faults = faulty(confirmed) ? "on" : "none";
    controls.section.dataset.known = String(Boolean(confirmed));
    countShow();
  }

  /** Take the settings of a GET /api/v1/lab/chaos answer, but not over a change in progress. */
  function overview(doc) {
    for (const service of SERVICES) {
      const state = states[service];
      if (pending(state)) continue;
      state.confirmed = settingsFrom(doc?.services?.[service]);
      render(state);
    }
  }

  async function send(service, settings) {
    const state = states[service];
    window.clearTimeout(state.timer);
    state.timer = 0;
    const seq = ++state.seq;
    state.inflight += 1;
    state.error = null;
    render(state);
    const answer = await jsonRequest(`${url}/${service}`, { method: "PUT", body: settings });
    state.inflight -= 1;
    if (seq !== state.seq) return true; // a newer change is on its way; its answer counts
    const confirmed =
      answer.status === 200
        ? settingsFrom(answer.doc) ?? settingsFrom(answer.doc?.settings) ?? settingsFrom(answer.doc?.services?.[service])
        : null;
    if (confirmed) {
      state.confirmed = confirmed;
    } else {
      state.error =
        answer.status === 200 ? "Not confirmed — the lab's answer held no settings." : problemWords(service, answer);
    }
    render(state);
    return Boolean(confirmed);
  }

  function sendSoon(service) {
    const state = states[service];
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(() => {
      state.timer = 0;
      send(service, state.controls.values());
    }, debounceMs);
    state.error = null;
    render(state);
  }

  function reset(service) {
    states[service].controls.show(CALM);
    return send(service, { ...CALM });
  }

  async function refresh() {
    if (polling) return;
    polling = true;
    const answer = await jsonRequest(url);
    polling = false;
    if (answer.status === 200) {
      setHidden(problem, true);
      overview(answer.doc);
    } else {
      setText(problem, `The lab could not say what the faults are now (${answer.status || "no answer"}); trying again.`);
      setHidden(problem, false);
    }
    if (drawer.open) {
      window.clearTimeout(pollTimer);
      pollTimer = window.setTimeout(refresh, pollMs);
    }
  }

  function open() {
    if (drawer.open) return;
    // What went wrong last time the drawer was open is old news now.
    for (const state of Object.values(states)) {
      state.error = null;
      render(state);
    }
    drawer.showModal();
    toggle.setAttribute("aria-expanded", "true");
    refresh();
  }

  function close() {
    if (drawer.open) drawer.close();
  }

  function wire() {
    toggle.addEventListener("click", () => (drawer.open ? close() : open()));
    closeButton.addEventListener("click", close);
    drawer.addEventListener("close", () => {
      window.clearTimeout(pollTimer);
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    });
    // A click on the backdrop lands on the <dialog> itself (the sheet fills all of it); a
    // slider dragged out of the sheet ends in a click there too, which must not close it.
    let pressedOnBackdrop = false;
    drawer.addEventListener("pointerdown", (event) => {
      pressedOnBackdrop = event.target === drawer;
    });
    drawer.addEventListener("click", (event) => {
      if (event.target === drawer && pressedOnBackdrop) close();
      pressedOnBackdrop = false;
    });
    // Keep Tab and Shift+Tab inside the drawer while it is open.
    drawer.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") return;
      const stops = [...drawer.querySelectorAll(FOCUSABLE)].filter((node) => node.getClientRects().length);
      if (!stops.length) return;
      const [first, last] = [stops[0], stops.at(-1)];
      const inside = drawer.contains(document.activeElement) && document.activeElement !== drawer;
      if (event.shiftKey && (document.activeElement === first || !inside)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
        event.preventDefault();
        first.focus();
      }
    });
    for (const service of SERVICES) {
      const { controls } = states[service];
      controls.section.addEventListener("input", (event) => {
        if (event.target.type !== "range") return;
        controls.echo();
        sendSoon(service);
      });
      controls.section.addEventListener("change", (event) => {
        if (event.target.type === "checkbox") send(service, controls.values());
      });
      controls.reset.addEventListener("click", () => reset(service));
    }
    resetAll.addEventListener("click", async () => {
      const done = await Promise.all(SERVICES.map(reset));
      announce(done.every(Boolean) ? "Every fault removed." : "Some faults could not be removed.");
    });
  }

  async function discover() {
    const answer = await jsonRequest(url);
    if (answer.status === 200) {
      wire();
      overview(answer.doc);
      toggle.hidden = false;
      return;
    }
    // 404: chaos is off in this lab, for good. Anything else: ask again later.
    if (answer.status !== 404) window.setTimeout(discover, DISCOVER_RETRY_MS);
  }

  return {
    /** Ask whether the lab runs with chaos; if it does, show the Chaos button. */
    start() {
      if (url) discover();
    },

    /** Mirror the services' status lights (a composition's `services`) in the drawer. */
    statusShow(services) {
      for (const service of SERVICES) {
        const { controls } = states[service];
        const info = services?.[service];
        const status = info?.status ?? "checking";
        controls.status.dataset.status = status;
        setText(controls.statusWord, info ? status : "no answer");
        const detail = info && status !== "ok" ? info.detail || "" : "";
        setText(controls.statusDetail, detail);
        setHidden(controls.statusDetail, !detail);
      }
    },
  };
}
