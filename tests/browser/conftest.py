"""Playwright on the system Chromium against pytest-django's live server, with axe-core."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("COUNTERPOINT_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# Playwright's sync API runs an event loop in the test thread; the live server's ORM calls are
# in other threads, so Django's async-safety guard is a false alarm here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM} (Debian package 'chromium').")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def problems() -> list[str]:
    """Console errors and failed requests seen by the page; a test ends with none."""
    return []


@pytest.fixture
def page(page: Page, problems: list[str]) -> Iterator[Page]:
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type in {"error", "warning"}
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "requestfailed",
        lambda request: (
            None
            if _harmless_failure(request)
            else problems.append(f"failed: {request.url} ({request.failure})")
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400 and not _expected_status(response.url)
            else None
        ),
    )
    yield page
    assert problems == [], "The browser reported problems:\n" + "\n".join(problems)


def _harmless_failure(request) -> bool:
    # The browser cancels the favicon fetch when a test navigates on quickly, and a live poll
    # (every few seconds: annotations/live/) that was under way: not a fault of ours.
    if "ERR_ABORTED" not in str(request.failure):
        return False
    path: str = request.url.split("?")[0]
    # A link followed to a file that comes as an attachment (a handout's PDF or Word file,
    # without a `download` attribute since a long one answers with its job's page instead):
    # Chromium ends that navigation as aborted when the download starts.
    if re.search(r"[?&]format=(?:pdf|docx)(?:&|$)", request.url):
        return True
    return path.endswith(("/static/img/counterpoint.svg", "/live/", "/changes/"))


def _expected_status(url: str) -> bool:
    # Pages a test opens on purpose to see an error page mark themselves with ?expect-error.
    return "expect-error" in url


def axe_violations(page: Page) -> list[str]:
    """Run axe-core's WCAG 2.2 A/AA rules on the page and describe each violation."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run bin/test, which installs it with npm.")
    # evaluate() runs through the DevTools protocol, so the page's CSP need not allow it.
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_22_AA,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in result["violations"]
    ]


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    # caret="initial": Playwright otherwise leaves style="" on inputs, which htmx copies on its
    # next swap and the CSP then blocks.
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path


# Steps that browser tests share -------------------------------------------------------------


def log_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the form, as a person would (the reader's tests use a session cookie)."""
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def focused(page: Page) -> str:
    """The focused element as a person would name it: its id, or its visible text."""
    name: str = page.evaluate(
        "() => document.activeElement.id || document.activeElement.textContent.trim()"
    )
    return name


def tab_to(page: Page, target: str, *, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == target:
            return
    raise AssertionError(f"Tab never reached {target!r}; stopped at {focused(page)!r}")


def settled(page: Page) -> None:
    """Wait until htmx has processed what it swapped in (it does so ~20 ms after the swap) and
    has no request in flight (the reader polls for changes)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-added, .htmx-settling, .htmx-request')"
    )
