"""The peer for bench/load.py --peer taguette: Taguette with the class's readings and tags.

Taguette (open-source qualitative coding: Tornado and SQLite) is never a dependency of the
project. This installs it into a virtual environment under the run's temporary directory with
Python 3.11 (Taguette 1.5.2 does not install on 3.12), serves it on 127.0.0.1 in single-user
mode, and loads it through its own HTTP API, as its web page does: one project, the six readings
as HTML documents (one <p> per passage; its text import needs Calibre, which is not here), one
Taguette tag per theme, and one highlight per tag of every set, over the same characters (the
passage, or the quote inside it). Then the load generator measures its "highlights for one tag"
page, with the same clients and duration as ours:

- taguette: GET /api/project/P/highlights/<tag>?page=1, the JSON the highlights page shows
  (Taguette pages highlights 50 at a time; our compare page shows every passage at once);
- taguette_page: GET /project/P/highlights/<tag>, the HTML page that loads it.
"""

from __future__ import annotations

import concurrent.futures
import html
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

TAGUETTE = "taguette==1.5.2"


def _python311() -> str:
    candidates = [shutil.which("python3.11"), shutil.which("python3")]
    candidates += sorted(str(p) for p in Path.home().glob(".pyenv/versions/3.11*/bin/python3"))
    for candidate in candidates:
        if not candidate:
            continue
        version = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info[:2] == (3, 11))"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if version == "True":
            return candidate
    sys.exit("--peer taguette needs Python 3.11 (python3.11 on PATH or under ~/.pyenv).")


def install(work: Path) -> Path:
    venv = work / "taguette-venv"
    print(f"==> Installing {TAGUETTE} into {venv} (temporary)", flush=True)
    subprocess.run([_python311(), "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(venv / "bin" / "pip"),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            TAGUETTE,
        ],
        check=True,
    )
    return venv


def serve(venv: Path, work: Path, port: int, database: Path) -> tuple[subprocess.Popen, str]:
    """Taguette in single-user mode; its log-in token is in what it prints."""
    log = work / "taguette.log"
    process = subprocess.Popen(
        [
            str(venv / "bin" / "taguette"),
            "--no-browser",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "--database",
            str(database),
        ],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        cwd=work,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        found = re.search(r"\?token=([0-9a-f]+)", log.read_text())
        if found:
            return process, found.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.3)
    sys.exit(f"Taguette did not start: see {log}")


def scratch_database(work: Path) -> Path:
    """Where Taguette's SQLite file lives while it runs: on tmpfs where there is one, since
    30,000 highlights, one commit each, would take most of an hour of fsyncs to load. Reads
    are served from memory either way."""
    shm = Path("/dev/shm")
    return (shm if shm.is_dir() else work) / f"taguette-{os.getpid()}.sqlite3"


def _copy_sqlite(source: Path, target: Path) -> None:
    """The database file with its journal files, if any (-wal, -shm)."""
    for path in source.parent.glob(source.name + "*"):
        shutil.copy(path, target.parent / (target.name + path.name[len(source.name) :]))


def remove_database(database: Path) -> None:
    for path in database.parent.glob(database.name + "*"):
        path.unlink()


class Loader:
    """Taguette's own API, as its page calls it."""

    def __init__(self, base: str, token: str) -> None:
        import requests

        self.base = base
        self.local = threading.local()
        first = requests.Session()
        first.get(f"{base}/?token={token}").raise_for_status()
        first.get(f"{base}/project/new").raise_for_status()
        self.cookies = first.cookies.get_dict()
        self.xsrf = str(self.cookies["_xsrf"])
        self.session = first

    def _session(self):
        import requests

        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
            self.local.session.cookies.update(self.cookies)
        return self.local.session

    def post_json(self, path: str, data: dict) -> dict:
        response = self._session().post(
            self.base + path, json=data, headers={"X-XSRFToken": self.xsrf}
        )
        response.raise_for_status()
        answer: dict = response.json()
        return answer

    def project(self, name: str) -> int:
        response = self.session.post(
            f"{self.base}/project/new",
            data={"name": name, "description": "", "_xsrf": self.xsrf},
        )
        response.raise_for_status()
        found = re.search(r"/project/(\d+)", response.url)
        if found is None:
            sys.exit(f"Taguette did not create the project: it answered {response.url}")
        return int(found.group(1))

    def document(self, project: int, name: str, body: str) -> int:
        response = self.session.post(
            f"{self.base}/api/project/{project}/document/new",
            data={"name": name, "description": "", "text_direction": "LEFT_TO_RIGHT"},
            files={"file": (f"{name[:40]}.html", body.encode(), "text/html")},
            headers={"X-XSRFToken": self.xsrf},
        )
        response.raise_for_status()
        return int(response.json()["created"])


