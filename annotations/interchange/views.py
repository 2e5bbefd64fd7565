"""Export and import: W3C Web Annotation, REFI-QDA (.qdpx, .qdc), CSV, Hypothesis, backups.

Members export the sets they may read and import into a new set of their own; instructors
also import codebooks and back up or restore the whole seminar. An import answers with its
report (what came in, and every orphan with its reason) rather than a redirect: the report is
the result, and there is nothing to re-submit by reloading except the same upload.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from annotations.access import get_annotation_set_for_user
from annotations.interchange import services
from annotations.interchange.background import parse_set_file
from annotations.interchange.exports import w3c
from annotations.interchange.exports.collect import set_record, theme_records
from annotations.interchange.exports.csv import tags_csv
from annotations.interchange.exports.qdc import codebook_xml
from annotations.interchange.exports.qdpx import qdpx
from annotations.interchange.forms import SetImportForm, UploadForm
from annotations.interchange.imports.qdpx import parse_qdc
from annotations.interchange.imports.records import ImportRejected
from annotations.interchange.imports.w3c import JSON_LIMITS
from annotations.models import AnnotationSet
from annotations.selectors import sets_for_member
from config.http import HtmxHttpRequest
from jobs.models import Job
from jobs.services import job_start
from readings.access import SeminarAccess, get_seminar_for_user
from readings.importing.heavy import BACKGROUND_BYTES
from readings.importing.limits import ONE_REQUEST_SECONDS, Budget

TEMPLATE = "annotations/interchange.html"
FORMATS = {
    "w3c": ("W3C Web Annotation", "jsonld", w3c.MEDIA_TYPE),
    "qdpx": ("REFI-QDA project", "qdpx", "application/zip"),
    "csv": ("CSV", "csv", "text/csv; charset=utf-8"),
}


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _base_url(request: HtmxHttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _context(access: SeminarAccess, **extra) -> dict:
    return {
        "seminar": access.seminar,
        "access": access,
        "sets": list(sets_for_member(access)),
        "formats": [(key, label) for key, (label, _, _) in FORMATS.items()],
        "set_form": extra.pop("set_form", None)
        or SetImportForm(seminar=access.seminar, teaches=access.is_instructor),
        "codebook_form": extra.pop("codebook_form", None) or UploadForm(prefix="codebook"),
        "restore_form": extra.pop("restore_form", None) or UploadForm(prefix="restore"),
        **extra,
    }


def _render(request: HtmxHttpRequest, access: SeminarAccess, **extra) -> HttpResponse:
    template = TEMPLATE + ("#interchange-result" if request.htmx else "")
    return render(request, template, _context(access, **extra))


def _refused(
    request: HtmxHttpRequest, access: SeminarAccess, form: forms.Form, key: str
) -> HttpResponse:
    """The form again with its errors; the result area says it too (htmx swaps only that)."""
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    return _render(request, access, error=" ".join(errors), **{key: form})


@login_required
@require_GET
def interchange(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id)
    return render(request, TEMPLATE, _context(access))


@login_required
@require_GET
def set_export(request: HtmxHttpRequest, seminar_id: int, set_id: int, fmt: str) -> HttpResponse:
    set_access = get_annotation_set_for_user(request.user, seminar_id, set_id)
    if fmt not in FORMATS:
        raise Http404("No such export format.")
    annotation_set = set_access.annotation_set
    record = set_record(annotation_set, base_url=_base_url(request))
    name = f"{slugify(annotation_set.title) or 'set'}-{date.today():%Y-%m-%d}"
    _, extension, content_type = FORMATS[fmt]
    if fmt == "w3c":
        document = w3c.collection(record, collection_iri=request.build_absolute_uri())
        data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    elif fmt == "qdpx":
        data = qdpx(record)
    else:
        data = tags_csv(record)
    return _attachment(data, content_type, f"{name}.{extension}")


@login_required
@require_GET
def set_export_w3c_page(
    request: HtmxHttpRequest, seminar_id: int, set_id: int, page: int
) -> HttpResponse:
    """The set as a paged collection (Web Annotation Protocol style): page 0 comes with the
    collection's description, each page links to the next and previous by IRI."""
    set_access = get_annotation_set_for_user(request.user, seminar_id, set_id)
    record = set_record(set_access.annotation_set, base_url=_base_url(request))
    args = [seminar_id, set_id]
    collection_iri = request.build_absolute_uri(
        reverse("annotations:set_export", args=[*args, "w3c"])
    )
    page_iri = request.build_absolute_uri(
        reverse("annotations:set_export_w3c_page", args=[*args, 12345])
    ).replace("12345", "{n}")
    try:
        document = w3c.page(
            record, page, collection_iri=collection_iri, page_iri=page_iri, page_size=w3c.PAGE_SIZE
        )
    except IndexError as error:
        raise Http404("No such page.") from error
    document["partOf"] = w3c.collection(
        record, collection_iri=collection_iri, page_iri=page_iri, page_size=w3c.PAGE_SIZE
    )
    del document["partOf"]["@context"]
    return JsonResponse(
        document, content_type=w3c.MEDIA_TYPE, json_dumps_params={"ensure_ascii": False}
    )


