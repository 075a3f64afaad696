"""Short labels of annotations: the words of a compact sidenote, and the head of each of the
essay's notes (what it cites). Pure: no Sphinx; the words come from the annotation's data
and its body's markdown-it tokens, so nothing is rendered twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..core.ledger import paragraph_label
from .markup import parse_body

KIND_NAMES = {
    "gloss": ("Gloss", "Glosses"),
    "note": ("Note expansion", "Note expansions"),
    "crossref": ("Cross-reference", "Cross-references"),
    "emendation": ("Emendation", "Emendations"),
    "variant": ("Variant", "Variants"),
    "commentary": ("Commentary", "Commentaries"),
}
"""Each kind's one name, singular and plural, wherever a reader meets it: the open note, the Notes
menu, the About page's figures and contributors, the report (edition.css repeats the singular for
the compact sidenotes; a browser test keeps them the same)."""
LABEL_LENGTH = 140  # characters of a compact sidenote: about two lines of the margin
_BLANKS = re.compile(r"[ \t\r\n]+")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)”’\"'])[.;:](?=\s)")


def plain_text(markdown: str) -> str:
    """The words of the first paragraph of a body, without markup: a ``{para}`p30``` role
    reads "¶ 30", other roles their content, links their words."""
    tokens = parse_body(markdown)
    inline = next((t for t in tokens if t.type == "inline"), None)
    if inline is None:
        return ""
    words: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
        elif child.type == "myst_role":
            content = child.content.strip()
            words.append(paragraph_label(content) if child.meta.get("name") == "para" else content)
    return _BLANKS.sub(" ", "".join(words)).strip(" ")  # not str.split(): it would break "¶ 30"


def shorten(text: str, limit: int = LABEL_LENGTH) -> str:
    """The first sentence (or clause) of ``text``, cut at a word and marked with an ellipsis
    if still longer than ``limit``."""
    end = _SENTENCE_END.search(text)
    if end and end.start() >= 20:
        text = text[: end.start() + 1]
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut} …"


def compact_label(kind: str, data: dict[str, Any], quote: str) -> str:
    """What a compact sidenote says after its kind: the headword of a gloss, the reading of an
    emendation or a variant, else the opening of the body."""
    if kind == "gloss" and data.get("headword"):
        return str(data["headword"])
    if kind == "emendation" and "reading" in data:
        return f"read ‘{data['reading']}’ for ‘{quote}’"
    if kind == "variant" and "reading" in data:
        return f"the source reads ‘{data['reading']}’"
    return shorten(plain_text(str(data.get("body", ""))))


@dataclass(frozen=True)
class Work:
    """A bibliography entry as a note's head names it."""

    authors: Sequence[str]  # family names
    title: str
    year: str
    book: bool  # a book's title is italic, other titles are quoted


def short_reference(work: Work) -> list[tuple[str, str]]:
    """``Mises, *Bureaucracy* (1944)`` as (text, style) pieces; style "title" is italic."""
    names = list(work.authors)
    who = f"{names[0]} et al." if len(names) > 2 else " and ".join(names)
    out: list[tuple[str, str]] = [(f"{who}, ", "")] if who else []
    out.append((work.title, "title") if work.book else (f"“{work.title}”", ""))
    if work.year:
        out.append((f" ({work.year})", ""))
    return out


def note_head(cited: Sequence[Work], candidates: Sequence[Work]) -> list[tuple[str, str]]:
    """The head of one of the essay's notes: the works it cites; else the candidates the
    apparatus names; else that it is not identified."""
    works, prefix = (cited, "") if cited else (candidates, "Not identified; perhaps ")
    if not works:
        return [("Not identified", "")]
    out: list[tuple[str, str]] = [(prefix, "")] if prefix else []
    for index, work in enumerate(works):
        if index:
            out.append(("; " if cited else "; or ", ""))
        out += short_reference(work)
    return out
