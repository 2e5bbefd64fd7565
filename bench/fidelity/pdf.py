"""The PDF corpus: articles of known paragraphs, typeset with WeasyPrint as journals set them.

Every document is made here from prose this module writes (seeded, so the same each run):
justified text with automatic hyphenation (lang set), running heads and page numbers in the
page margins, one or two columns, a title long enough to take two lines, section headings,
footnotes (`float: footnote`) and floated pull quotes that repeat a sentence of the body.
Some documents mark hyphenation breaks with U+2010 (WeasyPrint's default), others with a plain
hyphen-minus, which a true compound ("long-term") broken at its own hyphen also shows.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

from fidelity import Case

# Prose from pools large enough that six-word runs rarely repeat (as in real prose, which the
# splitter's pull-quote rule relies on), with long words to hyphenate, true compounds to keep
# ("long-term", "Moscow-Beijing") and words set with ligatures ("office", "efficient").
ADJECTIVES = [
    "long-term",
    "unprecedented",
    "comprehensive",
    "effective",
    "counterproductive",
    "well-known",
    "so-called",
    "state-owned",
    "cross-border",
    "post-war",
    "affluent",
    "fragile",
    "durable",
    "uneasy",
    "influential",
    "sophisticated",
    "characteristic",
    "institutional",
    "bureaucratic",
    "controversial",
    "hypothetical",
    "significant",
    "twenty-first-century",
    "provisional",
    "reluctant",
    "efficient",
    "unofficial",
    "transatlantic",
    "hard-won",
    "short-lived",
]
NOUNS = [
    "partnership",
    "settlement",
    "programme",
    "relationship",
    "mechanism",
    "infrastructure",
    "sanctions",
    "tariffs",
    "negotiations",
    "institutions",
    "interdependence",
    "authority",
    "office",
    "finances",
    "currency",
    "coalition",
    "ministry",
    "parliament",
    "treaty",
    "alliance",
    "pipeline",
    "archive",
    "doctrine",
    "reforms",
    "elections",
    "consensus",
    "federation",
    "bureaucracy",
    "legislation",
    "referendum",
    "arbitration",
    "commitments",
    "responsibilities",
    "expectations",
    "jurisdiction",
    "intelligence",
    "subsidies",
    "deterrence",
]
ACTORS = [
    "the ministry",
    "most governments",
    "the committee",
    "every coalition",
    "the administration",
    "several observers",
    "the opposition",
    "regional organisations",
    "the central bank",
    "many decision-makers",
    "its critics",
    "the negotiators",
    "a well-known economist",
    "policymakers in both capitals",
    "the secretariat",
    "the Moscow-Beijing axis",
    "the finance office",
    "younger diplomats",
    "the auditors",
    "the governors",
    "provincial officials",
    "the trade unions",
    "foreign investors",
    "the courts",
]
ADVERBS = [
    "consistently",
    "quietly",
    "deliberately",
    "repeatedly",
    "reluctantly",
    "effectively",
    "characteristically",
    "openly",
    "gradually",
    "unexpectedly",
]
VERBS = [
    "underestimated",
    "reconsidered",
    "dismissed",
    "emphasised",
    "abandoned",
    "acknowledged",
    "misunderstood",
    "postponed",
    "institutionalised",
    "overstated",
    "renegotiated",
    "financed",
    "defended",
    "questioned",
    "dismantled",
    "strengthened",
    "rejected",
    "negotiated",
    "inherited",
    "circumvented",
]
PLACES = [
    "Vienna",
    "Warsaw",
    "Nairobi",
    "Jakarta",
    "Montevideo",
    "Central Europe",
    "the Baltic states",
    "the Sahel",
    "the capital",
    "the provinces",
    "Brussels",
    "the Pacific islands",
]
TAILS = [
    "in the {decade}s",
    "after the elections of {year}",
    "despite considerable domestic opposition",
    "notwithstanding the objections of {actor}",
    "(at least until the summit in {place})",
    "throughout the {noun}",
    "with remarkable consistency",
    "as the historian Margarethe Okonkwo-Lindqvist has argued",
    "within a matter of weeks",
    "in {place}",
    "for reasons that remain unclear",
]
OPENERS = [
    "In practice,",
    "Nevertheless,",
    "By contrast,",
    "For this reason,",
    "According to official figures,",
    "Unsurprisingly,",
    "At the same time,",
    "Even so,",
    "In {year},",
]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        year=rng.randrange(1950, 2020),
        decade=rng.randrange(1950, 2020, 10),
        actor=rng.choice(ACTORS),
        place=rng.choice(PLACES),
        noun=rng.choice(NOUNS),
    )


def _phrase(rng: random.Random) -> str:
    words = ["the"]
    if rng.random() < 0.7:
        words.append(rng.choice(ADJECTIVES))
    words.append(rng.choice(NOUNS))
    if rng.random() < 0.5:
        words += ["of", "the", rng.choice(NOUNS)]
    return " ".join(words)


def _sentence(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.06:
        speaker = rng.choice(["one official", "a diplomat", "an adviser", "the minister"])
        verb = rng.choice(["complained", "recalled", "insisted", "admitted"])
        said = f"{_phrase(rng)} was never {rng.choice(VERBS)}"
        return f"“{said[0].upper()}{said[1:]},” {speaker} {verb}."
    if roll < 0.1:
        year = rng.randrange(1950, 2015)
        return (
            f"Exports fell by {rng.randrange(3, 60)} per cent between {year} and "
            f"{year + rng.randrange(1, 6)}."
        )
    parts = []
    if rng.random() < 0.35:
        parts.append(_fill(rng.choice(OPENERS), rng))
    parts.append(rng.choice(ACTORS))
    if rng.random() < 0.6:
        parts.append(rng.choice(ADVERBS))
    parts += [rng.choice(VERBS), _phrase(rng)]
    if rng.random() < 0.6:
        parts.append(_fill(rng.choice(TAILS), rng))
    sentence = " ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


HEADINGS = [
    "The Limits of Leverage",
    "An Uneasy Partnership",
    "Money and Power",
    "What the Archives Show",
    "Institutions Under Strain",
    "The View from the Periphery",
    "A Costly Detour",
    "Looking Ahead",
    "Reform and Its Discontents",
    "Lessons Unlearned",
]
NOTES = [
    "See the ministry's annual report for 2018, pp. 14–19.",
    "Interview with a senior official, Brussels, March 2021.",
    "The figures are those of the national statistics office and exclude informal trade.",
    "On this point, compare the minutes of the committee's third session.",
    "The phrase is borrowed from an editorial published in the autumn of 1974.",
    "Estimates differ; the lower figure is used here.",
]


def _paragraph(rng: random.Random) -> str:
    sentences: list[str] = []
    target = rng.randint(35, 170)
    while sum(len(s.split()) for s in sentences) < target:
        sentences.append(_sentence(rng))
    return " ".join(sentences)


@dataclass(frozen=True)
class Layout:
    name: str
    seed: int
    paragraphs: int
    columns: int = 1
    hyphen: str = "\u2010"  # what WeasyPrint prints at a hyphenation break
    indent: bool = True  # paragraphs marked by a first-line indent (else by space between)
    footnotes: int = 0
    pull_quotes: int = 0
    headings_every: int = 0
    footer: str = ""  # a line at every page foot besides the page number
    align: str = "justify"


LAYOUTS = [
    Layout("one-column-short", seed=1, paragraphs=9, indent=True),
    Layout(
        "one-column-notes",
        seed=2,
        paragraphs=24,
        hyphen="-",
        indent=False,
        footnotes=4,
        pull_quotes=1,
        headings_every=6,
    ),
    Layout(
        "two-column",
        seed=3,
        paragraphs=30,
        columns=2,
        footnotes=3,
        headings_every=8,
        footer="Journal of Comparative Politics · Vol. 12 · 2026",
    ),
    Layout(
        "two-column-hyphen-minus",
        seed=4,
        paragraphs=44,
        columns=2,
        hyphen="-",
        indent=False,
        pull_quotes=2,
        headings_every=9,
    ),
    Layout(
        "two-column-ragged",
        seed=6,
        paragraphs=26,
        columns=2,
        align="left",
        footnotes=2,
        headings_every=7,
    ),
    Layout(
        "article-30-pages",
        seed=5,
        paragraphs=140,
        footnotes=12,
        pull_quotes=4,
        headings_every=12,
        footer="Downloaded from the seminar archive; for teaching only",
    ),
]

CSS = """
@page {{ size: A4; margin: 26mm 22mm 28mm;
  @top-center {{ content: "{head_right}"; font: 8pt 'DejaVu Sans'; letter-spacing: 0.1em }}
  @bottom-center {{ content: counter(page); font: 9pt 'DejaVu Serif' }}
  @bottom-left {{ content: "{footer}"; font: 7pt 'DejaVu Sans' }} }}
