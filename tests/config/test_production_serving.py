"""The production path as the README documents it: collectstatic, then gunicorn with workers."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_ALLOW")}
    env.update(
        DEBUG="0",
        SECRET_KEY="production-like-" + "s3cret" * 10,
        ALLOWED_HOSTS="127.0.0.1",
        COUNTERPOINT_HTTPS="0",  # plain http on loopback; TLS is the proxy's job
        COUNTERPOINT_STATIC_MANIFEST="1",
        COUNTERPOINT_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    env.pop("DATABASE_URL", None)
    return env


def test_gunicorn_serves_the_app_and_hashed_compressed_static_files(production_env) -> None:
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=production_env,
        check=True,
        timeout=120,
    )
    port = _free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=production_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, body = _get(base + "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert status == 200 and b'"ok"' in body

        _, headers, html = _get(base + "/")
        stylesheet = re.search(rb'href="(/static/css/counterpoint\.[0-9a-f]{12}\.css)"', html)
        assert stylesheet, "the page links the hashed stylesheet"
        assert "Content-Security-Policy" in headers

        css_url = base + stylesheet.group(1).decode()
        _, css_headers, css = _get(css_url, **{"Accept-Encoding": "gzip"})
        assert css_headers.get("Content-Encoding") == "gzip"
        assert "max-age=315360000" in css_headers.get("Cache-Control", "")
        assert css[:2] == b"\x1f\x8b"
    finally:
        server.terminate()
        server.wait(timeout=20)
