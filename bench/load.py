"""Speed at class and institution scale (issue 11): gunicorn on PostgreSQL under load.

Run with (any Python 3; it builds .venv and installs the `bench` extra when they are missing):

    python3 bench/load.py --scales class institution --peer taguette

For each scale it makes the data once (bench/make_data.py) in a PostgreSQL cluster it keeps in
--pgdata (default /tmp/counterpoint-bench-pg) for the next run, serves the app as the README's
production section says (gunicorn config.wsgi --workers 4, DEBUG off, static files collected,
cache table made) and drives it from a separate process (locust, headless, bench/locustfile.py)
with logged-in sessions: one page at a time, --clients clients sending requests back to back for
--seconds seconds (at most --max-requests requests). It prints, per page, throughput, p50/p95/
p99 latency, throughput as a share of /healthz's, the CPU seconds spent by the app's workers,
PostgreSQL and the load generator, and each worker's peak memory; it checks that every tag the
tagging clients were told was saved is in the database, then removes those tags again so the
next run starts from the same data. With --peer taguette it also loads the class into Taguette
(bench/taguette_peer.py, in a temporary virtual environment) and measures its highlights page.

PostgreSQL runs with fsync off while the data is made (bulk inserts), and with its default,
durable settings while the pages are measured.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PY = ROOT / ".venv" / "bin" / "python"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PAGES = ["healthz", "reader", "compare_key", "compare_all", "overview", "agreement", "discussion"]
PAGE_LABELS = {
    "healthz": "/healthz (the floor)",
    "reader": "reader (a student's set, one reading)",
    "compare_key": "compare from the key",
    "compare_all": "compare over all sets, at least 5 people",
    "overview": "overview (from the key)",
    "agreement": "agreement (instructor)",
    "discussion": "discussion (instructor)",
    "tag": "tagging POST (htmx)",
    "taguette": "Taguette: highlights for one tag (API, first 50)",
    "taguette_page": "Taguette: the highlights page's HTML",
    "class": "a class in session (--think): students tagging, the instructor's live pages",
    "class_tag": "class: tagging POST (htmx)",
    "class_poll": "class: live poll (204 quiet, 200 changed)",
    "class_overview": "class: overview (all sets) region refresh",
    "class_compare_all": "class: compare (all sets, at least 5) region refresh",
    "class_agreement": "class: agreement region refresh",
    "class_page_load": "class: the 3 live pages' first load (not judged)",
}
# A class in session (--pages class --think N): every request but the first page loads is
# judged against this (issue 21).
CLASS_BUDGET_MS = 100
BUDGET_MS = {"reader": 100, "compare_key": 100, "overview": 100, "tag": 100, "compare_all": 150}
FAST_PG = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=8GB"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


# Bootstrap: the project's virtual environment and the bench extra, then run under it -------


def bootstrap() -> None:
    if os.environ.get("COUNTERPOINT_BENCH_CHILD"):
        return
    say("Checking the virtual environment (bin/lib.sh ensure_venv)")
    subprocess.run(["bash", "-c", "source bin/lib.sh && ensure_venv"], cwd=ROOT, check=True)
    probe = subprocess.run([VENV_PY, "-c", "import locust, psutil"], capture_output=True)
    if probe.returncode != 0:
        say("Installing the bench extra (pyproject.toml: locust, psutil)")
        subprocess.run(
            [
                VENV_PY,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-e",
                f"{ROOT}[bench]",
            ],
            check=True,
        )
    if not (PG_BIN / "initdb").exists():
        sys.exit(
            f"PostgreSQL server binaries are missing in {PG_BIN} "
            "(Debian: apt-get install postgresql; or set PG_BIN)."
        )
    os.environ["COUNTERPOINT_BENCH_CHILD"] = "1"
    os.execv(VENV_PY, [str(VENV_PY), *sys.argv])


# PostgreSQL ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Postgres:
    """A cluster in `base`/data, kept between runs; the server runs only while we need it."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.data = base / "data"
        self.port = 0
        self.mode = ""

    def _as_postgres(self, *args: str | Path, **kwargs) -> subprocess.CompletedProcess:
        command = [str(a) for a in args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, cwd="/", check=True, **kwargs)

    def start(self, mode: str) -> None:
        if self.mode == mode:
            return
        self.stop()
        if not self.data.exists():
            self.base.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.base, "postgres")
            say(f"Creating a PostgreSQL cluster in {self.data}")
            self._as_postgres(
                PG_BIN / "initdb",
                "-D",
                self.data,
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                stdout=subprocess.DEVNULL,
            )
        self.port = free_port()
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base}"
        if mode == "fast":
            options += " " + FAST_PG
        self._as_postgres(
            PG_BIN / "pg_ctl",
            "-D",
            self.data,
            "-w",
            "-l",
            self.base / "server.log",
            "-o",
            options,
            "start",
            stdout=subprocess.DEVNULL,
        )
        self.mode = mode

    def stop(self) -> None:
        if self.mode:
            self._as_postgres(
                PG_BIN / "pg_ctl",
                "-D",
                self.data,
                "-m",
                "fast",
                "-w",
                "stop",
                stdout=subprocess.DEVNULL,
            )
            self.mode = ""

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = self._as_postgres(
            PG_BIN / "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
            "-Atc",
            sql,
            capture_output=True,
            text=True,
        )
        return str(result.stdout).strip()

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])


