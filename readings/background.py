"""A large import, read by a worker (jobs/runner.py) instead of in the request: the file is
read and split, the text kept as a preview (PendingImport), and the job's page then opens the
preview, where it is saved as any other import is. readings.importing.heavy decides which."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.urls import reverse

from jobs.runner import JobFailed, JobRun, Outcome
from readings import services
from readings.forms import DocumentMetadataForm
from readings.importing import ImportRejected, read_document, split_text
from readings.importing.limits import LIMITS, Budget

METADATA_FIELDS = tuple(DocumentMetadataForm.base_fields)


def document_import_job(job: JobRun) -> Outcome:
    from readings.views.documents import NO_PASSAGES, _fitted_to_fields, _metadata_from

    filename = job.params.get("filename", "")
    form = DocumentMetadataForm(data=job.params.get("form", {}))
    form.is_valid()  # every field is optional: what was typed, cleaned, or nothing
    # Reading and splitting share the job's time (issue 22), not a request's three seconds.
    budget = Budget(replace(LIMITS, seconds=max(1.0, job.remaining())), what="The text")
    # Steps: each page of a PDF or image (a scan's pages are read by OCR, seconds each), or
    # the file at once; then splitting, then keeping the preview.
    steps = {"pages": 1}
    job.progress(0, 3, f"Reading {filename}")

    def page_read(done: int, total: int) -> None:
        steps["pages"] = max(1, total)
        job.progress(done, total + 2, f"Reading {filename}: {done} of {total} pages read")

    try:
        raw = read_document(
            filename=filename,
            data=job.payload,
            max_bytes=settings.COUNTERPOINT_MAX_UPLOAD_BYTES,
            budget=budget,
            progress=page_read,
        )
        pages = steps["pages"]
        job.progress(pages, pages + 2, "Splitting the text into passages")
        split = split_text(raw.text, budget, notes=raw.notes)
        if not split.passages:
            raise ImportRejected(NO_PASSAGES)
    except ImportRejected as rejected:
        raise JobFailed(rejected.message) from None
    job.progress(pages + 1, pages + 2, "Keeping the preview")
    metadata = _metadata_from(form, raw, split)
    with job.writes():
        pending = services.pending_import_create(
            owner=job.owner,
            text=raw.text,
            original_format=raw.format,
            original_filename=filename,
            seminar_id=job.params.get("seminar_id"),
            notes=raw.notes,
            ocr_engine=raw.ocr,
            uncertain=raw.uncertain,
        )
        preview = reverse("readings:document_import_preview", args=[pending.key])
        outcome = Outcome(
            summary=f"{filename} is read: {len(split.passages)} passages",
            facts=list(raw.warnings),
            next_url=f"{preview}?job={job.job_id}",
            next_label="Open the preview to save it",
            data={
                "initial": _fitted_to_fields(metadata),
                "warnings": list(raw.warnings),
                "open": True,  # the job's page opens the preview when it is ready
            },
        )
        job.finish(outcome)
    return outcome
