from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from readings.models import Passage


class Command(BaseCommand):
    help = "Print every document's passages as JSON lines, for inspection and scripts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--document", type=int, help="Only the document with this id.")

    def handle(self, *args, document: int | None, **options) -> None:
        passages = (
            Passage.objects.select_related("document")
            .defer("document__text")
            .order_by("document__title", "document_id", "position")
        )
        if document is not None:
            passages = passages.filter(document_id=document)
        for passage in passages.iterator(chunk_size=2000):
            record = {
                "document": passage.document.title,
                "position": passage.position,
                "kind": passage.kind,
                "label": passage.label,
                "start": passage.start,
                "end": passage.end,
                "text": passage.text,
            }
            self.stdout.write(json.dumps(record, ensure_ascii=False))