# The app ------------------------------------------------------------------------------------


class App:
    """Environment for the app's processes: production settings on plain http."""

    def __init__(self, pg: Postgres, database: str, work: Path) -> None:
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "counterpoint-load-benchmark-not-a-secret-" + "x" * 20,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "COUNTERPOINT_HTTPS": "0",
            "DATABASE_URL": pg.url(database),
            "COUNTERPOINT_VAR_DIR": str(work / "var"),
            "STATIC_ROOT": str(work / "static"),
            "LOG_LEVEL": "WARNING",
            # One backend per worker for the whole run: the CPU of a backend that ends between
            # two snapshots cannot be counted (the default, 60 s, reconnects a few times a run).
            "DATABASE_CONN_MAX_AGE": "3600",
        }
        self.env.pop("COUNTERPOINT_BENCH_CHILD", None)

    def run(self, *args: str, capture: bool = False) -> str:
        result = subprocess.run(
            [str(VENV_PY), *args],
            cwd=ROOT,
            env=self.env,
            check=False,
            capture_output=capture,
            text=True,
        )
        if result.returncode:
            sys.exit(f"{' '.join(args)} failed:\n{result.stderr or ''}")
        return result.stdout if capture else ""


def make_data(pg: Postgres, scale: str, args, work: Path) -> str:
    """The scale's database, made once: a marker file says it is complete."""
    database = f"bench_{scale}"
    marker = pg.base / f"made-{scale}-seed{args.seed}.json"
    if marker.exists():
        return database
    command = ["bench/make_data.py", "--scale", scale, "--seed", str(args.seed)]
    template = ""
    if scale == "institution":
        # The institution is the class (a copy of its database: the same seminar, the same
        # primary keys) with 1,999 more seminars around it.
        template = f" TEMPLATE {make_data(pg, 'class', args, work)}"
        command.append("--around-class")
        if args.seminars:
            command += ["--seminars", str(args.seminars), "--tags", str(args.tags)]
    pg.start("fast")
    pg.psql(f"DROP DATABASE IF EXISTS {database}")
    pg.psql(f"CREATE DATABASE {database}{template}")
    app = App(pg, database, work)
    app.env["DEBUG"] = "1"  # make_data imports the settings; no server runs with it
    say(f"Making the {scale} data ({' '.join(command)})")
    started = time.perf_counter()
    app.run("manage.py", "migrate", "--no-input", "-v0")
    app.run(*command)
    say("VACUUM ANALYZE")
    pg.psql("VACUUM ANALYZE", database)
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps({"scale": scale, "seed": args.seed, "seconds": round(seconds)}))
    say(f"{scale} data made in {seconds:.0f} s")
    return database


