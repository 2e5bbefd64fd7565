"""Varied generated prose for the fidelity corpora: articles whose paragraphs, headings,
quotes, list items and notes are known, from a seed. Not the seed texts: any subject, any
length, sentences of many shapes (questions, quotations, numbers, parentheses, dashes)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

# fmt: off
_SUBJECTS = [
    "The committee", "Most historians", "The harbour authority", "A later survey",
    "The village council", "Her second study", "The trade union", "Every witness",
    "The old railway company", "Their critics", "The museum's curator", "A small minority",
    "The provincial court", "Several farmers", "The new ministry", "Our own data",
]
_VERBS = [
    "argued that", "doubted whether", "recorded how", "never explained why", "showed that",
    "suspected that", "insisted that", "quietly admitted that", "noted in passing that",
]
_THINGS = [
    "the river", "the harbour", "wage levels", "the archive", "the old bridge", "the schools",
    "grain prices", "the ferry service", "the letters", "the estate map", "the orchestra",
    "the local press", "the harvest", "the lighthouse", "the mill", "the census",
    "the guild hall", "the tram line", "the parish records", "the salt works",
    "the cotton exchange", "the night school", "the border post", "the first hospital",
]
_PREDICATES = [
    "had changed course twice", "rose faster than expected", "was left incomplete",
    "cost nearly twice its estimate", "closed for most of a winter", "followed the weather",
    "carried 3,400 passengers in a month", "survived only in fragments", "was drawn from memory",
    "toured with borrowed instruments", "printed the same story for weeks",
    "failed in the worst year on record", "kept a diary in two languages",
    "changed hands four times", "missed a fifth of the seasonal workers",
    "stood empty for a decade", "doubled its staff", "was rebuilt in stone",
    "lost its charter", "moved to the far bank",
]
_WHEN = [
    "", "", "", " after the flood", " in the spring of 1923", " during the strike",
    " before the war", " within a single generation", " under the new charter",
]
_OPENERS = [
    "In the end,", "Even so,", "By contrast,", "For a while,", "Curiously,", "At first,",
    "Later,", "In practice,", "Put simply,", "To be fair,",
]
_TOPICS = [
    "Rivers and Roads", "The Long Winter", "Counting the Workers", "A Town Remembers",
    "What the Ledgers Say", "Bridges Over Time", "After the Fire", "Voices From the Harbour",
    "The Price of Grain", "Letters Home", "Music on the Move", "Maps and Memory",
]
_NAMES = [
    "Ada Morrow", "Tomas Rey", "Ilse Brandt", "Kofi Mensah", "Mei Lin", "Rui Soares",
    "Hannah Vale", "Omar Haddad", "Lena Novak", "Arjun Patel",
]
# fmt: on


class Prose(random.Random):
    """A seeded generator that never repeats a sentence within one text: real prose does not,
    and the splitter reads a repeated sentence as a pull quote."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.used: set[object] = set()


def _runs_of_six(text: str) -> set[object]:
    words = re.findall(r"\w+(?:'\w+)*", text.casefold().replace("’", "'"))
    return {("run", *words[i : i + 6]) for i in range(len(words) - 5)}


def sentence(rng: random.Random) -> str:
    """A sentence that shares no run of six words with what the text said before: the phrase
    pools are small, and a mechanical generator repeats long phrases ("missed a fifth of the
    seasonal workers") far more than an author does; the splitter rightly reads a short block
    repeating the body's words as a pull quote (readings/importing/pullquotes.py)."""
    used = rng.used if isinstance(rng, Prose) else set()
    for _ in range(200):
        made = _sentence(rng)
        runs = _runs_of_six(made)
        if made not in used and not runs & used:
            break
    used.add(made)
    used.update(runs)
    return made


def _sentence(rng: random.Random) -> str:
    shape = rng.randrange(6)
    subject, verb, clause = rng.choice(_SUBJECTS), rng.choice(_VERBS), clause_(rng)
    if shape == 0:
        return f"{subject} {verb} {clause}."
    if shape == 1:
        return f"{rng.choice(_OPENERS)} {subject.lower()} {verb} {clause}."
    if shape == 2:
        ask = rng.choice(["Was it chance that", "Who first noticed that", "Did anyone ask why"])
        return f"{ask} {clause}?"
    if shape == 3:
        return f"“{clause.capitalize()},” wrote {rng.choice(_NAMES)}, “and nobody asked why.”"
    if shape == 4:
        return f"{subject} {verb} {clause} (a point made again in {rng.randint(1890, 1990)})."
    return f"{subject} {verb} {clause} — and {clause_(rng)}."


def clause_(rng: random.Random) -> str:
    """A clause whose thing and predicate were not used together in this text before."""
    used = rng.used if isinstance(rng, Prose) else set()
    for _ in range(50):
        thing, predicate = rng.choice(_THINGS), rng.choice(_PREDICATES)
        if (thing, predicate) not in used:
            break
    used.add((thing, predicate))
    return f"{thing} {predicate}{rng.choice(_WHEN)}"


def paragraph(rng: random.Random, sentences: tuple[int, int] = (2, 6)) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(*sentences)))


@dataclass
class Section:
    heading: str
    paragraphs: list[str]
    quote: str = ""  # a block quote after the first paragraph
    items: list[str] = field(default_factory=list)  # a list after the quote


@dataclass
class Article:
    title: str
    author: str
    sections: list[Section]
    notes: list[str]  # note n is called at the end of the n-th body paragraph
    # What the article used already: a generator adding more to its file starts from it.
    used: set[object] = field(default_factory=set, repr=False)

    def body(self) -> list[str]:
        """The author's paragraphs in reading order: paragraphs, block quotes, list items."""
        out: list[str] = []
        for section in self.sections:
            out.append(section.paragraphs[0])
            if section.quote:
                out.append(section.quote)
            out.extend(section.items)
            out.extend(section.paragraphs[1:])
        return out


def article(seed: int, *, sections: int = 3, notes: int = 3) -> Article:
    rng = Prose(seed)
    topics = rng.sample(_TOPICS, sections + 1)
    made = []
    for index in range(sections):
        made.append(
            Section(
                heading=topics[index + 1],
                paragraphs=[paragraph(rng) for _ in range(rng.randint(2, 4))],
                quote=paragraph(rng, (1, 2)) if index % 2 == 0 else "",
                items=[sentence(rng) for _ in range(rng.randint(2, 3))] if index == 1 else [],
            )
        )
    note_texts = [
        f"{rng.choice(_NAMES)}, {rng.choice(_TOPICS)} ({rng.randint(1950, 2020)}), "
        f"p. {rng.randint(3, 300)}."
        for _ in range(notes)
    ]
    return Article(topics[0], rng.choice(_NAMES), made, note_texts, rng.used)


def more(art: Article, seed: int) -> Prose:
    """A generator for more text in the same file, repeating nothing the article said."""
    rng = Prose(seed)
    rng.used = art.used
    return rng
