"""Reading a class roster: a CSV of name, e-mail and (optionally) username, as a registrar's or
a spreadsheet's export gives it. Pure Python, no Django; bounded by a Budget like every parser.

The first row is a header when it names the columns (in any order: "name", "e-mail"/"email",
"username"); otherwise the columns are name, e-mail, username. Each row is checked on its own:
a bad row is reported with its line number and the good rows still come in.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from readings.importing.errors import ImportRejected
from readings.importing.limits import Budget

# A class, or a whole course's sections; far beyond it the file is not a roster.
MAX_ROWS = 1_000
MAX_BYTES = 512 * 1024
MAX_NAME = 150  # Django's first_name + last_name fit in this
# Django's username rules (letters, digits and @.+-_), as its validator checks them.
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
EMAIL = re.compile(r"^[^@\s,;<>\"]{1,64}@[^@\s,;<>\"]+\.[^@\s,;<>\"]{2,}$")

HEADERS = {
    "name": "name",
    "full name": "name",
    "e-mail": "email",
    "email": "email",
    "mail": "email",
    "e-mail address": "email",
    "email address": "email",
    "username": "username",
    "user name": "username",
    "login": "username",
}


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    email: str
    username: str = ""


@dataclass(frozen=True)
class Roster:
    rows: tuple[RosterRow, ...]
    problems: tuple[str, ...]  # one sentence per refused row, with its line


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected("The roster is not a text file: save it as CSV (UTF-8) and try again.")


def parse_roster(data: bytes, budget: Budget | None = None) -> Roster:
    """The people in a roster CSV, or ImportRejected when the file as a whole cannot be one."""
    budget = budget or Budget(what="The roster")
    if not data.strip():
        raise ImportRejected("The roster is empty: it needs a row per student (name, e-mail).")
    if len(data) > MAX_BYTES:
        raise ImportRejected(
            f"The roster is larger than {MAX_BYTES // 1024} KB; a class list is far smaller. "
            "Check that this is the right file."
        )
    text = _decode(data).replace("\x00", "")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    columns = ["name", "email", "username"]
    rows: list[RosterRow] = []
    problems: list[str] = []
    seen: set[str] = set()
    try:
        for index, cells in enumerate(reader):
            budget.check()
            line = index + 1
            cells = [cell.strip() for cell in cells]
            if not any(cells):
                continue
            if index == 0 and {c.casefold() for c in cells if c} <= set(HEADERS):
                columns = [HEADERS.get(c.casefold(), "") for c in cells]
                if "email" not in columns:
                    raise ImportRejected(
                        "The roster's header names no e-mail column: it needs name and e-mail."
                    )
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportRejected(
                    f"The roster has more than {MAX_ROWS:,} people; import it in parts."
                )
            values = dict(zip(columns, cells, strict=False))
            name = values.get("name", "")[:MAX_NAME]
            email = values.get("email", "")
            username = values.get("username", "")
            if not EMAIL.match(email) or len(email) > 254:
                problems.append(f"Line {line}: “{email[:80]}” is not an e-mail address.")
                continue
            if username and not USERNAME.match(username):
                problems.append(
                    f"Line {line}: the username “{username[:80]}” may hold only letters, "
                    "digits and @ . + - _ (at most 150)."
                )
                continue
            if email.casefold() in seen:
                problems.append(f"Line {line}: {email} is on the roster twice; kept once.")
                continue
            seen.add(email.casefold())
            rows.append(RosterRow(line=line, name=name, email=email, username=username))
    except csv.Error as error:
        raise ImportRejected(f"The roster is not a readable CSV file ({error}).") from error
    if not rows and not problems:
        raise ImportRejected("The roster is empty: it needs a row per student (name, e-mail).")
    return Roster(rows=tuple(rows), problems=tuple(problems))
