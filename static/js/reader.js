// The reader: keyboard, quote spans, live updates. Loaded only on reader pages, deferred.
// Every action here is also a link or a form that works without this script; this only makes
// them quicker (j/k, Enter, 1-9), adds quote spans (which need a text selection) and sends the
// signatures of the passages it shows with each poll (live.js asks every few seconds).
(() => {
  "use strict";

  const motion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const pending = new Map(); // passage element id -> quote span waiting for its panel
  let selectedId = null;
  let filterFocus = null;
  let staleVersion = false;

  // Live region --------------------------------------------------------------------------
  function announce(text) {
    const status = document.getElementById("reader-status");
    if (!status) return;
    // Clearing first makes a screen reader repeat a message that did not change.
    status.textContent = "";
    window.setTimeout(() => { status.textContent = text; }, 50);
  }

  // Passages and selection -----------------------------------------------------------------
  function passageOf(node) {
    return node && node.closest ? node.closest("article.reader-passage") : null;
  }

  function current() {
    return passageOf(document.activeElement) || (selectedId && document.getElementById(selectedId));
  }

  function passages(from) {
    // In the parallel page j/k stay in the column the selection is in.
    const scope = (from && from.closest("[data-reader-scope]")) || document;
    return Array.from(scope.querySelectorAll("article.reader-passage:not([hidden])"));
  }

  function select(article, { scroll = true } = {}) {
    document.querySelectorAll(".reader-passage.is-selected").forEach((el) => el.classList.remove("is-selected"));
    if (!article) return;
    article.classList.add("is-selected");
    selectedId = article.id;
    if (!article.contains(document.activeElement)) article.focus({ preventScroll: true });
    if (scroll) article.scrollIntoView({ block: "nearest", behavior: motion.matches ? "auto" : "smooth" });
  }

  function move(step) {
    const here = current();
    const list = passages(here);
    if (!list.length) return;
    let index = here ? list.indexOf(here) : -1;
    if (index === -1) {
      // Nothing selected yet: start from the first passage on screen.
      const first = list.findIndex((el) => el.getBoundingClientRect().bottom > 0);
      index = step > 0 ? Math.max(first, 0) - 1 : Math.max(first, 0) + 1;
    }
    select(list[Math.max(0, Math.min(list.length - 1, index + step))]);
  }

  // The tag panel ----------------------------------------------------------------------------
  function isDirty(panel) {
    return Array.from(panel.querySelectorAll("textarea, input[type=radio]")).some((field) =>
      field.type === "radio" ? field.checked !== field.defaultChecked : field.value !== field.defaultValue,
    );
  }

  function closePanel(article, { force = false } = {}) {
    const panel = article && article.querySelector(".tag-panel");
    if (!panel) return false;
    if (!force && isDirty(panel)) {
      if (panel.dataset.confirmClose) {
        delete panel.dataset.confirmClose;
      } else {
        panel.dataset.confirmClose = "1";
        announce("This panel has an unsaved note or stance. Save it, or press Escape again to discard it.");
        return true;
      }
    }
    panel.remove();
    article.classList.remove("has-panel", "has-span");
    pending.delete(article.id);
    article.focus({ preventScroll: true });
    return true;
  }

  function openPanel(article, span) {
    const opener = article && article.querySelector(".passage-open");
    if (!opener) return;
    if (article.querySelector(".tag-panel")) {
      applySpan(article, span);
      if (!span) {
        const first = article.querySelector(".theme-button");
        if (first) first.focus();
      }
      return;
    }
    // One panel at a time, unless another holds unsaved work.
    document.querySelectorAll(".reader-passage .tag-panel").forEach((panel) => {
      if (!isDirty(panel)) closePanel(passageOf(panel), { force: true });
    });
    if (span) pending.set(article.id, span);
    select(article, { scroll: false });
    htmx.ajax("GET", opener.getAttribute("hx-get"), { source: article, target: article, swap: "outerHTML" });
  }

  // Number keys: press the panel's button, or tag (or untag) without opening the panel.
  function tagWithKey(article, key) {
    if (!article || !article.dataset.tagUrl) return;
    const button = article.querySelector(`.tag-panel .theme-button[data-key="${key}"]`);
    if (button) {
      button.click();
      return;
    }
    const theme = document.querySelector(`#reader-key-themes [data-key="${key}"]`);
    if (!theme) return;
    const tagged = article.querySelector(`.passage-tag[data-theme="${theme.dataset.theme}"][data-remove-url]`);
    const request = { source: article, target: article, swap: "outerHTML", values: { panel: "0" } };
    if (tagged) {
      htmx.ajax("POST", tagged.dataset.removeUrl, request);
    } else {
      request.values.theme = theme.dataset.theme;
      htmx.ajax("POST", article.dataset.tagUrl, request);
    }
  }

  // Quote spans ------------------------------------------------------------------------------
  const codePoints = (text) => Array.from(text).length;

  // The selection inside one passage's text as code-point offsets (the server's unit; a JS
  // string counts UTF-16 units), trimmed of the spaces a double click takes along.
  function selectedSpan(article) {
    const selection = window.getSelection();
    if (!article || !selection || selection.isCollapsed || !selection.rangeCount) return null;
    const text = article.querySelector(".passage-text");
    const range = selection.getRangeAt(0);
    if (!text || !text.contains(range.startContainer) || !text.contains(range.endContainer)) return null;
    const before = document.createRange();
    before.selectNodeContents(text);
    before.setEnd(range.startContainer, range.startOffset);
    const raw = range.toString();
    const quote = raw.trim();
    if (!quote) return null;
    const start = codePoints(before.toString()) + codePoints(raw.slice(0, raw.length - raw.trimStart().length));
    return { start, end: start + codePoints(quote), quote };
  }

  function applySpan(article, span) {
    const form = article && article.querySelector("form.tag-add");
    if (!form) return;
    form.elements.span_start.value = span ? span.start : "";
    form.elements.span_end.value = span ? span.end : "";
    const choice = form.querySelector(".span-choice");
    choice.hidden = !span;
    choice.querySelector("q").textContent = span ? span.quote : "";
    // With a quote chosen every theme button adds a quote tag: none of them removes.
    form.querySelectorAll(".theme-button").forEach((button) => {
      if (span && button.hasAttribute("formaction")) {
        button.dataset.formaction = button.getAttribute("formaction");
        button.removeAttribute("formaction");
        button.setAttribute("aria-pressed", "false");
      } else if (!span && button.dataset.formaction) {
        button.setAttribute("formaction", button.dataset.formaction);
        delete button.dataset.formaction;
        button.setAttribute("aria-pressed", "true");
      }
    });
    article.classList.toggle("has-span", Boolean(span));
    if (span) announce(`Quote chosen: “${span.quote}”. Choose a theme to tag just these words.`);
  }

  // Help -------------------------------------------------------------------------------------
  function toggleHelp(open) {
    const help = document.getElementById("reader-help");
    if (!help) return false;
    help.open = open === undefined ? !help.open : open;
    if (help.open) help.querySelector("summary").focus();
    return true;
  }

  // Events -----------------------------------------------------------------------------------
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest("input[type=text], input:not([type]), textarea, select, [contenteditable]")) {
      // Escape leaves a text field for its passage, so the keys work again.
      if (event.key === "Escape" && passageOf(target)) {
        passageOf(target).focus();
        event.preventDefault();
      }
      return;
    }
    if (!document.querySelector("[data-reader]")) return;
    const article = current();
    if (event.key === "j" || event.key === "k") {
      move(event.key === "j" ? 1 : -1);
    } else if (event.key === "?") {
      toggleHelp();
    } else if (event.key === "Escape") {
      const help = document.getElementById("reader-help");
      if (help && help.open && help.contains(target)) {
        help.open = false;
        help.querySelector("summary").focus();
      } else if (!closePanel(article)) {
        return;
      }
    } else if (event.key === "Enter" && target === article) {
      openPanel(article);
    } else if (/^[1-9]$/.test(event.key) && article && !event.repeat) {
      tagWithKey(article, event.key);
    } else {
      return;
    }
    event.preventDefault();
  });

  // A click on a passage selects it and opens its panel; words selected in it become a quote.
  document.addEventListener("click", (event) => {
    const article = passageOf(event.target);
    if (!article) return;
    const close = event.target.closest(".tag-panel-close");
    if (close) {
      event.preventDefault();
      closePanel(article);
      return;
    }
    const spanClear = event.target.closest("[data-span-clear]");
    if (spanClear) {
      applySpan(article, null);
      const first = article.querySelector(".theme-button");
      if (first) first.focus();
      return;
    }
    if (event.target.closest("a, button, input, textarea, select, label, summary, .tag-panel")) return;
    const span = selectedSpan(article);
    if (!span && !window.getSelection().isCollapsed) return;
    select(article, { scroll: false });
    openPanel(article, span);
  });

  // On touch screens a selection is made without a click; it fills an open panel.
  let selectionTimer = null;
  document.addEventListener("selectionchange", () => {
    window.clearTimeout(selectionTimer);
    selectionTimer = window.setTimeout(() => {
      const selection = window.getSelection();
      if (!selection || selection.isCollapsed || !selection.rangeCount) return;
      const article = passageOf(selection.getRangeAt(0).commonAncestorContainer.parentElement);
      const span = selectedSpan(article);
      if (span && article.querySelector(".tag-panel")) applySpan(article, span);
    }, 300);
  });

  // Contents ---------------------------------------------------------------------------------
  // Above the text (narrower screens) the contents are folded, so the reading starts on the
  // first screen; in their own column they stay open. Without this script they are open.
  const contentsBeside = window.matchMedia("(min-width: 68rem)");
  function foldContents() {
    if (contentsBeside.matches) return;
    document.querySelectorAll("details[data-toc]").forEach((el) => { el.open = false; });
  }
  foldContents();

  // Swaps ------------------------------------------------------------------------------------
  document.addEventListener("htmx:beforeRequest", (event) => {
    const elt = event.detail.elt;
    if (elt.matches && elt.matches("[data-reader-filter]")) filterFocus = elt.id;
  });

  document.addEventListener("htmx:oobBeforeSwap", (event) => {
    const target = event.detail.target;
    // Never replace a passage someone is working in: it comes again on the next poll.
    if (target.matches && target.matches(".reader-passage") && target.querySelector(".tag-panel")) {
      event.detail.shouldSwap = false;
      staleVersion = true;
    }
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    // counterpoint.js moved the focus to the first heading of a swapped region; after a filter
    // the person is still choosing filters, so the focus goes back to the link they pressed.
    if (filterFocus) {
      const link = document.getElementById(filterFocus);
      filterFocus = null;
      if (link) link.focus();
    }
    if (staleVersion) {
      staleVersion = false;
      const version = document.getElementById("reader-version");
      if (version) version.value = "stale";
    }
    for (const [id, span] of pending) {
      const article = document.getElementById(id);
      if (article && article.querySelector("form.tag-add")) {
        pending.delete(id);
        applySpan(article, span);
      }
    }
    const selected = selectedId && document.getElementById(selectedId);
    if (selected) selected.classList.add("is-selected");
    if (event.detail.target && event.detail.target.id === "reader-body") foldContents();
  });

  // Errors stay in the passage, with the person's input untouched.
  function showError(elt, text) {
    announce(text);
    const article = passageOf(elt);
    if (!article) return;
    let alert = article.querySelector(".reader-error");
    if (!alert) {
      alert = document.createElement("p");
      alert.className = "reader-error";
      alert.setAttribute("role", "alert");
      const panel = article.querySelector(".tag-panel");
      if (panel) panel.prepend(alert);
      else article.append(alert);
    }
    alert.textContent = text;
  }

  const isPoll = (event) => event.detail.elt && event.detail.elt.id === "reader-poll";

  document.addEventListener("htmx:responseError", (event) => {
    if (isPoll(event)) return;
    const status = event.detail.xhr.status;
    const text =
      status === 403 ? "Not saved: this set is locked, or it is not yours to change."
        : status === 404 ? "Not saved: this passage or tag is no longer here. Reload the page."
        : "Not saved: the server could not do it. Try again in a moment.";
    showError(event.detail.elt, text);
  });

  document.addEventListener("htmx:sendError", (event) => {
    if (isPoll(event)) return;
    showError(event.detail.elt, "Not saved: no connection. What you entered is still here; try again.");
  });

  // Live updates -----------------------------------------------------------------------------
  document.addEventListener("htmx:configRequest", (event) => {
    if (!isPoll(event)) return;
    event.detail.parameters.sig = Array.from(document.querySelectorAll(".passage[data-sig]"))
      .map((el) => `${el.dataset.passage}:${el.dataset.sig}`)
      .join(",");
  });
  // The poll itself is live.js's, as on the instructor's other live pages.
})();
