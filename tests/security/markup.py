"""What in an HTML page the Content Security Policy would block, or a browser would run."""

from __future__ import annotations

from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc"}


class ActiveMarkup(HTMLParser):
    """Collects inline event handlers and styles, <style> elements, javascript: URLs and
    scripts that neither load from a file nor carry a nonce."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.nonces: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}={value!r}>")
            url = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and url.startswith(("javascript:", "data:text/html")):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag in {"style", "iframe", "object", "embed", "base"}:
            self.found.append(f"<{tag}> element")
        if tag == "script":
            if "nonce" in names:
                self.nonces.add(names["nonce"] or "")
            elif "src" not in names:
                self.found.append("<script> without src or nonce")


def active_markup(html: str) -> ActiveMarkup:
    parser = ActiveMarkup()
    parser.feed(html)
    parser.close()
    return parser
