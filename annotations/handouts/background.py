"""Long handouts rendered by a worker (jobs/runner.py). bench/RESULTS.md, "Handouts": the demo
handout's 83 passages make 29 A4 pages of PDF in 1.6-2.2 s and a Word file in 0.2-0.3 s, both
growing with the passages. Past HANDOUT_BACKGROUND_PASSAGES (about a second of work) the
download link answers with the job's page, which offers the file when it is made; below it the
file comes straight from the request, as before.
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from annotations.handouts.budget import handout_fit
from annotations.handouts.contents import Handout
from annotations.handouts.docx import handout_docx
from annotations.handouts.model import handout_build
from annotations.handouts.options import handout_options
from annotations.handouts.pdf import handout_pdf
from config.http import HtmxHttpRequest
from jobs.runner import JobFailed, JobRun, Outcome
from jobs.services import job_start
from readings.access import get_seminar_for_user
from readings.models import Seminar

# Passages in all columns of all sections together, per format: about a second of rendering.
HANDOUT_BACKGROUND_PASSAGES = 60
DOCX_BACKGROUND_PASSAGES = 300
RENDERERS = {
    "pdf": ("application/pdf", handout_pdf),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        handout_docx,
    ),
}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def handout_passages(handout: Handout) -> int:
    return sum(len(column.passages) for section in handout.sections for column in section.columns)


def handout_in_background(
    request: HtmxHttpRequest, seminar: Seminar, handout: Handout, fmt: str
) -> HttpResponse | None:
    """The job's page for a long PDF or Word handout, or None to render it in the request."""
    limit = HANDOUT_BACKGROUND_PASSAGES if fmt == "pdf" else DOCX_BACKGROUND_PASSAGES
    if fmt not in RENDERERS or handout_passages(handout) <= limit:
        return None
    query = request.GET.copy()
    query.pop("format", None)
    job = job_start(
        owner=request.user,
        kind="handout",
        title=f"Handout of “{seminar.title}” ({fmt.upper()})",
        params={"seminar_id": seminar.pk, "query": query.urlencode(), "format": fmt},
    )
    if request.htmx:
        return HttpResponseClientRedirect(job.get_absolute_url())
    return HttpResponseRedirect(job.get_absolute_url(), status=303)


def handout_job(job: JobRun) -> Outcome:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    fmt = job.params.get("format", "pdf")
    if fmt not in RENDERERS:
        raise JobFailed("This kind of handout file cannot be made here.")
    job.progress(0, 2, "Gathering the passages")
    try:
        access = get_seminar_for_user(job.owner, job.params["seminar_id"])
        built, _ = handout_build(access, handout_options(QueryDict(job.params.get("query", ""))))
        # "Fit to N pages" trims as the preview did (annotations/handouts/views.py).
        built = handout_fit(access, built)
    except (Http404, PermissionDenied):
        raise JobFailed(
            "You can no longer read this seminar or one of the sets the handout quotes, so "
            "the handout was not made."
        ) from None
    passages = handout_passages(built)
    job.progress(1, 2, f"Laying out {_count(passages, 'passage')}")
    content_type, render = RENDERERS[fmt]
    data = render(built)
    job.check()
    return Outcome(
        summary="Handout made",
        facts=[f"{_count(len(built.sections), 'theme')}, {_count(passages, 'passage')}."],
        file=data,
        file_name=built.filename(fmt),
        file_type=content_type,
        next_url=reverse("annotations:handout", args=[access.seminar.pk])
        + "?"
        + job.params.get("query", ""),
        next_label="Back to the handout builder",
    )
