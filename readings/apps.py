from __future__ import annotations

from django.apps import AppConfig


class ReadingsConfig(AppConfig):
    name = "readings"
    verbose_name = "Readings"

    def ready(self) -> None:
        # The first PDF import in a worker would otherwise spend a tenth of its time limit
        # loading the word list that decides line-end hyphens.
        from readings.importing.readers.pdf.hyphens import warm

        warm()
