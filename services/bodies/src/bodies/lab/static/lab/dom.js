// Small DOM helpers shared by the lab page's modules.

/**
 * Create an element: `el("span", { className: "x", dataset: { a: "1" }, text: "hi" }, child…)`.
 * Any other key becomes an attribute (skipped when null, undefined or false).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

/** Set a node's text only when it changes, so screen readers and animations stay calm. */
export function setText(node, text) {
  const value = text ?? "";
  if (node.textContent !== value) node.textContent = value;
}

/** Set or remove an attribute only when it changes. */
export function setAttr(node, name, value) {
  if (value === null || value === undefined || value === false) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
    return;
  }
  const text = value === true ? "" : String(value);
  if (node.getAttribute(name) !== text) node.setAttribute(name, text);
}

/** Show or hide a node with the `hidden` attribute. */
export function setHidden(node, hidden) {
  if (node.hidden !== hidden) node.hidden = hidden;
}

/** Say something to screen-reader users through the page's polite live region. */
export function announce(message) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  // A fresh text node after a tick is announced even when the words repeat.
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

/** Join names in words: "A", "A or B", "A, B or C". */
export function wordsJoin(words, last = "and") {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} ${last} ${words.at(-1)}`;
}
