// The trace panel: every span of the last composition, from all three services, as a
// waterfall on one time axis, nested by parent: bodies' request, its calls, the peers'
// requests, frostings' own call to toppings. Each row opens to show its details.
// The spans come from GET /api/v1/traces/{trace id}, the id read from the composition's
// `traceresponse` header.

import { el, setAttr, setHidden, setText } from "./dom.js";
import { msText } from "./wire.js";

const TRACE_ID = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The trace id of a `traceresponse` header value; null when there is none. */
export function traceIdOf(header) {
  const match = TRACE_ID.exec((header ?? "").trim());
  return match ? match[1] : null;
}

/**
 * The spans in waterfall order: each after its parent, siblings by start, with their depth.
 * A span whose parent is not in the trace (the browser's, or one a peer did not return)
 * is a root.
 */
export function spansNest(spans) {
  const ids = new Set(spans.map((span) => span.span_id));
  const children = new Map();
  for (const span of spans) {
    const parent = ids.has(span.parent_id) ? span.parent_id : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(span);
  }
  const ordered = [];
  const visit = (parent, depth) => {
    const kids = (children.get(parent) ?? []).sort((a, b) => a.start - b.start);
    for (const span of kids) {
      if (ordered.some((row) => row.span === span)) continue; // a cycle: never drawn twice
      ordered.push({ span, depth });
      visit(span.span_id, depth + 1);
    }
  };
  visit(null, 0);
  return ordered;
}

const ERROR_WORDS = {
  circuit_open: "refused: circuit open",
  deadline_exhausted: "not sent: no time left",
  timeout: "timed out",
  unreachable: "unreachable",
  answered_error: "answered an error",
  not_json: "answered something not JSON",
  bad_shape: "answered an unreadable shape",
};

function statusText(span) {
  if (span.error) return ERROR_WORDS[span.error] ?? span.error;
  return span.status === null ? "—" : String(span.status);
}

function outcomeOf(span) {
  if (span.error === "circuit_open" || span.error === "deadline_exhausted") return "refused";
  if (span.error || (span.status ?? 0) >= 500) return "failed";
  if (span.cache === "stale") return "stale";
  return "ok";
}

/** The details of a span, as term/definition pairs (empty values left out). */
function detailPairs(span, offsetMs) {
  const call = span.kind === "client";
  return [
    ["Service", `${span.service} (${span.framework})`],
    ["Kind", call ? `call to ${span.peer}` : "request served"],
    [call ? "Path" : "Route", `${span.method} ${span.name}`],
    ["Status", statusText(span)],
    ["Started", `+${msText(offsetMs)}`],
    ["Took", msText(span.duration_ms)],
    call ? ["Cache", span.cache] : null,
    call ? ["Attempts", span.attempts] : null,
    call ? ["Breaker", span.breaker] : null,
    call ? ["Deadline sent", span.budget_ms === null ? null : `${span.budget_ms} ms`] : null,
    ["Span", span.span_id],
    ["Parent", span.parent_id ?? "none"],
  ].filter((pair) => pair && pair[1] !== null && pair[1] !== undefined);
}

