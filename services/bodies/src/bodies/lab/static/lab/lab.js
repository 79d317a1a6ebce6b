// The lab page's entry module: wires the panels, the cupcake, the bake form, the wire
// panel, the gallery and the chaos drawer to the lab's API. Configuration comes from the page's
// JSON data block; no inline script anywhere.

import { announce, setHidden, setText, wordsJoin } from "./dom.js";
import {
  LAYERS,
  SERVICE_OF,
  choicesAfterRefusal,
  choicesEmpty,
  choicesFromUrl,
  choicesQuery,
  choicesToUrl,
} from "./choices.js";
import { LiveComposition } from "./live.js";
import { createPanel } from "./panels.js";
import { createCupcake } from "./cupcake.js";
import { createWire } from "./wire.js";
import { createBake } from "./bake.js";
import { createGallery } from "./gallery.js";
import { createChaos } from "./chaos.js";
import { createTrace } from "./trace.js";
import { toursStart } from "./tours.js";

const config = JSON.parse(document.getElementById("lab-config").textContent);
const byId = (id) => document.getElementById(id);

let choices = choicesFromUrl(window.location.href);
let composition = null;
let lastStatuses = null;
let drawnOnce = false;
let composedOnce = false;

const panels = Object.fromEntries(
  LAYERS.map((layer) => [
    layer,
    createPanel(byId(`panel-${SERVICE_OF[layer]}`), { layer, service: SERVICE_OF[layer] }),
  ]),
);
const cupcake = createCupcake(byId("cupcake"));
const wire = createWire({ summary: byId("wire-summary"), calls: byId("wire-calls"), live: byId("live") });
const gallery = createGallery({
  list: byId("gallery-list"),
  count: byId("gallery-count"),
  empty: byId("gallery-empty"),
  more: byId("gallery-more"),
  url: config.cupcakesUrl,
  pageSize: config.galleryPageSize,
});
const bake = createBake({
  form: byId("bake-form"),
  input: byId("bake-name"),
  button: byId("bake-button"),
  hint: byId("bake-hint"),
  result: byId("bake-result"),
  url: config.cupcakesUrl,
  getChoices: () => choices,
  onBaked: (baked) => {
    gallery.add(baked);
    cupcake.celebrate();
  },
  onName: (name) => cupcake.setName(name),
});
const chaos = createChaos({
  toggle: byId("chaos-toggle"),
  count: byId("chaos-count"),
  drawer: byId("chaos-drawer"),
  closeButton: byId("chaos-close"),
  resetAll: byId("chaos-reset-all"),
  problem: byId("chaos-problem"),
  config,
});
const trace = createTrace({ list: byId("trace-spans"), summary: byId("trace-summary"), traceId: byId("trace-id"), url: config.tracesUrl });
const live = new LiveComposition({
  url: config.composeUrl,
  query: () => choicesQuery(choices),
  intervalMs: config.pollMs,
  timeoutMs: config.requestTimeoutMs,
  onResult: compositionShow,
  onFailure: labUnreachable,
  onState: (state) => wire.setLive(state),
});

function offline(message) {
  const banner = byId("lab-offline");
  setText(banner, message ?? "");
  setHidden(banner, !message);
}

/** Say why layers came off the cupcake (a polite live region of its own). */
function changeSay(message) {
  setText(byId("cupcake-change"), message);
}

function healthRender(services) {
  const health = byId("lab-health");
  const names = Object.keys(services);
  const down = names.filter((name) => services[name].status === "unavailable");
  const degraded = names.filter((name) => services[name].status === "degraded");
  const up = names.length - down.length;
  let text = `All ${names.length} services up`;
  if (down.length) text = `${wordsJoin(down)} unavailable · ${up} of ${names.length} up`;
  else if (degraded.length) text = `${wordsJoin(degraded)} degraded · all ${names.length} answering`;
  health.dataset.health = down.length ? "unavailable" : degraded.length ? "degraded" : "ok";
  setText(byId("lab-health-text"), text);
}

