// The correction page: keep focus on the passage just corrected, and let the caret choose
// where a passage is split. Everything here also works as plain forms without this script.

// After a correction swaps the list, land on the passage it changed (counterpoint.js would
// land on the first heading, far from where the person was working).
document.addEventListener("htmx:afterSettle", () => {
  const landing = document.querySelector("#corrections [data-landing]");
  const editor = document.querySelector(
    "#corrections .correct-editor textarea, #corrections .correct-editor select, #corrections .correct-editor button",
  );
  const target = editor || landing;
  if (target) target.focus();
});

// Split: the caret's place in the (read-only) text becomes the chosen point.
const followCaret = (area) => {
  const form = area.closest("form");
  const select = form && form.querySelector("select[name=at]");
  if (!select) return;
  const at = area.selectionStart;
  const text = area.value;
  if (at <= 0 || at >= text.length) return;
  let option = select.querySelector("option[data-caret]");
  if (!option) {
    option = document.createElement("option");
    option.dataset.caret = "";
    select.append(option);
  }
  // The server counts code points; the browser counts UTF-16 units.
  option.value = String([...text.slice(0, at)].length);
  option.textContent = `At the caret: …${text.slice(Math.max(0, at - 30), at)} | ${text.slice(at, at + 30)}…`;
  select.value = option.value;
};
// The text is only there to move a caret in (a readonly textarea keeps no caret in Chromium):
// anything typed into it is undone, and it is never submitted (it has no name).
document.addEventListener("input", (event) => {
  const area = event.target;
  if (area instanceof HTMLTextAreaElement && area.matches("[data-split-caret]")) {
    const at = area.selectionStart;
    area.value = area.defaultValue;
    area.setSelectionRange(Math.min(at, area.value.length), Math.min(at, area.value.length));
  }
});
for (const type of ["keyup", "mouseup", "select", "focusin"]) {
  document.addEventListener(type, (event) => {
    if (event.target instanceof HTMLTextAreaElement && event.target.matches("[data-split-caret]")) {
      followCaret(event.target);
    }
  });
}
