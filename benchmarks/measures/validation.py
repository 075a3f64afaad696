"""Section 4. Validation (``check``) against merely parsing the YAML."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any

from .book import Book
from .common import Settings


@dataclass
class ValidationResult:
    files: int
    check: float
    parse_only: float
    problems: list[str]


def measure_validation(book: Book, settings: Settings) -> ValidationResult:
    """Section 4. What does ``check`` cost over merely reading the YAML?

    ``check``-equivalent: ``edition.annotation.loading.load_annotations`` (safe YAML with
    positions, JSON Schema) and ``check_all`` against a TextModel of the generated
    paragraphs and notes (as edition/commands/check.py does, without the bibliography: the book
    has none). Baseline: ``yaml.safe_load`` of every file. Both read the files from disk;
    the page cache is warm after the first repetition of either.
    """
    import yaml

    from edition.annotation.checks import check_all
    from edition.annotation.loading import load_annotations
    from edition.annotation.targets import TextModel

    folder = book.root / book.folders[settings.annotations]
    model = TextModel({p.ident: p.text for p in book.text}, {int(p.ident[1:]) for p in book.text})

    def check() -> list[Any]:
        annotations, problems = load_annotations(folder, book.root)
        return problems + check_all(annotations, model, set())

    def parse_only() -> int:
        return len([yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.rglob("*.yaml"))])

    check_times, parse_times, problems = [], [], []
    for _ in range(settings.repetitions):
        start = time.perf_counter()
        problems = check()
        check_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        parse_only()
        parse_times.append(time.perf_counter() - start)
    files = sum(1 for _ in folder.rglob("*.yaml"))
    return ValidationResult(
        files, statistics.median(check_times), statistics.median(parse_times), [str(p) for p in problems]
    )
