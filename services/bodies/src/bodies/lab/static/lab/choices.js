// The user's choices: one slug per layer, kept in the URL so a cupcake can be linked.

export const LAYERS = ["body", "frosting", "topping"];

/** Each layer's service, and the key of its list in a composition's `choices`. */
export const SERVICE_OF = { body: "bodies", frosting: "frostings", topping: "toppings" };

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** No layer chosen. */
export function choicesEmpty() {
  return { body: null, frosting: null, topping: null };
}

/** The choices named in a URL's query (`?body=…&frosting=…&topping=…`); bad slugs are ignored. */
export function choicesFromUrl(href) {
  const params = new URL(href).searchParams;
  const choices = choicesEmpty();
  for (const layer of LAYERS) {
    const slug = params.get(layer);
    if (slug && slug.length <= 40 && SLUG.test(slug)) choices[layer] = slug;
  }
  return choices;
}

/** The query string of the composition API (and of the page) for these choices. */
export function choicesQuery(choices) {
  const params = new URLSearchParams();
  for (const layer of LAYERS) {
    if (choices[layer]) params.set(layer, choices[layer]);
  }
  return params.toString();
}

/** Write the choices into the address bar without a new history entry. */
export function choicesToUrl(choices) {
  const url = new URL(window.location.href);
  for (const layer of LAYERS) {
    if (choices[layer]) url.searchParams.set(layer, choices[layer]);
    else url.searchParams.delete(layer);
  }
  if (url.href !== window.location.href) window.history.replaceState(null, "", url);
}

/** Whether every layer is chosen. */
export function choicesComplete(choices) {
  return LAYERS.every((layer) => Boolean(choices[layer]));
}

/**
 * The choices to try after the API refused a combination (422), or null when nothing is
 * left to drop. The API owns the rules: a broken rule drops the layers it is about (a Carrot
 * Cake drops its Chocolate frosting and what was on it); anything else drops the top layer.
 */
export function choicesAfterRefusal(choices, problem) {
  const next = { ...choices };
  if (problem?.rule === "frosting-not-on-body" && next.frosting) {
    next.frosting = null;
    next.topping = null;
    return next;
  }
  if (problem?.rule === "topping-not-on-frosting" && next.topping) {
    next.topping = null;
    return next;
  }
  for (const layer of [...LAYERS].reverse()) {
    if (next[layer]) {
      next[layer] = null;
      return next;
    }
  }
  return null;
}
