"""`{% student_cell cell %}` (`{% load agreement %}`): one cell of the agreement page's table
of students, written in Python.

A class of 200 with 12 themes has 2,400 such cells; written with the template's variables,
ifs and an include each, they cost more than computing every figure on the page (issue 21:
the page must refresh live for the instructor). The markup is the one annotations/_alpha.html
writes for an alpha."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from annotations.agreement.gather import StudentTheme

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
