"""Section 1. Overhead on the essay: the real edition against plain Sphinx and myst-parser, and the exports."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import ROOT, TARGETS, Build, Series, Settings, repeat, sphinx_build, yaml_load

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
    words = with_words(neutralise(essay), [yaml_load(path) for path in sorted((ROOT / "annotations").rglob("*.yaml"))])
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
