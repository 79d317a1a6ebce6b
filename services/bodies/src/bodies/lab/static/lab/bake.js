// Baking: POST /api/v1/cupcakes with an Idempotency-Key. The key is new for every bake
// attempt and reused when the baker retries the same cupcake after a 503 or a lost answer,
// so that a retry bakes it exactly once.

import { el, setText } from "./dom.js";
import { LAYERS } from "./choices.js";

function uuidCreate() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // crypto.randomUUID exists only in secure contexts; a lab reached over plain http on
  // another host still gets a version 4 UUID.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function hintFor(choices, composition) {
  const missing = LAYERS.filter((layer) => !choices[layer]);
  if (missing.length === 3) return "Choose a body, a frosting and a topping, then bake.";
  if (missing.length) return `Now choose a ${missing[0]}.`;
  const down = ["frostings", "toppings"].filter(
    (service) => composition?.services?.[service]?.status === "unavailable",
  );
  if (down.length) {
    return `The ${down.join(" and ")} service${down.length > 1 ? "s are" : " is"} unavailable: baking checks the rules with ${down.length > 1 ? "them" : "it"}, so it may ask you to try again.`;
  }
  return "Ready for the oven.";
}

/** The bake form; `onBaked(cupcake)` runs after a 201. */
export function createBake({ form, input, button, hint, result, url, getChoices, onBaked, onName }) {
  let pending = null; // {key, payload} of an attempt that may be retried with the same key
  let busy = false;
  let composition = null;

  function payloadOf() {
    const choices = getChoices();
    const payload = { body: choices.body, frosting: choices.frosting, topping: choices.topping };
    const name = input.value.trim();
    if (name) payload.name = name;
    return JSON.stringify(payload);
  }

  function say(outcome, headline, detail = "") {
    result.dataset.outcome = outcome;
    result.replaceChildren(el("strong", { text: headline }), detail ? ` ${detail}` : "");
  }

  function update() {
    const choices = getChoices();
    const ready = LAYERS.every((layer) => Boolean(choices[layer]));
    // Not disabled while baking, so that the button keeps the keyboard focus; a second
    // press meanwhile is ignored.
    button.disabled = !ready;
    const retrying = pending && pending.payload === payloadOf();
    setText(button, busy ? "Baking…" : retrying ? "Try again" : "Bake");
    setText(hint, hintFor(choices, composition));
  }

  async function bake() {
    const payload = payloadOf();
    if (!pending || pending.payload !== payload) pending = { key: uuidCreate(), payload };
    const { key } = pending;
    busy = true;
    button.setAttribute("aria-busy", "true");
    update();
    say("baking", "Baking…");
    let response;
    let doc = null;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": key },
        body: payload,
      });
      doc = await response.json().catch(() => null);
    } catch {
      response = null;
    }
    busy = false;
    button.removeAttribute("aria-busy");
    if (response?.status === 201 || response?.status === 200) {
      pending = null;
      input.value = "";
      onName("");
      say("baked", `Baked “${doc?.name ?? "your cupcake"}”!`, "It is first in the gallery.");
      onBaked(doc);
    } else if (response === null || response.status === 429 || response.status >= 500) {
      const after = Number.parseInt(response?.headers.get("Retry-After") ?? "", 10);
      const why = doc?.detail ?? (response ? `The lab answered ${response.status}.` : "The lab did not answer.");
      say(
        "retry",
        `Not baked yet: try again${after > 0 ? ` in ${after} s` : ""}.`,
        `${why.replace(/\.?$/, ".")} Trying again bakes it exactly once.`,
      );
    } else {
      pending = null;
      say("refused", "Not baked.", `${doc?.detail || doc?.title || `The lab answered ${response.status}`}.`);
    }
    update();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!busy && !button.disabled) bake();
  });
  input.addEventListener("input", () => {
    onName(input.value);
    update();
  });

  return {
    /** Follow the choices and the last composition (for the hint and the button). */
    update(latest) {
      if (latest !== undefined) composition = latest;
      update();
    },
  };
}
