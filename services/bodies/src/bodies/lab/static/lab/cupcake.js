// The cupcake on the stage: the three layers' pictures, loaded straight from each
// service's image_url and stacked in one 200x200 box, swapped with a gentle transition.

import { el, setHidden, setText } from "./dom.js";
import { LAYERS, SERVICE_OF } from "./choices.js";

const LEAVE_MS = 320;

function drawable(part) {
  return part && part.available !== false && part.image_url ? part : null;
}

/** A title for the cupcake when the baker has not named it. */
function titleOf(parts) {
  const names = LAYERS.map((layer) => parts[layer]?.name).filter(Boolean);
  if (names.length === 0) return "Pick a body to start";
  if (names.length === 1) return `${names[0]} cupcake`;
  if (names.length === 2) return `${names[0]} with ${names[1]}`;
  return `${names[0]}, ${names[1]} & ${names[2]}`;
}

/** The stage: `root` holds the layers; the caption's parts are found by id. */
export function createCupcake(root) {
  const title = document.getElementById("cupcake-title");
  const chips = document.getElementById("cupcake-parts");
  const note = document.getElementById("cupcake-note");
  const shown = Object.fromEntries(LAYERS.map((layer) => [layer, null])); // the <img> in place
  const wanted = Object.fromEntries(LAYERS.map((layer) => [layer, null])); // the URL asked for
  const pending = {};
  let parts = {};
  let givenName = "";

  function layersAttr() {
    root.dataset.layers = LAYERS.filter((layer) => shown[layer]).join(" ");
  }

  function retire(img) {
    if (!img) return;
    img.classList.add("is-leaving");
    img.alt = "";
    window.setTimeout(() => img.remove(), LEAVE_MS);
  }

  function layerShow(layer, part) {
    const url = drawable(part)?.image_url ?? null;
    if (wanted[layer] === url) return pending[layer] ?? Promise.resolve();
    wanted[layer] = url;
    if (!url) {
      retire(shown[layer]);
      shown[layer] = null;
      layersAttr();
      pending[layer] = null;
      return Promise.resolve();
    }
    const img = el("img", {
      className: "layer",
      dataset: { layer },
      alt: `${part.name ?? part.slug} ${layer}`,
      width: 200,
      height: 200,
      draggable: "false",
    });
    img.src = url;
    pending[layer] = img.decode().then(
      () => {
        if (wanted[layer] !== url) return;
        retire(shown[layer]);
        root.append(img);
        shown[layer] = img;
        layersAttr();
      },
      () => {
        // The picture did not load (its service just died?): ask again next time.
        if (wanted[layer] === url) wanted[layer] = null;
      },
    );
    return pending[layer];
  }

  function captionRender() {
    setText(title, givenName || titleOf(parts));
    const items = LAYERS.filter((layer) => parts[layer]).map((layer) => {
      const part = parts[layer];
      const missing = !drawable(part);
      const chip = el("span", {
        className: "part-chip",
        dataset: { service: SERVICE_OF[layer], ...(missing ? { missing: "" } : {}) },
        text: missing ? `${layer}: unavailable` : `${part.name} ${layer}`,
      });
      if (!missing && part.color) chip.style.setProperty("--swatch", part.color);
      return chip;
    });
    const signature = items.map((chip) => chip.textContent + chip.style.cssText).join("|");
    if (chips.dataset.signature !== signature) {
      chips.dataset.signature = signature;
      chips.replaceChildren(...items);
    }
    const missing = LAYERS.filter((layer) => parts[layer] && !drawable(parts[layer]));
    const words = missing.map((layer) => `the ${SERVICE_OF[layer]} service`).join(" and ");
    setText(
      note,
      missing.length
        ? `Not drawn: ${missing.join(" and ")}, because ${words} cannot be reached. It comes back by itself.`
        : "",
    );
    setHidden(note, missing.length === 0);
  }

  return {
    /** Draw the chosen parts ({body, frosting, topping}, each an item or null); resolves when drawn. */
    render(chosen) {
      parts = { ...chosen };
      captionRender();
      return Promise.all(LAYERS.map((layer) => layerShow(layer, parts[layer])));
    },

    /** Draw one layer at once from a card's item, before the API confirms it. */
    preview(layer, item) {
      parts = { ...parts, [layer]: item };
      captionRender();
      return layerShow(layer, item);
    },

    /** The name the baker typed, shown as the cupcake's title. */
    setName(name) {
      givenName = name.trim();
      captionRender();
    },

    /** A little hop when the cupcake comes out of the oven. */
    celebrate() {
      root.classList.remove("is-baked");
      void root.offsetWidth; // restart the animation
      root.classList.add("is-baked");
    },
  };
}
