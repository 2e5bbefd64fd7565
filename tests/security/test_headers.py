"""Security headers on every page of the demo seminar, and markup the policy lets run.

The demo is loaded as `bin/run` loads it; each page a person reaches from it is fetched as the
instructor and as a student, and its headers are checked one by one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from annotations.demo.load import DEMO_PASSWORD
from annotations.models import AnnotationSet
from tests.security.markup import active_markup

ROOT = Path(__file__).resolve().parents[2]
EXPECTED_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def demo_pages(demo, username: str) -> list[str]:
    """The pages a member reaches from the demo seminar, in their own annotation set."""
    seminar = demo.seminar
    key = AnnotationSet.objects.filter(seminar=seminar, owner__username=username).first()
    assert key is not None
    readings = list(seminar.seminar_readings.order_by("position"))
    themes = list(seminar.themes.order_by("position"))
    pages = [
        "/",
        reverse("readings:seminar_list"),
        reverse("readings:document_list"),
        reverse("readings:document_import"),
        reverse("readings:join"),
        reverse("password_change"),
        seminar.get_absolute_url(),
        reverse("annotations:theme_list", args=[seminar.pk]),
        reverse("annotations:set", args=[seminar.pk, key.pk]),
        reverse("annotations:parallel", args=[seminar.pk, key.pk]),
        reverse("annotations:overview", args=[seminar.pk]),
        reverse("annotations:interchange", args=[seminar.pk]),
        reverse("annotations:handout", args=[seminar.pk]),
    ]
    for reading in readings:
        pages.append(reading.document.get_absolute_url())
        pages.append(reverse("annotations:reader", args=[seminar.pk, key.pk, reading.document_id]))
    for theme in themes:
        pages.append(reverse("annotations:compare", args=[seminar.pk, theme.slug]))
    return pages


def assert_secure_headers(response, path: str) -> None:
    for header, value in EXPECTED_HEADERS.items():
        assert response.get(header) == value, (path, header, response.get(header))
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"], path
    assert directives["frame-ancestors"] == ["'none'"], path
    assert directives["object-src"] == ["'none'"], path
    assert directives["base-uri"] == ["'self'"], path
    assert directives["form-action"] == ["'self'"], path
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, path
    assert "*" not in policy.split(), path
    # Pages may be framed by nobody, in old browsers (X-Frame-Options) and new ones (CSP).
    if response["Content-Type"].startswith("text/html"):
        markup = active_markup(response.content.decode())
        assert not markup.found, (path, markup.found)
        nonce = next(p for p in directives["script-src"] if p.startswith("'nonce-"))
        assert markup.nonces <= {nonce.removeprefix("'nonce-").rstrip("'")}, path


@pytest.fixture
def demo(demo_loaded):
    return demo_loaded


@pytest.mark.parametrize("username", ["instructor", "amara"])
def test_every_demo_page_carries_the_policy_and_the_security_headers(demo, username) -> None:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    checked = 0
    for path in demo_pages(demo, username):
        response = client.get(path)
        if username == "amara" and response.status_code == 403:
            continue  # pages for instructors only: the refusal is checked below
        assert response.status_code == 200, (path, response.status_code)
        assert_secure_headers(response, path)
        checked += 1
    assert checked >= 15


def test_error_pages_and_downloads_carry_the_headers_too(demo) -> None:
    client = Client()
    assert client.login(username="amara", password=DEMO_PASSWORD)
    forbidden = client.get(reverse("readings:seminar_edit", args=[demo.seminar.pk]))
    missing = client.get("/seminars/999999/")
    own = AnnotationSet.objects.get(seminar=demo.seminar, owner__username="amara")
    csv = client.get(reverse("annotations:set_export", args=[demo.seminar.pk, own.pk, "csv"]))
    pdf = client.get(reverse("annotations:handout", args=[demo.seminar.pk]) + "?format=pdf")
    for response, status in ((forbidden, 403), (missing, 404), (csv, 200), (pdf, 200)):
        assert response.status_code == status
        assert_secure_headers(response, response.request["PATH_INFO"])
    assert pdf["Content-Type"] == "application/pdf"


def test_log_in_cookies_are_http_only_and_same_site(demo) -> None:
    client = Client()
    page = client.get("/accounts/login/")
    csrf = page.cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"
    response = client.post(
        "/accounts/login/",
        {"username": "instructor", "password": DEMO_PASSWORD},
    )
    session = response.cookies["sessionid"]
    assert session["httponly"] is True and session["samesite"] == "Lax"


PRODUCTION_PROBE = """
import json
from django.test import Client
client = Client()
plain = client.get("/accounts/login/")
https = client.get("/accounts/login/", secure=True)
cookie = https.cookies["csrftoken"]
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "status": https.status_code,
    "hsts": https.get("Strict-Transport-Security", ""),
    "csp": https.get("Content-Security-Policy", ""),
    "csrf_secure": bool(cookie["secure"]),
    "csrf_samesite": cookie["samesite"],
}))
from django.conf import settings
print(json.dumps({
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "proxy_header": list(settings.SECURE_PROXY_SSL_HEADER),
}))
"""


def test_production_serves_only_https_with_hsts_and_secure_cookies(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_ALLOW", "COUNTER"))}
    env.update(
        DEBUG="0",
        SECRET_KEY="production-like-" + "s3cret" * 10,
        ALLOWED_HOSTS="testserver",
        COUNTERPOINT_VAR_DIR=str(tmp_path),
        COUNTERPOINT_STATIC_MANIFEST="0",
    )
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    served, configured = (json.loads(line) for line in result.stdout.strip().splitlines()[-2:])
    assert served["plain_status"] == 301
    assert served["plain_location"] == "https://testserver/accounts/login/"
    assert served["status"] == 200
    assert served["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in served["csp"]
    assert served["csrf_secure"] and served["csrf_samesite"] == "Lax"
    assert configured == {
        "session_secure": True,
        "session_httponly": True,
        "proxy_header": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