@page :left {{ @top-center {{ content: "{head_left}" }} }}
@page :first {{ @top-center {{ content: none }} }}
html {{ font: 10pt/1.35 'DejaVu Serif' }}
body {{ hyphens: auto; text-align: {align}; hyphenate-character: "{hyphen}" }}
h1 {{ font: bold 21pt/1.2 'DejaVu Sans'; text-align: left; hyphens: manual; margin: 0 0 6pt }}
.byline {{ font: 10pt 'DejaVu Sans'; text-transform: uppercase; margin: 0 0 18pt;
           text-align: left }}
h2 {{ font: bold 12pt 'DejaVu Sans'; margin: 12pt 0 4pt; text-align: left }}
p {{ margin: 0 }}
{paragraph_css}
.body {{ column-count: {columns}; column-gap: 8mm }}
.note {{ float: footnote; font-size: 7.5pt; text-align: left; hyphens: manual }}
::footnote-call {{ font-size: 6.5pt; vertical-align: super }}
.pq {{ float: right; width: 45%; margin: 4pt 0 6pt 10pt; padding: 5pt 0;
       border-top: 1pt solid; border-bottom: 1pt solid;
       font: italic 13pt/1.3 'DejaVu Sans'; text-align: left; hyphens: manual }}
"""


def _document(layout: Layout) -> tuple[str, list[str], list[str], list[str]]:
    """The HTML, the body paragraphs, the furniture and the notes of one layout."""
    rng = random.Random(layout.seed)
    title = (
        "Why Strategic Partnerships Outlast Their Critics: "
        f"{rng.choice(HEADINGS)} in Comparative Perspective"
    )
    authors = rng.choice(["Ana Ferreira and Tomasz Wiśniewski", "Leila Haddad", "J. M. Okafor"])
    journal = "JOURNAL OF COMPARATIVE POLITICS"
    surnames = " and ".join(name.split()[-1] for name in authors.split(" and "))
    head_left = f"{surnames} · Strategic Partnerships"
    head_right = journal
    paragraphs = [_paragraph(rng) for _ in range(layout.paragraphs)]
    note_at = set(rng.sample(range(layout.paragraphs), layout.footnotes))
    quote_at = set(rng.sample(range(2, layout.paragraphs - 1), layout.pull_quotes))
    notes: list[str] = []
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="byline">{html.escape(authors)}</p>',
        '<div class="body">',
    ]
    headings = iter(rng.sample(HEADINGS, len(HEADINGS)))
    for k, text in enumerate(paragraphs):
        if layout.headings_every and k and k % layout.headings_every == 0:
            heading = next(headings, None)
            if heading:
                parts.append(f"<h2>{html.escape(heading)}</h2>")
        body = html.escape(text)
        if k in quote_at:
            # A pull quote repeats a sentence of the paragraph it stands beside.
            sentence = text.split(". ")[0].rstrip(".") + "."
            parts.append(f'<aside class="pq">{html.escape(sentence)}</aside>')
        if k in note_at:
            note = NOTES[len(notes) % len(NOTES)]
            notes.append(note)
            # The call goes after the paragraph's first sentence.
            cut = body.find(". ") + 1 if ". " in body else len(body)
            body = body[:cut] + f'<span class="note">{html.escape(note)}</span>' + body[cut:]
        parts.append(f"<p>{body}</p>")
    parts.append("</div>")
    paragraph_css = "p + p { text-indent: 1.5em }" if layout.indent else "p { margin-bottom: 6pt }"
    css = CSS.format(
        head_left=head_left,
        head_right=head_right,
        footer=layout.footer,
        hyphen=layout.hyphen,
        paragraph_css=paragraph_css,
        columns=layout.columns,
        align=layout.align,
    )
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f"</title><style>{css}</style></head><body>{''.join(parts)}</body></html>"
    )
    furniture = [journal, head_left] + ([layout.footer] if layout.footer else [])
    return page, paragraphs, furniture, notes


def _typeset(page: str) -> bytes:
    """The page as PDF, kept in the temporary directory between runs (WeasyPrint takes some
    seconds a document; the cache is keyed by the HTML and WeasyPrint's version)."""
    import hashlib
    import tempfile
    from pathlib import Path

    import weasyprint

    key = hashlib.sha256(f"{weasyprint.__version__}\n{page}".encode()).hexdigest()[:24]
    cached = Path(tempfile.gettempdir()) / "counterpoint-fidelity" / f"{key}.pdf"
    if cached.exists():
        return cached.read_bytes()
    data: bytes = weasyprint.HTML(string=page).write_pdf()
    cached.parent.mkdir(exist_ok=True)
    cached.write_bytes(data)
    return data


def _page_count(data: bytes) -> int:
    import io

    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def cases() -> list[Case]:
    made = []
    for layout in LAYOUTS:
        page, paragraphs, furniture, notes = _document(layout)
        data = _typeset(page)
        made.append(
            Case(
                name=layout.name,
                filename=f"{layout.name}.pdf",
                data=data,
                paragraphs=paragraphs,
                furniture=furniture,
                notes=notes,
                pages=_page_count(data),
            )
        )
    return made
