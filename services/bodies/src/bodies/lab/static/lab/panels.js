// One panel per service: its status light, address, rule in words and picture cards.
// Cards are native radio inputs, updated in place so that focus and arrow keys survive
// the live re-compositions.

import { el, setAttr, setHidden, setText } from "./dom.js";

const HINTS = {
  body: "Every cupcake starts with a body: pick any one.",
  frosting: "Pick a body first: each frosting goes on some bodies only.",
  topping: "Pick a frosting first: it decides which toppings fit.",
};

const WITHOUT = {
  frostings: "Your cupcake keeps its body; frostings and toppings come back when the service does.",
  toppings: "Your cupcake keeps its body and frosting; toppings come back when the service does.",
  bodies: "Nothing can be composed until it is back.",
};

function cardCreate(layer, item) {
  const id = `${layer}-${item.slug}`;
  const input = el("input", {
    className: "card-input",
    type: "radio",
    name: layer,
    value: item.slug,
    id,
    "aria-describedby": `${id}-reason`,
  });
  const picture = el(
    "span",
    { className: "card-picture" },
    el("img", { alt: "", width: 200, height: 200, decoding: "async", draggable: "false" }),
  );
  return el(
    "label",
    { className: "card", dataset: { slug: item.slug }, for: id },
    input,
    picture,
    el("span", { className: "card-name" }),
    el("span", { className: "card-reason", id: `${id}-reason` }),
  );
}

function cardUpdate(card, item, chosen) {
  const input = card.querySelector(".card-input");
  const img = card.querySelector("img");
  if (item.image_url && img.getAttribute("src") !== item.image_url) img.src = item.image_url;
  setText(card.querySelector(".card-name"), item.name ?? item.slug);
  setAttr(card, "title", item.description || null);
  const allowed = item.allowed !== false;
  if (input.disabled === allowed) input.disabled = !allowed;
  const checked = item.slug === chosen;
  if (input.checked !== checked) input.checked = checked;
  setText(card.querySelector(".card-reason"), allowed ? "" : item.reason || "Not available");
  card.dataset.allowed = String(allowed);
}

function cardsReconcile(container, layer, items, chosen) {
  const existing = new Map([...container.children].map((card) => [card.dataset.slug, card]));
  items.forEach((item, index) => {
    const card = existing.get(item.slug) ?? cardCreate(layer, item);
    existing.delete(item.slug);
    cardUpdate(card, item, chosen);
    // Only move a card when the order really changed: moving a node drops its focus.
    if (container.children[index] !== card) container.insertBefore(card, container.children[index] ?? null);
  });
  for (const card of existing.values()) card.remove();
}

/** The panel in `fieldset`, for `layer` ("body", "frosting", "topping") of `service`. */
export function createPanel(fieldset, { layer, service }) {
  const part = (role) => fieldset.querySelector(`[data-role="${role}"]`);
  const status = part("status");
  const word = part("status-word");
  const detail = part("status-detail");
  const address = part("address");
  const rule = part("rule");
  const cards = part("cards");
  const down = part("down");

  return {
    /** Show `composition` (the API's answer) with `chosen` as this layer's slug. */
    render(composition, chosen) {
      const info = composition.services?.[service] ?? {};
      const state = info.status ?? "unavailable";
      status.dataset.status = state;
      setText(word, state);
      setAttr(status, "title", info.detail || null);
      if (info.url) setText(address, info.url);

      const items = composition.choices?.[service] ?? [];
      const unreachable = state === "unavailable" && items.length === 0;
      // An unreachable service's explanation is in the box that replaces its cards.
      const explain = state !== "ok" && !unreachable && info.detail ? info.detail : "";
      setText(detail, explain);
      setHidden(detail, !explain);
      setText(
        rule,
        unreachable
          ? `Unknown while the ${service} service is unavailable.`
          : composition.rules?.[service] || HINTS[layer],
      );
      if (unreachable) {
        cards.replaceChildren();
        down.replaceChildren(
          el("strong", { text: `The ${service} service is unavailable` }),
          ` — ${info.detail || "it did not answer"}. ${WITHOUT[service]}`,
        );
      } else {
        cardsReconcile(cards, layer, items, chosen);
      }
      setHidden(down, !unreachable);
      fieldset.dataset.status = state;
    },

    /** Show that nothing is known right now (the lab itself is not answering). */
    renderUnknown() {
      status.dataset.status = "checking";
      setText(word, "no answer");
      setHidden(detail, true);
    },
  };
}
