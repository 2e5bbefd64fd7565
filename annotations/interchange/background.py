"""The interchange page's work that runs as jobs (jobs/runner.py): seminar backups and
restores always, annotation-file imports over readings.importing.heavy.BACKGROUND_BYTES.

Each takes the `JobRun` and returns an `Outcome`: what the job's page shows, in words. The
member's rights are checked again here, when the work runs: they may have changed since.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.text import slugify

from annotations.interchange import services
from annotations.interchange.exports.backup import backup_bytes
from annotations.interchange.imports.backup import parse_backup
from annotations.interchange.imports.hypothesis import parse_hypothesis
from annotations.interchange.imports.qdpx import parse_qdpx
from annotations.interchange.imports.records import ImportRejected, ParsedFile
from annotations.interchange.imports.w3c import JSON_LIMITS, load_json, parse_w3c
from annotations.models import AnnotationSet, Theme
from jobs.runner import JobFailed, JobRun, Outcome
from readings.access import SeminarAccess, get_seminar_for_user
from readings.importing.limits import ONE_REQUEST_SECONDS, Budget

NOT_ANY_MORE = "You are no longer {what} of this seminar, so the work was not done."


def _access(job: JobRun, *, manage: bool) -> SeminarAccess:
    try:
        return get_seminar_for_user(job.owner, job.params["seminar_id"], manage=manage)
    except Http404:
        raise JobFailed(NOT_ANY_MORE.format(what="a member")) from None
    except PermissionDenied:
        raise JobFailed(NOT_ANY_MORE.format(what="an instructor")) from None


def _budget(job: JobRun, what: str) -> Budget:
    """The parsers' own limits, and the time a request would give them (issue 19: no upload
    holds a worker more than a few seconds, a job's worker included; a crafted file of
    hundreds of thousands of quotes took a minute of a worker's CPU with the job's whole time),
    or the job's time left if that is less."""
    seconds = max(0.5, min(ONE_REQUEST_SECONDS, job.remaining()))
    return Budget(replace(JSON_LIMITS, seconds=seconds), what=what)


def seminar_backup_job(job: JobRun) -> Outcome:
    job.progress(0, 2, "Gathering the seminar")
    access = _access(job, manage=True)
    data = backup_bytes(access.seminar)
    job.progress(1, 2, "Writing the file")
    name = f"{slugify(access.seminar.title) or 'seminar'}-{date.today():%Y-%m-%d}"
    return Outcome(
        summary=f"Backup of “{access.seminar.title}” made",
        facts=["Readings, themes, sets, tags, summaries and discussion picks, in one file."],
        file=data,
        file_name=f"{name}.counterpoint.json",
        file_type="application/json",
        next_url=access.seminar.get_absolute_url(),
        next_label="Back to the seminar",
    )


def seminar_restore_job(job: JobRun) -> Outcome:
    job.progress(0, 2, "Reading the backup")
    _access(job, manage=True)
    try:
        backup = parse_backup(job.payload, budget=_budget(job, "The seminar backup"))
    except ImportRejected as error:
        raise JobFailed(f"Nothing was restored. {error.message}") from None
    job.progress(1, 2, "Restoring the seminar")
    with job.writes():
        try:
            report = services.seminar_restore(backup=backup, importer=job.owner)
        except ImportRejected as error:
            raise JobFailed(f"Nothing was restored. {error.message}") from None
        facts = [
            f"Readings: {report.readings_created} new, {report.readings_reused} already in "
            "the library."
        ]
        if report.readings_left:
            facts.append(
                f"{report.readings_left} of them had been taken out of the seminar; they stay "
                "out, with the tags, summaries and picks made on them."
            )
        facts += [
            f"Themes: {report.themes_created}, with {report.picks} discussion "
            f"pick{'s' if report.picks != 1 else ''}.",
            f"Annotation sets: {report.sets}, with {report.tags} "
            f"tag{'s' if report.tags != 1 else ''}, all yours in the new seminar.",
        ]
        outcome = Outcome(
            summary=f"Backup restored as “{report.seminar.title}”",
            facts=facts,
            next_url=report.seminar.get_absolute_url(),
            next_label="Open the restored seminar",
        )
        job.finish(outcome)
    return outcome


def parse_set_file(data: bytes, chosen: str, budget: Budget) -> ParsedFile:
    """The annotation file in `data`, in the format chosen or recognised."""
    if chosen == "auto":
        if data[:2] == b"PK":
            chosen = "qdpx"
        else:
            document = load_json(data, "annotation", budget)
            rows = document.get("rows") if isinstance(document, dict) else document
            hypothesis = isinstance(rows, list) and any(
                isinstance(row, dict) and "uri" in row and "type" not in row for row in rows
            )
            chosen = "hypothesis" if hypothesis else "w3c"
            del document, rows  # the parser reads the file again: not two trees at once
    parser = {"w3c": parse_w3c, "hypothesis": parse_hypothesis, "qdpx": parse_qdpx}[chosen]
    return parser(data, budget)


# How many orphans the job's page lists; the rest are counted.
ORPHANS_LISTED = 100


def set_import_job(job: JobRun) -> Outcome:
    job.progress(0, 2, "Reading the annotation file")
    access = _access(job, manage=False)
    params = job.params
    budget = _budget(job, "The annotation file")
    default_theme = None
    if params.get("default_theme_id"):
        default_theme = Theme.objects.filter(
            pk=params["default_theme_id"], seminar=access.seminar
        ).first()
    kind = params.get("kind") or AnnotationSet.Kind.REFERENCE
    if not access.is_instructor:
        kind = AnnotationSet.Kind.REFERENCE
    try:
        parsed = parse_set_file(job.payload, params.get("format", "auto"), budget)
        job.progress(1, 2, "Placing the annotations in the readings")
        with job.writes():
            report = services.annotation_set_import(
                seminar=access.seminar,
                owner=job.owner,
                title=params.get("title")
                or parsed.title
                or f"Imported from {params.get('filename', 'a file')}",
                parsed=parsed,
                create_themes=access.is_instructor,
                default_theme=default_theme,
                budget=budget,
                kind=kind,
            )
            outcome = _set_import_outcome(report)
            job.finish(outcome)
    except ImportRejected as error:
        raise JobFailed(f"Nothing was imported. {error.message}") from None
    return outcome


def _set_import_outcome(report: services.ImportReport) -> Outcome:
    annotation_set = report.annotation_set
    title = annotation_set.title if annotation_set else ""
    facts = [f"Format: {report.format}"]
    if report.fuzzy:
        facts.append(
            f"{report.fuzzy} found approximately: the quote had moved or changed slightly."
        )
    if report.merged:
        facts.append(f"{report.merged} fell on a tag already imported and were merged into it.")
    if report.themes_created:
        facts.append(f"New themes: {', '.join(report.themes_created)}.")
    if report.orphans:
        facts.append(f"{len(report.orphans)} orphans, not imported:")
        facts += [f"{orphan.ref}: {orphan.reason}" for orphan in report.orphans[:ORPHANS_LISTED]]
        if len(report.orphans) > ORPHANS_LISTED:
            facts.append(f"The first {ORPHANS_LISTED} are listed.")
    else:
        facts.append("Every annotation found its place.")
    return Outcome(
        summary=f"Imported {report.imported} tag{'s' if report.imported != 1 else ''} "
        f"into “{title}”",
        facts=facts,
        next_url=annotation_set.get_absolute_url() if annotation_set else "",
        next_label="Open the set",
    )
