// Live composition: ask the API again every few seconds and on every choice, with at
// most one request in flight, aborting a stale one for a newer choice, paused while the
// tab is hidden.

export class LiveComposition {
  #controller = null;
  #timer = 0;

  /**
   * @param {object} options
   * @param {string} options.url the composition endpoint
   * @param {() => string} options.query the current query string
   * @param {number} options.intervalMs pause between two compositions
   * @param {number} options.timeoutMs give up on one request after this long
   * @param {(result: {status: number, doc: any, ms: number, query: string, serverTiming: string | null, traceresponse: string | null}) => void} options.onResult
   * @param {(error: Error) => void} options.onFailure no answer at all (network, timeout)
   * @param {(state: string) => void} options.onState "live", "paused" or "offline"
   */
  constructor({ url, query, intervalMs, timeoutMs, onResult, onFailure, onState }) {
    Object.assign(this, { url, query, intervalMs, timeoutMs, onResult, onFailure, onState });
  }

  /** Compose now and keep composing; follow the tab's visibility. */
  start() {
    document.addEventListener("visibilitychange", () => {
      if (document.hidden) {
        window.clearTimeout(this.#timer);
        this.onState("paused");
      } else {
        this.refresh();
      }
    });
    this.refresh();
  }

  /** Compose now with the current choices, dropping any request still in flight. */
  refresh() {
    window.clearTimeout(this.#timer);
    this.#controller?.abort();
    this.#controller = null;
    if (document.hidden) {
      this.onState("paused");
      return;
    }
    this.#run();
  }

  async #run() {
    const controller = new AbortController();
    this.#controller = controller;
    const timeout = window.setTimeout(() => controller.abort(), this.timeoutMs);
    const query = this.query();
    const started = performance.now();
    let outcome;
    try {
      const response = await fetch(query ? `${this.url}?${query}` : this.url, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
        cache: "no-store",
      });
      const doc = await response.json().catch(() => null);
      const serverTiming = response.headers.get("Server-Timing");
      const traceresponse = response.headers.get("traceresponse");
      outcome = { status: response.status, doc, ms: performance.now() - started, query, serverTiming, traceresponse };
    } catch (error) {
      outcome = { error };
    } finally {
      window.clearTimeout(timeout);
    }
    if (controller !== this.#controller) return; // a newer request took over
    this.#controller = null;
    try {
      if (outcome.error) {
        this.onState("offline");
        this.onFailure(outcome.error);
      } else {
        this.onState(document.hidden ? "paused" : "live");
        this.onResult(outcome);
      }
    } finally {
      // onResult may have started a newer request itself (a refused choice dropped).
      if (this.#controller === null) this.#schedule();
    }
  }

  #schedule() {
    window.clearTimeout(this.#timer);
    if (document.hidden) return;
    this.#timer = window.setTimeout(() => this.#run(), this.intervalMs);
  }
}
