// Counterpoint's own script: small, deferred, and never needed for reading.
// Moves focus to the swapped import step so keyboard and screen-reader users follow the change.
document.addEventListener("htmx:afterSwap", (event) => {
  const heading = event.detail.target.querySelector?.("h2, [role=alert]");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
});
