// The compare page: the left and right arrow keys move between the theme tabs.
// The tabs are links that work without this script; htmx swaps the columns in place.
(() => {
  const tabs = () => Array.from(document.querySelectorAll("#theme-tabs a"));
  let refocusTab = false;

  document.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    // Arrow keys belong to form fields (caret, options) and to anything editable.
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const links = tabs();
    const current = links.findIndex((link) => link.getAttribute("aria-current") === "page");
    const next = current + (event.key === "ArrowRight" ? 1 : -1);
    if (current < 0 || next < 0 || next >= links.length) return;
    event.preventDefault();
    // From a tab, focus stays on the tabs (as in a tab list); from elsewhere it follows the
    // swap to the new theme's heading (counterpoint.js).
    refocusTab = links.includes(event.target);
    links[next].click();
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    if (!refocusTab || !event.detail.target || event.detail.target.id !== "theme-columns") return;
    // htmx settles each swapped element in turn, and counterpoint.js moves focus to the new
    // heading on each: take it back once they are all done.
    setTimeout(() => {
      refocusTab = false;
      const active = document.querySelector('#theme-tabs a[aria-current="page"]');
      if (active) active.focus();
    });
  });
})();
