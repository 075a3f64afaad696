"""The build tunes the garbage collector for its length and gives it back as it found it."""

from __future__ import annotations

import gc
import io
import shutil
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from conftest import ROOTS
from edition.sphinxext.collector import BUILD_THRESHOLDS


def test_build_tunes_the_collector_and_restores_it(tmp_path: Path) -> None:
    before = gc.get_threshold()
    root = tmp_path / "basic"
    shutil.copytree(ROOTS / "test-basic", root)
    seen: list[tuple[tuple[int, int, int], int]] = []
    with docutils_namespace():
        app = Sphinx(str(root / "docs"), str(root), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html",
                     status=io.StringIO(), warning=io.StringIO(), freshenv=True)  # fmt: skip
        app.connect("doctree-read", lambda app, doctree: seen.append((gc.get_threshold(), gc.get_freeze_count())))
        app.build()
    assert seen, "no document was read"
    assert all(threshold == BUILD_THRESHOLDS and frozen > 0 for threshold, frozen in seen)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_failed_build_restores_it_too(tmp_path: Path) -> None:
    before = gc.get_threshold()
    root = tmp_path / "basic"
    shutil.copytree(ROOTS / "test-basic", root)

    def fail(app: Sphinx, doctree: object) -> None:
        raise RuntimeError("a handler failed")

    with docutils_namespace():
        app = Sphinx(str(root / "docs"), str(root), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html",
                     status=io.StringIO(), warning=io.StringIO(), freshenv=True)  # fmt: skip
        app.connect("doctree-read", fail)
        with pytest.raises(Exception, match="a handler failed"):  # Sphinx wraps the handler's error
            app.build()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
