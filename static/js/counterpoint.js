// Counterpoint's own script: small, deferred, and never needed for reading.

// After htmx swaps a step in place, move focus to its first alert or heading, so keyboard and
// screen-reader users land where the page changed instead of on a detached button.
document.addEventListener("htmx:afterSettle", (event) => {
  const id = event.detail.target && event.detail.target.id;
  const root = (id && document.getElementById(id)) || event.detail.target;
  const landing = root && root.querySelector("[role=alert], h2");
  if (landing) {
    landing.setAttribute("tabindex", "-1");
    landing.focus();
  }
});
