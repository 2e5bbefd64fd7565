"""The page budget (issue 25): the demo's default handout on at most four A4 pages with what
the discussion needs, the real page count after the page (cached), and "fit to N pages"."""

from __future__ import annotations

import io
from unittest import mock
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from pypdf import PdfReader

from annotations.handouts import budget, pdf
from annotations.models import AnnotationSet
from readings.models import Membership
from tests.annotations.handouts.conftest import CONTENT
from tests.clients import HTMX, client_for
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

QUESTIONS = {
    "reverse-kissinger": ["Is there any rift left to exploit?", "Who would gain from trying?"],
    "ukraine-war": ["Did the war bind them closer?", "What has Beijing held back?"],
    "trade": ["Is trade a lever for Washington?", "Who depends on whom?"],
    "taiwan": ["Why is the essay silent on Taiwan?", "Would Russia help in a crisis?"],
}


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), flat(" ".join(page.extract_text() for page in reader.pages))


def url(demo, query: str = "") -> str:
    return f"/seminars/{demo.pk}/handout/?{query}"


def shown(response):
    """The handout the builder page shows (the layouts made while fitting render templates
    of their own before it, each with a handout in its context)."""
    return [context for context in response.context if "handout" in context][-1]["handout"]


def questions_query() -> str:
    return "&".join(
        f"questions-{slug}={quote(chr(10).join(lines))}" for slug, lines in QUESTIONS.items()
    )


def test_the_demo_default_handout_fits_four_a4_pages_with_what_the_discussion_needs(
    demo, demo_instructor
) -> None:
    # The students' sets revealed, so the handout may say where the class split.
    AnnotationSet.objects.filter(seminar=demo).update(revealed_at=timezone.now())
    response = demo_instructor.get(url(demo, questions_query() + "&format=pdf"))
    assert response.status_code == 200
    pages, text = pdf_text(response.content)
    assert pages <= 4, pages
    assert round(float(PdfReader(io.BytesIO(response.content)).pages[0].mediabox.height)) == 842

    preview = demo_instructor.get(url(demo, questions_query()))
    handout = shown(preview)
    assert [s.name for s in handout.sections] == [t.name for t in CONTENT.themes]
    silent = {(reading, theme) for reading, theme in CONTENT.silences}
    for section in handout.sections:
        assert section.name in text
        assert flat(f"{section.verdict}. {section.verdict_explanation}") in text
        for column in section.columns:
            # Both positions: each reading's summary, or its silence on the theme.
            if column.summary:
                assert flat(column.summary)[:80] in text, (section.name, column.author_line)
                # At least one cited passage per reading that addresses the theme.
                assert column.passages, (section.name, column.author_line)
                assert any(p.citation in text for p in column.passages)
            else:
                assert f"Silent on {section.name}." in text
        for question in QUESTIONS[section.slug]:
            assert question in text
        # Where the class split: a passage with the students' votes.
        assert section.disputed and section.disputed_heading == "Where the class split"
        assert flat(f"{section.disputed[0].citation}") in text
        assert flat(section.disputed[0].votes) in text
    assert len(silent) == 1 and text.count("Where the class split") == 4


def test_where_the_class_split_waits_until_the_student_sets_are_revealed(
    demo, demo_instructor
) -> None:
    hidden = demo_instructor.get(url(demo, "format=md"))
    assert hidden.status_code == 200
    assert "## Trade" in hidden.content.decode()
    assert "Where the class split" not in hidden.content.decode()
    AnnotationSet.objects.filter(seminar=demo).update(revealed_at=timezone.now())
    shown = demo_instructor.get(url(demo, "format=md")).content.decode()
    assert shown.count("### Where the class split") == 4
    assert "tagged it" in shown
    # A passage the columns quote already is named with its votes, not quoted twice.
    assert "1 supports, 1 qualifies · quoted above" in shown


def test_the_page_count_comes_after_the_page_with_a_link_for_no_javascript(
    demo, demo_instructor
) -> None:
    page = demo_instructor.get(url(demo, "built=1&summaries=on"))
    markup = page.content.decode()
    assert page.status_code == 200
    count_url = f"/seminars/{demo.pk}/handout/?built=1&amp;summaries=on&amp;count=1"
    assert f'hx-get="{count_url}" hx-trigger="load"' in markup
    assert f'<a href="{count_url}">Count the PDF’s pages</a>' in markup
    assert "The PDF:" not in markup

    fragment = demo_instructor.get(url(demo, "built=1&summaries=on&count=1"), headers=HTMX)
    assert fragment.status_code == 200
    pdf = demo_instructor.get(url(demo, "built=1&summaries=on&format=pdf"))
    pages, _ = pdf_text(pdf.content)
    expected = f"<strong>The PDF:</strong> {pages} pages of A4."
    assert fragment.content.decode().strip().startswith('<p id="handout-pages"')
    assert expected in fragment.content.decode()
    # Without htmx, the link gives the whole builder with the count in it.
    whole = demo_instructor.get(url(demo, "built=1&summaries=on&count=1")).content.decode()
    assert "<form" in whole and expected in whole


def test_the_same_choices_are_laid_out_once(demo, demo_instructor) -> None:
    query = "title=Counted+once&count=1"
    with mock.patch.object(budget, "handout_pages", wraps=pdf.handout_pages) as layout:
        first = demo_instructor.get(url(demo, query), headers=HTMX).content.decode()
        again = demo_instructor.get(url(demo, query), headers=HTMX).content.decode()
        assert layout.call_count == 1
        assert first == again and "The PDF:" in first
        # Another choice is another layout.
        other = demo_instructor.get(url(demo, query + "&limit=1"), headers=HTMX)
        assert layout.call_count == 2
        assert "The PDF:" in other.content.decode()


