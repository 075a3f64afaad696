"""Section 7. Profile (cProfile) of the book build: the extension's hotspots."""

from __future__ import annotations

import ast
import functools
import pstats
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .book import Book
from .common import ROOT, Settings, sphinx_build

NOTES = {  # by path below edition/ and qualified name: what the time buys, and what is left to try
    "sphinxext/loaded.py:_load": "Each file loaded and checked once per build (an incremental rebuild rereads "
    "only changed files): libyaml, fastjsonschema, and one markdown-it parse per body.",
    "annotation/loading.py:load_annotations": "See load_annotation.",
    "annotation/loading.py:load_annotation": "One libyaml compose per file, with every value's line and column; "
    "fastjsonschema says yes to valid files, jsonschema explains the others.",
    "core/safeyaml.py:load": "libyaml composes once; an event scan first only for files holding & [ or {.",
    "core/safeyaml.py:_scan_events": "Only for files holding & [ or {: anchors, aliases and deep flow nesting "
    "are refused before composing.",
    "core/safeyaml.py:_construct": "Values and their positions, from libyaml's nodes (pure Python).",
    "annotation/markup.py:check_body": "One markdown-it parse per body and basis per build (cached); the rendered "
    "nodes come from the same tokens. markdown-it-py is the cost.",
    "annotation/markup.py:parse_body": "See check_body.",
    "sphinxext/rendering.py:_fill": "Annotation content, made when its page is written, so no transform walks "
    "it: HTML written directly when its fields are simple (body_html), else nodes.",
    "sphinxext/rendering.py:BodyRenderer.fill_html": "The HTML of a simple annotation, written as the translator "
    "would.",
    "sphinxext/rendering.py:body_node": "The annotation's place in the page; its content comes at write time.",
    "annotation/model.py:Annotation.check_field": "check_body, kept with the annotation: an incremental build "
    "reuses it for unchanged files.",
    "annotation/loading.py:_schema_problems": "fastjsonschema; jsonschema only to explain a failure.",
    "annotation/loading.py:schema_valid": "See _schema_problems.",
    "sphinxext/rendering.py:BodyRenderer.fill": "Node construction for one annotation: see body_nodes.body_nodes.",
    "sphinxext/rendering.py:BodyRenderer._myst": "Plain fields skip the tokens; others are built by "
    "body_nodes.body_nodes.",
    "sphinxext/body_nodes.py:body_nodes": "Docutils nodes straight from the cached tokens (no nested MyST parse).",
    "sphinxext/marking.py:_attach": "Marks the quoted words and places each annotation: see _mark.",
    "sphinxext/marking.py:_mark": "Splits the paragraph's text nodes around the words found once per annotation.",
    "core/anchoring.py:locate": "Exact search with prefix and suffix, fuzzy only when that fails.",
    "sphinxext/consistency.py:_check": "The same checks as build_edition.py check, once per build (bodies "
    "already parsed).",
    "annotation/checks.py:check_all": "See consistency.py:_check.",
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
