from __future__ import annotations

from collections import Counter
from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from config.http import HtmxHttpRequest
from readings.access import get_seminar_for_user
from readings.forms import DocumentConfirmForm, DocumentSourceForm
from readings.importing import (
    ImportRejected,
    RawDocument,
    SplitResult,
    read_document,
    split_text,
)
from readings.importing.limits import LIMITS, ONE_REQUEST_SECONDS, Budget
from readings.models import Passage
from readings.selectors import documents_for_user, get_document_for_user
from readings.services import DocumentMetadata, document_import


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


def _preview_context(split: SplitResult) -> dict:
    kinds = dict(Passage.Kind.choices)
    return {
        "preview": [(passage, kinds[passage.kind]) for passage in split.passages],
        "counts": list(Counter(kinds[passage.kind] for passage in split.passages).items()),
    }


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def document_import_view(request: HtmxHttpRequest) -> HttpResponse:
    """Upload or paste, then preview the passages; nothing is stored until the preview is saved."""
    template = "readings/document_import.html"
    if request.method == "GET":
        seminar_id = request.GET.get("seminar", "")
        seminar = None
        if seminar_id.isdigit():
            seminar = get_seminar_for_user(request.user, int(seminar_id), manage=True).seminar
        form = DocumentSourceForm(initial={"seminar": seminar.pk if seminar else None})
        return render(request, template, {"form": form, "seminar": seminar})

    form = DocumentSourceForm(request.POST, request.FILES)
    context: dict = {"form": form}
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        # Reading and splitting share one deadline (readings.importing.limits).
        budget = Budget(replace(LIMITS, seconds=ONE_REQUEST_SECONDS), what="The text")
        try:
            if upload:
                raw = read_document(
                    filename=upload.name,
                    data=upload.read(),
                    max_bytes=settings.COUNTERPOINT_MAX_UPLOAD_BYTES,
                    budget=budget,
                )
                filename = upload.name
            else:
                raw = read_document(
                    filename="pasted.txt",
                    data=form.cleaned_data["pasted"].encode("utf-8"),
                    max_bytes=settings.COUNTERPOINT_MAX_UPLOAD_BYTES,
                    budget=budget,
                )
                raw = RawDocument(
                    format="pasted", text=raw.text, metadata=raw.metadata, warnings=raw.warnings
                )
                filename = ""
            split = split_text(raw.text, budget)  # past its limits (passages, time): refused
        except ImportRejected as rejected:
            form.add_error("file" if upload else "pasted", rejected.message)
        else:
            metadata = _metadata_from(form, raw, split)
            confirm = DocumentConfirmForm(
                initial={
                    "title": metadata.title,
                    "subtitle": metadata.subtitle,
                    "authors": "; ".join(metadata.authors),
                    "publication": metadata.publication,
                    "published": metadata.published,
                    "language": metadata.language,
                    "source_note": metadata.source_note,
                    "raw_text": raw.text,
                    "original_format": raw.format,
                    "original_filename": filename,
                    "seminar": form.cleaned_data.get("seminar"),
                }
            )
            context = {"confirm": confirm, **_preview_context(split), "warnings": raw.warnings}
            template = "readings/document_preview.html"
    if request.htmx:
        template += "#import-step"
    # Invalid forms come back with 200, as Django's generic views do: browsers log every 4xx
    # as a console error, and the message is in the page.
    return render(request, template, context)


@login_required
@require_http_methods(["POST"])
def document_import_confirm(request: HtmxHttpRequest) -> HttpResponse:
    form = DocumentConfirmForm(request.POST)
    valid = form.is_valid()
    raw_text = form.cleaned_data.get("raw_text")
    split = None
    if raw_text:
        try:  # the text posted back is split again, under the same limits as the preview
            split = split_text(raw_text, Budget(replace(LIMITS, seconds=ONE_REQUEST_SECONDS)))
        except ImportRejected as rejected:
            form.add_error(None, rejected.message)
    if not valid or split is None:
        template = "readings/document_preview.html"
        if request.htmx:
            template += "#import-step"
        context = {"confirm": form, **(_preview_context(split) if split else {})}
        return render(request, template, context)
    seminar = None
    if form.cleaned_data.get("seminar"):
        seminar = get_seminar_for_user(
            request.user, form.cleaned_data["seminar"], manage=True
        ).seminar
    document = document_import(
        raw_text=form.cleaned_data["raw_text"],
        metadata=_metadata_from(form),
        original_format=form.cleaned_data["original_format"],
        original_filename=form.cleaned_data["original_filename"],
        owner=request.user,
        split=split,
        seminar=seminar,
    )
    count = document.passages.count()
    if seminar is not None:
        messages.success(
            request, f"“{document.title}” was imported with {count} passages into {seminar}."
        )
        return redirect(seminar)
    messages.success(request, f"“{document.title}” was imported with {count} passages.")
    return redirect(document)
