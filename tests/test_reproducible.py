"""Same inputs, same bytes: two clean builds, and a parallel one, give identical sites; so do two
clean builds of the project in two folders a while apart, the EPUB included."""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import RELEASE_DATE, ROOT, copy_project
from edition.exports import export_all
from edition.sphinxext.reproducible import ZIP_FLOOR, normalise_zip, release_epoch


def build(out: Path, *extra: str) -> dict[str, str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764028800"}
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-E", "-a", "-W", *extra, "-b", "html", "-c", str(ROOT),
         "-d", str(out / "doctrees"), str(ROOT / "docs"), str(out / "html")],
        check=True, env=env, capture_output=True,
    )  # fmt: skip
    html = out / "html"
    export_all(ROOT, html, "https://example.org/edition/")
    return {
        str(path.relative_to(html)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(html.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_two_clean_builds_and_a_parallel_one_are_byte_identical(tmp_path: Path) -> None:
    first = build(tmp_path / "first")
    second = build(tmp_path / "second")
    parallel = build(tmp_path / "parallel", "-j", "auto")
    assert "searchindex.js" in first and "essay.html" in first
    assert first == second
    assert first == parallel


@pytest.mark.slow
def test_two_clean_builds_in_two_folders_a_while_apart_give_the_same_bytes(tmp_path: Path) -> None:
    """Every output, the EPUB included, without SOURCE_DATE_EPOCH: the EPUB is dated by the
    release of the current version (edition.yaml), and its zip entries carry no clock."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    trees = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        project = copy_project(tmp_path / name)
        subprocess.run(
            [sys.executable, "build_edition.py", "build"], cwd=project, env=env, check=True, capture_output=True
        )
        html = project / "_build" / "html"
        trees.append({str(p.relative_to(html)): p.read_bytes() for p in sorted(html.rglob("*")) if p.is_file()})
        time.sleep(1.5)  # the zip clock counts in two-second steps
    assert sorted(trees[0]) == sorted(trees[1])
    assert [name for name in trees[0] if trees[0][name] != trees[1][name]] == []
    with zipfile.ZipFile(io.BytesIO(trees[0]["downloads/edition.epub"])) as epub:
        assert {info.date_time for info in epub.infolist()} == {(*map(int, RELEASE_DATE.split("-")), 0, 0, 0)}
        assert epub.infolist()[0].filename == "mimetype" and epub.infolist()[0].compress_type == zipfile.ZIP_STORED
        assert f'<meta property="dcterms:modified">{RELEASE_DATE}T00:00:00Z</meta>' in epub.read("content.opf").decode()


def test_source_date_epoch_dates_the_epub_and_the_earliest_zip_date_bounds_it(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("b.txt", "words" * 100, compress_type=zipfile.ZIP_DEFLATED)
    normalise_zip(path, 1764028800)
    with zipfile.ZipFile(path) as archive:
        assert [(i.filename, i.date_time, i.compress_type) for i in archive.infolist()] == [
            ("mimetype", (2025, 11, 25, 0, 0, 0), zipfile.ZIP_STORED),
            ("b.txt", (2025, 11, 25, 0, 0, 0), zipfile.ZIP_DEFLATED),
        ]
        assert archive.read("b.txt") == b"words" * 100
    assert release_epoch(tmp_path / "missing.yaml") == ZIP_FLOOR
    midnight = datetime.datetime.fromisoformat(RELEASE_DATE).replace(tzinfo=datetime.UTC)
    assert release_epoch(ROOT / "source_texts" / "edition.yaml") == midnight.timestamp()  # the current release's date
