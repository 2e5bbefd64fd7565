// Presentation mode: arrow keys and page up/down (what a clicker sends) move between slides,
// Escape leaves. The previous/next links work without this script; htmx swaps the slide.
(() => {
  const KEYS = { ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev" };

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "Escape") {
      const exit = document.querySelector(".slide-nav .slide-exit");
      if (exit) window.location.assign(exit.href);
      return;
    }
    const rel = KEYS[event.key];
    if (!rel) return;
    event.preventDefault();
    // One step at a time: a held key or a double click of the clicker waits for the swap.
    if (document.querySelector(".slide-nav .htmx-request")) return;
    const link = document.querySelector(`.slide-nav a[rel="${rel}"]`);
    if (link) link.click();
  });

  // After a swap, the new slide's title takes focus (and is read out), not the old link.
  document.addEventListener("htmx:afterSettle", (event) => {
    if (!event.detail.target || event.detail.target.id !== "slide") return;
    setTimeout(() => {
      const title = document.querySelector("#slide .slide-title");
      if (title) title.focus();
    });
  });
})();
