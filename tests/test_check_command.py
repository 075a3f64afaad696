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


def test_contributors_mistakes_are_told_at_their_place_with_what_to_fix(project: Path) -> None:
    folder = project / "annotations"
    (folder / "gloss-tab.yaml").write_text(GLOSS.replace("gloss-test", "gloss-tab").replace("  quote:", "\tquote:"))
    indented = GLOSS.replace("gloss-test", "gloss-indent").replace("  quote:", "    quote:")
    (folder / "gloss-indent.yaml").write_text(indented)
    colon = GLOSS.replace("gloss-test", "gloss-colon").replace(
        "quote: the Soviet Thermidor", "quote: the Soviet: Thermidor"
    )
    (folder / "gloss-colon.yaml").write_text(colon)
    (folder / "gloss-spelt.yaml").write_text(
        GLOSS.replace("gloss-test", "gloss-spelt").replace("category:", "catgory:")
    )
    html = 'body: A <script>alert(1)</script> and <a href="javascript:x">link</a>.'
    (folder / "gloss-html.yaml").write_text(GLOSS.replace("gloss-test", "gloss-html").replace("body: A test.", html))
    result = run(project)
    assert result.returncode == 1
    quote_how = 'put the whole value in quotes, as in  quote: "…"'
    assert result.stdout.splitlines() == [
        "annotations/gloss-colon.yaml:6:20: not valid YAML: this value holds ': ', which YAML reads as a new field: "
        f"{quote_how} (the parser: mapping values are not allowed in this context) [edition.schema]",
        "annotations/gloss-html.yaml:9:9: body: the HTML tag <script> is not allowed in an annotation; "
        "use MyST emphasis and links [edition.unsafe]",
        "annotations/gloss-html.yaml:9:39: body: the HTML tag <a> is not allowed in an annotation; "
        "use MyST emphasis and links [edition.unsafe]",
        "annotations/gloss-indent.yaml:6:10: not valid YAML: this line is indented more than the line before it: "
        "align it with the fields beside it (the parser: mapping values are not allowed in this context) "
        "[edition.schema]",
        "annotations/gloss-spelt.yaml:7:1: unknown field 'catgory': did you mean 'category'? "
        "('category' is required and missing) [edition.schema]",
        "annotations/gloss-tab.yaml:6:1: not valid YAML: a tab was found here: indent with spaces only "
        "(YAML does not allow tabs in indentation) (the parser: found a tab character that violates indentation) "
        "[edition.schema]",
    ]


def test_a_file_in_another_kinds_folder_is_told_where_it_belongs(project: Path) -> None:
    (project / "annotations" / "glosses").mkdir()
    (project / "annotations" / "notes").mkdir()
    (project / "annotations" / "notes" / "gloss-test.yaml").write_text(GLOSS)
    result = run(project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "annotations/notes/gloss-test.yaml:3:7: this file is a gloss (kind: gloss), which belongs in "
        "annotations/glosses/, not annotations/notes/: move it there [edition.schema]"
    ]
    (project / "annotations" / "notes" / "gloss-test.yaml").rename(
        project / "annotations" / "glosses" / "gloss-test.yaml"
    )
    assert run(project).returncode == 0


SAME_WORDS = "a gloss of the same words: add to that annotation, or annotate other words [edition.duplicate]"


def test_a_duplicate_is_told_on_the_newcomer_whatever_the_file_names(project: Path) -> None:
    """Without git, the established file is the one whose id comes first, word by word:
    gloss-test before gloss-test-b, though gloss-test-b.yaml sorts first by file name."""
    (project / "annotations" / "gloss-test.yaml").write_text(GLOSS)
    (project / "annotations" / "gloss-test-b.yaml").write_text(GLOSS.replace("gloss-test", "gloss-test-b"))
    result = run(project)
    assert result.stdout.splitlines() == [
        f"annotations/gloss-test-b.yaml:6:10: duplicates annotations/gloss-test.yaml ('Thermidor'), {SAME_WORDS}"
    ]


def test_a_duplicate_of_a_published_annotation_is_told_on_the_new_file(project: Path) -> None:
    """Where git says which file is published (on main, or at the pull request's base), the
    other is the newcomer, whatever its id."""
    (project / "annotations" / "gloss-test-b.yaml").write_text(GLOSS.replace("gloss-test", "gloss-test-b"))
    git = ["git", "-c", "user.name=The editors", "-c", "user.email=editors@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "published"], cwd=project, check=True)
    (project / "annotations" / "gloss-test.yaml").write_text(GLOSS)
    result = run(project)
    place, told = (
        "annotations/gloss-test.yaml:6:10:",
        "duplicates the published annotations/gloss-test-b.yaml ('Thermidor'), ",
    )
    assert result.stdout.splitlines() == [f"{place} {told}{SAME_WORDS}"]
    # The build says the same, at the same place.
    build = subprocess.run(
        [sys.executable, "build_edition.py", "build", "--no-epub"], cwd=project, capture_output=True, text=True
    )
    assert build.returncode != 0 and f"{place} WARNING: {told}{SAME_WORDS}" in build.stderr