function statusChangesAnnounce(services) {
  const previous = lastStatuses;
  lastStatuses = Object.fromEntries(Object.entries(services).map(([name, info]) => [name, info.status]));
  if (!previous) return;
  const changes = Object.entries(lastStatuses)
    .filter(([name, status]) => previous[name] !== status)
    .map(([name, status]) =>
      status === "ok"
        ? `The ${name} service is back.`
        : `The ${name} service is ${status}${services[name].detail ? `: ${services[name].detail}` : ""}.`,
    );
  if (changes.length) announce(changes.join(" "));
}

function drawnMark() {
  if (drawnOnce) return;
  drawnOnce = true;
  // The measure of a full page load: navigation start to the composed cupcake on screen.
  window.requestAnimationFrame(() => {
    performance.mark("cupcake-drawn");
    document.documentElement.dataset.cupcakeDrawn = "true";
  });
}

function compositionShow({ status, doc, ms, query, serverTiming, traceresponse }) {
  if (query !== choicesQuery(choices)) return; // answered for choices since changed
  trace.follow(traceresponse);
  if (status === 422 && doc) {
    const next = choicesAfterRefusal(choices, doc);
    if (next) {
      const gone = LAYERS.filter((layer) => choices[layer] !== next[layer]);
      changeSay(`${doc.detail ?? "That combination is not allowed"}. Off came the ${wordsJoin(gone)}.`);
      choices = next;
      choicesToUrl(choices);
      bake.update();
      live.refresh();
      return;
    }
  }
  if (status !== 200 || !doc || !doc.services) {
    const detail = `answered ${status}${doc?.detail ? `: ${doc.detail}` : ""}`;
    offline(`The lab ${detail}. Trying again every ${config.pollMs / 1000} s…`);
    chaos.statusShow({ bodies: { status: "unavailable", detail } });
    return;
  }
  offline(null);
  composition = doc;
  for (const layer of LAYERS) panels[layer].render(doc, choices[layer]);
  healthRender(doc.services);
  statusChangesAnnounce(doc.services);
  chaos.statusShow(doc.services);
  wire.render(doc, { ms, query, status, serverTiming });
  bake.update(doc);
  gallery.load(); // again only if it could not be loaded before
  const drawing = cupcake.render({ body: doc.body, frosting: doc.frosting, topping: doc.topping });
  const anyChosen = LAYERS.some((layer) => choices[layer]);
  drawing.then(() => {
    if (anyChosen) drawnMark();
  });
  if (!composedOnce) {
    composedOnce = true;
    performance.mark("lab-composed");
  }
}

function labUnreachable(error) {
  const reason = error?.name === "AbortError" ? `did not answer within ${config.requestTimeoutMs / 1000} s` : "cannot be reached";
  offline(
    `The lab ${reason}. The bodies service serves this page and the composition API; the page keeps trying every ${config.pollMs / 1000} s.`,
  );
  for (const layer of LAYERS) panels[layer].renderUnknown();
  chaos.statusShow(null);
  const health = byId("lab-health");
  health.dataset.health = "unavailable";
  setText(byId("lab-health-text"), "The lab is not answering");
}

function choicesCommit() {
  choicesToUrl(choices);
  bake.update();
  live.refresh();
}

byId("choices").addEventListener("change", (event) => {
  const input = event.target;
  if (!input.matches?.(".card-input") || !LAYERS.includes(input.name)) return;
  const layer = input.name;
  choices = { ...choices, [layer]: input.value };
  // Draw the new layer at once; the composition that follows confirms it (or takes off
  // what the rules refuse).
  const item = composition?.choices?.[SERVICE_OF[layer]]?.find((it) => it.slug === input.value);
  if (item) cupcake.preview(layer, item);
  changeSay("");
  choicesCommit();
});

byId("choices").addEventListener("submit", (event) => event.preventDefault());

byId("start-over").addEventListener("click", () => {
  choices = choicesEmpty();
  for (const radio of document.querySelectorAll(".card-input:checked")) radio.checked = false;
  for (const layer of LAYERS) cupcake.preview(layer, null);
  choicesCommit();
  byId("choices").focus();
});

choicesToUrl(choices);
bake.update();
live.start();
gallery.load();
chaos.start();
toursStart(config);
