"""A job: work too long for a request (a backup, a restore, a large import, a long handout),
run by a worker process through Django's Tasks framework, with what its page shows while it
runs and after: state, progress, the error in words, the file it made.

The task backend only knows "run this function with these arguments"; the Job row is what a
person sees and what keeps the work safe: who may see it, whether it was cancelled, whether
its worker is still alive (the heartbeat), how many times it was tried.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class JobQuerySet(models.QuerySet["Job"]):
    def light(self) -> JobQuerySet:
        """Without the uploaded file and the result, which can be megabytes."""
        return self.defer("payload", "result")

    def stale(self, now=None) -> JobQuerySet:
        """Running, but no sign of life from its worker for COUNTERPOINT_JOB_STALE_SECONDS."""
        now = now or timezone.now()
        cutoff = now - timedelta(seconds=settings.COUNTERPOINT_JOB_STALE_SECONDS)
        return self.filter(state=Job.State.RUNNING, heartbeat_at__lt=cutoff)


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    FINISHED = (State.DONE, State.FAILED, State.CANCELLED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, help_text="A key of COUNTERPOINT_JOB_KINDS.")
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # What the work needs besides its upload (ids, options), and the upload itself, in the
    # database so that a worker on another machine reads it too; emptied when the job ends.
    params = models.JSONField(default=dict, blank=True)
    payload = models.BinaryField(default=b"", blank=True)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    step_label = models.CharField(max_length=200, blank=True)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    # What it came to: in words, a link onwards, a file kept for COUNTERPOINT_JOB_KEEP_HOURS.
    error = models.TextField(blank=True)
    summary = models.CharField(max_length=300, blank=True)
    facts = models.JSONField(default=list, blank=True)
    next_url = models.CharField(max_length=500, blank=True)
    next_label = models.CharField(max_length=200, blank=True)
    # What the page it leads to needs (an import's metadata for its preview), as JSON.
    data = models.JSONField(default=dict, blank=True)
    result = models.BinaryField(null=True, blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    result_type = models.CharField(max_length=200, blank=True)
    result_size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat"),
            models.Index(fields=["owner", "-created_at"], name="job_owner_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed", "cancelled"]),
                name="job_state_known",
            ),
            models.CheckConstraint(
                condition=Q(steps_total=0) | Q(steps_done__lte=models.F("steps_total")),
                name="job_steps_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(state="failed") | ~Q(error=""), name="job_failure_says_why"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["done", "failed", "cancelled"])
                | Q(finished_at__isnull=False),
                name="job_finished_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def percent(self) -> int | None:
        if not self.steps_total:
            return None
        return min(100, round(100 * self.steps_done / self.steps_total))

    @property
    def opens_next(self) -> bool:
        """Whether a page watching the job goes on to `next_url` by itself when it is done."""
        return bool(self.next_url) and isinstance(self.data, dict) and bool(self.data.get("open"))

    @property
    def waiting_long(self) -> bool:
        """Queued for a minute: no worker is free, or none is running."""
        return self.state == self.State.QUEUED and timezone.now() - self.created_at > timedelta(
            seconds=60
        )

    @property
    def result_expires_at(self):
        if self.finished_at is None:
            return None
        return self.finished_at + timedelta(hours=settings.COUNTERPOINT_JOB_KEEP_HOURS)

    @property
    def has_file(self) -> bool:
        """A file to download: made, and not yet past the time it is kept. (`result_size` is
        read, not `result`, so that a page never loads the file itself.)"""
        expires = self.result_expires_at
        return (
            self.state == self.State.DONE
            and bool(self.result_name)
            and self.result_size > 0
            and expires is not None
            and timezone.now() < expires
        )
