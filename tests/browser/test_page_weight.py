"""Pages stay light: the demo seminar's reader and compare pages load in under 100 KB
compressed, htmx included; no JavaScript framework, our own JavaScript small and deferred, the
CSS one file.

The weight is what the browser loads for the page: the HTML and every same-origin script,
stylesheet and image it references (the icon too), each compressed with gzip as a server would
send it."""

from __future__ import annotations

import gzip
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from annotations.demo.load import DEMO_PASSWORD
from annotations.models import AnnotationSet, Theme
from readings.models import Seminar, SeminarReading
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET_KB = 100
OWN_JS_BUDGET_KB = 10
# Globals that the common frameworks leave behind; htmx is a library, not a framework.
FRAMEWORKS = ["React", "ReactDOM", "Vue", "angular", "ng", "jQuery", "Alpine", "Ember", "preact"]

REFERENCES = """() => ({
  scripts: [...document.querySelectorAll("script")].map(s => ({src: s.src, defer: s.defer})),
  stylesheets: [...document.querySelectorAll("link[rel~=stylesheet]")].map(l => l.href),
  styles: document.querySelectorAll("style").length,
  images: [
    ...[...document.querySelectorAll("img[src]")].map(i => i.src),
    ...[...document.querySelectorAll("link[rel~=icon]")].map(l => l.href),
  ],
})"""


def gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


def weigh(page: Page, url: str) -> dict:
    """What the browser loads for the page at `url`, in compressed bytes per kind."""
    response = page.goto(url)
    assert response is not None and response.ok, url
    found = page.evaluate(REFERENCES)
    origin = urlsplit(url).netloc
    files = {
        "script": [s["src"] for s in found["scripts"] if s["src"]],
        "stylesheet": found["stylesheets"],
        "image": found["images"],
    }
    sizes = {"html": gzipped(response.body())}
    own_js = 0
    for kind, urls in files.items():
        sizes[kind] = 0
        for ref in dict.fromkeys(urls):
            if urlsplit(ref).netloc != origin:
                continue
            fetched = page.request.get(ref)
            assert fetched.ok, ref
            size = gzipped(fetched.body())
            sizes[kind] += size
            if kind == "script" and urlsplit(ref).path.startswith("/static/js/"):
                own_js += size
    frameworks = page.evaluate(
        "(names) => names.filter(name => typeof window[name] !== 'undefined')", FRAMEWORKS
    )
    return {
        "path": urlsplit(url).path,
        "sizes": sizes,
        "total": sum(sizes.values()),
        "own_js": own_js,
        "scripts": found["scripts"],
        "stylesheets": found["stylesheets"],
        "styles": found["styles"],
        "frameworks": frameworks,
        "third_party": [
            s["src"]
            for s in found["scripts"]
            if s["src"]
            and not urlsplit(s["src"]).path.startswith(("/static/js/", "/static/django_htmx/"))
        ],
    }


def describe(figures: list[dict]) -> str:
    lines = ["page: total (html + scripts + css + images), our JS; KB compressed"]
    for f in figures:
        s = {kind: size / 1024 for kind, size in f["sizes"].items()}
        lines.append(
            f"{f['path']}: {f['total'] / 1024:.1f} KB ({s['html']:.1f} + {s['script']:.1f} + "
            f"{s['stylesheet']:.1f} + {s['image']:.1f}), our JS {f['own_js'] / 1024:.1f} KB"
        )
    return "\n".join(lines)


def test_the_demo_reader_and_compare_pages_are_light(page: Page, live_server) -> None:
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    seminar = Seminar.objects.get()
    key = AnnotationSet.objects.get(kind=AnnotationSet.Kind.KEY)
    base = f"{live_server.url}/seminars/{seminar.pk}"
    log_in(page, live_server.url, "instructor", DEMO_PASSWORD)
    urls = [
        f"{base}/sets/{key.pk}/read/{reading.document_id}/"
        for reading in SeminarReading.objects.filter(seminar=seminar)
    ] + [f"{base}/compare/{theme.slug}/" for theme in Theme.objects.filter(seminar=seminar)]
    assert len(urls) == 6
    figures = [weigh(page, url) for url in urls]
    report = describe(figures)
    print(report)

    for f in figures:
        where = f"{f['path']}\n{report}"
        assert f["total"] < BUDGET_KB * 1024, f"over {BUDGET_KB} KB: {where}"
        assert f["frameworks"] == [] and f["third_party"] == [], f"a framework: {where}"
        assert f["own_js"] < OWN_JS_BUDGET_KB * 1024, f"our JS over {OWN_JS_BUDGET_KB} KB: {where}"
        # Every script is a deferred file: none blocks the page, none is inline (the CSP).
        assert [s for s in f["scripts"] if not (s["src"] and s["defer"])] == [], where
        assert len(f["stylesheets"]) == 1 and f["styles"] == 0, f"CSS is not one file: {where}"
