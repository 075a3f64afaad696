"""The title block: what the apparatus establishes about the essay and the edition, as lines.

Made from ``source_texts/edition.yaml`` (:class:`~edition.core.versions.EditionInfo`) and nothing
else: a fact the file does not give is said to be not established, never guessed. Each line
is a list of :class:`Span` (plain words, an italic title, a link); :mod:`edition.sphinxext.titlepage`
turns them into nodes. Pure: no Sphinx.
"""

from __future__ import annotations

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


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def long_date(date: str) -> str:
    """``2016-08-31`` as "31 August 2016"; a year or a year and month as far as given; anything else as it is."""
    parts = date.split("-")
    if not all(part.isdigit() for part in parts) or len(parts) > 3:
        return date
    if len(parts) > 1 and not 1 <= int(parts[1]) <= 12:
        return date
    month = MONTHS[int(parts[1]) - 1] if len(parts) > 1 else ""
    return " ".join(x for x in (str(int(parts[2])) if len(parts) == 3 else "", month, parts[0]) if x)


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


def earlier_version_parts(version: dict[str, object]) -> tuple[str, str, str]:
    """One earlier version as a sentence, in three parts, the venue (a title, set in italics) in the
    middle: author and what it is; the venue; issue, date and page, as far as recorded."""
    author = version.get("author")
    name = " ".join(str(author[k]) for k in ("given", "family") if author.get(k)) if isinstance(author, dict) else ""
    lead = " ".join(f"{str(x).rstrip('.')}." for x in (name, version.get("description", "")) if x)
    issue = f"no. {version['issue']}" if version.get("issue") else ""
    date = long_date(str(version["date"])) if version.get("date") else ""
    page = f"p. {version['page']}" if version.get("page") else ""
    venue = str(version.get("venue", ""))
    rest = ", ".join(x for x in (issue, date, page) if x)
    if not venue:
        return (f"{lead} {rest}." if rest else lead).strip(), "", ""
    return (f"{lead} " if lead else ""), venue, (f", {rest}." if rest else ".")


def _earlier_lines(info: EditionInfo, about_doc: str) -> list[Line]:
    """Where the same author reviewed the book before: the venue and its date, and where the
    evidence is set out."""
    versions = info.essay.get("earlier_versions")
    lines = []
    for version in versions if isinstance(versions, list) else []:
        if not isinstance(version, dict):
            continue
        _lead, venue, rest = earlier_version_parts(version)
        if not venue:
            continue
        lines.append(
            Line(
                "earlier",
                (
                    Span("An earlier review by the same author: "),
                    Span(venue, "title"),
                    Span(f"{rest[:-1]} ("),
                    Span("how this is known", "link", f"{about_doc}#{ABOUT_ESSAY_ID}"),
                    Span(")."),
                ),
            )
        )
    return lines


def _edition_line(info: EditionInfo) -> tuple[Span, ...]:
    spans = [Span("Edited by the editors")]
    spans.append(Span(f", version {info.version}"))
    if info.released:
        spans.append(Span(f", {long_date(info.released)}"))
    spans.append(Span("."))
    return tuple(spans)


BLOCK_ID = "the-essay-and-the-edition"  # the title page's block, where the basis is given
ABOUT_ESSAY_ID = "the-essay-and-its-identification"  # the About page's section on the same facts
ABOUT_DATA_ID = "the-edition-as-data"  # the About page's section with the downloads (EPUB, TEI, …)


def title_lines(
    info: EditionInfo,
    essay_doc: str,
    root_doc: str,
    compact: bool = False,
    with_title: bool = False,
    about_doc: str = "about",
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
    if basis and not compact:  # folded under "How this is known" on the page (see titlepage.py)
        lines.append(Line("basis", (Span(basis),)))
    if not compact:
        lines += _earlier_lines(info, about_doc)
    if not compact or with_title or not any(span.style == "title" for span in subtitle):
        lines.append(Line("book", _book_line(info)))
    lines.append(Line("edition", _edition_line(info)))
    downloads = Span("Downloads", "link", f"{about_doc}#{ABOUT_DATA_ID}")
    if compact:
        actions = [Span("How this is known", "link", f"{about_doc}#{ABOUT_ESSAY_ID}"),
                   Span("Cite this edition", "link", f"{root_doc}#cite-this-edition"), downloads]  # fmt: skip
    else:
        actions = [Span("Read the essay", "link", essay_doc), Span("Cite this edition", "link", "#cite-this-edition"),
                   downloads]  # fmt: skip
    lines.append(Line("actions", tuple(actions)))
    return lines
