"""Section 5. Parallel (``-j auto``) against serial: same bytes, and the time ratio."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .book import Book
from .common import Series, Settings, html_files, repeat, sphinx_build


@dataclass
class ParallelResult:
    serial: Series
    parallel: Series
    cores: int
    differing: list[str]  # HTML files whose bytes differ
    differing_beyond_assets: list[str]  # ... once the ?v=<checksum> of static files is set aside

    @property
    def identical(self) -> bool:
        return not self.differing


ASSET_CHECKSUM = re.compile(rb"\?v=[0-9a-f]{8}")


def digests(outdir: Path, normalise: bool = False) -> dict[str, str]:
    """sha256 of every HTML file; with ``normalise``, after removing the static files'
    ``?v=<checksum>`` (which changes only when a CSS or JS file itself changes)."""
    out = {}
    for name, path in html_files(outdir).items():
        data = path.read_bytes()
        out[name] = hashlib.sha256(ASSET_CHECKSUM.sub(b"", data) if normalise else data).hexdigest()
    return out


def differing(one: Path, other: Path, normalise: bool = False) -> list[str]:
    a, b = digests(one, normalise), digests(other, normalise)
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def measure_parallel(book: Book, serial: Series, work: Path, settings: Settings) -> ParallelResult:
    """Section 5. Does ``-j auto`` give the same pages, and is it faster?

    The book with every annotation, built with ``-j auto`` (Sphinx uses os.cpu_count()
    processes), against the serial builds of section 2. The sha256 of every HTML file must
    be the same as the serial build's. When they differ, they are compared again without
    the static files' ``?v=<checksum>``: a difference only there means a CSS or JS file
    changed between the two builds (an edit during the run), not that -j changed a page.
    """
    out = work / "out"
    parallel = repeat(
        settings.repetitions, lambda i: sphinx_build(book.root, book.docs, out / f"book-j-{i}", jobs="auto")
    )
    one, other = serial.last.outdir, parallel.last.outdir
    return ParallelResult(
        serial, parallel, os.cpu_count() or 1, differing(one, other), differing(one, other, normalise=True)
    )