# Measuring -----------------------------------------------------------------------------------


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    import psutil

    seconds = {}
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            times = psutil.Process(pid).cpu_times()
            seconds[pid] = times.user + times.system
    return seconds


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two snapshots; a process that ended in between is not counted."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def postgres_pids(pg: Postgres) -> list[int]:
    import psutil

    master = psutil.Process(pg.postmaster_pid())
    return [master.pid] + [child.pid for child in master.children()]


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarise(path: Path, ramp: float, only: str | None = None) -> dict:
    rows = []
    for line in path.read_text().splitlines():
        name, end, ms, status = line.split("\t")
        if only is None or name == only:
            rows.append((float(end), float(ms), int(status)))
    if not rows:
        return {"requests": 0}
    first_start = min(end - ms / 1000 for end, ms, _ in rows)
    last = max(end for end, _, _ in rows)
    ramp = min(ramp, (last - first_start) / 5)  # a short run (--max-requests) keeps most
    window = [(end, ms, status) for end, ms, status in rows if end >= first_start + ramp]
    seconds = last - (first_start + ramp)
    times = [ms for _, ms, _ in window]
    return {
        "requests": len(rows),
        # 204: a live poll that found nothing new.
        "ok": sum(1 for _, _, status in rows if status in (200, 204)),
        "quiet": sum(1 for _, _, status in rows if status == 204),
        "errors": sum(1 for _, _, status in rows if status not in (200, 204)),
        "measured": len(window),
        "seconds": round(seconds, 2),
        "rps": len(window) / seconds if seconds > 0 else 0.0,
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "mean": statistics.fmean(times) if times else 0.0,
    }


def warm_up(
    base: str, plan: dict, headers: dict[str, str], phases: list[str]
) -> dict[str, list[float]]:
    """Before anything is measured: every page once, as a seminar's pages have been viewed before
    (the first view renders the page and caches it; those times are returned, milliseconds per
    phase, and reported apart), then a few more requests so that each worker has loaded its
    templates and its connection."""

    def fetch(url: str, headers: dict[str, str]) -> float:
        start = time.perf_counter()
        request = urllib.request.Request(base + url, headers=headers)
        with contextlib.suppress(Exception), urllib.request.urlopen(request, timeout=60) as r:
            r.read()
        return 1000 * (time.perf_counter() - start)

    first_views = {}
    for phase in phases:
        if phase in ("reader", "tag", "taguette"):
            continue
        urls = plan.get(phase) or ["/healthz"]
        first_views[phase] = [fetch(url, headers) for url in urls]
        for url in urls[:3] * 3:
            fetch(url, headers)
    student = plan["students"][0]
    for url in student["readers"] * 2:
        fetch(url, {"Cookie": f"sessionid={student['session']}"})
    return first_views


def run_phase(phase: str, base: str, plan_path: Path, work: Path, args, watch: dict) -> dict:
    """One page under load; `watch` names the processes whose CPU time is counted (a list of
    pids, or a function that lists them)."""

    def snapshot() -> dict[str, dict[int, float]]:
        # Called again at the end: PostgreSQL's backends come and go.
        return {
            name: cpu_seconds(pids() if callable(pids) else pids) for name, pids in watch.items()
        }

    out = work / f"requests-{phase}.tsv"
    env = {
        **os.environ,
        "BENCH_PHASE": phase,
        "BENCH_PLAN": str(plan_path),
        "BENCH_OUT": str(out),
        "BENCH_MAX_REQUESTS": str(args.max_requests),
        "BENCH_THINK": str(args.think),
    }
    # The class phase: 3 instructor pages (fixed) besides the --clients students.
    users = ["ClassStudent", "ClassInstructor"] if phase == "class" else ["Client"]
    clients = args.clients + 3 if phase == "class" else args.clients
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--loglevel",
        "ERROR",
        "--skip-log-setup",
        "-u",
        str(clients),
        "-r",
        str(clients),
        "--run-time",
        f"{args.seconds}s",
        "--stop-timeout",
        "30",
        "-H",
        base,
        *users,
    ]
    before = snapshot()
    with (work / f"locust-{phase}.log").open("w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log
        )
        # wait4, not wait: the load generator's own CPU time is one of the figures.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    after = snapshot()
    # With think time, the first requests are spread over the first wait: skip its mean too.
    result = summarise(out, ramp=1.0 + args.think)
    result["cpu"] = {name: round(cpu_spent(before[name], after[name]), 1) for name in watch}
    result["cpu"]["load generator"] = round(usage.ru_utime + usage.ru_stime, 1)
    if phase == "class":
        names = sorted({line.split("\t")[0] for line in out.read_text().splitlines()})
        result["by_name"] = {}
        for name in names:
            # The first page loads happen before the ramp is over: keep them all.
            ramp = 0.0 if name == "class_page_load" else 1.0 + args.think
            part = summarise(out, ramp=ramp, only=name)
            part["cpu"] = result["cpu"]
            result["by_name"][name] = part
    return result


