"""Shared fixtures: build real Sphinx sites from small roots and from the edition itself.

``make test`` runs the quick suite: every test but those marked ``browser`` (Chromium, Java,
Node, pandoc, Lighthouse) or ``slow`` (sequences of builds, the benchmark), with fewer
Hypothesis examples. ``EDITION_FULL_SUITE=1`` (set by ``.ci/run``) runs them all, with every
example. An explicit ``-m`` chooses for itself. With pytest-xdist the workers share each
built site of the edition: the first to need it builds it, under a file lock.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import settings
from sphinx.application import Sphinx
from sphinx.util.console import nocolor
from sphinx.util.docutils import docutils_namespace

from edition.core.versions import load_info, version_key

ROOT = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).parent / "roots"
sys.path.insert(0, str(ROOT))

FULL_SUITE = os.environ.get("EDITION_FULL_SUITE", "") not in ("", "0")
QUICK_SELECTION = "not browser and not slow"

# The tests read the commands' messages as words. Under FORCE_COLOR (as CI runners set it) Sphinx
# and Node wrap parts of a message in escape codes, so a message would no longer read as one string;
# NO_COLOR, which Sphinx honours before FORCE_COLOR, keeps every subprocess's output plain.
os.environ.pop("FORCE_COLOR", None)
os.environ["NO_COLOR"] = "1"

settings.register_profile("quick", max_examples=20, deadline=None)
settings.register_profile("full", max_examples=100, deadline=None, print_blob=True)
settings.load_profile("full" if FULL_SUITE else "quick")


def examples(full: int) -> int:
    """Hypothesis examples for a property: ``full`` in the full suite, a fifth (but at least ten,
    or all if fewer) in the quick one. (A test's own ``max_examples`` overrides a profile's.)"""
    return full if FULL_SUITE else min(full, max(10, full // 5))


def pytest_configure(config: pytest.Config) -> None:
    if not FULL_SUITE and not config.option.markexpr:
        config.option.markexpr = QUICK_SELECTION


# The edition's current version and its date (tests of the real edition's citations read them
# here, so that a release changes no test), and the version a test's revision is converted as.
_INFO = load_info(ROOT / "source_texts" / "edition.yaml", ROOT)
VERSION, RELEASE_DATE = _INFO.version, _INFO.released
EDITION_TITLE = _INFO.title
_MAJOR, _MINOR = version_key(VERSION)
NEXT_VERSION = f"{_MAJOR}.{_MINOR + 1}"


def raise_version(project: Path) -> None:
    """What the editors do before converting a revised text: raise ``version`` to NEXT_VERSION,
    with its history entry."""
    info = project / "source_texts" / "edition.yaml"
    text = info.read_text(encoding="utf-8").replace(f'version: "{VERSION}"\n', f'version: "{NEXT_VERSION}"\n', 1)
    release = f'  - version: "{NEXT_VERSION}"\n    date: "2027-01-15"\n    summary: The revised witness.\n'
    info.write_text(text.replace("title:", release + "title:", 1), encoding="utf-8")


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


def shared_site(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Built]) -> Built:
    """A site built once per test run into ``<run>/<name>/html`` and shared by every xdist worker
    (the first builds it under a lock; the others wait and read it). Tests only read it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, shared by the workers
    folder = base / f"shared-{name}"
    folder.mkdir(exist_ok=True)
    done = folder / "warnings.json"
    with FileLock(str(folder / "lock")):
        if not done.exists():
            built = make(folder / "html")
            done.write_text(json.dumps(built.warnings), encoding="utf-8")
    return Built(folder / "html", json.loads(done.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def edition_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The real edition, built once per test run."""
    return shared_site(tmp_path_factory, "edition", lambda out: build(ROOT, ROOT / "docs", out))


SITE_URL = "https://example.org/edition/"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The real edition built with a public address and its exports, as a deployment would be."""
    from edition.exports import export_all

    def make(out: Path) -> Built:
        site = build(ROOT, ROOT / "docs", out, edition_site_url=SITE_URL)
        export_all(ROOT, out, SITE_URL)
        return site

    return shared_site(tmp_path_factory, "published", make)


@pytest.fixture(scope="session")
def edition_epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real edition's EPUB (Sphinx's EPUB builder, warnings as errors), built once per test run."""

    def make(out: Path) -> Built:
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-q", "-W", "-b", "epub", "-c", str(ROOT),
             "-d", str(out.parent / "doctrees"), str(ROOT / "docs"), str(out)],
            check=True, capture_output=True,
        )  # fmt: skip
        return Built(out, "")

    return shared_site(tmp_path_factory, "epub", make).outdir / "edition.epub"
