# ruff: noqa: E501  (the pages are written out as a browser saves them: long lines of markup)
"""HTML fidelity cases: saved news and blog pages, an article inside realistic boilerplate
(navigation, header, cookie banner, share buttons, related links, comments, footer), in three
page shapes: semantic HTML5, a blog of classed <div>s, and a bare article."""

from __future__ import annotations

import random
from html import escape

from . import Case
from .prose import Article, article, more, paragraph

COOKIE = (
    "We use cookies to personalise content and ads and to analyse our traffic. "
    "You can change your choice at any time under Cookie settings."
)
NAV = ["Home", "World news", "Business desk", "Culture pages", "Opinion columns", "Subscribe now"]
SHARE = ["Share on Facebook", "Share on X", "Email this article", "Copy the link"]


def _footer(site: str) -> str:
    return f"© 2024 {site} Media Group. All rights reserved. Privacy policy · Cookie settings"


def _body_html(art: Article) -> str:
    parts = []
    for section in art.sections:
        parts.append(f"<h2>{escape(section.heading)}</h2>")
        parts.append(f"<p>{escape(section.paragraphs[0])}</p>")
        if section.quote:
            parts.append(f"<blockquote><p>{escape(section.quote)}</p></blockquote>")
        if section.items:
            items = "".join(f"<li>{escape(item)}</li>" for item in section.items)
            parts.append(f"<ul>{items}</ul>")
        parts.extend(f"<p>{escape(p)}</p>" for p in section.paragraphs[1:])
    return "\n".join(parts)


def _comments(rng: random.Random, count: int) -> list[str]:
    return [f"Reader comment {n + 1}: {paragraph(rng, (1, 2))}" for n in range(count)]


def _related(rng: random.Random) -> list[str]:
    return [f"Read next: {paragraph(rng, (1, 1))[:60].rstrip()}" for _ in range(3)]


def _semantic(art: Article, rng: random.Random, site: str) -> tuple[str, list[str]]:
    comments, related = _comments(rng, 3), _related(rng)
    nav = "".join(f'<li><a href="/{n.lower().replace(" ", "-")}">{n}</a></li>' for n in NAV)
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(art.title)} | {site}</title>
<meta name="author" content="{escape(art.author)}"><script>window.dataLayer=[];</script>
<style>body{{font-family:serif}}</style></head>
<body>
<div class="cookie-banner" role="dialog"><p>{COOKIE}</p><button>Accept all</button>
<button>Reject all</button><a href="/cookies">Cookie settings</a></div>
<header class="site-header"><a class="logo" href="/">{site}</a><nav><ul>{nav}</ul></nav>
<form role="search"><input name="q" placeholder="Search"></form></header>
<main>
<article>
<header><h1>{escape(art.title)}</h1><p class="byline">By {escape(art.author)} · 12 March 2024</p>
<ul class="share">{"".join(f'<li><a href="#">{s}</a></li>' for s in SHARE)}</ul></header>
<div class="article-body">
{_body_html(art)}
</div>
<footer class="article-footer"><p>Topics: history, towns, archives</p></footer>
</article>
<aside class="related"><h2>More from {site}</h2><ul>
{"".join(f'<li><a href="/r{i}">{escape(r)}</a></li>' for i, r in enumerate(related))}
</ul></aside>
<section id="comments" class="comments"><h2>3 comments</h2>
{"".join(f'<article class="comment"><p class="comment-author">user{i}</p><p>{escape(c)}</p></article>' for i, c in enumerate(comments))}
<form><textarea name="comment"></textarea><button>Post comment</button></form></section>
</main>
<footer class="site-footer"><p>{_footer(site)}</p><p>Newsletter: sign up for our daily briefing</p></footer>
</body></html>"""
    furniture = [COOKIE, _footer(site), *comments, *related, "Newsletter: sign up", *SHARE]
    return html, furniture


def _blog(art: Article, rng: random.Random, site: str) -> tuple[str, list[str]]:
    comments, related = _comments(rng, 4), _related(rng)
    links = " | ".join(f'<a href="/c/{i}">{n}</a>' for i, n in enumerate(NAV))
    html = f"""<html><head><title>{escape(art.title)} - {site} blog</title></head><body>
<div id="top-bar"><div class="menu">{links}</div></div>
<div id="cookie-notice" class="cookie-consent">{COOKIE} <a href="#">OK</a></div>
<div id="wrapper"><div id="content" class="post">
<div class="post-title"><h1>{escape(art.title)}</h1></div>
<div class="post-meta">Posted by {escape(art.author)} on March 12, 2024 in History</div>
<div class="post-content entry-content">
{_body_html(art)}
</div>
<div class="share-buttons">{" ".join(f'<a class="share" href="#">{s}</a>' for s in SHARE)}</div>
<div class="related-posts"><h3>Related posts</h3>
{"".join(f'<div class="related-item"><a href="/p{i}">{escape(r)}</a></div>' for i, r in enumerate(related))}
</div>
<div id="comments" class="comment-list"><h3>4 responses</h3>
{"".join(f'<div class="comment"><div class="comment-meta">reader{i} said:</div><div class="comment-body"><p>{escape(c)}</p></div></div>' for i, c in enumerate(comments))}
</div></div>
<div id="sidebar" class="widget-area"><div class="widget"><h3>Archives</h3><ul><li>March 2024</li><li>February 2024</li></ul></div>
<div class="widget">Newsletter: sign up for our weekly letter</div></div></div>
<div id="footer">{_footer(site)}</div>
</body></html>"""
    furniture = [COOKIE, _footer(site), *comments, *related, "Newsletter: sign up", *SHARE]
    return html, furniture


def _bare(art: Article, rng: random.Random, site: str) -> tuple[str, list[str]]:
    html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(art.title)}</title></head>
<body><h1>{escape(art.title)}</h1>
{_body_html(art)}
<p class="footer">{_footer(site)}</p></body></html>"""
    return html, [_footer(site)]


SHAPES = {"news": _semantic, "blog": _blog, "bare": _bare}
SITES = ["Harbour Times", "Valley Courier", "The Ledger", "Northern Review"]


def cases() -> list[Case]:
    made = []
    for n in range(12):
        shape = list(SHAPES)[n % len(SHAPES)]
        art = article(1000 + n, sections=2 + n % 3, notes=0)
        rng = more(art, 2000 + n)
        html, furniture = SHAPES[shape](art, rng, SITES[n % len(SITES)])
        made.append(
            Case(
                name=f"html-{shape}-{n}",
                filename=f"page-{n}.html",
                data=html.encode("utf-8"),
                paragraphs=art.body(),
                furniture=furniture,
            )
        )
    return made
