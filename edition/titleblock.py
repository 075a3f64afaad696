"""The title block: what the apparatus establishes about the essay and the edition, as lines.

Made from ``source_texts/edition.yaml`` (:class:`~edition.versions.EditionInfo`) and nothing
else: a fact the file does not give is said to be not established, never guessed. Each line
is a list of :class:`Span` (plain words, an italic title, a link); :mod:`edition.titlepage`
turns them into nodes. Pure: no Sphinx.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from .versions import EditionInfo

NOT_ESTABLISHED = "not established"


@dataclass(frozen=True)
class Span:
    text: str
    style: str = ""  # "" plain, "title" (a work's title, in italics), "link" (to ``target``)
    target: str = ""  # "document#id", "document" or "#id" (on the same page)


@dataclass(frozen=True)
class Line:
    role: str  # what the line says: essay, subtitle, author, venue, basis, book, edition, actions
    spans: tuple[Span, ...]


def split_title(title: str) -> tuple[str, str]:
    """A title and its subtitle, at the first colon ("Main: sub")."""
    main, colon, sub = title.partition(": ")
    return (main.strip(), sub.strip()) if colon else (title.strip(), "")


def italicise(text: str, work: str) -> tuple[Span, ...]:
    """``text`` with the title ``work`` in it set as a title."""
    at = text.find(work) if work else -1
    if at < 0:
        return (Span(text),) if text else ()
    spans = [Span(text[:at]), Span(work, "title"), Span(text[at + len(work) :])]
    return tuple(s for s in spans if s.text)


def person(value: Any) -> str:
    """``{given, family}`` or a string, as a name in reading order."""
    if isinstance(value, dict):
        return " ".join(str(value[k]).strip() for k in ("given", "family") if value.get(k))
    return str(value or "").strip()


def long_date(iso: str) -> str:
    """2026-11-25 -> 25 November 2026 (as given when it is not a date)."""
    try:
        day = datetime.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day.strftime('%B')} {day.year}"


def essay_title(info: EditionInfo) -> tuple[str, tuple[Span, ...]]:
    """The essay's title and its subtitle (the book reviewed in italics), or "not established"."""
    title = str(info.essay.get("title") or "").strip()
    if not title:
        return "Title not established", ()
    main, sub = split_title(title)
    return main, italicise(sub, str(_book(info).get("title") or ""))


def _book(info: EditionInfo) -> dict[str, Any]:
    book = info.essay.get("reviews")
    return book if isinstance(book, dict) else {}


def _venue(info: EditionInfo) -> tuple[Span, ...]:
    essay = info.essay
    journal, volume, year = (str(essay.get(k) or "").strip() for k in ("journal", "volume", "year"))
    if not journal:
        return (Span(f"Where and when it first appeared: {NOT_ESTABLISHED}."),)
    spans = [Span("First published in "), Span(journal, "title")]
    if volume:
        spans.append(Span(f" {volume}"))
    spans.append(Span(f" ({year})." if year else f"; the year is {NOT_ESTABLISHED}."))
    return tuple(spans)


def _book_line(info: EditionInfo) -> tuple[Span, ...]:
    book = _book(info)
    title = str(book.get("title") or "").strip()
    if not title:
        return (Span(f"The book reviewed: {NOT_ESTABLISHED}."),)
    author = person(book.get("author"))
    spans = [Span("The book reviewed: "), Span(f"{author}, " if author else ""), Span(title, "title")]
    if book.get("edition"):
        spans.append(Span(f" ({str(book['edition']).strip()})"))
    spans.append(Span("."))
    return tuple(s for s in spans if s.text)


def _edition_line(info: EditionInfo) -> tuple[Span, ...]:
    spans = [Span("Edited by the editors")]
    spans.append(Span(f", version {info.version}"))
    if info.released:
        spans.append(Span(f", {long_date(info.released)}"))
    spans.append(Span("."))
    return tuple(spans)


BLOCK_ID = "the-essay-and-the-edition"  # the title page's block, where the basis is given


def title_lines(
    info: EditionInfo, essay_doc: str, root_doc: str, compact: bool = False, with_title: bool = False
) -> list[Line]:
    """The title block of the title page, or (``compact``) the lines under the essay's heading,
    whose heading already gives the essay's title (and the book, when its subtitle names it);
    ``with_title`` gives the title too, for a compact block under another heading."""
    author = person(info.essay.get("author")) or NOT_ESTABLISHED
    main, subtitle = essay_title(info)
    lines: list[Line] = []
    if not compact:
        lines.append(Line("lead", (Span("An annotated edition of the review essay"),)))
    if not compact or with_title:
        lines.append(Line("essay", (Span(main, "title"),)))
        if subtitle:
            lines.append(Line("subtitle", subtitle))
    lines.append(Line("author", (Span(f"by {author}" if author != NOT_ESTABLISHED else f"Author {author}"),)))
    lines.append(Line("venue", _venue(info)))
    basis = " ".join(str(info.essay.get("basis") or "").split())
    if basis and not compact:
        lines.append(Line("basis", (Span(f"How this is known: {basis}"),)))
    if not compact or with_title or not any(span.style == "title" for span in subtitle):
        lines.append(Line("book", _book_line(info)))
    lines.append(Line("edition", _edition_line(info)))
    if compact:
        actions = [Span("How this is known", "link", f"{root_doc}#{BLOCK_ID}"),
                   Span("Cite this edition", "link", f"{root_doc}#cite-this-edition")]  # fmt: skip
    else:
        actions = [Span("Read the essay", "link", essay_doc), Span("Cite this edition", "link", "#cite-this-edition")]
    lines.append(Line("actions", tuple(actions)))
    return lines
