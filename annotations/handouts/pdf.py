"""The handout as PDF: the preview's markup (handout.html#document) through WeasyPrint,
with a print stylesheet of its own and the system's DejaVu fonts, embedded (subset)."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from django.template.loader import render_to_string

from annotations.handouts.contents import Handout

STYLESHEET = Path(__file__).with_name("handout.css")
# The parsed stylesheet and its font configuration are kept between handouts (loading the
# fonts is a third of a small handout's time); Pango's font map is not known to be thread-safe,
# so one render at a time per process. Rendering holds the GIL anyway: little is lost.
_RENDERING = threading.Lock()


def _no_fetching(url: str, *args, **kwargs):
    # The handout needs nothing from outside: user text is escaped, but refuse URLs anyway.
    raise ValueError(f"Handouts fetch no resources ({url[:40]})")


@cache
def _stylesheet():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(filename=str(STYLESHEET), font_config=fonts), fonts


def _html(handout: Handout):
    from weasyprint import HTML

    html = render_to_string("annotations/handout_pdf.html", {"handout": handout})
    return HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=_no_fetching)


def handout_pdf(handout: Handout) -> bytes:
    document = _html(handout)
    with _RENDERING:
        stylesheet, fonts = _stylesheet()
        pdf: bytes = document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
        return pdf


def handout_pages(handout: Handout) -> int:
    """The number of pages the PDF of `handout` has: WeasyPrint's layout of it, the very one
    `handout_pdf` writes out, without writing the file."""
    document = _html(handout)
    with _RENDERING:
        stylesheet, fonts = _stylesheet()
        return len(document.render(stylesheets=[stylesheet], font_config=fonts).pages)