function rowCreate(span, depth, axis) {
  const offsetMs = (span.start - axis.start) * 1000;
  const call = span.kind === "client";
  const detailsId = `span-${span.span_id}`;
  const toggle = el(
    "button",
    { type: "button", className: "span-row", "aria-expanded": "false", "aria-controls": detailsId },
    el(
      "span",
      { className: "span-label" },
      el("span", { className: "span-service", text: span.service }),
      " ",
      el("span", { className: "span-framework", text: span.framework }),
      " ",
      el("span", { className: "span-name", text: call ? `→ ${span.peer} ${span.method} ${span.name}` : `${span.method} ${span.name}` }),
    ),
    el("span", { className: "span-status", text: statusText(span) }),
    el("span", { className: "span-track", "aria-hidden": "true" }, el("span", { className: "span-bar" })),
    el("span", { className: "span-ms", text: msText(span.duration_ms) }),
    call
      ? el(
          "span",
          { className: "span-notes" },
          el("span", { className: "span-note", dataset: { kind: "cache" }, text: `cache ${span.cache}` }),
          el("span", { className: "span-note", dataset: { kind: "attempts" }, text: `${span.attempts} ${span.attempts === 1 ? "try" : "tries"}` }),
          el("span", { className: "span-note", dataset: { kind: "breaker", state: span.breaker }, text: `breaker ${span.breaker}` }),
          span.budget_ms === null ? null : el("span", { className: "span-note", dataset: { kind: "budget" }, text: `${span.budget_ms} ms sent` }),
        )
      : null,
  );
  const details = el("dl", { className: "span-details", id: detailsId, hidden: true });
  for (const [term, value] of detailPairs(span, offsetMs)) {
    details.append(el("dt", { text: term }), el("dd", { text: String(value) }));
  }
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    setHidden(details, !open);
  });
  const row = el(
    "li",
    {
      className: "span",
      "aria-level": depth + 1,
      dataset: {
        spanId: span.span_id,
        parentId: span.parent_id ?? "",
        service: span.service,
        kind: span.kind,
        peer: span.peer ?? "",
        error: span.error ?? "",
        depth: String(depth),
        outcome: outcomeOf(span),
        key: `${depth} ${span.service} ${span.kind} ${span.method} ${span.name} ${span.peer ?? ""}`,
      },
    },
    toggle,
    details,
  );
  row.style.setProperty("--depth", String(depth));
  const width = axis.ms > 0 ? (span.duration_ms / axis.ms) * 100 : 100;
  row.style.setProperty("--offset", `${Math.min(100, Math.max(0, (offsetMs / axis.ms) * 100)).toFixed(2)}%`);
  row.style.setProperty("--width", `${Math.min(100, Math.max(0, width)).toFixed(2)}%`);
  return row;
}

/** The time axis all rows share: from the first start to the last end. */
function axisOf(spans) {
  const start = Math.min(...spans.map((span) => span.start));
  const end = Math.max(...spans.map((span) => span.start + span.duration_ms / 1000));
  return { start, ms: Math.max((end - start) * 1000, 0.001) };
}

function summaryOf(spans, axis) {
  const services = [...new Set(spans.map((span) => span.service))];
  const calls = spans.filter((span) => span.kind === "client");
  const refused = calls.filter((span) => outcomeOf(span) !== "ok").length;
  const more = refused ? `, ${refused} without a usable answer` : "";
  return `${spans.length} spans from ${services.join(", ")} over ${msText(axis.ms)}: ${calls.length} calls${more}.`;
}

/**
 * @param {object} parts
 * @param {HTMLElement} parts.list the <ol> of spans
 * @param {HTMLElement} parts.summary one line about the trace
 * @param {HTMLElement} parts.traceId where the trace id is shown
 * @param {string} parts.url the traces endpoint (`/api/v1/traces`)
 */
export function createTrace({ list, summary, traceId, url }) {
  let controller = null;
  let shown = null;
  // The trace that came while the keyboard was on a row: the panel holds still while it is
  // read (nothing moves under the focus), and shows the latest once the focus leaves.
  let waiting = null;

  list.addEventListener("focusout", (event) => {
    if (waiting && !list.contains(event.relatedTarget)) {
      const trace = waiting;
      waiting = null;
      render(trace);
    }
  });

  function render(trace) {
    const open = new Set(
      [...list.querySelectorAll('.span-row[aria-expanded="true"]')].map((button) => button.closest(".span").dataset.key),
    );
    const axis = axisOf(trace.spans);
    const rows = spansNest(trace.spans).map(({ span, depth }) => rowCreate(span, depth, axis));
    for (const row of rows) {
      // A row the visitor opened stays open in the next composition's trace (the same
      // service, route and depth).
      if (open.has(row.dataset.key)) row.querySelector(".span-row").click();
    }
    list.replaceChildren(...rows);
    setText(summary, summaryOf(trace.spans, axis));
    setText(traceId, trace.trace_id);
    setAttr(list, "data-trace-id", trace.trace_id);
  }

  /** Show the trace named by a composition's `traceresponse` header (kept if it is gone). */
  async function follow(traceresponse) {
    const id = traceIdOf(traceresponse);
    if (!id || id === shown) return;
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    try {
      const response = await fetch(`${url}/${id}`, { signal: mine.signal, headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok) return; // kept by another worker, or already evicted: keep the last one
      const trace = await response.json();
      if (mine !== controller || !trace.spans?.length) return;
      shown = id;
      if (list.contains(document.activeElement)) waiting = trace;
      else render(trace);
    } catch {
      // a newer composition took over, or the lab is down: the last trace stays
    }
  }

  return { follow };
}
