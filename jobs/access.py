"""The one access helper of jobs: a job is its owner's alone."""

from __future__ import annotations

import uuid

from django.http import Http404

from jobs.models import Job


def get_job_for_owner(user, job_id: uuid.UUID | str) -> Job:
    """The job, without its upload or file, or 404: for anyone but its owner it does not exist
    (a job's title names a seminar or a file)."""
    if not user.is_authenticated:
        raise Http404("No such job.")
    job = Job.objects.light().filter(pk=job_id, owner=user).first()
    if job is None:
        raise Http404("No such job.")
    return job
