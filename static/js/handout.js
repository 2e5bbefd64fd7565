// The handout builder: a choice changed keeps the keyboard where it was. htmx replaces the
// preview (whose pin, whole and drop boxes are fields of the builder's form), and
// counterpoint.js would move the focus to the handout's heading: after a box is ticked with
// Space, focus comes back to that box (the same id, now in its new place in the preview), or
// to the field Tab had reached. Without this script the boxes work through the Preview button.
(() => {
  let keep = null;

  document.addEventListener("htmx:beforeRequest", (event) => {
    if (!event.target.closest || !event.target.closest(".handout-builder")) return;
    if (event.target.id === "handout-pages") return; // the page count loads by itself
    const active = document.activeElement;
    keep = active && active.id ? active.id : null;
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    if (!keep || !event.detail.target || event.detail.target.id !== "handout-preview") return;
    // counterpoint.js moves focus on each settled element: take it back once all are done.
    setTimeout(() => {
      const control = keep && document.getElementById(keep);
      keep = null;
      if (control) control.focus();
    });
  });
})();
