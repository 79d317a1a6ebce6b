// The gallery: cupcakes baked in this lab, newest first, a page at a time, each drawn
// small from its parts' pictures as they were when it was baked.

import { el, setHidden, setText } from "./dom.js";
import { LAYERS } from "./choices.js";

function itemCreate(cupcake) {
  const picture = el("span", { className: "mini-cupcake" });
  for (const layer of LAYERS) {
    const part = cupcake[layer];
    if (!part?.image_url) continue;
    const img = el("img", { alt: "", width: 200, height: 200, loading: "lazy", decoding: "async" });
    img.addEventListener("error", () => {
      img.hidden = true;
    });
    img.src = part.image_url;
    picture.append(img);
  }
  const names = LAYERS.map((layer) => cupcake[layer]?.name).filter(Boolean);
  const swatches = el("span", { className: "gallery-swatches", "aria-hidden": "true" });
  for (const layer of LAYERS) {
    const swatch = el("span", { className: "swatch", title: cupcake[layer]?.name });
    if (cupcake[layer]?.color) swatch.style.setProperty("--swatch", cupcake[layer].color);
    swatches.append(swatch);
  }
  return el(
    "li",
    { className: "gallery-item", dataset: { id: cupcake.id } },
    picture,
    el("span", { className: "gallery-name", text: cupcake.name }),
    swatches,
    el("span", { className: "gallery-parts visually-hidden", text: names.join(" · ") }),
  );
}

const EMPTY = "Nothing baked yet. The first cupcake could be yours.";

/** The gallery section; `url` is the gallery endpoint. */
export function createGallery({ list, count, empty, more, url, pageSize }) {
  const seen = new Set();
  let next = null;
  let total = 0;
  let loaded = false;
  let loading = false;

  function countRender() {
    setText(count, total ? `${total} baked` : "");
    setHidden(empty, total > 0 || list.children.length > 0);
    setHidden(more, !next);
  }

  function append(items) {
    for (const cupcake of items) {
      if (seen.has(cupcake.id)) continue;
      seen.add(cupcake.id);
      list.append(itemCreate(cupcake));
    }
  }

  async function fetchPage(pageUrl) {
    loading = true;
    try {
      const response = await fetch(pageUrl, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok) throw new Error(`gallery answered ${response.status}`);
      const doc = await response.json();
      append(doc.items ?? []);
      next = doc.next ?? null;
      total = doc.total ?? list.children.length;
      loaded = true;
      setText(empty, EMPTY);
    } catch {
      setText(empty, "The gallery could not be loaded just now; it tries again by itself.");
    } finally {
      loading = false;
    }
    countRender();
  }

  more.addEventListener("click", async () => {
    if (!next) return;
    more.disabled = true;
    await fetchPage(next);
    more.disabled = false;
  });

  return {
    /** Load the first page, unless it is already there (or on its way). */
    load() {
      if (loaded || loading) return Promise.resolve();
      return fetchPage(`${url}?page=1&page_size=${pageSize}`);
    },

    /** Put a cupcake just baked at the front. */
    add(cupcake) {
      if (!cupcake?.id || seen.has(cupcake.id)) return;
      seen.add(cupcake.id);
      const item = itemCreate(cupcake);
      item.classList.add("is-new");
      list.prepend(item);
      total += 1;
      countRender();
    },
  };
}
