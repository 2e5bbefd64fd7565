"""The "Correct this reading" page and its actions: only the reading's owner reaches them.

Every action is a plain form that posts and redirects back to the passage it changed; with
htmx, the passage list is swapped in place and the message arrives out of band.
"""

from __future__ import annotations

from dataclasses import replace as changed

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from config.http import HtmxHttpRequest, parse_id, wants_fragment
from readings.access import find_pending_import_for_user
from readings.corrections import services
from readings.corrections.follow import CorrectionRefused, OrphansFound, attached_counts
from readings.corrections.forms import (
    KIND_CHOICES,
    DocumentDeleteForm,
    PassageKindForm,
    PassageSplitForm,
    PassageTextForm,
)
from readings.forms import DocumentConfirmForm, DocumentSourceForm
from readings.importing import ImportRejected
from readings.importing.limits import LIMITS, ONE_REQUEST_SECONDS, Budget
from readings.models import Document, Passage
from readings.selectors import get_document_for_user
from readings.services import DocumentMetadata, pending_import_create
from readings.views.documents import read_source

TEMPLATE = "readings/document_correct.html"
EDITORS = {"split", "text", "drop"}


def get_document_for_owner(user, document_id: int) -> Document:
    """The document for its owner; 404 for whoever may not see it, 403 for a reader of it
    (a seminar's members see it, only its owner corrects it)."""
    document = get_document_for_user(user, document_id)
    if document.owner_id != user.pk:
        raise PermissionDenied("Only the person who imported this reading can correct it.")
    return document


def _metadata_initial(document: Document) -> dict[str, str]:
    return {
        "title": document.title,
        "subtitle": document.subtitle,
        "authors": "; ".join(document.authors),
        "publication": document.publication,
        "published": document.published,
        "language": document.language,
        "source_note": document.source_note,
    }


def _context(
    document: Document,
    *,
    editing: tuple[int, str] | None = None,
    form=None,
    metadata_form=None,
    status: str = "",
    error_for: tuple[int, str] | None = None,
    landing: int | None = None,
) -> dict:
    passages = list(document.passages.order_by("position"))
    tags = attached_counts([p.pk for p in passages])
    rows = []
    for index, passage in enumerate(passages):
        editor = ""
        editor_form = None
        if editing and editing[0] == passage.pk:
            editor = editing[1]
            if editor == "split":
                editor_form = form or PassageSplitForm(passage=passage)
            elif editor == "text":
                editor_form = form or PassageTextForm(initial={"text": passage.text})
        rows.append(
            {
                "passage": passage,
                "tags": tags.get(passage.pk, 0),
                "last": index == len(passages) - 1,
                "editor": editor,
                "form": editor_form,
                "error": error_for[1] if error_for and error_for[0] == passage.pk else "",
                "landing": landing == passage.pk,
            }
        )
    return {
        "document": document,
        "rows": rows,
        "kinds": KIND_CHOICES,
        "metadata_form": metadata_form or DocumentConfirmForm(initial=_metadata_initial(document)),
        "status": status,
    }


