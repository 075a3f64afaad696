"""Section 8. Bounded cost: acknowledged orphans, many annotations on the same words, a 10 MB bibliography."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .book import SEED, dump_yaml
from .common import PYTHON, ROOT, Settings, repeat, sphinx_build

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
