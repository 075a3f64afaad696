"""The edition's own data files (the anchor ledger, the edition's facts, the version
snapshots), read as untrusted input: a pull request can change them like any annotation.

They go through the same safe loader as annotations (:mod:`edition.core.safeyaml`), with a size
limit fit for them, and every error is a :class:`SourceError` that names the file, line and
column; the callers turn it into a message, never a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

from .misspelt import unknown_field
from .safeyaml import MAX_DATA_BYTES, MAX_DATA_DEPTH, Located, YamlProblem, _load_text, decode

MAX_BIB_BYTES = 256 * 1024
"""pybtex formats every entry of ``{bibliography} :all:`` in every build, and again for the
EPUB (about 12 s a megabyte, 5 ms an entry): a bibliography beyond this is refused, with its
place, rather than slowing every build. The edition's own is 15 KB, every entry cited."""

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Characters no value may hold (the loader refuses them already; values built otherwise are checked too)."""


class SourceError(ValueError):
    """An input file that cannot be used, with the place to fix: ``path:line:column: message``."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path, self.line, self.column, self.message = path, line, column, message


def display(path: Path, root: Path | None = None) -> str:
    """How messages name ``path``: relative to the project's ``root`` when it lies inside it."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def read_yaml(path: Path, shown: str, limit: int = MAX_DATA_BYTES) -> Located:
    """The file's data with the line and column of every value, or a :class:`SourceError`."""
    if path.is_symlink():  # it could lead anywhere: named, never read
        raise SourceError(shown, 1, 1, "a symbolic link is not read: commit the file itself")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SourceError(shown, 1, 1, f"cannot be read: {error.strerror or error}") from None
    return parse_yaml(raw, shown, limit)


def parse_yaml(raw: bytes, shown: str, limit: int = MAX_DATA_BYTES) -> Located:
    """As :func:`read_yaml`, for bytes read elsewhere (from git), with the guards of
    :mod:`edition.core.safeyaml` for data files."""
    if len(raw) > limit:
        line = raw[:limit].count(b"\n") + 1
        raise SourceError(shown, line, 1, f"the file is {len(raw):,} bytes; it may have at most {limit:,}")
    try:
        return _load_text(decode(raw, None), MAX_DATA_DEPTH)  # the loader's guards, for data files
    except YamlProblem as problem:
        raise SourceError(shown, problem.line, problem.column, problem.message) from None


def bib_size_error(path: Path, root: Path | None = None) -> None:
    """Raise :class:`SourceError` at the line where a bibliography passes :data:`MAX_BIB_BYTES`."""
    if not path.is_file() or path.stat().st_size <= MAX_BIB_BYTES:
        return
    with path.open("rb") as handle:
        line = handle.read(MAX_BIB_BYTES).count(b"\n") + 1
    size = path.stat().st_size
    message = f"the bibliography is {size:,} bytes; it may have at most {MAX_BIB_BYTES:,} (it passes that on this line)"
    raise SourceError(display(path, root), line, 1, message)


class Checker:
    """Raises located errors about the values of one loaded file."""

    def __init__(self, located: Located, shown: str, error: type[SourceError] = SourceError) -> None:
        self.located, self.shown, self.error = located, shown, error

    def fail(self, where: tuple[str | int, ...], message: str) -> SourceError:
        line, column = self.located.where(where)
        return self.error(self.shown, line, column, message)

    def text(self, value: object, where: tuple[str | int, ...], name: str) -> str:
        """``value`` as a string without control characters (an absent value is empty)."""
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(where, f"'{name}' must be text (in quotes), not {value!r}")
        bad = CONTROL.search(value)
        if bad:
            raise self.fail(where, f"'{name}' holds the control character U+{ord(bad.group()):04X}")
        return value

    def mapping(self, value: object, where: tuple[str | int, ...], what: str, allowed: set[str]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected {what}")
        unknown = sorted(set(value) - allowed)
        if unknown:
            line, column = self.located.where_key((*where, unknown[0]))
            raise self.error(self.shown, line, column, unknown_field(str(unknown[0]), allowed, what="key"))
        return value