def test_fit_to_pages_shortens_then_leaves_out_passages_and_says_which(
    demo, demo_instructor
) -> None:
    handout_query = "built=1&summaries=on&notes=on&stances=on&fit=3"
    with mock.patch.object(budget, "handout_pages", wraps=pdf.handout_pages) as layout:
        preview = demo_instructor.get(url(demo, handout_query))
    assert 4 < layout.call_count <= budget.MAX_LAYOUTS
    assert preview.status_code == 200
    handout = shown(preview)
    fitted = handout.fitted
    assert fitted.fits and fitted.pages <= 3 and fitted.shortened and fitted.left_out
    markup = preview.content.decode()
    assert "Fitted to 3 pages. Excerpts are shortened to their first sentence." in markup
    assert "Left out to fit: " in markup and fitted.left_out[0].replace("&", "&amp;") in markup
    pages, text = pdf_text(demo_instructor.get(url(demo, handout_query + "&format=pdf")).content)
    assert pages == fitted.pages <= 3
    # Every column keeps at least one passage; what was left out is listed under its column.
    for section in handout.sections:
        for column in section.columns:
            if column.summary:
                assert column.passages and any(p.citation in text for p in column.passages)
    gone = [o for s in handout.sections for c in s.columns for o in c.left_out]
    assert {o.reason for o in gone} >= {"left out to fit the pages"}


def test_fitting_never_leaves_out_a_pinned_passage(demo, demo_instructor) -> None:
    plain = shown(demo_instructor.get(url(demo, "built=1&summaries=on&fit=2")))
    first_gone = next(
        o for s in plain.sections for c in s.columns for o in c.left_out if "fit" in o.reason
    )
    slug = next(s.slug for s in plain.sections for c in s.columns if first_gone in c.left_out)
    pinned_query = f"built=1&summaries=on&fit=2&pin-{slug}={first_gone.passage_id}"
    pinned = shown(demo_instructor.get(url(demo, pinned_query)))
    kept = [p for s in pinned.sections if s.slug == slug for c in s.columns for p in c.passages]
    assert any(p.passage_id == first_gone.passage_id and p.pinned for p in kept)


def test_a_handout_that_cannot_fit_says_so(demo, demo_instructor) -> None:
    with mock.patch.object(budget, "handout_pages", wraps=pdf.handout_pages) as layout:
        response = demo_instructor.get(url(demo, "fit=1&limit=0"))
    # As chosen, excerpts cut to their first sentence, then without every passage it may
    # leave out: three layouts, no search.
    assert layout.call_count == 3
    assert response.status_code == 200
    fitted = shown(response).fitted
    assert not fitted.fits and fitted.pages > 1
    assert f"It does not fit 1 page: {fitted.pages} pages even with one passage" in (
        response.content.decode()
    )


@pytest.mark.parametrize("role", ["student", "assistant", "instructor"])
def test_members_count_the_pages_of_the_handouts_they_may_build(demo, role) -> None:
    user = UserFactory(username=f"new-{role}")
    MembershipFactory(seminar=demo, user=user, role=role)
    response = client_for(user).get(url(demo, "count=1"), headers=HTMX)
    assert response.status_code == 200
    assert "The PDF:" in response.content.decode()


def test_outsiders_and_other_students_sets_get_404_for_the_count_too(demo) -> None:
    outsider = client_for(UserFactory(username="outsider"))
    assert outsider.get(url(demo, "count=1"), headers=HTMX).status_code == 404
    assert outsider.get(url(demo, "count=1")).status_code == 404
    # A student may not count the pages of another student's blind set.
    amara = get_user_model().objects.get(username=CONTENT.students[0].username)
    ben_set = AnnotationSet.objects.get(owner__username=CONTENT.students[1].username)
    response = client_for(amara).get(url(demo, f"source={ben_set.pk}&count=1"), headers=HTMX)
    assert response.status_code == 404
    assert client_for(amara).get(url(demo, "count=1"), headers=HTMX).status_code == 200
    assert Membership.objects.filter(seminar=demo, user=amara).exists()


def test_fitting_shortens_whole_passages_before_it_leaves_any_out(demo, demo_instructor) -> None:
    whole = "built=1&theme=ukraine-war&excerpt=whole&limit=3"
    assert pdf_text(demo_instructor.get(url(demo, whole + "&format=pdf")).content)[0] == 2
    handout = shown(demo_instructor.get(url(demo, whole + "&fit=1")))
    fitted = handout.fitted
    assert fitted.fits and fitted.left_out == ()
    assert fitted.shortened == "Whole passages are cut to excerpts."
    # The first step was enough: the excerpts are the default ones, two sentences long.
    default = shown(demo_instructor.get(url(demo, whole.replace("whole", "auto"))))
    texts = [p.text for c in handout.sections[0].columns for p in c.passages]
    assert texts == [p.text for c in default.sections[0].columns for p in c.passages]
    pages, text = pdf_text(demo_instructor.get(url(demo, whole + "&fit=1&format=pdf")).content)
    assert pages == 1 and "…" in text


def test_fitting_cuts_passages_asked_for_whole_one_by_one_too(demo, demo_instructor) -> None:
    query = "built=1&theme=ukraine-war&limit=3"
    chosen = shown(demo_instructor.get(url(demo, query)))
    ids = [p.passage_id for c in chosen.sections[0].columns for p in c.passages]
    wholes = query + "".join(f"&whole-ukraine-war={pk}" for pk in ids)
    assert pdf_text(demo_instructor.get(url(demo, wholes + "&format=pdf")).content)[0] == 2
    fitted = shown(demo_instructor.get(url(demo, wholes + "&fit=1"))).fitted
    assert fitted.fits and fitted.left_out == ()
    assert fitted.shortened == "Whole passages are cut to excerpts."
