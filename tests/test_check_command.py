"""`build_edition.py check` on a copy of the project: located messages, exit codes, GitHub format."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from edition.annotation.model import Problem
from edition.commands.check import github_line

GLOSS = """\
schema: 2
id: gloss-test
kind: gloss
target:
  paragraph: p15
  quote: the Soviet Thermidor
category: term
headword: Thermidor
body: A test.
basis: A test.
confidence: inferred
author:
  name: The editors
date: 2026-11-25
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The edition's sources without its annotations, plus what a test adds."""
    return copy_project(tmp_path, annotations=False)


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build_edition.py", "check", *args], cwd=project, capture_output=True, text=True, check=False
    )


def test_a_valid_annotation_passes(project: Path) -> None:
    (project / "annotations" / "gloss-test.yaml").write_text(GLOSS)
    result = run(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 annotation file(s) and the list of names checked: no problems" in result.stderr


def test_all_problems_are_reported_with_file_line_and_column(project: Path) -> None:
    (project / "annotations" / "gloss-test.yaml").write_text(GLOSS.replace("the Soviet Thermidor", "Bukharin"))
    (project / "annotations" / "broken.yaml").write_text("schema: 2\nid: broken\n")
    result = run(project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert 'annotations/gloss-test.yaml:6:10: quote "Bukharin" not found in ¶ p15 [edition.anchor]' in lines
    assert any(line.startswith("annotations/broken.yaml:1:1: the file: missing required field") for line in lines)
    assert "problem(s)" in result.stderr


def test_github_format_annotates_the_diff(project: Path) -> None:
    (project / "annotations" / "gloss-test.yaml").write_text(GLOSS.replace("the Soviet Thermidor", "Bukharin"))
    result = run(project, "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=annotations/gloss-test.yaml,line=6,col=10,title=edition.anchor::"
        'quote "Bukharin" not found in ¶ p15'
    ]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("plain", "::error file=a.yaml,line=3,col=1,title=edition.schema::plain"),
        ("two\nlines 100%", "::error file=a.yaml,line=3,col=1,title=edition.schema::two%0Alines 100%25"),
    ],
)
def test_github_line_escapes(message: str, expected: str) -> None:
    assert github_line(Problem("a.yaml", 3, 1, message, "schema")) == expected


def test_the_real_annotations_pass() -> None:
    result = subprocess.run(
        [sys.executable, "build_edition.py", "check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_a_version_1_file_is_read_and_says_how_to_migrate(project: Path) -> None:
    (project / "annotations" / "gloss-test.yaml").write_text(GLOSS.replace("schema: 2", "schema: 1"))
    result = run(project)
    assert result.returncode == 1  # as the build with warnings as errors: migrate before merging
    assert result.stdout.splitlines() == [
        "annotations/gloss-test.yaml:1:9: format version 1: run `python build_edition.py migrate "
        "annotations/gloss-test.yaml` to rewrite it as version 2 [edition.outdated]"
    ]
    github = run(project, "--format", "github")
    assert github.stdout.startswith("::error file=annotations/gloss-test.yaml,line=1,col=9,title=edition.outdated::")
