from __future__ import annotations

import pytest

from readings.importing import ImportRejected, read_document, split_text
from readings.importing.readers.html import html_to_text

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>China &amp; Russia</title>
  <meta name="author" content="Michael McFaul">
  <meta name="author" content="Evan S. Medeiros">
  <meta property="article:published_time" content="2025-04-04">
  <style>body { color: red } .secret::after { content: "STYLE-TEXT" }</script></style>
  <script>var leaked = "SCRIPT-TEXT";</script>
</head>
<body onload="steal()">
  <nav><a href="/">Home</a> MENU-TEXT</nav>
  <h1 onclick="x()">The <em>Reverse Kissinger</em> Delusion</h1>
  <p>Nixon wrote in <i>Foreign Affairs</i> in 1967 &mdash; &ldquo;any policy&rdquo;, 5 * 3
  and snake_case.<script>document.write("INLINE-SCRIPT")</script></p>
  <div>A div block<br>after a break.</div>
  <ul><li>First <strong>point</strong>.</li><li><p>Second point.</p></li></ul>
  <blockquote>A quoted block.</blockquote>
  <p><a href="javascript:alert(1)" onmouseover="alert(2)">A link</a> text.</p>
  <img src="x" onerror="alert(3)">
  <iframe src="https://example.org">FRAME-TEXT</iframe>
  <p>- not a bullet, # not a heading.</p>
