"""Which sources changed since the last look, for ``build_edition.py serve``.

The served edition is rebuilt when an editor saves a file: every second the sources are
listed with their modification times and sizes, and the difference says what to rebuild.
Polling needs nothing beyond the standard library and sees every kind of file system.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from ..core.walk import files_below

# What the site is built from: the pages, the annotations, the witness and its decisions,
# the extension itself, the bibliography and the configuration.
WATCHED = ("docs", "annotations", "source_texts", "edition", "bibliography.bib", "conf.py")

Snapshot = dict[str, tuple[int, int]]  # path relative to the root (POSIX) -> (mtime in ns, size)


def ignored(name: str) -> bool:
    """Editors' and Python's by-products: hidden and swap files, backups, byte code."""
    return name.startswith((".", "#")) or name.endswith(("~", ".pyc")) or name == "__pycache__"


def snapshot(root: Path, watched: Iterable[str] = WATCHED) -> Snapshot:
    found: Snapshot = {}
    for name in watched:
        path = root / name
        listed = files_below(str(path), ignored) if path.is_dir() else []
        for parts, entry in listed:
            with contextlib.suppress(FileNotFoundError):  # removed while we looked: the next look sees it gone
                stat = entry.stat(follow_symlinks=False)  # a link is watched as itself, never followed
                found["/".join((name, *parts))] = (stat.st_mtime_ns, stat.st_size)
        if path.is_file():
            stat = path.stat()
            found[name] = (stat.st_mtime_ns, stat.st_size)
    return found


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    """Paths added, removed or changed (in modification time or size), sorted."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def needs_clean_build(changed: Iterable[str]) -> bool:
    """Sphinx notices changed pages and settings, not a changed extension: rebuild everything."""
    return any(path == "conf.py" or path.startswith("edition/") for path in changed)


def watch(
    root: Path,
    rebuild: Callable[[list[str]], object],
    stop: threading.Event,
    interval: float = 1.0,
    since: Snapshot | None = None,
) -> None:
    """Call ``rebuild(changed paths)`` after each look that finds a change, until ``stop`` is set.

    ``since`` is the look taken before the first build, so that a file saved while it ran
    is rebuilt too. The look that found a change is the next one's baseline, so a file saved
    again while the rebuild runs is seen at the next look and rebuilt again."""
    before = snapshot(root) if since is None else since
    while not stop.wait(interval):
        after = snapshot(root)
        changed = changes(before, after)
        if changed:
            before = after
            rebuild(changed)
