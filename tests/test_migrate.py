"""Format version 1 to 2: the line-level rewrite (a table of files), its round trip on every
annotation of the edition, and `build_edition.py migrate` on a copy of the project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from edition.annotation.loading import load_annotation
from edition.annotation.migrate import NEW_IN_2, MigrationError, migrate_text
from edition.core.safeyaml import YamlProblem, load

V1 = """\
# yaml-language-server: $schema=../../edition/schema/annotation.schema.json
# A comment the rewrite keeps.
schema: 1   # the format version
id: note-01
kind: note
target: {note: 1}
citations:
  - key: mises1944bureaucracy   # a trailing comment
body: 'The quoted words, in single quotes.'
basis: "A basis in double quotes, with a colon: here."
confidence: verified
author:
  name: The editors
date: 2026-11-25
"""

CASES = [
    ("comments, flow mappings and quoting kept", V1, V1.replace("schema: 1   #", "schema: 2   #")),
    ("schema not first", "id: x\nschema: 1\nkind: note\n", "id: x\nschema: 2\nkind: note\n"),
    ("Windows line ends kept", "schema: 1\r\nid: x\r\n", "schema: 2\r\nid: x\r\n"),
    ("no newline at the end", "id: x\nschema: 1", "id: x\nschema: 2"),
    ("a byte order mark kept", "\ufeffschema: 1\nid: x\n", "\ufeffschema: 2\nid: x\n"),
    ("a document start marker kept", "---\nschema: 1\nid: x\n...\n", "---\nschema: 2\nid: x\n...\n"),
    ("already version 2: unchanged", V1.replace("schema: 1", "schema: 2"), V1.replace("schema: 1", "schema: 2")),
    (
        "a confidence in quotes keeps its quotes",
        "schema: 1\nconfidence: 'inferred'\nbody: |\n  confidence: inferred\n",
        "schema: 2\nconfidence: 'inferred'\nbody: |\n  confidence: inferred\n",
    ),
]


@pytest.mark.parametrize(("name", "before", "after"), CASES, ids=[c[0] for c in CASES])
def test_migration_table(name: str, before: str, after: str) -> None:
    result = migrate_text(before)
    assert result.text == after
    assert migrate_text(result.text).text == after  # idempotent
    assert migrate_text(result.text).changes == []


# The rewrite of a grade, with a mapping that renames (version 1 to 2 keeps every name, so
# the mechanism is tested with a made-up one): the value changes, nothing else, quotes kept.
RENAMING = {"verified": "checked", "inferred": "inferred", "not-identified": "not-identified"}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("schema: 1\nconfidence: verified  # was\n", "schema: 2\nconfidence: checked  # was\n"),
        ("schema: 1\nconfidence: 'verified'\n", "schema: 2\nconfidence: 'checked'\n"),
        ('schema: 1\nconfidence: "verified"\nbasis: verified\n', 'schema: 2\nconfidence: "checked"\nbasis: verified\n'),
        ("confidence: verified\nschema: 1\n", "confidence: checked\nschema: 2\n"),
        ("schema: 1\nconfidence: inferred\n", "schema: 2\nconfidence: inferred\n"),
    ],
)
def test_a_renamed_grade_is_rewritten_in_its_own_quoting(before: str, after: str) -> None:
    assert migrate_text(before, RENAMING).text == after


def test_what_changed_is_reported_with_its_place() -> None:
    changes = migrate_text(V1).changes
    assert [(c.line, c.column, c.describe()) for c in changes] == [
        (3, 9, "schema: 1 -> 2"),
        (11, 13, "confidence: 'verified' kept"),
    ]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("schema: 3\n", (1, 9), "schema: 3 is not format version 1 or 2"),
        ("schema: true\n", (1, 9), "schema: True is not format version 1 or 2"),
        ("id: x\n", (1, 1), "schema: None is not format version 1 or 2"),
        ("- a list\n", (1, 1), "an annotation file holds one mapping"),
        ("schema: 1\nconfidence: sure\n", (2, 13), "confidence 'sure' is not a grade of format version 1"),
        ("schema: 1\nconfidence: |-\n  verified\n", (3, 13), "write the confidence on the line of its key"),
    ],
)
def test_what_cannot_be_migrated_is_refused_with_its_place(text: str, where: tuple[int, int], message: str) -> None:
    with pytest.raises(MigrationError) as raised:
        migrate_text(text)
    assert (raised.value.line, raised.value.column) == where
    assert raised.value.message.startswith(message)


def test_what_check_refuses_is_refused_too() -> None:
    with pytest.raises(YamlProblem, match="anchors and aliases"):
        migrate_text("schema: 1\nid: &a x\nkind: *a\n")


ANNOTATIONS = sorted((ROOT / "annotations").rglob("*.yaml"))


def graded_in_version_2(text: str) -> bool:
    """A file whose grade only version 2 has (set by reading its basis): no version 1 file holds it."""
    return any(f"\nconfidence: {grade}\n" in text for grade in NEW_IN_2["confidence"])


@pytest.mark.parametrize("path", ANNOTATIONS, ids=[p.stem for p in ANNOTATIONS])
def test_every_annotation_of_the_edition_round_trips(path: Path, tmp_path: Path) -> None:
    """Each file as version 1 (its schema line put back) migrates to the very bytes committed,
    and the result loads and validates; a file with a version 2 grade is refused as version 1."""
    text = path.read_text(encoding="utf-8")
    assert "\nschema: 2\n" in text
    as_version_1 = text.replace("\nschema: 2\n", "\nschema: 1\n", 1)
    if graded_in_version_2(text):
        with pytest.raises(MigrationError, match="is not a grade of format version 1"):
            migrate_text(as_version_1)
    else:
        assert migrate_text(as_version_1).text == text
    folder = tmp_path / "annotations"
    folder.mkdir()
    (folder / path.name).write_text(text, encoding="utf-8")
    ann, problems = load_annotation(folder / path.name, path.name)
    assert ann is not None and problems == []


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build_edition.py", "migrate", *args], cwd=project, capture_output=True, text=True
    )


def test_the_command_migrates_the_project_once_and_says_what_to_review(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    every = sorted((project / "annotations").rglob("*.yaml"))
    committed = {f: f.read_bytes() for f in every}
    files = [f for f in every if not graded_in_version_2(f.read_text(encoding="utf-8"))]
    for f in files:
        f.write_bytes(committed[f].replace(b"\nschema: 2\n", b"\nschema: 1\n", 1))
    (project / "annotations" / "broken.yaml").write_text("schema: 1\nid: &a x\n")

    dry = run(project, "--dry-run")
    assert dry.returncode == 1  # the broken file
    assert "annotations/notes/note-02.yaml:2:9: schema: 1 -> 2" in dry.stdout.splitlines()
    assert f"{len(files)} file(s) would be migrated to format version 2" in dry.stdout
    assert "dry run: nothing written" in dry.stdout
    assert "each 'verified' must be checked by hand" in dry.stdout
    assert "annotations/broken.yaml:2:5: anchors and aliases (& and *) are not allowed" in dry.stderr
    assert all(b"\nschema: 1\n" in f.read_bytes() for f in files)

    (project / "annotations" / "broken.yaml").unlink()
    done = run(project)
    assert done.returncode == 0, done.stderr
    already = len(every) - len(files)
    assert f"{len(files)} file(s) migrated to format version 2; {already} already at version 2" in done.stdout
    assert {f: f.read_bytes() for f in every} == committed
    again = run(project, "annotations/notes", "annotations/glosses/gloss-trotsky.yaml")
    assert "0 file(s) migrated to format version 2; 41 already at version 2; 0 not readable" in again.stdout
    check = subprocess.run([sys.executable, "build_edition.py", "check"], cwd=project, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_the_command_documents_itself() -> None:
    result = subprocess.run(
        [sys.executable, "build_edition.py", "migrate", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "Comments, key order, quoting and line breaks stay as they are" in result.stdout
    assert "review each by hand" in result.stdout
    assert "--dry-run" in result.stdout


def test_load_keeps_what_migrate_relies_on() -> None:
    """The rewrite checks its result by loading it: the same loader as check."""
    assert load(b"schema: 2\n").data == {"schema": 2}