@login_required
@require_GET
def codebook_export(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id)
    data = codebook_xml(theme_records(access.seminar.pk))
    name = slugify(access.seminar.title) or "seminar"
    return _attachment(data, "application/xml", f"{name}-codebook.qdc")


def _to_job(request: HtmxHttpRequest, job: Job) -> HttpResponse:
    """The request that started a job answers at once with the job's page, where its progress
    shows: a 303 to it, or for htmx a full navigation there."""
    if request.htmx:
        return HttpResponseClientRedirect(job.get_absolute_url())
    return HttpResponseRedirect(job.get_absolute_url(), status=303)


@login_required
@require_POST
def seminar_backup(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    """A backup is made by a worker (a large seminar takes a while); its file is kept a day."""
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    job = job_start(
        owner=request.user,
        kind="seminar_backup",
        title=f"Backup of “{access.seminar.title}”",
        params={"seminar_id": access.seminar.pk},
    )
    return _to_job(request, job)


@login_required
@vary_on_headers("HX-Request")
@require_POST
def set_import(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id)
    form = SetImportForm(
        request.POST, request.FILES, seminar=access.seminar, teaches=access.is_instructor
    )
    if not form.is_valid():
        return _refused(request, access, form, "set_form")
    upload = form.cleaned_data["file"]
    if upload.size > BACKGROUND_BYTES:
        theme = form.cleaned_data["default_theme"]
        job = job_start(
            owner=request.user,
            kind="set_import",
            title=f"Import of {upload.name} into “{access.seminar.title}”",
            params={
                "seminar_id": access.seminar.pk,
                "format": form.cleaned_data["format"],
                "title": form.cleaned_data["title"],
                "default_theme_id": theme.pk if theme else None,
                "kind": form.cleaned_data["kind"],
                "filename": upload.name,
            },
            upload=upload,
        )
        return _to_job(request, job)
    # One deadline for reading the file and placing its annotations (issue 19).
    limits = replace(JSON_LIMITS, seconds=ONE_REQUEST_SECONDS)
    budget = Budget(limits, what="The annotation file")
    try:
        parsed = parse_set_file(upload.read(), form.cleaned_data["format"], budget)
        report = services.annotation_set_import(
            seminar=access.seminar,
            owner=request.user,
            title=form.cleaned_data["title"] or parsed.title or f"Imported from {upload.name}",
            parsed=parsed,
            create_themes=access.is_instructor,
            default_theme=form.cleaned_data["default_theme"],
            budget=budget,
            kind=form.cleaned_data["kind"] or AnnotationSet.Kind.REFERENCE,
        )
    except ImportRejected as error:
        form.add_error("file", error.message)
        return _refused(request, access, form, "set_form")
    return _render(request, access, report=report)


@login_required
@vary_on_headers("HX-Request")
@require_POST
def codebook_import(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    form = UploadForm(request.POST, request.FILES, prefix="codebook")
    if not form.is_valid():
        return _refused(request, access, form, "codebook_form")
    try:
        result = services.codebook_import(
            seminar=access.seminar, parsed=parse_qdc(form.cleaned_data["file"].read())
        )
    except ImportRejected as error:
        form.add_error("file", error.message)
        return _refused(request, access, form, "codebook_form")
    return _render(request, access, codebook_report=result)


@login_required
@vary_on_headers("HX-Request")
@require_POST
def seminar_restore(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    form = UploadForm(request.POST, request.FILES, prefix="restore")
    if not form.is_valid():
        return _refused(request, access, form, "restore_form")
    upload = form.cleaned_data["file"]
    # Checked and written by a worker (jobs/): the job's page shows the report or what is wrong.
    job = job_start(
        owner=request.user,
        kind="seminar_restore",
        title=f"Restore of {upload.name}",
        params={"seminar_id": access.seminar.pk},
        upload=upload,
    )
    return _to_job(request, job)
