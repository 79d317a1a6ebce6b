// The wire panel: every call the assembler made for the last composition, coloured per
// service, with how long each took, the deadline it was given, whether the HTTP cache
// answered, how many tries it took and the state of the circuit breaker: the three log
// windows of the original demo, in one.

import { el, setAttr, setHidden, setText } from "./dom.js";

export function msText(ms) {
  if (typeof ms !== "number") return "—";
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

// What each cache outcome means, for the chip's tooltip.
const CACHE_MEANING = {
  miss: "not in the assembler's HTTP cache: the service was asked",
  hit: "answered from the assembler's HTTP cache while still fresh: the service was not asked",
  revalidated: "asked with If-None-Match; 304 Not Modified, so the cached copy was used",
  stale: "the service failed; the last good answer was served from the cache (stale-if-error)",
};

/** The `total` duration of a Server-Timing header, in ms; null when it has none. */
export function serverTotal(header) {
  for (const metric of (header ?? "").split(",")) {
    const [name, ...params] = metric.trim().split(";");
    if (name !== "total") continue;
    const duration = params.map((param) => param.trim()).find((param) => param.startsWith("dur="));
    const ms = duration ? Number.parseFloat(duration.slice(4)) : Number.NaN;
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}

// Failures (Call.failure) that mean the last try was never sent at all.
const NOT_SENT = new Set(["circuit_open", "deadline_exhausted"]);

function rowCreate() {
  return el(
    "tr",
    { className: "call" },
    el("td", { className: "cell-service" }, el("span", { className: "call-service" })),
    el(
      "td",
      { className: "cell-path" },
      el("span", { className: "call-path" }, el("span", { className: "call-method" }), " ", el("span", { className: "call-url" })),
      el(
        "span",
        { className: "call-notes", hidden: true },
        el("span", { className: "call-badge", dataset: { kind: "attempts" }, hidden: true }),
        el("span", { className: "call-badge", dataset: { kind: "breaker" }, hidden: true }),
      ),
    ),
    el("td", { className: "cell-status" }, el("span", { className: "call-status" })),
    el(
      "td",
      { className: "cell-time" },
      el(
        "span",
        { className: "call-time" },
        el("span", { className: "call-bar" }),
        el("span", { className: "call-ms" }),
        el("span", { className: "call-budget", hidden: true }),
      ),
    ),
    el("td", { className: "cell-cache" }, el("span", { className: "call-cache" })),
  );
}

function badgeShow(badge, text, title, state) {
  setHidden(badge, !text);
  setText(badge, text);
  setAttr(badge, "title", text ? title : null);
  if (state) badge.dataset.state = state;
}

function rowUpdate(row, call, slowest) {
  row.dataset.service = call.service;
  setText(row.querySelector(".call-service"), call.service);
  setText(row.querySelector(".call-method"), call.method);
  const url = row.querySelector(".call-url");
  if (url.dataset.path !== call.path) {
    // Long paths may break after a slash, never inside a word.
    url.dataset.path = call.path;
    const pieces = String(call.path).split("/");
    url.replaceChildren(...pieces.flatMap((piece, index) => (index ? [el("wbr"), `/${piece}`] : [piece])));
  }
  const ok = typeof call.status === "number" && call.status < 500 && !call.error;
  const status = row.querySelector(".call-status");
  status.dataset.ok = String(ok);
  const attempts = Number(call.attempts) || 1;
  // Refused by the open circuit, or no time left, on the first try: nothing went on the wire.
  const unsent = call.status == null && NOT_SENT.has(call.failure);
  const failed = unsent ? (attempts > 1 ? "no answer" : "not sent") : call.error;
  setText(status, call.status ?? failed ?? "no answer");
  setAttr(status, "title", call.error || null);

  badgeShow(
    row.querySelector('.call-badge[data-kind="attempts"]'),
    attempts > 1 ? `${attempts} attempts` : "",
    "the first try failed, so this read was tried again within the deadline",
  );
  const breaker = call.breaker && call.breaker !== "closed" ? call.breaker : "";
  badgeShow(
    row.querySelector('.call-badge[data-kind="breaker"]'),
    breaker ? `circuit ${breaker}` : "",
    breaker === "open"
      ? `after repeated failures the assembler stops asking ${call.service} for a moment and answers at once`
      : `one trial call decides whether ${call.service} is back`,
    breaker,
  );

  setHidden(row.querySelector(".call-notes"), attempts <= 1 && !breaker);

  setText(row.querySelector(".call-ms"), msText(call.ms));
  const share = slowest > 0 && typeof call.ms === "number" ? (call.ms / slowest) * 100 : 0;
  row.querySelector(".call-bar").style.setProperty("--share", `${share.toFixed(1)}%`);
  const budget = row.querySelector(".call-budget");
  const hasBudget = typeof call.budget_ms === "number";
  setHidden(budget, !hasBudget);
  setText(budget, hasBudget ? `of ${Math.round(call.budget_ms)} ms` : "");
  setAttr(
    budget,
    "title",
    hasBudget ? `the time this call had: sent to ${call.service} as Request-Deadline-Ms` : null,
  );

  const cache = row.querySelector(".call-cache");
  cache.dataset.cache = call.cache ?? "";
  setText(cache, call.cache ?? "—");
  setAttr(cache, "title", CACHE_MEANING[call.cache] ?? null);
}

/** The wire panel; `live` is the small "live" badge next to its title. */
export function createWire({ summary, calls, live }) {
  return {
    /** Show the calls of `composition`, which the browser got in `ms` for `query`; bodies'
     * own time comes from the answer's Server-Timing header. */
    render(composition, { ms, query, status, serverTiming }) {
      const list = Array.isArray(composition?.calls) ? composition.calls : [];
      const services = new Set(list.map((call) => call.service));
      const behind = list.length
        ? `behind it, the assembler made ${list.length} call${list.length === 1 ? "" : "s"} to ${services.size} service${services.size === 1 ? "" : "s"}:`
        : "it needed no other service.";
      const total = serverTotal(serverTiming);
      const inBodies = total === null ? "" : `, ${msText(total)} of it in bodies`;
      const text = `Your browser asked bodies for this cupcake (${status}, ${msText(ms)}${inBodies}); ${behind}`;
      summary.title = `GET /api/v1/cupcake${query ? `?${query}` : ""}`;
      setText(summary, text);

      const slowest = Math.max(0, ...list.map((call) => (typeof call.ms === "number" ? call.ms : 0)));
      const rows = [...calls.querySelectorAll("tr.call")];
      calls.querySelector("tr.wire-empty")?.remove();
      list.forEach((call, index) => {
        let row = rows[index];
        if (!row) {
          row = rowCreate();
          calls.append(row);
        }
        rowUpdate(row, call, slowest);
      });
      rows.slice(list.length).forEach((row) => row.remove());
      if (list.length === 0) {
        calls.append(el("tr", { className: "wire-empty" }, el("td", { colspan: 5, text: "No calls." })));
      }
    },

    /** The live badge: "live", "paused" (tab hidden) or "offline". */
    setLive(state) {
      live.dataset.state = state;
      setText(live, state === "live" ? "live · every 2 s" : state);
    },
  };
}
