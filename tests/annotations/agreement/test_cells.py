"""The agreement page's student table as its template tags write it (annotations/agreement/
cells.py): a cell without a key, and a chart of several days."""

from __future__ import annotations

import datetime

from annotations.agreement.cells import activity, student_cell
from annotations.agreement.gather import Coder, StudentFigures, StudentTheme

DAY = datetime.date(2026, 12, 7)


def figures(recent: list[tuple[datetime.date, int]], tags: int, first, last) -> StudentFigures:
    return StudentFigures(Coder(1, 1, "Sam", "Sam's reading"), [], recent, tags, first, last)


def test_without_a_key_a_cell_says_only_what_the_student_tagged() -> None:
    cell = StudentTheme(theme=None, tagged=4, found=0, key_total=0, with_key=None)  # type: ignore[arg-type]  # the cell never reads the theme
    assert student_cell(cell) == '<span class="student-tagged">4 tagged</span>'


def test_a_chart_over_several_days_names_the_first_and_the_last() -> None:
    earlier = DAY - datetime.timedelta(days=2)
    recent = [(earlier - datetime.timedelta(days=25 - n), 0) for n in range(25)]
    recent += [(earlier, 1), (DAY - datetime.timedelta(days=1), 0), (DAY, 2)]
    html = activity(figures(recent, 3, earlier, DAY))
    assert 'aria-label="3 tags in the last four weeks"' in html
    assert html.count('class="activity-bar"') == 2
    assert "<title>5 Dec: 1 tag</title>" in html and "<title>7 Dec: 2 tags</title>" in html
    assert html.endswith('<span class="meta activity-text">3 tags, 5 Dec – 7 Dec</span>')


def test_a_student_without_tags_has_no_chart() -> None:
    html = activity(figures([(DAY, 0)], 0, None, None))
    assert html == '<span class="meta">No tags yet</span>'
