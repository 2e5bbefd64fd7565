"""A job's page (progress while it runs, then what it came to), its cancel, its file."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from config.http import HtmxHttpRequest, wants_fragment
from jobs.access import get_job_for_owner
from jobs.models import Job
from jobs.services import job_cancel, job_sweep_if_stale

TEMPLATE = "jobs/job_detail.html"
# What the page polls at (ms): often enough to see each page of an import go by.
POLL_MS = 1500


def _fresh(request: HtmxHttpRequest, job_id: uuid.UUID) -> Job:
    job = get_job_for_owner(request.user, job_id)
    if job_sweep_if_stale(job):  # its worker died: the page shows the retry or the failure
        job = get_job_for_owner(request.user, job_id)
    return job


@login_required
@vary_on_headers("HX-Request")
@require_GET
def job_detail(request: HtmxHttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The job's progress; with htmx (the poll) only its status, until it has finished."""
    job = _fresh(request, job_id)
    if wants_fragment(request) and job.state == Job.State.DONE and job.opens_next:
        # The page was watching: go straight on (an import's preview); a later visit, or a
        # browser without JavaScript, gets the page with its link instead.
        return HttpResponseClientRedirect(job.next_url)
    template = TEMPLATE + ("#job-status" if wants_fragment(request) else "")
    return render(request, template, {"job": job, "poll_ms": POLL_MS})


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def job_cancel_view(request: HtmxHttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """GET asks to confirm; POST cancels and goes back to the job's page."""
    job = _fresh(request, job_id)
    if request.method == "GET":
        return render(request, "jobs/job_cancel.html", {"job": job})
    job_cancel(job=job)
    if request.htmx:
        return HttpResponseClientRedirect(job.get_absolute_url())
    return redirect(job)


@login_required
@require_GET
def job_file(request: HtmxHttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The file the job made, as often as its owner likes while it is kept."""
    job = get_job_for_owner(request.user, job_id)
    if not job.has_file:
        return render(request, TEMPLATE, {"job": job, "file_gone": True}, status=404)
    data = Job.objects.filter(pk=job.pk).values_list("result", flat=True).get()
    response = HttpResponse(bytes(data or b""), content_type=job.result_type)
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    return response
