from __future__ import annotations

from collections import Counter
from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from config.http import HtmxHttpRequest, parse_id
from jobs.access import get_job_for_owner
from jobs.services import job_start
from readings import services
from readings.access import find_pending_import_for_user, get_seminar_for_user
from readings.background import METADATA_FIELDS
from readings.forms import DocumentConfirmForm, DocumentSourceForm
from readings.importing import (
    ImportRejected,
    RawDocument,
    SplitResult,
    read_document,
    split_text,
)
from readings.importing.confidence import uncertain_positions
from readings.importing.heavy import needs_background
from readings.importing.limits import LIMITS, ONE_REQUEST_SECONDS, Budget
from readings.models import Passage, PendingImport
from readings.selectors import documents_for_user, get_document_for_user
from readings.services import DocumentMetadata


@login_required
@require_GET
def document_list(request: HtmxHttpRequest) -> HttpResponse:
    return render(
        request, "readings/document_list.html", {"documents": documents_for_user(request.user)}
    )


@login_required
@require_GET
def document_detail(request: HtmxHttpRequest, document_id: int) -> HttpResponse:
    document = get_document_for_user(request.user, document_id)
    passages = list(document.passages.all())
    return render(
        request,
        "readings/document_detail.html",
        {
            "document": document,
            "passages": passages,
            "headings": [p for p in passages if p.kind == Passage.Kind.HEADING],
            "front_matter": [p for p in passages if p.kind == Passage.Kind.FRONT_MATTER],
        },
    )


def _suggested_title(split: SplitResult) -> str:
    """A title the text itself shows: its first line, when that is front matter or a heading."""
    first = split.passages[0] if split.passages else None
    if first and first.kind in {Passage.Kind.FRONT_MATTER, Passage.Kind.HEADING}:
        return first.text[:300]
    return ""


def _metadata_from(
    form, raw: RawDocument | None = None, split: SplitResult | None = None
) -> DocumentMetadata:
    data = form.cleaned_data
    found = dict(raw.metadata) if raw else {}
    if split and not found.get("title"):
        found["title"] = _suggested_title(split)
    authors = form.cleaned_authors()
    if not authors and found.get("authors"):
        authors = [a.strip() for a in found["authors"].split(",") if a.strip()]
    return DocumentMetadata(
        title=(data.get("title") or found.get("title") or "").strip(),
        subtitle=data.get("subtitle", ""),
        authors=authors,
        publication=data.get("publication", ""),
        published=data.get("published") or found.get("published", ""),
        source_note=data.get("source_note", ""),
        language=data.get("language") or found.get("language") or "en",
    )


def _fitted_to_fields(metadata: DocumentMetadata) -> dict[str, str]:
    """The metadata as the save form's initial values, each cut to what its field takes: a
    PDF's 600-character title is still a title, and the preview must save as it stands."""
    initial = {
        "title": metadata.title,
        "subtitle": metadata.subtitle,
        "authors": "; ".join(metadata.authors),
        "publication": metadata.publication,
        "published": metadata.published,
        "language": metadata.language,
        "source_note": metadata.source_note,
    }
    fields = DocumentConfirmForm.base_fields
    for name, value in initial.items():
        limit = getattr(fields[name], "max_length", None)
        if limit is not None and len(value) > limit:
            initial[name] = value[:limit].rstrip()
    return initial


def _preview_context(split: SplitResult, uncertain: tuple[str, ...] = ()) -> dict:
    """The passages as the preview lists them; those OCR read with low confidence marked."""
    kinds = dict(Passage.Kind.choices)
    notes: dict[int, list] = {}
    for note in split.notes:
        notes.setdefault(note.position, []).append(note)
    marked = uncertain_positions(split.passages, uncertain) if uncertain else set()
    return {
        "preview": [
            (
                passage,
                kinds[passage.kind],
                notes.get(passage.position, ()),
                passage.position in marked,
            )
            for passage in split.passages
        ],
        "note_count": len(split.notes),
        "uncertain_count": len(marked),
        "counts": list(Counter(kinds[passage.kind] for passage in split.passages).items()),
    }


def read_source(form: DocumentSourceForm, budget: Budget) -> tuple[RawDocument, str]:
    """The uploaded file or the pasted text, read under `budget`; and the file's name ("" when
    pasted)."""
    upload = form.cleaned_data.get("file")
    limit = settings.COUNTERPOINT_MAX_UPLOAD_BYTES
    if upload:
        data = upload.read()
        raw = read_document(filename=upload.name, data=data, max_bytes=limit, budget=budget)
        return raw, upload.name
    pasted = form.cleaned_data["pasted"].encode("utf-8")
    raw = read_document(filename="pasted.txt", data=pasted, max_bytes=limit, budget=budget)
    return RawDocument("pasted", raw.text, raw.metadata, raw.warnings), ""


