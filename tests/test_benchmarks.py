"""The benchmark script runs end to end (its quick size); what it checks besides timings holds.

Timings are never asserted here (they are the benchmark's business, reported as ratios in
docs/benchmarks.md); the budgets on the edition's own assets and on the essay page, and the
rule against loading anything from other hosts, are facts of the built page, and are. (The
Lighthouse and Chromium part of section 6 runs in the browser tests, tests/test_browser.py.)"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_the_benchmark_runs_and_the_page_stays_on_its_host(tmp_path: Path) -> None:
    report = tmp_path / "benchmarks.md"
    result = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick", "--no-profile", "--no-browser", "--write", str(report)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = report.read_text(encoding="utf-8")
    for section in ("## 1. Overhead on the essay", "## 2. Book scale", "## 3. Incremental rebuild",
                    "## 4. Validation", "## 5. Parallel", "## 6. Page weight"):  # fmt: skip
        assert section in text
    assert "Loaded from other hosts: nothing." in text
    assert "| Page weight: edition.css + edition.js, gzip |" in text and "< 20 KB | met |" in text
    assert "| Page weight: essay.html and all it loads, gzip / the look of Jupyter Book |" in text
    assert "≤ 150 KB, nothing from other hosts | met |" in text
    assert "Lighthouse and the reading measures: not run (not asked for (--no-browser))." in text
    assert "HTML files of the two builds: identical." in text
    assert "| Book: edition / floor with the annotations' words (the extension's own cost) |" in text
    assert "| Essay: the exports, after the pages / the site's build |" in text
    assert "## 8. Bounded cost" in text and "| – | refused |" in text  # the 10 MB bibliography, with its line
    assert "the bibliography is 10," in text and "it may have at most 262,144" in text


def test_the_words_floor_types_each_annotation_in_after_its_paragraph_or_as_its_note() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from measures.essay import with_words

    page = "# Page\n\n(p1)=\nFirst words.[^1]\n\n(p2)=\nSecond.\n\n[^1]: The original note.\n"
    gloss = {"kind": "gloss", "target": {"paragraph": "p1", "quote": "First"}, "headword": "First",
             "body": "See {para}`p2` and {cite:p}`key`.", "confidence": "inferred", "basis": "A guess.",
             "author": {"name": "E"}, "date": "2026-11-25"}  # fmt: skip
    note = {"kind": "note", "target": {"note": 1}, "body": "The expansion,\nover two lines.",
            "author": {"name": "E"}, "date": "2026-11-25"}  # fmt: skip
    assert with_words(page, [gloss, note]).split("\n") == [
        "# Page", "", "(p1)=", "First words.[^1]", "",
        "**Gloss**: First. See p2 and key. inferred. A guess. \u2014 E, 2026-11-25.", "",
        "(p2)=", "Second.", "",
        "[^1]: **Expansion of the note**. The expansion, over two lines. \u2014 E, 2026-11-25.", "",
    ]  # fmt: skip


def test_every_profile_note_names_a_function_of_the_edition() -> None:
    """Section 7's notes are keyed by module and function: a rename must carry them along."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from measures.profiling import NOTES

    for key in NOTES:
        path, _, qualified = key.partition(":")
        tree = ast.parse((ROOT / "edition" / path).read_text(encoding="utf-8"))
        names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.ClassDef)}
        assert set(qualified.split(".")) <= names, key


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            f"{ROOT}/annotations/glosses/gloss-twiss.yaml:12: WARNING: x",
            "annotations/glosses/gloss-twiss.yaml:12: WARNING: x",
        ),
        ("/tmp/edition-bench-ab12/essay/docs/essay.md:9: WARNING: y", "<work>/essay/docs/essay.md:9: WARNING: y"),
        ("docs/essay.md:9: WARNING: z", "docs/essay.md:9: WARNING: z"),
    ],
)
def test_the_report_names_no_folder_of_the_machine(line: str, expected: str) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from measures.common import without_machine_paths

    assert without_machine_paths(line) == expected


def test_the_committed_report_names_no_folder_of_the_machine() -> None:
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert not re.search(r"(^|[\s(\"'])/(work|home|tmp|root|Users|var)/", text, re.MULTILINE)
