"""The ``check`` command without Sphinx: every annotation against the schema, the text and the bibliography."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pybtex.database import parse_file

from .annotations import Annotation, Problem, TextModel, check_all, load_annotations
from .committed import check_published
from .convert import Paths, convert
from .datafiles import SourceError, bib_size_error
from .ledger import Ledger


@dataclass
class CheckResult:
    annotations: list[Annotation]
    problems: list[Problem]
    files: int


def bib_keys(path: Path) -> set[str]:
    bib_size_error(path, path.parent)  # refused before pybtex reads it (a SourceError, with its line)
    if not path.exists() or not path.read_text(encoding="utf-8").strip():
        return set()
    return set(parse_file(str(path), bib_format="bibtex").entries)


def edition_text(root: Path) -> TextModel:
    result = convert(Paths(root))
    paragraphs = {ident: para.text for ident, para in zip(result.ids, result.transcription.paragraphs, strict=True)}
    notes = {n.number for n in result.transcription.notes}
    return TextModel(paragraphs, notes, *ledger_maps(result.ledger), parts=result.ledger.parts())


def ledger_maps(ledger: Ledger) -> tuple[dict[str, str], dict[str, str]]:
    """Statuses of superseded ids, and where each alias now leads."""
    superseded = {e.id: e.status for e in ledger.entries if e.status != "active"}
    redirects = {e.id: target for e in ledger.entries if e.status == "alias" and (target := ledger.resolve(e.id))}
    return superseded, redirects


def run_check(root: Path, annotations_dir: str = "annotations") -> CheckResult:
    folder = root / annotations_dir
    annotations, problems = load_annotations(folder, root)
    problems += check_all(annotations, edition_text(root), bib_keys(root / "bibliography.bib"))
    problems += [source_problem(error) for error in check_published(Paths(root), convert(Paths(root)))]
    files = sum(1 for p in folder.rglob("*.y*ml")) if folder.is_dir() else 0
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
