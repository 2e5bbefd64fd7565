"""Faults: the database going away and coming back, a full disk, imports that fail halfway."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client

from annotations.demo.load import demo_load
from annotations.interchange.exports.backup import seminar_backup
from annotations.interchange.imports.backup import parse_backup
from annotations.interchange.services import seminar_restore
from annotations.models import AnnotationSet, PositionSummary, Tag, Theme
from readings.models import Document, Passage, Seminar, SeminarReading
from readings.services import DocumentMetadata, document_import
from tests.factories import SeminarFactory, UserFactory
from tests.security.pgserver import ThrowawayPostgres

ROOT = Path(__file__).resolve().parents[2]
ESSAY = "A claim is made.\n\nA reason is given for it.\n\nA conclusion follows.\n"


# The database stops and starts again under a running server --------------------------------


def _get(url: str, session: str = "") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


SESSION_FOR_NEW_USER = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.create_user("ines", password="irrelevant-here")
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


@pytest.fixture
def server_on_throwaway_postgres(tmp_path):
    """gunicorn serving the app from a PostgreSQL server of this test's own."""
    postgres = ThrowawayPostgres()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_ALLOW", "COUNTER"))}
    env.update(
        DEBUG="0",
        SECRET_KEY="fault-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        COUNTERPOINT_HTTPS="0",
        COUNTERPOINT_STATIC_MANIFEST="0",
        COUNTERPOINT_VAR_DIR=str(tmp_path),
        DATABASE_URL=postgres.url,
        DATABASE_CONN_MAX_AGE="60",  # a persistent connection, which the stop breaks
    )
    manage = [sys.executable, "manage.py"]
    server = None
    try:
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=180)
        made = subprocess.run(
            [*manage, "shell", "-c", SESSION_FOR_NEW_USER],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        session = made.stdout.strip().splitlines()[-1]
        with __import__("socket").socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(base + "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield postgres, base, session
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        postgres.remove()


def test_database_going_away_gives_a_503_page_and_the_app_recovers(
    server_on_throwaway_postgres,
) -> None:
    postgres, base, session = server_on_throwaway_postgres
    status, _, body = _get(base + "/seminars/", session)
    assert status == 200 and "Seminars" in body

    postgres.stop()  # kills the worker's open connection, then refuses new ones
    for _ in range(2):  # the broken connection, then a refused new one
        status, headers, body = _get(base + "/seminars/", session)
        assert status == 503
        assert "Counterpoint is back in a moment" in body
        assert "Traceback" not in body and "OperationalError" not in body
        assert 'href="/static/css/counterpoint.css"' in body  # the product's own page
        assert headers["Retry-After"] == "30"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert _get(base + "/healthz")[0] == 503

    postgres.start()
    status, _, body = _get(base + "/seminars/", session)
    assert status == 200 and "Seminars" in body
    assert json.loads(_get(base + "/healthz")[2])["database"] == "ok"


# The same in process, on whichever database the suite runs -----------------------------------


@pytest.mark.django_db
def test_a_view_that_loses_the_database_answers_503_not_500(monkeypatch) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="ines"))

    def gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("readings.views.seminars.seminars_for_user", gone)
    response = client.get("/seminars/")
    assert response.status_code == 503
    assert "Counterpoint is back in a moment" in response.content.decode()


@pytest.mark.django_db
def test_a_full_disk_during_an_upload_gives_a_clear_message_and_stores_nothing(
    monkeypatch, settings
) -> None:
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # spool every upload to a temporary file

    def disk_full(self, raw_data, start):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", disk_full)
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="ines"))
    upload = SimpleUploadedFile("essay.txt", ESSAY.encode())
    response = client.post("/documents/import/", {"file": upload})
    assert response.status_code == 503
    body = response.content.decode()
    assert "The server has run out of space" in body
    assert "What you just sent was not stored" in body
    assert not Document.objects.exists()


# Failures halfway leave nothing ------------------------------------------------------------


@pytest.mark.django_db
def test_a_document_import_that_fails_halfway_leaves_no_rows(monkeypatch) -> None:
    seminar = SeminarFactory()

    def fails(**kwargs):
        raise OperationalError("connection lost after the passages were written")

    monkeypatch.setattr("readings.services.seminar_reading_add", fails)
    with pytest.raises(OperationalError):
        document_import(
            raw_text=ESSAY,
            metadata=DocumentMetadata(title="Halfway"),
            original_format="txt",
            seminar=seminar,
        )
    assert not Document.objects.exists() and not Passage.objects.exists()
    assert not SeminarReading.objects.exists()


@pytest.mark.django_db
def test_a_restore_that_fails_halfway_leaves_no_rows(monkeypatch) -> None:
    demo = demo_load()
    backup = parse_backup(json.dumps(seminar_backup(demo.seminar)).encode())
    before = {
        model: model.objects.count()
        for model in (Seminar, Document, Passage, Theme, AnnotationSet, Tag, PositionSummary)
    }
    users = get_user_model().objects.count()
    real = PositionSummary.objects.bulk_create
    calls = []

    def fails_on_the_third_set(objs, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OperationalError("disk full while writing the third set")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(PositionSummary.objects, "bulk_create", fails_on_the_third_set)
    stranger = UserFactory(username="stranger")
    with pytest.raises(OperationalError):
        seminar_restore(backup=backup, importer=stranger)
    after = {model: model.objects.count() for model in before}
    assert after == before
    assert get_user_model().objects.count() == users + 1  # only the stranger made above


@pytest.mark.django_db
def test_a_failed_set_import_on_the_web_leaves_no_set_and_no_themes(monkeypatch) -> None:
    demo = demo_load()
    instructor = get_user_model().objects.get(username="instructor")
    client = Client(raise_request_exception=False)
    client.force_login(instructor)
    key = AnnotationSet.objects.get(seminar=demo.seminar, kind=AnnotationSet.Kind.KEY)
    exported = client.get(f"/seminars/{demo.seminar.pk}/sets/{key.pk}/export/w3c/").content
    for theme in Theme.objects.filter(seminar=demo.seminar):  # so the import must add themes
        Theme.objects.filter(pk=theme.pk).update(name=f"Renamed {theme.pk}")
    themes, sets = Theme.objects.count(), AnnotationSet.objects.count()

    themes_when_it_failed = []

    def fails(*args, **kwargs):
        themes_when_it_failed.append(Theme.objects.count())
        raise OperationalError("connection lost while storing the tags")

    monkeypatch.setattr("annotations.interchange.services._store_tags", fails)
    response = client.post(
        f"/seminars/{demo.seminar.pk}/import/set/",
        {
            "file": SimpleUploadedFile("key.json", exported, content_type="application/json"),
            "format": "w3c",
            "title": "Half an import",
            "create_themes": "on",
        },
    )
    assert response.status_code == 503
    assert themes_when_it_failed[0] > themes  # the import had made themes when it failed
    assert Theme.objects.count() == themes and AnnotationSet.objects.count() == sets
