"""bin/serve, the room's server: started as a person would, reached at another loopback
address than the one it printed, with DEBUG off; and the join links it prints."""

from __future__ import annotations

import io
import os
import signal
import socket
import stat
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from readings.models import Seminar
from tests.factories import seminar_world

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = "127.0.0.2"  # not 127.0.0.1: any loopback address must be an allowed host


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((ADDRESS, 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_bin_serve_runs_production_on_any_loopback_address(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    for name in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"):
        env.pop(name, None)
    env.update(COUNTERPOINT_VAR_DIR=str(tmp_path / "var"), STATIC_ROOT=str(tmp_path / "static"))
    port = _free_port()
    command = ["bin/serve", "--no-install", "--port", str(port), "--bind", ADDRESS]
    server = subprocess.Popen(
        [*command, "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://{ADDRESS}:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _ = _get(base + "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert status == 200

        # DEBUG is off: the product's 404 page, not Django's list of URL patterns.
        status, html = _get(base + "/no-such-page/")
        assert status == 404
        assert "<title>Page not found · Counterpoint</title>" in html
        assert "URLconf" not in html and "Using the URLconf" not in html
        status, html = _get(base + "/")
        assert status == 200 and "Counterpoint" in html
        # A host that is not this machine's is refused.
        status, _ = _get(base + "/", Host="counterpoint.example.net")
        assert status == 400

        key = tmp_path / "var" / "secret_key"
        assert len(key.read_text().strip()) >= 50
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert (tmp_path / "var" / "counterpoint.sqlite3").exists()  # no DATABASE_URL: SQLite
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert f"Counterpoint is at:\n  {base}/" in output
    assert "DEBUG off" in output


def test_a_wrong_port_is_refused_before_anything_starts(tmp_path: Path) -> None:
    env = {**os.environ, "COUNTERPOINT_VAR_DIR": str(tmp_path / "var"), "PORT": "nope"}
    result = subprocess.run(
        ["bin/serve", "--no-install"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "--port needs a number from 1 to 65535, not 'nope'" in result.stderr
    assert not (tmp_path / "var").exists()


@pytest.mark.django_db
def test_join_links_name_each_seminar_at_each_address() -> None:
    world = seminar_world()
    Seminar.objects.create(title="Closed \x1b[31mseminar", created_by=world.instructor)
    out = io.StringIO()
    call_command("join_links", "http://192.168.1.20:8000/", "http://127.0.0.1:8000", stdout=out)
    text = out.getvalue()
    code = world.seminar.join_code
    assert "  http://192.168.1.20:8000/\n  http://127.0.0.1:8000/\n" in text
    assert f"  Reading Power:\n    http://192.168.1.20:8000/join/{code}/\n" in text
    assert f"    http://127.0.0.1:8000/join/{code}/\n" in text
    assert "Closed  [31mseminar: joining is closed" in text  # no escape sequence reaches it