def serve(app: App, work: Path, workers: int) -> tuple[subprocess.Popen, str, list[int]]:
    import psutil

    app.run("manage.py", "createcachetable")
    app.run("manage.py", "collectstatic", "--no-input", "-v0")
    port = free_port()
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(work / "access.log"),
        ],
        cwd=ROOT,
        env=app.env,
        stdout=subprocess.DEVNULL,
        stderr=(work / "gunicorn.log").open("w"),  # noqa: SIM115 - open while gunicorn runs
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.time() > deadline or gunicorn.poll() is not None:
                sys.exit(f"gunicorn did not start: see {work / 'gunicorn.log'}")
            time.sleep(0.3)
    workers_pids = [child.pid for child in psutil.Process(gunicorn.pid).children()]
    return gunicorn, base, workers_pids


def measure_scale(scale: str, pg: Postgres, args, work: Path, results: dict) -> None:
    database = make_data(pg, scale, args, work)
    pg.start("durable")
    app = App(pg, database, work)
    app.run("manage.py", "migrate", "--no-input", "-v0")  # new migrations since it was made
    plan_path = work / f"plan-{scale}.json"
    app.run("bench/load_setup.py", "plan", str(plan_path))
    plan = json.loads(plan_path.read_text())
    max_tag = int(pg.psql("SELECT coalesce(max(id), 0) FROM annotations_tag", database))
    if args.explain:
        args.explain.mkdir(parents=True, exist_ok=True)
        app.run("bench/load_setup.py", "explain", str(args.explain / f"explain-{scale}.txt"))
    gunicorn, base, worker_pids = serve(app, work, args.workers)
    scale_results: dict = {"counts": plan["counts"], "class_tags": plan["tags"], "pages": {}}
    try:
        headers = {"Cookie": f"sessionid={plan['instructor']}"}
        phases = [p for p in PAGES + ["tag", "class"] if p in args.pages]
        scale_results["first_views"] = warm_up(base, plan, headers, phases)
        watch = {"app workers": worker_pids, "PostgreSQL": lambda: postgres_pids(pg)}
        for phase in phases:
            pace = f", {args.think:g} s apart" if args.think else ""
            say(f"{scale}: {PAGE_LABELS[phase]}, {args.clients} clients{pace}, {args.seconds} s")
            result = run_phase(phase, base, plan_path, work, args, watch)
            if phase == "class":
                scale_results["class_total"] = {
                    k: result[k] for k in ("requests", "seconds", "cpu") if k in result
                }
                for name, part in result["by_name"].items():
                    scale_results["pages"][name] = part
                    print("    " + line_for(name, part, None), flush=True)
                live_cpu = work / "live-cpu.json"
                print(app.run("bench/load_setup.py", "live-cpu", str(live_cpu), capture=True))
                scale_results["live_cpu"] = json.loads(live_cpu.read_text())
                continue
            scale_results["pages"][phase] = result
            print("    " + line_for(phase, result, None), flush=True)
        if "tag" in phases or "class" in phases:
            after = int(app.run("bench/load_setup.py", "count", capture=True).strip())
            pages = scale_results["pages"]
            posted = sum(pages[name]["ok"] for name in ("tag", "class_tag") if name in pages)
            scale_results["tag_check"] = {
                "before": plan["tags"],
                "successful_posts": posted,
                "after": after,
                "lost": plan["tags"] + posted - after,
            }
        scale_results["peak_mib"] = [round(peak_memory_mib(pid), 1) for pid in worker_pids]
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        # The run's own tags go again: the next run measures the same data.
        pg.psql(f"DELETE FROM annotations_tag WHERE id > {max_tag}", database)
    results["scales"][scale] = scale_results


