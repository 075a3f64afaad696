"""The ``check`` command without Sphinx: every annotation against the schema, the text and the bibliography."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..annotation.checks import check_all
from ..annotation.loading import load_annotations
from ..annotation.model import Annotation, Problem
from ..annotation.names import check_names, read_names
from ..annotation.targets import edition_text
from ..checks.preflight import bibliography, blocks_the_text, preflight
from ..core.committed import check_published, published_files
from ..core.convert import Paths, convert
from ..core.datafiles import SourceError
from ..core.walk import files_below


@dataclass
class CheckResult:
    annotations: list[Annotation]
    problems: list[Problem]
    files: int


def bib_keys(path: Path) -> set[str]:
    """The keys of the bibliography (none if it cannot be read: ``check`` says why)."""
    return set(bibliography(path.parent, path.name)[0].entries)


def run_check(root: Path, annotations_dir: str = "annotations") -> CheckResult:
    """Every problem of the sources a pull request can change: links, the bibliography,
    the pages (:mod:`edition.checks.preflight`), then every annotation against the text, and the
    essay's names."""

    folder = root / annotations_dir
    problems = preflight(root)
    annotations, found = load_annotations(folder, root)
    problems += found
    if not blocks_the_text(problems):  # a linked witness or ledger is never read
        bib, bib_problems = bibliography(root)
        unread = bool(bib_problems) and not bib.entries  # its problem is reported; keys cannot be checked
        text = edition_text(root)
        published = partial(published_files, root, annotations_dir)  # asked only if two may be duplicates
        problems += check_all(annotations, text, None if unread else set(bib.entries), published)
        names, name_problems = read_names(root)
        problems += name_problems + (check_names(names, text.paragraphs, annotations) if names else [])
        problems += [source_problem(error) for error in check_published(Paths(root), convert(Paths(root)))]
    files = len(files_below(str(folder))) if folder.is_dir() and not folder.is_symlink() else 0
    return CheckResult(annotations, sorted(problems), files)


def source_problem(error: SourceError) -> Problem:
    """A located error in one of the edition's data files, reported like an annotation's."""
    return Problem(
        error.path, error.line, error.column, error.message, "source" if error.path.endswith(".bib") else "ledger"
    )


def github_line(problem: Problem) -> str:
    """A GitHub Actions workflow command that annotates the file and line in the diff."""
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    path = problem.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
    return f"::error file={path},line={problem.line},col={problem.column},title=edition.{problem.type}::{message}"
