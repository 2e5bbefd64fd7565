"""The stances a tag may take towards its theme's guiding question, named in this one place.

The model's choices and constraint, the tagging form and services, the verdicts, the compare,
agreement and handout pages, the demo seminar and every import and export take them from here.
Pure Python, no Django, so that the pure modules (verdicts, the interchange formats) can too.
"""

from __future__ import annotations

SUPPORTS = "supports"
OPPOSES = "opposes"
QUALIFIES = "qualifies"
STANCES = (SUPPORTS, OPPOSES, QUALIFIES)  # in the order every page lists them
NO_STANCE = ""  # a tag may carry none

LABELS = {SUPPORTS: "Supports", OPPOSES: "Opposes", QUALIFIES: "Qualifies", NO_STANCE: "No stance"}
CHOICES = [(stance, LABELS[stance]) for stance in STANCES]
INVALID = f"Choose {SUPPORTS}, {OPPOSES} or {QUALIFIES}."