def line_for(phase: str, result: dict, floor: float | None) -> str:
    if not result.get("measured"):
        return f"{phase:<12} no requests measured"
    ratio = f"{result['rps'] / floor:6.2f}" if floor else "     -"
    cpu = ", ".join(f"{k} {v}" for k, v in result["cpu"].items())
    return (
        f"{phase:<12} {result['rps']:8.1f} req/s  p50 {result['p50']:7.1f}"
        f"  p95 {result['p95']:7.1f}  p99 {result['p99']:7.1f} ms  ratio {ratio}"
        f"  errors {result['errors']}  "
        f"n {result['measured']}  CPU s: {cpu}"
    )


def report(results: dict) -> None:
    print()
    print(f"# load.py: {results['date']}, {results['machine']}")
    print(f"# command: {results['command']}")
    print(f"# load average before: {results['load_before']}, after: {results.get('load_after')}")
    class_p95 = {
        phase: r["p95"]
        for phase, r in results["scales"].get("class", {}).get("pages", {}).items()
        if r.get("measured")
    }
    for scale, data in results["scales"].items():
        pages = data["pages"]
        floor = pages.get("healthz", {}).get("rps")
        print(f"\n## {scale}: {data['counts']}; the class seminar: {data['class_tags']} tags")
        print(
            "| page | req/s | × /healthz | p50 ms | p95 ms | p99 ms | errors | budget |"
            " app CPU ms/req | app/db/loadgen CPU s |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---|---:|---|")
        for phase, r in pages.items():
            if not r.get("measured"):
                continue
            budget = []
            if phase.startswith("class_") and phase != "class_page_load":
                met = r["p95"] < CLASS_BUDGET_MS
                budget.append(f"p95 < {CLASS_BUDGET_MS} ms: " + ("met" if met else "MISSED"))
                if phase == "class_poll":
                    budget.append(f"{r['quiet']} of {r['requests']} quiet (204)")
            elif results.get("think"):
                budget.append("(budgets are for clients with no think time)")
            elif phase in BUDGET_MS:
                met = r["p95"] < BUDGET_MS[phase]
                budget.append(f"p95 < {BUDGET_MS[phase]} ms: " + ("met" if met else "MISSED"))
                if phase == "compare_all" and floor:
                    quarter = r["rps"] >= floor / 4
                    budget.append("≥ ¼ of /healthz: " + ("met" if quarter else "MISSED"))
            if scale != "class" and phase in class_p95 and phase != "healthz":
                factor = r["p95"] / class_p95[phase]
                budget.append(f"{factor:.2f}× class p95: " + ("met" if factor <= 1.5 else "MISSED"))
            cpu = " / ".join(str(v) for v in r["cpu"].values())
            ratio = f"{r['rps'] / floor:.2f}" if floor else "-"
            # The class phase's CPU is the whole run's, shared by its kinds of request.
            total = data.get("class_total", {}).get("requests") if phase.startswith("class_") else 0
            per_request = 1000 * r["cpu"]["app workers"] / max(1, total or r["requests"])
            print(
                f"| {PAGE_LABELS[phase]} | {r['rps']:.1f} | {ratio} | {r['p50']:.0f} |"
                f" {r['p95']:.0f} | {r['p99']:.0f} | {r['errors']} | {'; '.join(budget)} |"
                f" {per_request:.1f} | {cpu} |"
            )
        if "tag_check" in data:
            check = data["tag_check"]
            verdict = "no tag lost" if check["lost"] == 0 else f"{check['lost']} TAGS LOST"
            if check["lost"] < 0:  # saved, but the client had stopped waiting for the answer
                verdict = f"no tag lost ({-check['lost']} saved after their client timed out)"
            print(
                f"\nTags: {check['before']} before + {check['successful_posts']} successful POSTs"
                f" = {check['before'] + check['successful_posts']}; counted after:"
                f" {check['after']}: {verdict}."
            )
        print(f"Peak memory per worker (VmHWM, MiB): {data.get('peak_mib')}")
        if "live_cpu" in data:
            print("The live pages' own CPU per request, in-process (load_setup.py live-cpu), ms:")
            for name, row in data["live_cpu"].items():
                print(f"- {name}: median {row['median_ms']}, max {row['max_ms']} (n {row['n']})")
        firsts = {k: v for k, v in data.get("first_views", {}).items() if k != "healthz"}
        if firsts:
            print("First views, before the measured runs (each renders and caches its page), ms:")
            for phase, times in firsts.items():
                print(
                    f"- {PAGE_LABELS[phase]}: {len(times)} page(s), median"
                    f" {statistics.median(times):.0f}, max {max(times):.0f}"
                )
    peer = results.get("peer")
    if peer:
        pages = results["scales"].get("class", {}).get("pages", {})
        print(f"\n## Peer: {peer['label']}")
        print("| page | req/s | p50 ms | p95 ms | p99 ms | errors | server/loadgen CPU s |")
        print("|---|---:|---:|---:|---:|---:|---|")
        rows = {**{k: pages[k] for k in ("compare_all", "compare_key") if k in pages}}
        rows.update(peer["results"])
        for phase, r in rows.items():
            if r.get("measured"):
                cpu = " / ".join(str(v) for k, v in r["cpu"].items() if k != "PostgreSQL")
                print(
                    f"| {PAGE_LABELS[phase]} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f}"
                    f" | {r['p99']:.0f} | {r['errors']} | {cpu} |"
                )


