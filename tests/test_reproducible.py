"""Same inputs, same bytes: two clean builds, and a parallel one, give identical sites."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from edition.exports import export_all


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


def test_two_clean_builds_and_a_parallel_one_are_byte_identical(tmp_path: Path) -> None:
    first = build(tmp_path / "first")
    second = build(tmp_path / "second")
    parallel = build(tmp_path / "parallel", "-j", "auto")
    assert "searchindex.js" in first and "essay.html" in first
    assert first == second
    assert first == parallel