# Every file that previews must save or say why: one whose text is only separators (---) or
# empty headings has nothing to cite.
NO_PASSAGES = (
    "The text holds no passage to import: only separator lines, empty headings or the like. "
    "Check that you chose the right file."
)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def document_import(request: HtmxHttpRequest) -> HttpResponse:
    """Upload or paste, then preview the passages; nothing is stored until the preview is saved."""
    template = "readings/document_import.html"
    if request.method == "GET":
        seminar_id = parse_id(request.GET.get("seminar", ""))
        seminar = None
        if seminar_id is not None:
            seminar = get_seminar_for_user(request.user, seminar_id, manage=True).seminar
        form = DocumentSourceForm(initial={"seminar": seminar.pk if seminar else None})
        return render(request, template, {"form": form, "seminar": seminar})

    form = DocumentSourceForm(request.POST, request.FILES)
    context: dict = {"form": form}
    if form.is_valid():
        seminar_id = form.cleaned_data.get("seminar")
        if seminar_id is not None:  # the preview is kept for this seminar: the right first
            get_seminar_for_user(request.user, seminar_id, manage=True)
        upload = form.cleaned_data.get("file")
        if upload and needs_background(upload.name, data := upload.read()):
            return _import_in_background(request, form, data, seminar_id)
        if upload:
            upload.seek(0)
        # Reading and splitting share one deadline (readings.importing.limits).
        budget = Budget(replace(LIMITS, seconds=ONE_REQUEST_SECONDS), what="The text")
        try:
            raw, filename = read_source(form, budget)
            # Past its limits (passages, time): refused.
            split = split_text(raw.text, budget, notes=raw.notes)
            if not split.passages:
                raise ImportRejected(NO_PASSAGES)
        except ImportRejected as rejected:
            form.add_error("file" if upload else "pasted", rejected.message)
        else:
            metadata = _metadata_from(form, raw, split)
            pending = services.pending_import_create(
                owner=request.user,
                text=raw.text,
                original_format=raw.format,
                original_filename=filename,
                seminar_id=seminar_id,
                notes=raw.notes,
                ocr_engine=raw.ocr,
                uncertain=raw.uncertain,
            )
            confirm = DocumentConfirmForm(initial=_fitted_to_fields(metadata))
            context = {
                "confirm": confirm,
                "pending": pending,
                **_preview_context(split, raw.uncertain),
                "warnings": raw.warnings,
            }
            template = "readings/document_preview.html"
    if request.htmx:
        template += "#import-step"
    # Invalid forms come back with 200, as Django's generic views do: browsers log every 4xx
    # as a console error, and the message is in the page.
    return render(request, template, context)


def _import_in_background(
    request: HtmxHttpRequest, form: DocumentSourceForm, data: bytes, seminar_id: int | None
) -> HttpResponse:
    """A file too large to read within the request goes to a worker (readings/background.py);
    the answer is at once the job's page, which opens the preview when the file is read."""
    upload = form.cleaned_data["file"]
    job = job_start(
        owner=request.user,
        kind="document_import",
        title=f"Import of {upload.name}",
        params={
            "filename": upload.name,
            "seminar_id": seminar_id,
            "form": {name: form.cleaned_data.get(name) or "" for name in METADATA_FIELDS},
        },
        payload=data,
    )
    if request.htmx:
        return HttpResponseClientRedirect(job.get_absolute_url())
    return HttpResponseRedirect(job.get_absolute_url(), status=303)


@login_required
@vary_on_headers("HX-Request")
@require_GET
def document_import_preview(request: HtmxHttpRequest, key: str) -> HttpResponse:
    """The preview of a file a worker read (a large import): the same page and save form as an
    import read in the request, with the metadata the file held (from its job)."""
    pending = find_pending_import_for_user(request.user, key)
    if pending is None:
        return _preview_gone(request)
    found: dict = {}
    job_id = request.GET.get("job", "")
    if job_id:
        try:
            job = get_job_for_owner(request.user, job_id)
        except (Http404, ValidationError):
            job = None
        if job is not None and isinstance(job.data, dict):
            found = job.data
    initial = found.get("initial")
    warnings = found.get("warnings")
    initial = initial if isinstance(initial, dict) else {}
    warnings = warnings if isinstance(warnings, list) else []
    template = "readings/document_preview.html" + ("#import-step" if request.htmx else "")
    split = split_text(pending.text, notes=services.pending_import_notes(pending))
    context = {
        "confirm": DocumentConfirmForm(initial=initial),
        "pending": pending,
        **_preview_context(split, services.pending_import_uncertain(pending)),
        "warnings": [str(w) for w in warnings],
    }
    return render(request, template, context)


PREVIEW_GONE = (
    "No such preview: it was saved already, it expired (previews are kept for {hours} hours), "
    "or it is not yours. Upload the file again to import it."
)


def _preview_gone(request: HtmxHttpRequest) -> HttpResponse:
    """The import page again, saying why the preview asked for is not there (404)."""
    hours = settings.COUNTERPOINT_PENDING_IMPORT_HOURS
    context = {"form": DocumentSourceForm(), "gone": PREVIEW_GONE.format(hours=hours)}
    template = "readings/document_import.html" + ("#import-step" if request.htmx else "")
    return render(request, template, context, status=404)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["POST"])
def document_import_confirm(request: HtmxHttpRequest, key: str) -> HttpResponse:
    """Save the preview under `key` with the metadata as corrected; only its owner can."""
    pending = find_pending_import_for_user(request.user, key)
    if pending is None:
        return _preview_gone(request)
    form = DocumentConfirmForm(request.POST)
    if not form.is_valid():
        template = "readings/document_preview.html"
        if request.htmx:
            template += "#import-step"
        context = {
            "confirm": form,
            "pending": pending,
            **_preview_context(
                split_text(pending.text, notes=services.pending_import_notes(pending)),
                services.pending_import_uncertain(pending),
            ),
        }
        return render(request, template, context)
    seminar = None
    if pending.seminar_id is not None:
        seminar = get_seminar_for_user(request.user, pending.seminar_id, manage=True).seminar
    try:
        document = services.pending_import_save(
            pending=pending, metadata=_metadata_from(form), seminar=seminar
        )
    except PendingImport.DoesNotExist as error:  # saved by a request a moment earlier
        raise Http404("No such preview.") from error
    count = document.passages.count()
    if seminar is not None:
        messages.success(
            request, f"“{document.title}” was imported with {count} passages into {seminar}."
        )
        return redirect(seminar)
    messages.success(request, f"“{document.title}” was imported with {count} passages.")
    return redirect(document)
