// Counterpoint's own script: small, deferred, and never needed for reading.

// After htmx swaps a step in place, move focus to its first alert or heading, so keyboard and
// screen-reader users land where the page changed instead of on a detached button.
document.addEventListener("htmx:afterSettle", (event) => {
  // A live refresh (live.js) is nobody's step: the focus stays where the person left it.
  const config = event.detail.requestConfig;
  if (config && config.triggeringEvent && config.triggeringEvent.type === "live:changed") return;
  const id = event.detail.target && event.detail.target.id;
  const root = (id && document.getElementById(id)) || event.detail.target;
  let landing = root && root.querySelector("[role=alert], h2");
  // A control that replaced itself (data-refocus) keeps focus on its own button.
  if (!landing && root && root.matches("[data-refocus]")) landing = root.querySelector("button");
  if (landing) {
    if (!landing.matches("button, a[href]")) landing.setAttribute("tabindex", "-1");
    landing.focus();
  }
});

// A request that fails anywhere but the reader (which explains failures in the passage itself)
// says so at the top of the page, instead of silently doing nothing. The next request that
// succeeds clears it.
(() => {
  const status = () => document.getElementById("request-status");
  const inReader = () => document.getElementById("reader-poll") !== null;
  const show = (text) => {
    const region = status();
    if (!region || inReader()) return;
    region.textContent = text;
    region.hidden = false;
  };
  document.addEventListener("htmx:responseError", (event) => {
    const code = event.detail.xhr.status;
    show(
      code === 403 ? "That is not yours to change, so nothing was changed."
        : code === 404 ? "That is no longer here: reload the page to see the current state."
        : "The server could not do that just now; nothing was changed. Try again in a moment."
    );
  });
  document.addEventListener("htmx:sendError", () => {
    show("No connection to the server; nothing was changed. Check the connection and try again.");
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const region = status();
    if (region && !region.hidden && event.detail.successful) region.hidden = true;
  });
})();
