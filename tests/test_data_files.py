"""The edition's own data files are untrusted too: every error in edition.yaml, a version snapshot
or the ledger names file, line and column, in check, build and serve alike, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import VERSION, copy_project
from edition.core.datafiles import MAX_BIB_BYTES, SourceError, read_yaml
from edition.core.versions import load_info, read_snapshot

HISTORY = 'history:\n  - version: "1.0"\n    date: "2026-11-25"\n    summary: First.\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1.0\n" + HISTORY, "1:10: 'version' must be text (in quotes), not 1.0"),
        ('version: "1.0\\n# x"\n' + HISTORY, '1:10: version must look like "1.0" (in quotes)'),
        ('version: "1.1"\n' + HISTORY, "1:10: the current version 1.1 must be the last entry of 'history'"),
        (
            'version: "1.0"\n' + HISTORY.replace("2026-11-25", "2026-13-01"),
            "4:11: date must be a day written YYYY-MM-DD",
        ),
        ('version: "1.0"\n' + HISTORY + '  - version: "0.9"\n', "6:14: 0.9 must be newer than 1.0 before it"),
        ('version: "1.0"\n' + HISTORY + "colour: red\n", "6:1: unknown key 'colour'"),
        (
            'version: "1.0"\n' + HISTORY + 'title: "A\\u0000B"\n',
            "6:10: the character U+0000 (a control character) is not allowed",
        ),
        (
            'version: "1.0"\n' + HISTORY + 'essay:\n  title: "A\\u001bB"\n',
            "7:12: the character U+001B (a control character) is not allowed",
        ),
        ('version: "1.0"\nhistory: "1.0"\n', "2:10: 'history' must be a list of releases"),
        ('version: "1.0"\n' + HISTORY + "\x07\n", "6:1: the character U+0007 (a control character) is not allowed"),
        ("version: " + "9" * 5000 + "\n", "1:10: a number longer than 40 characters is not allowed"),
    ],
)
def test_edition_yaml_errors_name_the_place(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "source_texts" / "edition.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_info(path, tmp_path)
    assert str(caught.value).startswith(f"source_texts/edition.yaml:{message}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('p1: Words.\n"p2\\n# x": More.\n', "2:12: 'p2\\n# x' is not a paragraph id"),
        ("p1: [a, b]\n", "1:5: 'p1' must be text (in quotes)"),
        ("- p1\n", "1:1: expected a mapping of paragraph ids to their text"),
        ("p1: a\np1: b\n", "2:1: duplicate key 'p1'"),
    ],
)
def test_snapshot_errors_name_the_place(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "1.0.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_snapshot(path, tmp_path)
    assert str(caught.value).startswith(f"1.0.yaml:{message}")


def test_a_data_file_too_big_is_refused_at_the_line_that_passes_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: b\n" * 1000)
    with pytest.raises(SourceError, match=r"^big.yaml:201:1: the file is 5,000 bytes; it may have at most 1,000"):
        read_yaml(path, "big.yaml", limit=1000)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("data-files"), annotations=False)


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build_edition.py", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


BROKEN = [
    (
        "source_texts/anchors.yaml",
        "next: 39",
        "next: 3",
        "source_texts/anchors.yaml:5:7: 'next' is 3 but p38 is already given",
    ),
    (
        "source_texts/anchors.yaml",
        "  since: '1.0'\n",
        '  since: "1.0\\n```{raw} html\\n<script>alert(1)</script>\\n```"\n',
        "source_texts/anchors.yaml:11:10: p1: 'since' must be a version such as 1.0",
    ),
    (
        "source_texts/edition.yaml",
        f'version: "{VERSION}"',
        f"version: {VERSION}",
        "source_texts/edition.yaml:5:10: 'version' must be text",
    ),
    ("source_texts/versions/1.0.yaml", "p1: ", "p1: [", "source_texts/versions/1.0.yaml:7:3: not valid YAML"),
]


@pytest.mark.parametrize(("name", "old", "new", "message"), BROKEN)
def test_check_build_and_serve_name_the_place_without_a_traceback(
    project: Path, name: str, old: str, new: str, message: str
) -> None:
    path = project / name
    original = path.read_text(encoding="utf-8")
    essay = (project / "docs" / "essay.md").read_text(encoding="utf-8")
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        for command in (
            ["check"],
            ["build", "--no-epub"],
            ["serve", "--no-watch", "--no-epub", "--port", "0"],
            ["convert"],
        ):
            result = run(project, *command)
            assert result.returncode != 0, command
            assert message in result.stdout + result.stderr, (command, result.stdout, result.stderr)
            assert "Traceback" not in result.stdout + result.stderr, command
        assert (project / "docs" / "essay.md").read_text(encoding="utf-8") == essay  # nothing reached the essay
    finally:
        path.write_text(original, encoding="utf-8")


def test_a_bibliography_too_big_is_refused_with_its_line(project: Path) -> None:
    path = project / "bibliography.bib"
    original = path.read_text(encoding="utf-8")
    entry = "@misc{{filler{0},\n  title = {{A work that nobody cites, number {0}}},\n}}\n\n"
    filler = "".join(entry.format(n) for n in range(MAX_BIB_BYTES // 50))
    path.write_text(original + filler, encoding="utf-8")
    try:
        line = (original + filler).encode()[:MAX_BIB_BYTES].count(b"\n") + 1
        expected = f"bibliography.bib:{line}:1: the bibliography is"
        check = run(project, "check")
        assert check.returncode == 1 and f"{expected}" in check.stdout and "[edition.bibliography]" in check.stdout
        build = run(project, "build", "--no-epub")
        assert build.returncode == 1 and expected in build.stderr
        assert "Traceback" not in check.stdout + check.stderr + build.stdout + build.stderr
    finally:
        path.write_text(original, encoding="utf-8")
