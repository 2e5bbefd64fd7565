"""Reading a class list: headers or none, bad rows reported by line, whole-file limits."""

from __future__ import annotations

import pytest

from annotations.roster.rosterfile import MAX_BYTES, MAX_ROWS, parse_roster
from readings.importing.errors import ImportRejected


def test_a_roster_with_a_header_in_any_order_gives_each_person() -> None:
    roster = parse_roster(b"E-mail;Name;Username\nada@example.org;Ada Lovelace;ada\n")
    assert [(r.name, r.email, r.username) for r in roster.rows] == [
        ("Ada Lovelace", "ada@example.org", "ada")
    ]
    assert roster.problems == ()


def test_a_roster_without_a_header_is_name_email_username() -> None:
    roster = parse_roster("Zoë Ångström,zoe@example.org\r\n\r\nBo,bo@example.org,bo.c\n".encode())
    assert [(r.line, r.name, r.username) for r in roster.rows] == [
        (1, "Zoë Ångström", ""),
        (3, "Bo", "bo.c"),
    ]


def test_bad_rows_are_reported_by_line_and_the_good_ones_kept() -> None:
    roster = parse_roster(
        b"name,email,username\nAda,ada@example.org\nNo Mail,not-an-address\n"
        b"Hostile,<script>@x.org\nBad Name,b@example.org,has space\nAda again,ADA@example.org\n"
    )
    assert [r.email for r in roster.rows] == ["ada@example.org"]
    assert roster.problems[0].startswith("Line 3: “not-an-address” is not an e-mail address")
    assert roster.problems[1].startswith("Line 4:")
    assert "may hold only letters" in roster.problems[2]
    assert "on the roster twice" in roster.problems[3]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The roster is empty"),
        (b"   \n\n", "The roster is empty"),
        (b"name,username\nAda,ada\n", "names no e-mail column"),
        (b"x" * (MAX_BYTES + 1), "larger than"),
        (
            b"".join(b"P,p%d@example.org\n" % i for i in range(MAX_ROWS + 1)),
            f"more than {MAX_ROWS:,} people",
        ),
    ],
    ids=["empty", "blank", "no-email-column", "huge", "too-many-rows"],
)
def test_files_that_are_no_roster_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(ImportRejected, match=message):
        parse_roster(data)


def test_nul_and_control_characters_do_not_break_it() -> None:
    roster = parse_roster(b"Ada\x00 L,ada@example.org\n")
    assert roster.rows[0].email == "ada@example.org"
    assert "\x00" not in roster.rows[0].name


def test_a_file_in_a_windows_encoding_is_read() -> None:
    roster = parse_roster("Zoë,zoe@example.org\n".encode("cp1252"))
    assert roster.rows[0].name == "Zoë"
