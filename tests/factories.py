from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from readings.importing import split_text
from readings.models import Document
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
