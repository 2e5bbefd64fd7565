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

BENCH_PHASE=class is a class in session (bench/load.py runs it with the user classes named on
locust's command line, ClassStudent and ClassInstructor): every client but three is a student
tagging at the --think pace, and three are the instructor's live pages (PLAN["live"]: overview,
compare over all sets, agreement), each polling the seminar every POLL_SECONDS as live.js does
and, when the poll says something changed, fetching its region as htmx would.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, between, constant, constant_pacing, events, task

PHASE = os.environ.get("BENCH_PHASE", "healthz")
PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text()) if "BENCH_PLAN" in os.environ else {}
OUT = os.environ.get("BENCH_OUT", "")
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "100000"))
THINK = float(os.environ.get("BENCH_THINK", "0"))
POLL_SECONDS = 3.0  # annotations/live/views.py POLL_MILLISECONDS

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


# A class in session (BENCH_PHASE=class) -----------------------------------------------------

students_seen = itertools.count()
pages_seen = itertools.count()


def _poll_url(html: str | None) -> str:
    found = re.search(r'<div id="live-poll"[^>]*hx-get="([^"]+)"', html or "")
    return found.group(1).replace("&amp;", "&") if found else ""


class ClassStudent(FastHttpUser):
    """A student tagging at the class's pace: their own set, passages they have not tagged."""

    wait_time = between(THINK / 2, THINK * 3 / 2) if THINK else constant(0)
    network_timeout = 30.0
    connection_timeout = 30.0

    def on_start(self) -> None:
        students = PLAN["students"]
        person = students[next(students_seen) % len(students)]
        self.csrf = PLAN.get("csrf", "")
        self.headers = {
            "Cookie": f"sessionid={person['session']}; csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
            "HX-Request": "true",
        }
        self.posts = iter(person["posts"])
        if THINK:
            gevent.sleep(self.wait_time())

    @task
    def tag(self) -> None:
        post = next(self.posts, None)
        if post is None:
            return
        with self.client.post(
            post["url"],
            data={"theme": post["theme"]},
            name="class_tag",
            headers=self.headers,
            catch_response=True,
        ) as response:
            if response.status_code == 200 and "Tagged " not in (response.text or ""):
                response.failure("answered 200 without saving a tag")


class ClassInstructor(FastHttpUser):
    """One of the instructor's live pages: loaded once, then polled as live.js polls it."""

    fixed_count = 3
    wait_time = constant_pacing(POLL_SECONDS)
    network_timeout = 30.0
    connection_timeout = 30.0

    def on_start(self) -> None:
        pages = PLAN["live"]
        self.page = pages[next(pages_seen) % len(pages)]
        self.cookies = {"Cookie": f"sessionid={PLAN['instructor']}"}
        response = self.client.get(self.page["url"], name="class_page_load", headers=self.cookies)
        self.poll = _poll_url(response.text)
        gevent.sleep(POLL_SECONDS * (0.2 + 0.8 * (hash(self.page["name"]) % 100) / 100))

    @task
    def live(self) -> None:
        if not self.poll:
            return
        htmx = {**self.cookies, "HX-Request": "true"}
        response = self.client.get(self.poll, name="class_poll", headers=htmx)
        if response.status_code != 200:
            return
        self.poll = _poll_url(response.text) or self.poll
        self.client.get(
            self.page["url"],
            name=f"class_{self.page['name']}",
            headers={**htmx, "HX-Target": self.page["region"]},
        )