</body>
</html>
"""


@pytest.fixture(scope="module")
def raw():
    return read_document(filename="page.html", data=PAGE.encode())


def test_metadata_from_the_head(raw) -> None:
    assert raw.format == "html"
    assert raw.metadata == {
        "title": "China & Russia",
        "authors": "Michael McFaul, Evan S. Medeiros",
        "published": "2025-04-04",
        "language": "en-GB",
    }


def test_scripts_styles_and_handlers_leave_no_trace(raw) -> None:
    for leak in ("SCRIPT", "STYLE", "MENU", "FRAME", "steal", "alert", "onclick", "javascript"):
        assert leak not in raw.text
    assert "<" not in raw.text


def test_removal_warning(raw) -> None:
    assert raw.warnings == (
        "Removed 2 scripts, 1 style block, 1 embedded frame or object and 4 event-handler "
        "attributes from the HTML.",
    )


def test_structure_becomes_light_markdown(raw) -> None:
    assert raw.text.split("\n\n") == [
        "# The *Reverse Kissinger* Delusion",
        "Nixon wrote in *Foreign Affairs* in 1967 — “any policy”, 5 \\* 3 and snake\\_case.",
        "A div block",
        "after a break.",
        "- First *point*.",
        "- Second point.",
        "A quoted block.",
        "A link text.",
        "\\- not a bullet, # not a heading.",
    ]


def test_split_html_keeps_literal_characters_and_emphasis(raw) -> None:
    passages = split_text(raw.text).passages
    assert passages[0].kind == "heading"
    assert passages[0].text == "The Reverse Kissinger Delusion"
    assert [passages[0].text[a:b] for a, b in passages[0].emphasis] == ["Reverse Kissinger"]
    assert passages[1].text.endswith("5 * 3 and snake_case.")
    assert passages[-1].text == "- not a bullet, # not a heading."
    assert [p.kind for p in passages if p.text.endswith("point.")] == ["list_item", "list_item"]


def test_event_handlers_and_script_content_leave_no_text() -> None:
    assert html_to_text('<p onclick="x()">Hi<script>alert(1)</script> <b>there</b></p>') == (
        "Hi *there*"
    )


def test_entities_are_decoded_once() -> None:
    assert html_to_text("<p>&amp;lt;b&amp;gt; &eacute; &#8217;</p>") == "&lt;b&gt; é ’"


def test_declared_charset_is_used_when_not_utf8() -> None:
    page = '<meta charset="iso-8859-1"><p>Caf\xe9</p>'.encode("latin-1")
    assert read_document(filename="a.htm", data=page).text == "Café"


def test_page_with_nothing_but_scripts() -> None:
    with pytest.raises(ImportRejected) as caught:
        read_document(filename="a.html", data=b"<script>alert(1)</script><style>p{}</style>")
    assert caught.value.message == (
        "The HTML file contains no readable text once scripts and markup are removed. "
        "Save the page's article text and upload that instead."
    )


NEWS_PAGE = """<!DOCTYPE html><html lang="en"><head><title>The Quiet Treaty | Harbour Times</title>
</head><body>
<div class="cookie-banner"><p>We use cookies to improve your experience. Cookie settings</p>
<button>Accept all</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li>
<li><a href="/subscribe">Subscribe now</a></li></ul></nav></header>
<main><article><h1>The Quiet Treaty</h1>
<p>Treaties are signed in public and kept in private, and the harbour treaty of 1923 was no
exception to that rule, as the archive shows in some detail.</p>
<blockquote><p>The clauses that matter are the ones nobody reads, as every negotiator
knows and few admit.</p></blockquote>
<p>Nobody read it twice before it was signed, and the ferry company paid for that haste with
a decade of lawsuits over the landing fees.</p>
<ul class="share"><li><a href="#">Share on Facebook</a></li><li><a href="#">Email</a></li></ul>
</article>
<section id="comments"><h2>2 comments</h2>
<div class="comment"><p>Great piece, my grandfather worked on that ferry for years and
never said a word about the treaty.</p></div></section></main>
<footer><p>© 2024 Harbour Times Media Group. All rights reserved. Cookie settings</p></footer>
</body></html>"""


def test_a_news_page_keeps_its_article_and_drops_the_boilerplate() -> None:
    raw = read_document(filename="treaty.html", data=NEWS_PAGE.encode())
    passages = [p.text for p in split_text(raw.text).passages]
    assert (
        "Treaties are signed in public and kept in private, and the harbour treaty of 1923 was "
        "no exception to that rule, as the archive shows in some detail."
    ) in passages
    assert (
        "The clauses that matter are the ones nobody reads, as every negotiator knows and few "
        "admit."
    ) in passages
    assert passages[-1].startswith("Nobody read it twice")
    page = " ".join(passages)
    for furniture in ("cookies", "Cookie settings", "© 2024", "grandfather", "Subscribe", "Share"):
        assert furniture not in page
    assert raw.metadata["title"] == "The Quiet Treaty"  # the heading, without the site name


def test_a_page_without_boilerplate_is_read_whole() -> None:
    page = "<html><body><h1>Notes</h1><p>One short line.</p><p>Another.</p></body></html>"
    raw = read_document(filename="notes.html", data=page.encode())
    assert raw.text == "# Notes\n\nOne short line.\n\nAnother."


LEDGER_PAGE = """<!doctype html><html lang="en"><head>
<title>Why seminars read in pairs | The Ledger</title>
<meta name="author" content="Sam Okafor"></head><body>
<div class="cookie-banner"><p>We use cookies. <a href="#">Cookie settings</a></p></div>
<header><nav><ul><li><a href="/">World</a></li><li><a href="/b">Business</a></li></ul></nav>
</header>
<main><article><h1>Why seminars read in pairs</h1><p class="byline">By Sam Okafor · 4 March 2024</p>
<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Email</a></div>
<p>Comparative reading asks students to hold two arguments in mind at once, and to see where
their claims actually touch.</p>
<figure><img src="x.jpg" alt="">
<figcaption>Students in a seminar room. Photo: archive</figcaption></figure>
<p>Most seminars fail at this in a predictable way: discussion drifts toward whichever text was
read most recently, and the older argument survives as a caricature.</p>
<p>The remedy is deliberately mechanical: tag every passage by theme, then lay the passages side
by side, so that the confrontation memory avoids takes place.</p></article></main>
<footer><p>© 2024 The Ledger Ltd. <a href="#">Cookie settings</a></p></footer></body></html>"""


def test_a_news_article_keeps_its_paragraphs_and_drops_share_buttons_bylines_and_captions() -> None:
    """Tried as a new user would: the extractor kept the share links, the byline and a photo
    caption, which became headings in the middle of the reading."""
    raw = read_document(filename="page.html", data=LEDGER_PAGE.encode())
    assert raw.text.startswith("# Why seminars read in pairs\n\nComparative reading asks")
    assert "they drift" not in raw.text and "Most seminars fail at this" in raw.text
    for furniture in (
        "Share on Facebook",
        "By Sam Okafor",
        "Students in a seminar room",
        "Cookie settings",
        "© 2024",
        "Business",
    ):
        assert furniture not in raw.text, furniture
    assert raw.metadata["title"] == "Why seminars read in pairs"  # not "| The Ledger"
    assert raw.metadata["authors"] == "Sam Okafor"


def test_a_title_that_is_not_the_heading_plus_a_site_name_is_kept() -> None:
    page = LEDGER_PAGE.replace("<h1>Why seminars read in pairs</h1>", "<h1>Reading in pairs</h1>")
    raw = read_document(filename="page.html", data=page.encode())
    assert raw.metadata["title"] == "Why seminars read in pairs | The Ledger"
