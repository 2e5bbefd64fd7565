"""Print where the app is and each seminar's join link, for every address given (bin/serve
gives the machine's own): what an instructor writes on the board for the room."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.urls import reverse

from readings.models import Seminar


def _printable(text: str) -> str:
    # A title is shown in a terminal: no escape sequences from whoever typed it.
    return "".join(ch if ch.isprintable() else " " for ch in text)


class Command(BaseCommand):
    help = "Print the app's URL and each seminar's join link at each of the given base URLs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("bases", nargs="+", help="base URLs, e.g. http://192.168.1.20:8000")

    def handle(self, *args, bases: list[str], **options) -> None:
        bases = [base.rstrip("/") for base in bases]
        self.stdout.write("Counterpoint is at:")
        for base in bases:
            self.stdout.write(f"  {base}/")
        seminars = list(Seminar.objects.order_by("title", "pk").only("title", "join_code"))
        if not seminars:
            self.stdout.write("No seminar yet: sign up, create one, and run bin/serve again.")
            return
        self.stdout.write("Join links (students open one, sign up or log in, and join):")
        for seminar in seminars:
            if not seminar.join_code:
                self.stdout.write(
                    f"  {_printable(seminar.title)}: joining is closed (open it on its page)"
                )
                continue
            path = reverse("readings:join_code", args=[seminar.join_code])
            self.stdout.write(f"  {_printable(seminar.title)}:")
            for base in bases:
                self.stdout.write(f"    {base}{path}")
