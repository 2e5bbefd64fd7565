"""The agreement page's table of students, written in Python (`{% load agreement %}`):
`{% student_cell cell %}`, one theme's figures, and `{% activity figures %}`, a student's
tagging over the last four weeks.

A class of 200 with 12 themes has 2,400 cells and 200 charts; written with the template's
variables, ifs and an include each, they cost more than computing every figure on the page
(issue 21: the page must refresh live for the instructor). An alpha is written as
annotations/_alpha.html writes it."""

from __future__ import annotations

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from annotations.agreement.gather import StudentFigures, StudentTheme

register = template.Library()


@register.simple_tag
def student_cell(cell: StudentTheme) -> SafeString:
    tagged = format_html('<span class="student-tagged">{} tagged</span>', cell.tagged)
    alpha = cell.with_key
    if alpha is None:
        return tagged
    return format_html(
        '{}<span class="meta">{} key</span><span class="student-alpha">α <strong class="alpha'
        ' alpha-{}">{}</strong> <span class="alpha-reading">{}</span></span>',
        tagged,
        cell.found_label,
        alpha.level,
        alpha.label,
        alpha.reading,
    )


def _tags(count: int) -> str:
    return f"{count} tag{'' if count == 1 else 's'}"


@register.simple_tag
def activity(figures: StudentFigures) -> SafeString:
    """A bar per day with tags over the last four weeks, and the same in words."""
    if not figures.tags or figures.first is None or figures.last is None:
        return mark_safe('<span class="meta">No tags yet</span>')  # noqa: S308 - a constant
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="3" height="{}" class="activity-bar">'
        "<title>{}: {}</title></rect>",
        (
            (x, y, height, date_format(day, "j M"), _tags(count))
            for day, count, x, y, height in figures.bars
        ),
    )
    span = date_format(figures.last, "j M")
    if figures.first != figures.last:
        span = f"{date_format(figures.first, 'j M')} – {span}"
    return format_html(
        '<svg class="activity" viewBox="0 0 112 24" preserveAspectRatio="none" width="112"'
        ' height="24" role="img" aria-label="{} in the last four weeks"><line'
        ' class="activity-base" x1="0" y1="23.5" x2="112" y2="23.5"/>{}</svg>'
        ' <span class="meta activity-text">{}, {}</span>',
        _tags(figures.recent_total),
        bars,
        _tags(figures.tags),
        span,
    )
