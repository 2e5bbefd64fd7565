"""REFI-QDA codebook export (.qdc): the seminar's themes as Codes, retired ones not codable."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from annotations.interchange.exports.qdpx import code_element, xml_bytes
from annotations.interchange.exports.records import ThemeRecord

NS = "urn:QDA-XML:codebook:1.0"


def codebook_xml(themes: list[ThemeRecord]) -> bytes:
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}CodeBook", origin="Counterpoint")
    codes = ET.SubElement(root, f"{{{NS}}}Codes")
    for theme in themes:
        code_element(codes, theme, NS)
    if not themes:
        # The schema needs at least one Code: an empty codebook says so in a non-codable one.
        ET.SubElement(
            codes,
            f"{{{NS}}}Code",
            guid="00000000-0000-0000-0000-000000000000",
            name="(no themes yet)",
            isCodable="false",
        )
    return xml_bytes(root)
