// The wire panel: every call the assembler made for the last composition, coloured per
// service, with how long each took: the three log windows of the original demo, in one.

import { el, setText } from "./dom.js";

function msText(ms) {
  if (typeof ms !== "number") return "—";
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

function rowCreate() {
  return el(
    "tr",
    { className: "call" },
    el("td", { className: "cell-service" }, el("span", { className: "call-service" })),
    el(
      "td",
      { className: "cell-path" },
      el("span", { className: "call-path" }, el("span", { className: "call-method" }), " ", el("span", { className: "call-url" })),
    ),
    el("td", { className: "cell-status" }, el("span", { className: "call-status" })),
    el(
      "td",
      { className: "cell-time" },
      el("span", { className: "call-time" }, el("span", { className: "call-bar" }), el("span", { className: "call-ms" })),
    ),
    el("td", { className: "cell-cache" }, el("span", { className: "call-cache" })),
  );
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
  setText(status, call.status ?? call.error ?? "no answer");
  if (call.error && call.status) status.title = call.error;
  setText(row.querySelector(".call-ms"), msText(call.ms));
  const share = slowest > 0 && typeof call.ms === "number" ? (call.ms / slowest) * 100 : 0;
  row.querySelector(".call-bar").style.setProperty("--share", `${share.toFixed(1)}%`);
  setText(row.querySelector(".call-cache"), call.cache ?? "—");
}

/** The wire panel; `live` is the small "live" badge next to its title. */
export function createWire({ summary, calls, live }) {
  return {
    /** Show the calls of `composition`, which the browser got in `ms` for `query`. */
    render(composition, { ms, query, status }) {
      const list = Array.isArray(composition?.calls) ? composition.calls : [];
      const services = new Set(list.map((call) => call.service));
      const behind = list.length
        ? `behind it, the assembler made ${list.length} call${list.length === 1 ? "" : "s"} to ${services.size} service${services.size === 1 ? "" : "s"}:`
        : "it needed no other service.";
      const text = `Your browser asked bodies for this cupcake (${status}, ${msText(ms)}); ${behind}`;
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