def load(loader: Loader, data: dict) -> tuple[int, dict[int, str], int]:
    """The class in one project; returns it, Taguette's tag paths by our theme id, highlights."""
    project = loader.project("Load benchmark: the class")
    documents, offsets = [], []
    for reading in data["readings"]:
        body = "".join(
            f"<p>{html.escape(text, quote=False)}</p>" for _, text in reading["passages"]
        )
        at, starts = 0, []
        for _, text in reading["passages"]:
            starts.append(at)
            at += len(text)
        documents.append(loader.document(project, reading["title"], body))
        offsets.append(starts)
    paths, tag_ids = {}, {}
    for theme_id, name in data["themes"]:
        created = loader.post_json(
            f"/api/project/{project}/tag/new", {"path": name, "description": ""}
        )
        paths[theme_id] = name
        tag_ids[theme_id] = created["id"]

    def highlight(tag: list[int]) -> None:
        reading, index, theme_id, start, end = tag
        text = data["readings"][reading]["passages"][index][1]
        first = offsets[reading][index]
        span = (start, end) if end > 0 else (0, len(text))
        loader.post_json(
            f"/api/project/{project}/document/{documents[reading]}/highlight/new",
            {
                "start_offset": first + span[0],
                "end_offset": first + span[1],
                "tags": [tag_ids[theme_id]],
            },
        )

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for n, _ in enumerate(pool.map(highlight, data["tags"]), 1):
            if n % 5000 == 0:
                print(f"  Taguette: {n} of {len(data['tags'])} highlights", flush=True)
    print(
        f"  Taguette: {len(data['tags'])} highlights in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return project, paths, len(data["tags"])


def check_offsets(loader: Loader, project: int, path: str, data: dict) -> str:
    """One highlight's text as Taguette stored it, against the passage it was made from."""
    quoted = urllib.parse.quote(path)
    response = loader.session.get(f"{loader.base}/api/project/{project}/highlights/{quoted}")
    response.raise_for_status()
    first = response.json()["highlights"][0]["content"]
    plain = html.unescape(re.sub(r"<[^>]+>", "", first)).strip()
    texts = {text for reading in data["readings"] for _, text in reading["passages"]}
    inside = any(plain and plain in text for text in texts)
    return "offsets checked" if inside else f"OFFSETS DO NOT MATCH: {plain[:80]!r}"


def measure_taguette(app, work: Path, args, run_phase, keep: Path) -> dict:
    """Load (or reuse) Taguette's copy of the class and measure its highlights pages.

    Loading takes a quarter of an hour, so the loaded database is kept in `keep` (the
    benchmark's PostgreSQL folder) with what it holds, and copied back for the next run.
    """
    from load import free_port

    export = work / "peer-class.json"
    app.run("bench/load_setup.py", "export", str(export))
    data = json.loads(export.read_text())
    kept = keep / f"taguette-seed{args.seed}.sqlite3"
    about_path = kept.with_suffix(".json")
    venv = install(work)
    database = scratch_database(work)
    about = json.loads(about_path.read_text()) if about_path.exists() and kept.exists() else None
    if about is not None and about["highlights"] != len(data["tags"]):
        about = None  # made from other data
    if about is not None:
        _copy_sqlite(kept, database)
    port = free_port()
    process, token = serve(venv, work, port, database)
    base = f"http://127.0.0.1:{port}"
    try:
        loader = Loader(base, token)
        if about is None:
            project, paths, highlights = load(loader, data)
            check = check_offsets(loader, project, next(iter(paths.values())), data)
            about = {
                "project": project,
                "paths": list(paths.values()),
                "highlights": highlights,
                "check": check,
            }
        else:
            print(f"  Taguette: reusing {kept} ({about['highlights']} highlights)", flush=True)
        print(f"  Taguette: {about['check']}", flush=True)
        cookie = "; ".join(f"{k}={v}" for k, v in loader.session.cookies.get_dict().items())
        quoted = [urllib.parse.quote(path) for path in about["paths"]]
        project = about["project"]
        plan = {
            "headers": {"Cookie": cookie},
            "taguette": [f"/api/project/{project}/highlights/{q}?page=1" for q in quoted],
            "taguette_page": [f"/project/{project}/highlights/{q}" for q in quoted],
        }
        plan_path = work / "plan-taguette.json"
        plan_path.write_text(json.dumps(plan))
        results = {}
        for phase in ("taguette", "taguette_page"):
            print(f"==> peer: {phase}, {args.clients} clients, {args.seconds} s", flush=True)
            results[phase] = run_phase(
                phase, base, plan_path, work, args, {"Taguette": [process.pid]}
            )
        return {
            "label": (
                f"{TAGUETTE}, {about['highlights']} highlights in {len(about['paths'])} tags;"
                f" {about['check']}"
            ),
            "results": results,
        }
    finally:
        process.terminate()
        process.wait(timeout=30)
        if not about_path.exists() and about is not None:
            _copy_sqlite(database, kept)
            about_path.write_text(json.dumps(about))
        remove_database(database)
