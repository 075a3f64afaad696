"""Section 2. Book scale: a generated edition of 1,000 paragraphs and 10,000 annotations."""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import ROOT, Build, Series, Settings, repeat, sphinx_build
from .essay import FLOOR_CONF, with_words

_WORD_TEXT = """
abandon absolute accept account action administration advance agrarian alliance analysis
apparatus argument army assembly authority balance bank barrier basis battle belief border
bourgeois budget bureau cadre campaign capital census central century change character charter
church circle citizen civil claim class coalition collective commerce committee commune
concession conference conflict congress conscience constitution contract control council country
crisis critic culture currency debate decade decree defeat defence delegate democracy deputy
despot dialectic dispute district doctrine document duty economy education election emigre
empire enterprise epoch equality estate evidence exile faction factory famine federation finance
fleet formula fortress freedom frontier fund garrison generation government grain harvest heresy
history household ideal ideology income industry influence inquiry institution interest journal
judge justice labour land law leader league ledger liberty literature loyalty machine majority
manifesto market measure memory method militia minister minority model monopoly movement nation
network newspaper notion oath office opposition order origin output pamphlet parliament party
peasant pension period petition plan platform pledge police policy politics position power press
price principle prison problem process product program progress property protest province purge
question railway rank reaction reason rebellion reform regime region reign report republic
reserve resolution revenue revolution right rule salary school science secret sector senate
service settlement society soldier soviet speech state statute strike struggle subsidy
succession surplus system tariff tax teacher tendency territory theory thesis trade tradition
treaty tribunal trust union village vote wage war welfare worker writer yield zeal
"""
WORDS = _WORD_TEXT.split()
_LINK_TEXT = "a an the of to in on for with by from under over against within without beyond"
LINKS = _LINK_TEXT.split()
KINDS_BY_SLOT = ("gloss", "crossref", "emendation", "commentary", "note", "gloss", "crossref", "emendation",
                 "commentary", "gloss")  # fmt: skip
FOLDERS = {"gloss": "glosses", "note": "notes", "crossref": "crossrefs", "emendation": "emendations",
           "commentary": "commentary"}  # fmt: skip
CATEGORIES = ("person", "organisation", "event", "term", "work", "place", "document")
CONFIDENCE = ("verified", "verified-in-translation", "secondary", "inferred", "not-identified")
SEED = 20261125

BOOK_CONF = '''"""A generated book-sized edition, for benchmarks/run.py."""
import sys
sys.path.insert(0, {root!r})
project = "Benchmark book"
extensions = [{extensions}]
smartquotes = False
exclude_patterns = ["_build"]
edition_source_dir = "texts"  # exists, with no ledger, witness or edition.yaml
edition_annotations_dir = "annotations"
'''


@dataclass
class Paragraph:
    ident: str
    page: int
    text: str
    quotes: list[str]


def sentence(rng: random.Random) -> str:
    count = rng.randint(8, 18)
    words = [rng.choice(WORDS) if rng.random() < 0.75 else rng.choice(LINKS) for _ in range(count)]
    if count > 10:
        words[rng.randint(3, count - 4)] += ","
    return " ".join(words).capitalize() + "."


def paragraph_text(rng: random.Random) -> str:
    target = rng.randint(60, 120)
    words: list[str] = []
    while len(words) < target:
        words += sentence(rng).split()
    text = " ".join(words[:target]).rstrip(",.")
    return text + "."


def count_overlapping(text: str, part: str) -> int:
    count, start = 0, text.find(part)
    while start != -1:
        count, start = count + 1, text.find(part, start + 1)
    return count


def choose_quotes(text: str, wanted: int) -> list[str]:
    """``wanted`` quotes, one per equal region of the paragraph: non-overlapping word
    sequences (2 words or more) that occur exactly once in the paragraph."""
    words = text.split(" ")
    size = len(words) // wanted
    quotes = []
    for region in range(wanted):
        lo, hi = region * size, (region + 1) * size
        quote = next(
            (
                " ".join(words[start : start + length])
                for length in range(2, size + 1)
                for start in range(lo, hi - length + 1)
                if count_overlapping(text, " ".join(words[start : start + length])) == 1
            ),
            None,
        )
        if quote is None:
            raise ValueError(f"no unique quote in words {lo}-{hi} of: {text}")
        quotes.append(quote)
    return quotes


