"""Shared fixtures: build real Sphinx sites from small roots and from the edition itself."""

from __future__ import annotations

import io
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.util.console import nocolor
from sphinx.util.docutils import docutils_namespace

ROOT = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).parent / "roots"
sys.path.insert(0, str(ROOT))


def copy_project(tmp_path: Path, annotations: bool = True) -> Path:
    """The edition's sources in ``tmp_path/project``, to run ``build_edition.py`` on; without
    ``annotations``, an empty annotations folder for the test to fill (and no list of the
    essay's names, which the glosses explain)."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("build_edition.py", "bibliography.bib", "conf.py"):
        shutil.copy(ROOT / name, copy / name)
    for name in ("edition", "source_texts", "docs", *(["annotations"] if annotations else [])):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "_build"))
    if not annotations:
        (copy / "annotations").mkdir()
        (copy / "source_texts" / "names.yaml").unlink()  # its glosses are among the annotations left out
    return copy


@dataclass
class Built:
    outdir: Path
    warnings: str

    def html(self, page: str) -> str:
        return (self.outdir / page).read_text(encoding="utf-8")


def build(
    confdir: Path, srcdir: Path, outdir: Path, builder: str = "html", fresh: bool = True, **overrides: object
) -> Built:
    warnings = io.StringIO()
    nocolor()
    with docutils_namespace():  # each build registers its nodes and roles afresh
        app = Sphinx(
            str(srcdir),
            str(confdir),
            str(outdir),
            str(outdir / ".doctrees"),
            builder,
            confoverrides=dict(overrides),
            status=io.StringIO(),
            warning=warnings,
            freshenv=fresh,
        )
        app.build()
    return Built(outdir, warnings.getvalue())


def build_incremental(confdir: Path, srcdir: Path, outdir: Path) -> Built:
    """Build again into the same output, reusing the saved environment, as an editor's rebuild does."""
    return build(confdir, srcdir, outdir, fresh=False)


def build_root(name: str, tmp_path: Path, builder: str = "html", **overrides: object) -> Built:
    """Copy tests/roots/test-<name> to tmp_path and build it."""
    root = tmp_path / name
    shutil.copytree(ROOTS / f"test-{name}", root)
    return build(root, root / "docs", root / "_build" / builder, builder, **overrides)


@pytest.fixture(scope="session")
def edition_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The real edition, built once per test session."""
    out = tmp_path_factory.mktemp("edition") / "html"
    return build(ROOT, ROOT / "docs", out)


SITE_URL = "https://example.org/edition/"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The real edition built with a public address and its exports, as a deployment would be."""
    from edition.exports import export_all

    out = tmp_path_factory.mktemp("published") / "html"
    site = build(ROOT, ROOT / "docs", out, edition_site_url=SITE_URL)
    export_all(ROOT, out, SITE_URL)
    return site
