"""A job's page, its cancel and its file: for its owner only, with and without htmx."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from jobs.services import job_start
from tests.factories import UserFactory
from tests.jobs.worker import run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(username="olive")


@pytest.fixture
def job(owner) -> Job:
    return job_start(owner=owner, kind="counting", title="Counting the pages", params={"pages": 3})


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(name: str, job: Job) -> str:
    return reverse(f"jobs:{name}", args=[job.pk])


def test_the_owner_sees_a_waiting_job_that_polls_with_a_reload_link(owner, job) -> None:
    response = _client(owner).get(_url("job", job))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in page and "Counting the pages" in page
    assert "Waiting for a worker" in page
    assert f'hx-get="{_url("job", job)}"' in page and 'hx-trigger="every 1500ms"' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "Reload to see the progress" in page
    assert f'href="{_url("job_cancel", job)}"' in page


def test_the_poll_gets_only_the_status_with_the_progress_in_words(owner, job, htmx_headers):
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING,
        steps_done=2,
        steps_total=10,
        step_label="Reading page 3 of 10",
        heartbeat_at=timezone.now(),
    )
    response = _client(owner).get(_url("job", job), headers=htmx_headers)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="job-status"') and "<h1" not in page
    assert "Running</strong>: Reading page 3 of 10 (2 of 10 done)." in page
    assert '<progress id="job-progress" max="10" value="2"' in page
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_a_finished_job_stops_polling_and_offers_its_file(owner, job, htmx_headers) -> None:
    run_queued_jobs()
    no_headers: dict[str, str] = {}
    for headers in (no_headers, htmx_headers):
        page = _client(owner).get(_url("job", job), headers=headers).content.decode()
        assert "Counted 3 pages" in page
        assert f'href="{_url("job_file", job)}" download>Download count.txt' in page
        assert "hx-trigger" not in page and "http-equiv" not in page


def test_a_failed_job_says_why(owner) -> None:
    job = job_start(owner=owner, kind="refusing", title="Restore of b.json")
    run_queued_jobs()
    page = _client(owner).get(_url("job", job)).content.decode()
    assert "Failed" in page
    assert 'role="alert"><p>The file is not a seminar backup' in page


@pytest.mark.parametrize("who", ["visitor", "outsider", "other"])
def test_nobody_but_the_owner_sees_or_cancels_a_job(job, who) -> None:
    user = {"visitor": None, "outsider": UserFactory(), "other": UserFactory()}[who]
    client = _client(user)
    for response in (
        client.get(_url("job", job)),
        client.get(_url("job_cancel", job)),
        client.post(_url("job_cancel", job)),
        client.get(_url("job_file", job)),
    ):
        if who == "visitor":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404
            assert "Counting the pages" not in response.content.decode()
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and not job.cancel_requested


def test_cancel_asks_first_then_cancels_and_goes_back_to_the_job(owner, job) -> None:
    client = _client(owner)
    confirm = client.get(_url("job_cancel", job))
    assert confirm.status_code == 200
    assert "Cancel “Counting the pages”?" in confirm.content.decode()
    assert 'method="post"' in confirm.content.decode()
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED  # asking is not doing

    response = client.post(_url("job_cancel", job))
    assert response.status_code == 302 and response["Location"] == _url("job", job)
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED
    assert "Nothing was changed." in client.get(_url("job", job)).content.decode()


def test_cancel_with_htmx_sends_the_browser_to_the_job(owner, job, htmx_headers) -> None:
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, heartbeat_at=timezone.now())
    response = _client(owner).post(_url("job_cancel", job), headers=htmx_headers)
    assert response.status_code == 200 and response["HX-Redirect"] == _url("job", job)
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING and job.cancel_requested  # its worker stops it
    page = _client(owner).get(_url("job", job)).content.decode()
    assert "Stopping at its next step" in page


def test_cancelling_a_finished_job_changes_nothing(owner, job) -> None:
    run_queued_jobs()
    client = _client(owner)
    assert "nothing to cancel" in client.get(_url("job_cancel", job)).content.decode()
    client.post(_url("job_cancel", job))
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.has_file


def test_the_owner_downloads_the_file_again_until_it_expires(owner, job) -> None:
    run_queued_jobs()
    client = _client(owner)
    for _ in range(2):
        response = client.get(_url("job_file", job))
        assert response.status_code == 200
        assert response.content == b"counted\n" * 3
        assert response["Content-Disposition"] == 'attachment; filename="count.txt"'
        assert response["Content-Type"] == "text/plain"

    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    gone = client.get(_url("job_file", job))
    assert gone.status_code == 404
    assert "files are kept for a day after they are made" in gone.content.decode()


def test_a_job_with_no_file_yet_has_none_to_download(owner, job) -> None:
    response = _client(owner).get(_url("job_file", job))
    assert response.status_code == 404
    assert "There is no file to download here." in response.content.decode()


def test_a_job_no_worker_takes_says_so_after_a_minute(owner, job) -> None:
    client = _client(owner)
    assert "No worker has taken this job" not in client.get(_url("job", job)).content.decode()
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    page = client.get(_url("job", job)).content.decode()
    assert "No worker has taken this job for a minute" in page
    assert "Waiting for a worker" in page


def test_the_access_helper_finds_no_job_for_an_anonymous_visitor(job) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    from jobs.access import get_job_for_owner

    with pytest.raises(Http404):
        get_job_for_owner(AnonymousUser(), job.pk)
    assert get_job_for_owner(job.owner, job.pk) == job
