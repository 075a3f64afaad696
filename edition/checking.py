"""The ``check`` command without Sphinx: every annotation against the schema, the text and the bibliography."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pybtex.database import parse_file

from .annotations import Annotation, Problem, TextModel, check_all, load_annotations
from .convert import Paths, convert
from .ledger import Ledger


@dataclass
class CheckResult:
    annotations: list[Annotation]
    problems: list[Problem]
    files: int


def bib_keys(path: Path) -> set[str]:
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
    from .names import check_names, read_names

    folder = root / annotations_dir
    annotations, problems = load_annotations(folder, root)
    text = edition_text(root)
    problems += check_all(annotations, text, bib_keys(root / "bibliography.bib"))
    names, name_problems = read_names(root)
    problems += name_problems + (check_names(names, text.paragraphs, annotations) if names else [])
    files = sum(1 for p in folder.rglob("*.y*ml")) if folder.is_dir() else 0
    return CheckResult(annotations, sorted(problems), files)


def github_line(problem: Problem) -> str:
    """A GitHub Actions workflow command that annotates the file and line in the diff."""
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    path = problem.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
    return f"::error file={path},line={problem.line},col={problem.column},title=edition.{problem.type}::{message}"
