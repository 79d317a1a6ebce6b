// One service's section of the chaos drawer: its switch, its two sliders and their
// read-outs, and how a service's fault settings are said in words.

import { setAttr, setText } from "./dom.js";

/** Milliseconds in words: "250 ms", "1.2 s". */
function msWords(ms) {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(2))} s` : `${ms} ms`;
}

function percentOf(rate) {
  return Math.round(rate * 100);
}

/** Whether `settings` inject any fault at all. */
export function faulty(settings) {
  return Boolean(settings && (settings.down || settings.latency_ms || settings.error_rate));
}

/** A service's settings in words: "down, 1.2 s latency, 20 % errors", or "no faults"; faults
 * given an expiry (a guided tour's) say when they end. */
export function faultsWords(settings) {
  const words = [];
  if (settings.down) words.push("down");
  if (settings.latency_ms) words.push(`${msWords(settings.latency_ms)} latency`);
  if (settings.error_rate) words.push(`${percentOf(settings.error_rate)} % errors`);
  if (!words.length) return "no faults";
  const ends = settings.expires_in_s ? ` (ending by itself within ${Math.ceil(settings.expires_in_s)} s)` : "";
  return `${words.join(", ")}${ends}`;
}

/** The controls of one service's section of the drawer. */
export function sectionControls(section, { deadlineMs, latencyMaxMs }) {
  const part = (role) => section.querySelector(`[data-role="${role}"]`);
  const down = section.querySelector('[data-field="down"]');
  const latency = section.querySelector('[data-field="latency_ms"]');
  const errors = section.querySelector('[data-field="error_rate"]');
  const deadline = part("deadline");
  if (deadlineMs > 0 && deadlineMs < latencyMaxMs) {
    // The scale marks where the deadline falls; past it, callers give up.
    deadline.parentElement.style.setProperty("--at", `${(deadlineMs / latencyMaxMs) * 100}%`);
  } else {
    deadline.hidden = true;
  }

  function outputsShow(settings) {
    const latencyText = msWords(settings.latency_ms);
    const errorsText = `${percentOf(settings.error_rate)} %`;
    setText(part("latency-value"), latencyText);
    setText(part("error-rate-value"), errorsText);
    setAttr(latency, "aria-valuetext", latencyText);
    setAttr(errors, "aria-valuetext", errorsText);
    section.dataset.over = String(deadlineMs > 0 && settings.latency_ms > deadlineMs);
  }

  return {
    section,
    reset: section.querySelector('[data-action="reset"]'),
    confirmed: part("confirmed"),
    error: part("error"),
    status: part("status"),
    statusWord: part("status-word"),
    statusDetail: part("status-detail"),

    /** What the controls say now. */
    values() {
      return {
        latency_ms: Number(latency.value),
        error_rate: Number(errors.value) / 100,
        down: down.checked,
      };
    },

    /** Set the controls (and their read-outs) to `settings`. */
    show(settings) {
      if (down.checked !== settings.down) down.checked = settings.down;
      if (Number(latency.value) !== settings.latency_ms) latency.value = String(settings.latency_ms);
      const percent = percentOf(settings.error_rate);
      if (Number(errors.value) !== percent) errors.value = String(percent);
      outputsShow(settings);
    },

    /** Update the read-outs while a slider moves. */
    echo() {
      outputsShow(this.values());
    },
  };
}

