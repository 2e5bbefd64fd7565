"""Writing the light Markdown that readers hand to the splitter, with literal text kept literal."""

from __future__ import annotations

import re

_INLINE_SPECIAL_RE = re.compile(r"([\\*_])")
# Characters that would read as a heading or bullet marker at the start of a block.
_BLOCK_START_SPECIAL = "#-*•–+"
_WHITESPACE_RE = re.compile(r"\s+")


def escape_inline(text: str) -> str:
    """Example: "5 * 3 in snake_case" -> "5 \\\\* 3 in snake\\\\_case"."""
    return _INLINE_SPECIAL_RE.sub(r"\\\1", text)


def emphasise(markdown: str) -> str:
    """Wrap already-escaped text in emphasis markers, keeping its outer spaces outside them so
    the markers stay valid. Example: " very " -> " *very* "."""
    core = markdown.strip()
    if not core:
        return markdown
    lead = markdown[: len(markdown) - len(markdown.lstrip())]
    trail = markdown[len(markdown.rstrip()) :]
    return f"{lead}*{core}*{trail}"


def block(markdown: str, prefix: str = "") -> str:
    """One block on one line: whitespace collapsed, a leading marker character escaped.

    Example: block("- 5 degrees") -> "\\\\- 5 degrees"; block("Intro", "# ") -> "# Intro".
    """
    text = _WHITESPACE_RE.sub(" ", markdown).strip()
    if not text:
        return ""
    if text[0] in _BLOCK_START_SPECIAL:
        text = "\\" + text
    return prefix + text


def join_blocks(blocks: list[str]) -> str:
    return "\n\n".join(b for b in blocks if b)