def _back(document: Document, passage_id: int | None = None, **query: str) -> str:
    url = reverse("readings:document_correct", args=[document.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url + (f"#passage-{passage_id}" if passage_id else "")


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def document_correct(request: HtmxHttpRequest, document_id: int) -> HttpResponse:
    """The correction page (GET; `?edit=<passage>&do=split|text` opens an editor in place), and
    the title block's form (POST)."""
    document = get_document_for_owner(request.user, document_id)
    if request.method == "POST":
        form = DocumentConfirmForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            metadata = DocumentMetadata(
                title=data["title"],
                subtitle=data.get("subtitle", ""),
                authors=form.cleaned_authors(),
                publication=data.get("publication", ""),
                published=data.get("published", ""),
                source_note=data.get("source_note", ""),
                language=data.get("language") or "en",
            )
            done = services.document_metadata_update(document=document, metadata=metadata)
            messages.success(request, done.message)
            if wants_fragment(request):  # the title is in the page's heading too: all of it
                return HttpResponseClientRedirect(_back(document))
            return redirect(_back(document))
        template = TEMPLATE + ("#title-block" if wants_fragment(request) else "")
        return render(request, template, _context(document, metadata_form=form))
    passage_id = parse_id(request.GET.get("edit", ""))
    editor = request.GET.get("do", "")
    editing = (passage_id, editor) if passage_id is not None and editor in EDITORS else None
    context = _context(document, editing=editing, landing=passage_id)
    if wants_fragment(request) and editing is not None:
        row = next((r for r in context["rows"] if r["passage"].pk == passage_id), None)
        if row is None:
            raise Http404("This passage is no longer in the reading: reload the page.")
        return render(request, TEMPLATE + "#passage-row", {**context, "row": row})
    return render(request, TEMPLATE, context)


def _apply(document: Document, passage: Passage, action: str, data) -> tuple[object, str]:
    """Run one action; returns (None, message) when done, or (bound form, "") to show again."""
    if action == "merge":
        return None, services.passage_merge(document=document, passage_id=passage.pk).message
    if action == "drop":
        if data.get("confirm") != "yes":
            raise CorrectionRefused("Confirm to drop the passage: it cannot be undone.")
        return None, services.passage_drop(document=document, passage_id=passage.pk).message
    if action == "kind":
        form = PassageKindForm(data)
        if not form.is_valid():
            raise CorrectionRefused(" ".join(str(e) for e in form.errors["kind"]))
        kind = form.cleaned_data["kind"]
        return None, services.passage_kind_set(
            document=document, passage_id=passage.pk, kind=kind
        ).message
    if action == "split":
        split = PassageSplitForm(data, passage=passage)
        if not split.is_valid():
            return split, ""
        at = split.cleaned_data["at"]
        return None, services.passage_split(document=document, passage_id=passage.pk, at=at).message
    if action == "text":
        fix = PassageTextForm(data)
        if not fix.is_valid():
            return fix, ""
        text = fix.cleaned_data["text"]
        return None, services.passage_text_fix(
            document=document, passage_id=passage.pk, text=text
        ).message
    raise CorrectionRefused("Choose one of the actions offered.")


@login_required
@vary_on_headers("HX-Request")
@require_POST
def passage_correct(request: HtmxHttpRequest, document_id: int, passage_id: int) -> HttpResponse:
    """One correction of one passage: `action` is merge, split, kind or text."""
    document = get_document_for_owner(request.user, document_id)
    passage = document.passages.filter(pk=passage_id).first()
    action = request.POST.get("action", "")
    fragment = wants_fragment(request)
    if passage is None:
        refusal = "This passage is no longer in the reading: reload the page."
        if fragment:
            return render(request, TEMPLATE + "#corrected", _context(document, status=refusal))
        messages.error(request, refusal)
        return redirect(_back(document))
    try:
        form, message = _apply(document, passage, action, request.POST)
    except CorrectionRefused as refused:
        editing = (passage.pk, action) if action in EDITORS else None
        error_for = (passage.pk, refused.message)
        if fragment:
            context = _context(document, editing=editing, error_for=error_for, landing=passage.pk)
            return render(request, TEMPLATE + "#corrected", context)
        messages.error(request, refused.message)
        query = {"edit": str(passage.pk), "do": action} if editing else {}
        return redirect(_back(document, passage.pk, **query))
    if form is not None:  # the editor's own field errors, shown in place
        context = _context(document, editing=(passage.pk, action), form=form, landing=passage.pk)
        if fragment:
            return render(request, TEMPLATE + "#corrected", context)
        return render(request, TEMPLATE, context)
    if fragment:
        context = _context(document, status=message, landing=passage.pk)
        return render(request, TEMPLATE + "#corrected", context)
    messages.success(request, message)
    return redirect(_back(document, passage.pk))


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def document_delete(request: HtmxHttpRequest, document_id: int) -> HttpResponse:
    """Ask, saying what goes with the reading; then delete it."""
    document = get_document_for_owner(request.user, document_id)
    cost = services.document_deletion_cost(document=document)
    template = "readings/document_delete.html"
    error = ""
    if request.method == "POST":
        form = DocumentDeleteForm(request.POST)
        confirmed = form.cleaned_data["confirmed_tags"] if form.is_valid() else None
        try:
            message = services.document_delete(document=document, confirmed_tags=confirmed)
        except CorrectionRefused as refused:
            error = refused.message
            cost = services.document_deletion_cost(document=document)
        else:
            messages.success(request, message)
            return redirect("readings:document_list")
    form = DocumentDeleteForm(initial={"confirmed_tags": cost.tags})
    if wants_fragment(request):
        template += "#delete-step"
    return render(
        request, template, {"document": document, "cost": cost, "form": form, "error": error}
    )


# A better file of the same reading -----------------------------------------------------------


def _replace_plan(document: Document, pending) -> dict:
    """What saving the new file would do, without doing it: the orphans, or the message."""
    try:
        done = services.document_replace(document=document, pending=pending, dry_run=True)
    except OrphansFound as found:
        return {"orphans": found.orphans, "refusal": found.message}
    except CorrectionRefused as refused:
        return {"orphans": [], "refusal": refused.message, "blocked": True}
    return {"orphans": [], "plan": done.message}


@login_required
@vary_on_headers("HX-Request")
@require_POST
def document_replace(request: HtmxHttpRequest, document_id: int) -> HttpResponse:
    """Read the new file and show what replacing the text would do; nothing changes yet."""
    document = get_document_for_owner(request.user, document_id)
    form = DocumentSourceForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        budget = Budget(changed(LIMITS, seconds=ONE_REQUEST_SECONDS), what="The new text")
        try:
            raw, filename = read_source(form, budget)
        except ImportRejected as rejected:
            error = rejected.message
        else:
            pending = pending_import_create(
                owner=request.user,
                text=raw.text,
                original_format=raw.format,
                original_filename=filename,
                notes=raw.notes,
                ocr_engine=raw.ocr,
            )
            context = {"document": document, "pending": pending, **_replace_plan(document, pending)}
            template = "readings/document_replace.html"
            if wants_fragment(request):
                template += "#replace-step"
            return render(request, template, context)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if wants_fragment(request):
        return render(
            request, TEMPLATE + "#replace-form", {"document": document, "replace_error": error}
        )
    messages.error(request, error)
    return redirect(_back(document) + "#replace-heading")


@login_required
@require_POST
def document_replace_confirm(request: HtmxHttpRequest, document_id: int, key: str) -> HttpResponse:
    """Replace the text, with the orphans the owner was shown."""
    document = get_document_for_owner(request.user, document_id)
    pending = find_pending_import_for_user(request.user, key)
    if pending is None:
        raise Http404("No such new file: it was used already or expired. Upload it again.")
    confirmed = parse_id(request.POST.get("orphans", ""))
    try:
        done = services.document_replace(
            document=document, pending=pending, orphans_confirmed=confirmed
        )
    except CorrectionRefused as refused:
        context = {"document": document, "pending": pending, **_replace_plan(document, pending)}
        context["refusal"] = refused.message
        return render(request, "readings/document_replace.html", context)
    messages.success(request, done.message)
    return redirect(_back(document))
