"""The load bench/load.py puts on the server, one page at a time (locust, headless).

bench/load.py starts `locust -f bench/locustfile.py --headless` once per page with:
- BENCH_PHASE: healthz, reader, compare_key, compare_all, overview, agreement, discussion, tag
  (or taguette and taguette_page, the peer's highlights for one tag: bench/taguette_peer.py);
- BENCH_PLAN: the JSON bench/load_setup.py wrote (sessions, URLs, untagged passages);
- BENCH_OUT: where to write one line per request (name, end time, milliseconds, status);
- BENCH_MAX_REQUESTS: the bound on requests; --run-time bounds the time;
- BENCH_THINK: seconds a client waits between its requests, on average (0: none).

Without BENCH_THINK each simulated client sends requests back to back, so throughput is what the
server sustains at that many clients. With it, each client is a person who reads between clicks:
a random wait of 0.5-1.5 times it, the first one too, so a class does not click in one instant.
The reader and tagging clients are students, each with their own session and set; the other
pages are the instructor's.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, between, constant, events, task

PHASE = os.environ.get("BENCH_PHASE", "healthz")
PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text()) if "BENCH_PLAN" in os.environ else {}
OUT = os.environ.get("BENCH_OUT", "")
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "100000"))
THINK = float(os.environ.get("BENCH_THINK", "0"))

records: list[tuple[str, float, float, int]] = []
clients = itertools.count()


environments: list = []  # locust's Environment, once it is made


@events.init.add_listener
def _init(environment, **kwargs) -> None:
    environments.append(environment)


@events.request.add_listener
def _record(request_type, name, response_time, response, exception, **kwargs) -> None:
    status = getattr(response, "status_code", 0) or 0
    records.append((name, time.time(), response_time, 0 if exception else status))
    if len(records) == MAX_REQUESTS and environments and environments[0].runner is not None:
        gevent.spawn(environments[0].runner.quit)


@events.quitting.add_listener
def _dump(environment, **kwargs) -> None:
    if OUT:
        with open(OUT, "w") as out:
            for name, end, ms, status in records:
                out.write(f"{name}\t{end:.6f}\t{ms:.3f}\t{status}\n")


class Client(FastHttpUser):
    wait_time = between(THINK / 2, THINK * 3 / 2) if THINK else constant(0)
    network_timeout = 30.0
    connection_timeout = 30.0

    def on_start(self) -> None:
        number = next(clients)
        students = PLAN.get("students", [])
        csrf = PLAN.get("csrf", "")
        clients_in_all = max(1, self.environment.parsed_options.num_users)
        if PHASE in ("reader", "tag") and students:
            # Client k reads as students k, k + n, ... and posts every n-th of their untagged
            # passages: no two clients ever post the same tag.
            self.people = students[number % len(students) :: clients_in_all]
            session = self.people[0]["session"]
        else:
            self.people = []
            session = PLAN.get("instructor", "")
        self.headers = {"Cookie": f"sessionid={session}; csrftoken={csrf}"} if session else {}
        self.csrf = csrf
        self.urls = itertools.cycle(PLAN.get(PHASE, []) or [""])
        self.readers = itertools.cycle(
            [(p["session"], url) for p in self.people for url in p["readers"]] or [("", "")]
        )
        every = [(p["session"], post) for p in students for post in p["posts"]]
        self.posts = iter(every[number % clients_in_all :: clients_in_all])
        if THINK:
            gevent.sleep(self.wait_time())

    @task
    def request(self) -> None:
        if PHASE == "healthz":
            self.client.get("/healthz", name="healthz")
        elif PHASE == "reader":
            session, url = next(self.readers)
            self.client.get(url, name="reader", headers=self._cookies(session))
        elif PHASE == "tag":
            session, post = next(self.posts)
            headers = {**self._cookies(session), "X-CSRFToken": self.csrf, "HX-Request": "true"}
            with self.client.post(
                post["url"],
                data={"theme": post["theme"]},
                name="tag",
                headers=headers,
                catch_response=True,
            ) as response:
                # 200 also answers a refusal ("already tagged", an error in the panel).
                if response.status_code == 200 and "Tagged " not in (response.text or ""):
                    response.failure("answered 200 without saving a tag")
        elif PHASE.startswith("taguette"):
            self.client.get(next(self.urls), name=PHASE, headers=PLAN.get("headers", {}))
        else:
            self.client.get(next(self.urls), name=PHASE, headers=self.headers)

    def _cookies(self, session: str) -> dict[str, str]:
        return {"Cookie": f"sessionid={session}; csrftoken={self.csrf}"}
