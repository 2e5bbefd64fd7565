"""REFI-QDA (QDA-XML 1.0) project export: a .qdpx zip holding project.qde and sources/*.txt.

Mapping: themes are Codes; stances are Codes too, under a non-codable "Stance" code, so QDA
tools can filter by them; each tag is one PlainTextSelection (startPosition/endPosition count
code points in the reading's canonical text, which is stored as sources/<guid>.txt in UTF-8)
holding one Coding of its theme and, with a stance, one Coding of the stance code; a tag's note
is a Note, referenced from its selection. Members and tag authors are Users.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree as ET

from annotations.interchange.exports.records import SetRecord, TagRecord, ThemeRecord, guid, iso
from annotations.stances import STANCES

NS = "urn:QDA-XML:project:1.0"
STANCE_GROUP = "Stance"
GUIDING_QUESTION = "Guiding question: "


# Characters XML 1.0 cannot carry at all (C0 controls but tab and line ends, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def xml_bytes(root: ET.Element) -> bytes:
    """Serialised with every carriage return as &#13;: a raw one would be read back as a
    line feed, and notes typed in a browser end their lines with CR LF."""
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data.replace(b"\r", b"&#13;")


def stance_guid(stance: str) -> str:
    return guid("stance", stance)


def code_description(theme: ThemeRecord) -> str:
    """The theme's description, and its guiding question on a line of its own."""
    parts = [theme.description.strip()]
    if theme.guiding_question:
        parts.append(GUIDING_QUESTION + theme.guiding_question.strip())
    return "\n\n".join(p for p in parts if p)


def code_element(parent: ET.Element, theme: ThemeRecord, ns: str) -> ET.Element:
    code = ET.SubElement(
        parent,
        f"{{{ns}}}Code",
        guid=theme.guid,
        name=xml_text(theme.name),
        isCodable="true" if theme.active else "false",
        color=theme.colour,
    )
    description = code_description(theme)
    if description:
        ET.SubElement(code, f"{{{ns}}}Description").text = xml_text(description)
    return code


def stance_codes(parent: ET.Element, ns: str) -> None:
    group = ET.SubElement(
        parent, f"{{{ns}}}Code", guid=guid("stance", "group"), name=STANCE_GROUP, isCodable="false"
    )
    for stance in STANCES:
        ET.SubElement(
            group, f"{{{ns}}}Code", guid=stance_guid(stance), name=stance, isCodable="true"
        )


def _sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS}}}{tag}", attributes)


def project_xml(record: SetRecord) -> bytes:
    ET.register_namespace("", NS)
    owner = record.owner
    root = ET.Element(
        f"{{{NS}}}Project",
        name=xml_text(f"{record.seminar_title}: {record.title}"),
        origin="Counterpoint",
        creatingUserGUID=owner.guid,
        creationDateTime=iso(record.created),
        modifyingUserGUID=owner.guid,
        modifiedDateTime=iso(record.modified),
    )
    people = {p.username: p for p in [owner, *record.members]}
    for tag in record.tags:
        if tag.author is not None:
            people.setdefault(tag.author.username, tag.author)
    users = _sub(root, "Users")
    for person in people.values():
        _sub(users, "User", guid=person.guid, name=xml_text(person.display), id=person.username)

    codes = _sub(_sub(root, "CodeBook"), "Codes")
    for theme in record.themes:
        code_element(codes, theme, NS)
    stance_codes(codes, NS)

    notes = []
    sources = _sub(root, "Sources") if record.readings else root
    by_reading: dict[int, list[TagRecord]] = {}
    for tag in record.tags:
        by_reading.setdefault(tag.reading.pk, []).append(tag)
    for reading in record.readings:
        source = _sub(
            sources,
            "TextSource",
            guid=reading.guid,
            name=xml_text(reading.title),
            plainTextPath=f"internal://{reading.guid}.txt",
        )
        for tag in by_reading.get(reading.pk, []):
            attributes = {
                "guid": tag.guid,
                "name": xml_text(tag.passage_label if tag.whole_passage else tag.quote[:60]),
                "startPosition": str(tag.start),
                "endPosition": str(tag.end),
                "creationDateTime": iso(tag.created),
                "modifiedDateTime": iso(tag.modified),
            }
            if tag.author is not None:
                attributes["creatingUser"] = tag.author.guid
                attributes["modifyingUser"] = tag.author.guid
            selection = _sub(source, "PlainTextSelection", **attributes)
            codings = [tag.theme.guid] + ([stance_guid(tag.stance)] if tag.stance else [])
            for index, code in enumerate(codings):
                coding = _sub(
                    selection,
                    "Coding",
                    guid=guid(f"coding{index}", tag.pk),
                    creationDateTime=iso(tag.created),
                )
                if tag.author is not None:
                    coding.set("creatingUser", tag.author.guid)
                _sub(coding, "CodeRef", targetGUID=code)
            if tag.note:
                note_guid = guid("note", tag.pk)
                _sub(selection, "NoteRef", targetGUID=note_guid)
                notes.append((note_guid, tag))
    if notes:
        notes_element = _sub(root, "Notes")
        for note_guid, tag in notes:
            attributes = {"guid": note_guid, "name": f"Note on {tag.passage_label}"}
            if tag.author is not None:
                attributes["creatingUser"] = tag.author.guid
            note = _sub(notes_element, "Note", **attributes)
            _sub(note, "PlainTextContent").text = xml_text(tag.note)
    return xml_bytes(root)


def qdpx(record: SetRecord) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml(record))
        for reading in record.readings:
            archive.writestr(f"sources/{reading.guid}.txt", reading.text.encode("utf-8"))
    return buffer.getvalue()
