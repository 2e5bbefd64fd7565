// Live pages: the reader's poll (templates/annotations/_reader_poll.html) and the seminar's
// (templates/annotations/_live.html). Every element marked data-live-poll gets live:poll every
// few seconds while the page is visible; its hx- attributes say what to ask. When the seminar
// poll answers live:changed, each data-live-region asks its own view for its partial, and this
// keeps what the person was doing: the focus, the scroll, open details, and any region with a
// form being written in is left alone until the next change. Without this script nothing polls
// and a reload shows the latest.
(() => {
  const pollers = () => document.querySelectorAll("[data-live-poll]");
  const first = pollers()[0];
  if (!first || !window.htmx) return;

  function poll() {
    if (document.visibilityState !== "visible") return;
    pollers().forEach((el) => htmx.trigger(el, "live:poll"));
  }
  window.setInterval(poll, Number(first.dataset.interval) || 4000);
  document.addEventListener("visibilitychange", poll);

  const isLive = (event) => {
    const config = event.detail.requestConfig;
    return Boolean(config && config.triggeringEvent && config.triggeringEvent.type === "live:changed");
  };
  const focusable = "a[href], button, input, select, textarea, summary, [tabindex]";
  const signature = (el) =>
    [el.tagName, el.getAttribute("href"), el.getAttribute("name"), el.getAttribute("value"), el.textContent.trim()].join("|");

  function busy(region) {
    // Someone writing (a summary being edited, a field changed or focused) keeps the region.
    return Array.from(region.querySelectorAll("textarea, input:not([type=hidden]), select")).some(
      (field) => field.tagName === "TEXTAREA" || field === document.activeElement || field.value !== field.defaultValue
    );
  }

  function focusKey(region) {
    const active = document.activeElement;
    if (!active || !region.contains(active)) return null;
    const same = Array.from(region.querySelectorAll(focusable)).filter((el) => signature(el) === signature(active));
    return { signature: signature(active), index: same.indexOf(active) };
  }

  const openKeys = (region) =>
    Array.from(region.querySelectorAll("details[open]")).map((el) => {
      const owner = el.closest("[id]");
      return owner ? owner.id : null;
    });

  let kept = null;
  document.addEventListener("htmx:beforeSwap", (event) => {
    const region = event.detail.target;
    if (!isLive(event) || !region.matches("[data-live-region]")) return;
    if (busy(region)) {
      event.detail.shouldSwap = false;
      return;
    }
    kept = {
      id: region.id,
      x: window.scrollX,
      y: window.scrollY,
      focus: focusKey(region),
      open: openKeys(region),
      sideways: Array.from(region.querySelectorAll(".table-scroll")).map((el) => el.scrollLeft),
    };
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    if (!kept || !isLive(event)) return;
    const region = document.getElementById(kept.id);
    const state = kept;
    kept = null;
    if (!region) return;
    region.querySelectorAll(".table-scroll").forEach((el, i) => {
      if (state.sideways[i]) el.scrollLeft = state.sideways[i];
    });
    state.open.forEach((id) => {
      const owner = id && document.getElementById(id);
      const details = owner && (owner.matches("details") ? owner : owner.querySelector("details"));
      if (details) details.open = true;
    });
    if (state.focus) {
      const same = Array.from(region.querySelectorAll(focusable)).filter((el) => signature(el) === state.focus.signature);
      const target = same[state.focus.index] || same[0];
      if (target) target.focus({ preventScroll: true });
    }
    window.scrollTo(state.x, state.y);
  });
})();
