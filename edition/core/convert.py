"""The ``convert`` step: witness + decisions + ledger → ``docs/essay.md`` and a new ledger.

Pure apart from reading and writing the files it is given; deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .datafiles import display, read_yaml
from .decisions import load_decisions
from .ledger import EDIT_RATIO, IdDecision, Ledger, assign_ids, dump_ledger, parse_ledger
from .myst_writer import render_essay
from .textnorm import normalise
from .transcribe import Transcription, transcribe
from .versions import load_info, read_snapshot, snapshot_text

# The essay's title and the title block come from source_texts/edition.yaml when the site is built
# (edition/sphinxext/titlepage.py), so a correction there needs no new conversion.
TITLE = "{edition-title}`essay`"
HEADNOTE = (
    "```{edition-title-block}\n:compact:\n```\n\n"
    "The reading text of the only witness, a text extraction of the essay's PDF: its "
    "paragraphs as reconstructed by the editors, its print pages in the margin, its "
    "forty notes under their original numbers. The witness itself names neither title nor "
    "author; those above are what the edition's apparatus establishes. See "
    "[About this edition](about.md) for every editorial decision."
)


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def witness(self) -> Path:
        return self.root / "source_texts" / "twiss-review-witness.txt"

    @property
    def decisions(self) -> Path:
        return self.root / "source_texts" / "editorial_decisions.yaml"

    @property
    def ledger(self) -> Path:
        return self.root / "source_texts" / "anchors.yaml"

    @property
    def essay(self) -> Path:
        return self.root / "docs" / "essay.md"

    @property
    def info(self) -> Path:
        return self.root / "source_texts" / "edition.yaml"

    def snapshot(self, version: str) -> Path:
        return self.root / "source_texts" / "versions" / f"{version}.yaml"

    def shown(self, path: Path) -> str:
        """How messages name one of the project's files."""
        return display(path, self.root)


@dataclass
class Conversion:
    transcription: Transcription
    ids: list[str]
    ledger: Ledger
    report: list[IdDecision]
    essay: str
    ledger_text: str
    version: str
    snapshot: str


def read_ledger(path: Path, root: Path | None = None) -> Ledger:
    """The ledger at ``path``; errors (:class:`SourceError`) name the place, relative to ``root``."""
    if not path.exists():
        return Ledger()
    shown = display(path, root)
    return parse_ledger(read_yaml(path, shown), shown)


def load_transcription(paths: Paths) -> Transcription:
    raw = paths.witness.read_bytes().decode("utf-8")
    return transcribe(raw, load_decisions(paths.decisions))


def _stamp(path: Path) -> tuple[str, int, int]:
    stat = path.stat() if path.exists() else None
    return (str(path), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)


def convert(paths: Paths) -> Conversion:
    """Everything ``convert`` would write, computed in memory (once per state of its inputs)."""
    stamps = tuple(_stamp(p) for p in (paths.witness, paths.decisions, paths.ledger, paths.info))
    return _convert(paths, stamps)


@lru_cache(maxsize=4)
def _convert(paths: Paths, stamps: tuple[tuple[str, int, int], ...]) -> Conversion:
    version = load_info(paths.info, paths.root).version
    trans = load_transcription(paths)
    ids, ledger, report = assign_ids([p.text for p in trans.paragraphs], read_ledger(paths.ledger, paths.root), version)
    aliases: dict[str, list[str]] = {}
    retired: dict[str, list[tuple[str, str]]] = {}
    for entry in ledger.entries:
        if entry.status == "alias":
            aliases.setdefault(ledger.resolve(entry.id) or "", []).append(entry.id)
        elif entry.status == "retired":
            retired.setdefault(ledger.resolve(entry.target) or "" if entry.target else "", []).append(
                (entry.id, entry.since)
            )
    notes = [n.number for n in trans.notes]
    essay = render_essay(TITLE, HEADNOTE, trans.paragraphs, ids, notes, aliases, retired)
    snapshot = snapshot_text(ids, [normalise(p.text) for p in trans.paragraphs])
    return Conversion(trans, ids, ledger, report, essay, dump_ledger(ledger), version, snapshot)


def outputs(paths: Paths, result: Conversion) -> list[tuple[Path, str]]:
    """The files ``convert`` writes, with their contents."""
    return [
        (paths.essay, result.essay),
        (paths.ledger, result.ledger_text),
        (paths.snapshot(result.version), result.snapshot),
    ]


def write(paths: Paths, result: Conversion) -> list[Path]:
    """Write the outputs that changed; return them."""
    changed = []
    for path, text in outputs(paths, result):
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def data_files(root: Path, source_dir: str) -> list[Path]:
    """The files every page may depend on, beyond the pages and the annotations."""
    source = root / source_dir
    found = [source / name for name in ("twiss-review-witness.txt", "editorial_decisions.yaml")]
    found += [source / name for name in ("anchors.yaml", "edition.yaml", "names.yaml")]
    found += sorted((source / "versions").glob("*.yaml"))
    return [path for path in found if path.exists()]


def check_data_files(root: Path, source_dir: str) -> None:
    """Raise :class:`SourceError` (with its place) if a data file of the edition cannot be used
    (the bibliography and the pages are :mod:`edition.checks.preflight`'s)."""
    source = root / source_dir
    load_info(source / "edition.yaml", root)
    read_ledger(source / "anchors.yaml", root)
    for path in sorted((source / "versions").glob("*.yaml")):
        read_snapshot(path, root)


ID_ACTIONS = {
    "kept": "the same words as the ledger's paragraph of that id",
    "edited": f"words changed, but the same paragraph (similarity at least {EDIT_RATIO}): the id stays",
    "moved": "kept or edited, and now elsewhere among the paragraphs",
    "split": "a part of a paragraph split in two or more: the part with most of its words keeps the id",
    "merged": "paragraphs joined: the one with most of the words gives the id, the others' ids lead to it",
    "new": "no paragraph of the ledger is its source: a new id",
    "retired": "a paragraph of the ledger with no successor: its id leads to the nearest surviving one",
}


def explain(result: Conversion) -> list[str]:
    """What ``convert`` decided, as it prints it: every editorial decision applied to the witness,
    then the id each paragraph gets from the ledger, with a legend of the columns and actions."""
    applied = result.transcription.applied
    lines = [f"Editorial decisions applied to the witness ({len(applied)}; source_texts/editorial_decisions.yaml):"]
    width = max((len(a.id) for a in applied), default=2)
    lines.append(f"  {'kind':<14}  {'decision':<{width}}  where in the witness (| a line end)")
    for a in applied:
        context = a.context if len(a.context) <= 60 else a.context[:59] + "…"
        lines.append(f"  {a.kind:<14}  {a.id:<{width}}  {context}")
    lines += ["", f"Paragraph ids ({len(result.report)}; source_texts/anchors.yaml, the anchor ledger):"]
    lines.append(f"{'id':>6}  {'action':<8} {'score':>4}  opening words")
    lines += [decision.line() for decision in result.report]
    lines += ["", "score: how much of the paragraph's words the ledger's paragraph shares (1.00: all of them)"]
    for action in ID_ACTIONS:
        if any(decision.action == action for decision in result.report):
            lines.append(f"{action}: {ID_ACTIONS[action]}")
    return lines