def machine() -> str:
    import psutil

    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{platform.node()}, {os.cpu_count()} cores, {memory:.0f} GiB, Python "
        f"{platform.python_version()}, PostgreSQL 15"
    )


def main() -> None:
    bootstrap()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scales", nargs="+", default=["class"], choices=["small", "class", "institution"]
    )
    parser.add_argument("--pgdata", type=Path, default=Path("/tmp/counterpoint-bench-pg"))
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=20, help="per page")
    parser.add_argument(
        "--think",
        type=float,
        default=0,
        help="seconds each client waits between requests, on average (default 0: back to back)",
    )
    parser.add_argument("--max-requests", type=int, default=20000, help="per page")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (README: 4)")
    parser.add_argument("--pages", nargs="+", default=PAGES + ["tag"])
    parser.add_argument("--peer", choices=["taguette"])
    parser.add_argument(
        "--explain", type=Path, help="write EXPLAIN ANALYZE of compare's queries in this folder"
    )
    parser.add_argument("--seminars", type=int, help="institution: fewer seminars, to try it")
    parser.add_argument("--tags", type=int, default=3_000_000, help="with --seminars")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="counterpoint-load-"))
    pg = Postgres(args.pgdata)
    results: dict = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "command": "python3 bench/load.py " + " ".join(sys.argv[1:]),
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "think": args.think,
        "scales": {},
    }
    try:
        for scale in args.scales:
            measure_scale(scale, pg, args, work, results)
        if args.peer == "taguette":
            from taguette_peer import measure_taguette

            pg.start("durable")
            app = App(pg, f"bench_{args.scales[0]}", work)
            results["peer"] = measure_taguette(app, work, args, run_phase, pg.base)
    finally:
        pg.stop()
    results["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
