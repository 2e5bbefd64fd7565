"""Validation against the REFI-QDA XSDs (QDA-XML 1.0, March 2019), offline."""

from __future__ import annotations

from functools import cache

from lxml import etree

from tests.annotations.interchange.w3c_suite import STANDARDS

REFI = STANDARDS / "refi-qda"
SAMPLE = REFI / "samples" / "qdpx-toolkit-hand_authored"


@cache
def schema(kind: str) -> etree.XMLSchema:
    path = {"project": "Project-mrt2019.xsd", "codebook": "Codebook-mrt2019.xsd"}[kind]
    return etree.XMLSchema(etree.parse(str(REFI / path)))


def errors(kind: str, data: bytes) -> list[str]:
    validator = schema(kind)
    document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    if validator.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in validator.error_log]
