"""What a contributor meets at the command line: `new` says which arguments it needs and refuses
to duplicate an annotation already there, `check` reports duplicates, the README's own example
works, `make check` and `make new` run from any shell, a Python without the dependencies says how
to set up, and `convert --dry-run` says what its columns mean and which decisions it made."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build_edition.py", *args], cwd=project, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the edition with its annotations; each test leaves it as it found it."""
    return copy_project(tmp_path_factory.mktemp("cli"))


@pytest.mark.parametrize(
    ("args", "needed"),
    [
        (["gloss"], "a gloss needs --paragraph (the paragraph's id, e.g. p12: its number in the margin) and --quote"),
        (["gloss", "--paragraph", "p15"], "a gloss needs --paragraph"),
        (["emendation", "--quote", "had been been"], "an emendation needs --paragraph"),
        (["note"], "a note expansion needs --note (the number of the essay's note it expands)"),
    ],
)
def test_new_without_its_arguments_says_which_it_needs(project: Path, args: list[str], needed: str) -> None:
    result = run(project, "new", *args)
    assert result.returncode == 1
    assert result.stderr.startswith(f"new: {needed}")
    assert "for example:\n    make new ARGS='" in result.stderr
    assert "None" not in result.stderr and "Traceback" not in result.stderr


def test_new_refuses_to_duplicate_an_annotation_and_names_it(project: Path) -> None:
    before = sorted((project / "annotations").rglob("*.yaml"))
    gloss = run(project, "new", "gloss", "--paragraph", "p15", "--quote", "the Soviet Thermidor")
    assert gloss.returncode == 1
    assert gloss.stderr == (
        "new: duplicates annotations/glosses/gloss-thermidor.yaml ('Thermidor (Soviet)'), a gloss of the same "
        "words: add to that annotation, or annotate other words\n"
    )
    note = run(project, "new", "note", "--note", "1")
    assert note.returncode == 1
    assert note.stderr == "new: note 1 is already expanded by annotations/notes/note-01.yaml; add to it\n"
    assert sorted((project / "annotations").rglob("*.yaml")) == before  # nothing written


def test_new_names_the_annotations_of_its_kind_on_overlapping_words(project: Path) -> None:
    result = run(project, "new", "gloss", "--paragraph", "p9", "--quote", "Max Shachtman discerned")
    written = project / "annotations" / "glosses" / "gloss-p9-max-shachtman-discerned.yaml"
    try:
        assert result.returncode == 0, result.stderr
        assert (
            "note: annotations/glosses/gloss-shachtman.yaml is a gloss on words overlapping yours ('Max Shachtman'): "
            "if yours says the same, add to that one instead"
        ) in result.stdout
        assert result.stdout.rstrip().endswith("then run:\n    make check")
    finally:
        written.unlink(missing_ok=True)


def test_check_reports_a_duplicate_at_its_quote(project: Path) -> None:
    original = (project / "annotations" / "glosses" / "gloss-thermidor.yaml").read_text(encoding="utf-8")
    copy = project / "annotations" / "glosses" / "gloss-thermidor2.yaml"
    copy.write_text(original.replace("id: gloss-thermidor\n", "id: gloss-thermidor2\n"), encoding="utf-8")
    try:
        result = run(project, "check")
    finally:
        copy.unlink()
    assert result.returncode == 1
    line = next(n for n, text in enumerate(original.splitlines(), 1) if text.strip().startswith("quote:"))
    assert re.search(
        rf"^annotations/glosses/gloss-thermidor2\.yaml:{line}:\d+: duplicates annotations/glosses/"
        r"gloss-thermidor\.yaml \('Thermidor \(Soviet\)'\), a gloss of the same words: .* \[edition\.duplicate\]$",
        result.stdout,
        re.MULTILINE,
    ), result.stdout


def readme_new_command() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if "build_edition.py new " in line)
    return shlex.split(line.split("build_edition.py ", 1)[1].split("#")[0])


def test_the_readmes_example_of_new_duplicates_nothing(project: Path) -> None:
    args = readme_new_command()
    assert args[0] == "new"
    result = run(project, *args)
    written = re.search(r"^wrote (\S+)$", result.stdout, re.MULTILINE)
    try:
        assert result.returncode == 0, result.stderr
        assert "note:" not in result.stdout  # no annotation of its kind on its words
    finally:
        if written:
            (project / written.group(1)).unlink()


def test_make_new_and_make_check_work_from_any_shell(tmp_path: Path) -> None:
    """A shell without the virtual environment: make finds (or makes) it. Here it is the
    repository's own .venv, set up already, so that the test installs nothing."""
    copy = copy_project(tmp_path, annotations=False)
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, copy / name)  # older than the venv's stamp: nothing to install
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")}
    venv = f"VENV={ROOT / '.venv'}"
    args = 'ARGS=gloss --paragraph p15 --quote "gospel of obedience and silence"'
    new = subprocess.run(["make", "-s", "new", args, venv], cwd=copy, env=env, capture_output=True, text=True)
    assert new.returncode == 0, new.stdout + new.stderr
    assert "wrote annotations/glosses/gloss-p15-gospel-of-obedience-and-silence.yaml" in new.stdout
    assert "    make check" in new.stdout
    check = subprocess.run(["make", "-s", "check", venv], cwd=copy, env=env, capture_output=True, text=True)
    assert check.returncode != 0
    assert "[edition.placeholder]" in check.stdout and "Traceback" not in check.stdout + check.stderr


def test_a_python_without_the_dependencies_is_told_how_to_set_up() -> None:
    result = subprocess.run(
        [sys.executable, "-I", "-S", "build_edition.py", "new", "gloss", "--quote", "two words"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "lacks what the edition needs (no module named" in result.stderr
    assert "make install" in result.stderr
    assert ".venv/bin/python build_edition.py new gloss --quote 'two words'" in result.stderr
    assert "make check" in result.stderr


def test_convert_dry_run_explains_its_columns_and_lists_its_decisions() -> None:
    result = run(ROOT, "convert", "--dry-run")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Editorial decisions applied to the witness (")
    assert re.search(r"^  kind +decision +where in the witness", out, re.MULTILINE)
    assert re.search(r"^  page +page-1 +p\. 1: Ludwig von Mises", out, re.MULTILINE)
    assert re.search(r"^  hyphen +hyphen-counter-revolution +counter- \| revolution", out, re.MULTILINE)
    assert re.search(r"^ +id  action +score  opening words$", out, re.MULTILINE)
    assert re.search(r"^ +p1  kept +1\.00  Ludwig von Mises", out, re.MULTILINE)
    assert "score: how much of the paragraph's words the ledger's paragraph shares" in out
    assert "\nkept: the same words as the ledger's paragraph of that id\n" in out
    assert out.rstrip().endswith("dry run: nothing written")
