from __future__ import annotations

from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils.text import slugify

from annotations.models import AnnotationSet, Tag, Theme
from annotations.palette import PALETTE
from readings.importing import split_text
from readings.models import Document, Membership, Passage, Seminar, SeminarReading
from readings.services import passages_from_split

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


SAMPLE_TEXT = """A Short Reading

FIRST PART

The opening paragraph states the claim plainly. It gives a reason.

A second paragraph qualifies the claim. It names a cost.

Second part

The closing paragraph draws the conclusion.
"""


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document split by the real splitter, so passages always obey the offset invariant."""

    class Meta:
        model = Document
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Reading {n}")
    authors = factory.LazyFunction(lambda: ["Ann Author", "Ben Writer"])
    publication = "Journal of Examples"
    published = "2025"
    original_format = Document.Format.TXT
    text = ""
    content_hash = ""
    source = SAMPLE_TEXT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        split = split_text(kwargs.pop("source"))
        kwargs["text"] = split.text
        kwargs["content_hash"] = split.content_hash
        document = super()._create(model_class, *args, **kwargs)
        document.passages.bulk_create(passages_from_split(document, split))
        return document


class SeminarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seminar

    title = factory.Sequence(lambda n: f"Seminar {n}")
    term = "Spring 2026"
    join_code = factory.Sequence(lambda n: f"JOIN{n:04d}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    seminar = factory.SubFactory(SeminarFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.STUDENT


class SeminarReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeminarReading

    seminar = factory.SubFactory(SeminarFactory)
    document = factory.SubFactory(DocumentFactory)
    position = factory.Sequence(lambda n: n)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    seminar = factory.SubFactory(SeminarFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.LazyAttribute(lambda theme: slugify(theme.name))
    colour = factory.Sequence(lambda n: PALETTE[n % len(PALETTE)][0])
    guiding_question = "Does the author think so?"
    position = factory.Sequence(lambda n: n)


class AnnotationSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnotationSet

    seminar = factory.SubFactory(SeminarFactory)
    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Set {n}")
    kind = AnnotationSet.Kind.STUDENT
    visibility = AnnotationSet.Visibility.SEMINAR
    blind = True


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    annotation_set = factory.SubFactory(AnnotationSetFactory)
    passage = factory.LazyAttribute(
        lambda tag: Passage.objects.filter(kind=Passage.Kind.PARAGRAPH).first()
    )
    theme = factory.SubFactory(
        ThemeFactory, seminar=factory.SelfAttribute("..annotation_set.seminar")
    )
    author = factory.SelfAttribute("annotation_set.owner")


@dataclass
class SeminarWorld:
    """A seminar with an instructor, two students, an outsider, two readings, two themes,
    the instructor's key and one blind set per student: the permission trio and then some."""

    seminar: Seminar
    instructor: User
    student: User
    other_student: User
    outsider: User
    documents: list[Document]
    themes: list[Theme]
    key: AnnotationSet
    student_set: AnnotationSet
    other_student_set: AnnotationSet


def seminar_world() -> SeminarWorld:
    instructor = UserFactory(username="ines")
    student = UserFactory(username="sam")
    other_student = UserFactory(username="tara")
    outsider = UserFactory(username="oscar")
    seminar = SeminarFactory(title="Reading Power", created_by=instructor)
    MembershipFactory(seminar=seminar, user=instructor, role=Membership.Role.INSTRUCTOR)
    MembershipFactory(seminar=seminar, user=student)
    MembershipFactory(seminar=seminar, user=other_student)
    documents: list[Document] = [
        DocumentFactory(title="First Reading", owner=instructor),
        DocumentFactory(title="Second Reading", owner=instructor),
    ]
    for position, document in enumerate(documents):
        SeminarReadingFactory(seminar=seminar, document=document, position=position)
    themes: list[Theme] = [
        ThemeFactory(seminar=seminar, name="Trade", position=0),
        ThemeFactory(seminar=seminar, name="Security", position=1),
    ]
    key = AnnotationSetFactory(
        seminar=seminar, owner=instructor, title="Key", kind=AnnotationSet.Kind.KEY
    )
    student_set = AnnotationSetFactory(seminar=seminar, owner=student, title="Sam's reading")
    other_set = AnnotationSetFactory(seminar=seminar, owner=other_student, title="Tara's reading")
    return SeminarWorld(
        seminar=seminar,
        instructor=instructor,
        student=student,
        other_student=other_student,
        outsider=outsider,
        documents=documents,
        themes=themes,
        key=key,
        student_set=student_set,
        other_student_set=other_set,
    )