def generate_text(settings: Settings) -> list[Paragraph]:
    rng = random.Random(SEED)
    per_page = settings.paragraphs // settings.pages
    slots = -(-settings.annotations // settings.paragraphs)
    out = []
    for number in range(1, settings.paragraphs + 1):
        text = paragraph_text(rng)
        out.append(Paragraph(f"p{number}", (number - 1) // per_page + 1, text, choose_quotes(text, slots)))
    return out


def page_markdown(page: int, paragraphs: list[Paragraph]) -> str:
    """One page: a heading, each paragraph after its (pN)= target with a note at its end,
    then the notes (numbered like their paragraphs, so note numbers are unique in the book)."""
    lines = [f"# Page {page}", ""]
    for para in paragraphs:
        number = para.ident[1:]
        lines += [f"({para.ident})=", f"{para.text}[^{number}]", ""]
    for para in paragraphs:
        number = para.ident[1:]
        lines += [f"[^{number}]: The original note {number}, on paragraph {number}.", ""]
    return "\n".join(lines)


def annotation(index: int, settings: Settings, text: list[Paragraph]) -> dict[str, Any]:
    """Annotation ``index``: paragraph ``index % P``, slot ``index // P``; the kind follows
    (paragraph + slot), so every prefix of the list has the same mix of kinds (10% notes)."""
    count = len(text)
    para = text[index % count]
    slot = index // count
    number = index % count + 1
    kind = KINDS_BY_SLOT[(number + slot) % len(KINDS_BY_SLOT)]
    quote = para.quotes[slot]
    other = f"p{(number + 36) % count + 1}"
    data: dict[str, Any] = {"schema": 2, "id": f"{kind}-{index + 1:05d}", "kind": kind}
    if kind == "note":
        data["target"] = {"note": number}
    else:
        data["target"] = {"paragraph": para.ident, "quote": quote}
    body = f"On *{quote}*: {sentence(random.Random(index))}"
    if kind == "gloss":
        data["category"] = CATEGORIES[index % len(CATEGORIES)]
        data["headword"] = f"{quote.title()} ({index + 1})"
        data["basis"] = f"Inferred from the generated text of paragraph {number}."
        data["confidence"] = CONFIDENCE[index % len(CONFIDENCE)]
    elif kind == "note":
        data["basis"] = f"The note of paragraph {number}, expanded by the generator."
        data["confidence"] = CONFIDENCE[index % len(CONFIDENCE)]
        body += f" Compare {{para}}`{other}`."
    elif kind == "crossref":
        earlier = index - count  # same paragraph, previous slot: in every prefix that holds this one
        refers = {"annotation": annotation_id(earlier, count)} if earlier >= 0 and index % 3 == 0 else {}
        data["refers_to"] = refers or {"paragraph": other}
    elif kind == "emendation":
        data["reading"] = " ".join(reversed(quote.split(" ")))
    elif kind == "commentary":
        body += f" See [¶ {number}](#{para.ident}) and {{para}}`{other}`."
    data["body"] = body
    data["author"] = {"name": "The benchmark"}
    data["date"] = "2026-11-25"
    return data


def annotation_id(index: int, count: int) -> str:
    number, slot = index % count + 1, index // count
    return f"{KINDS_BY_SLOT[(number + slot) % len(KINDS_BY_SLOT)]}-{index + 1:05d}"


def dump_yaml(data: dict[str, Any]) -> str:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    header = "# yaml-language-server: $schema=../../edition/schema/annotation.schema.json\n"
    return header + yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


@dataclass
class Book:
    """A generated edition: conf dirs for the edition and the floor, one docs folder,
    annotation folders with the first N annotations for each N measured."""

    root: Path
    floor: Path
    words: Path  # the floor's conf and pages with every annotation's words typed in as plain MyST
    text: list[Paragraph]
    folders: dict[int, str]  # number of annotations -> folder name, relative to root
    files: list[Path]  # the annotation files of the largest folder, in index order

    @property
    def docs(self) -> Path:
        return self.root / "docs"


def generate_book(work: Path, settings: Settings) -> Book:
    """Write the generated project: pages, conf.py files and annotation folders."""
    text = generate_text(settings)
    root, floor = work / "book", work / "book-floor"
    (root / "docs").mkdir(parents=True)
    (root / "texts").mkdir()
    floor.mkdir()
    (root / "conf.py").write_text(BOOK_CONF.format(root=str(ROOT), extensions='"myst_parser", "edition"'))
    (floor / "conf.py").write_text(FLOOR_CONF.format(root="index", theme=""))
    pages = sorted({p.page for p in text})
    toctree = "\n".join(f"page{page:02d}" for page in pages)
    index = f"# Benchmark book\n\n```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n"
    (root / "docs" / "index.md").write_text(index, encoding="utf-8")
    for page in pages:
        markdown = page_markdown(page, [p for p in text if p.page == page])
        (root / "docs" / f"page{page:02d}.md").write_text(markdown, encoding="utf-8")
    files = []
    full = "annotations"
    everything = []
    for index_ in range(settings.annotations):
        data = annotation(index_, settings, text)
        everything.append(data)
        path = root / full / FOLDERS[data["kind"]] / f"{data['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_yaml(data), encoding="utf-8")
        files.append(path)
    words = work / "book-words"
    (words / "docs").mkdir(parents=True)
    (words / "conf.py").write_text(FLOOR_CONF.format(root="index", theme=""))
    shutil.copy(root / "docs" / "index.md", words / "docs" / "index.md")
    for page in pages:
        markdown = (root / "docs" / f"page{page:02d}.md").read_text(encoding="utf-8")
        (words / "docs" / f"page{page:02d}.md").write_text(with_words(markdown, everything), encoding="utf-8")
    folders = {settings.annotations: full, 0: "annotations-0"}
    (root / "annotations-0").mkdir()
    for step in settings.steps:  # subsets share the files (hard links)
        folders[step] = f"annotations-{step}"
        for path in files[:step]:
            link = root / folders[step] / path.relative_to(root / full)
            link.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, link)
    return Book(root, floor, words, text, folders, files)


@dataclass
class BookResult:
    floor: Series
    by_count: dict[int, Series]  # annotations -> builds with the edition
    words: Series  # the floor with every annotation's words as plain MyST


def measure_book(book: Book, work: Path, settings: Settings) -> BookResult:
    """Section 2. Does the extension scale to a book, and is attaching linear?

    The floor is the same generated pages built by plain Sphinx + myst-parser (same
    default theme, no edition, no annotations). A second floor has the words of all the
    annotations typed into those pages as plain MyST (:func:`with_words`): what plain
    Sphinx pays to publish the same words, so the edition's own cost is what remains.
    The edition builds the same pages with 0, then N annotations (the first N of the
    generated list, the same mix of kinds in each), selected with ``-D
    edition_annotations_dir``. The attach cost of N is the build time minus the
    0-annotation build; divided by N it should stay flat.

    The floor, 0 and all annotations are built ``repetitions`` times; the inner points of
    the curve ``context_repetitions`` times (once: their spread over three runs was under
    4% in trial runs, and three would take the full run well past 10 minutes).
    """
    out = work / "out"
    n = settings.repetitions
    floor = repeat(n, lambda i: sphinx_build(book.floor, book.docs, out / f"book-floor-{i}"))
    words = repeat(n, lambda i: sphinx_build(book.words, book.words / "docs", out / f"book-words-{i}"))

    def with_annotations(count: int) -> Callable[[int], Build]:
        folder = {"edition_annotations_dir": book.folders[count]}
        return lambda i: sphinx_build(book.root, book.docs, out / f"book-{count}-{i}", overrides=folder)

    by_count = {}
    for count in sorted(book.folders):
        times = n if count in (0, settings.annotations) else settings.context_repetitions
        by_count[count] = repeat(times, with_annotations(count))
    return BookResult(floor, by_count, words)
