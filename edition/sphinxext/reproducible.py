"""Same inputs, same bytes, for the EPUB too: its dates and its zip entries carry no clock.

Sphinx dates the EPUB (``dc:date``, ``dcterms:modified``) from ``SOURCE_DATE_EPOCH`` when it is
set, else from the clock, and its zip entries take the files' modification times. When
``SOURCE_DATE_EPOCH`` is not set, the EPUB builder is given the release date of the current
version (``history`` in ``edition.yaml``), at midnight UTC, or 1980-01-01, the earliest date a
zip can hold; once the EPUB is written, its entries are written again in the same order and
with the same compression, dated that moment and with fixed permissions.
"""

from __future__ import annotations

import calendar
import os
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.datafiles import SourceError
from ..core.versions import load_info
from .config import from_sphinx

if TYPE_CHECKING:
    from sphinx.application import Sphinx

EPOCH = "SOURCE_DATE_EPOCH"
ZIP_FLOOR = calendar.timegm((1980, 1, 1, 0, 0, 0))


def release_epoch(edition_yaml: Path) -> int:
    """Midnight UTC of the current version's release date, else the earliest zip date."""
    try:
        released = load_info(edition_yaml).released
    except SourceError:
        released = ""
    if not released:
        return ZIP_FLOOR
    return max(ZIP_FLOOR, calendar.timegm(time.strptime(released, "%Y-%m-%d")))


def normalise_zip(path: Path, epoch: int) -> None:
    """Rewrite the zip at ``path`` with every entry dated ``epoch`` and readable by all."""
    stamp = time.gmtime(max(epoch, ZIP_FLOOR))[:6]
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    temporary = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(temporary, "w") as target:
        for old, data in entries:
            info = zipfile.ZipInfo(old.filename, date_time=stamp)
            info.compress_type = old.compress_type
            info.create_system = 3  # Unix, so the permissions below are read as such
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    os.replace(temporary, path)


_SET_BY_US: dict[int, str] = {}


def _builder_inited(app: Sphinx) -> None:
    if not app.builder.name.startswith("epub") or os.environ.get(EPOCH):
        return
    root = Path(app.confdir)
    epoch = release_epoch(root / from_sphinx(app.config).source_dir / "edition.yaml")
    os.environ[EPOCH] = str(epoch)
    _SET_BY_US[id(app)] = str(epoch)


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    ours = _SET_BY_US.pop(id(app), None)
    try:
        if exception is None and app.builder.name.startswith("epub"):
            epub = Path(app.outdir) / f"{app.config.epub_basename}.epub"
            if epub.exists():
                normalise_zip(epub, int(os.environ.get(EPOCH) or ZIP_FLOOR))
    finally:
        if ours is not None and os.environ.get(EPOCH) == ours:
            del os.environ[EPOCH]


def setup_reproducible(app: Sphinx) -> None:
    app.connect("builder-inited", _builder_inited)
    app.connect("build-finished", _build_finished)
