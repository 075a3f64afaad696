"""Where the record of what was published comes from (:class:`edition.core.append_only.Record`).

Published means committed on the branch the site is published from, ``main``. Which commit
that is, case by case:

- ``EDITION_BASE_REF`` set (the pull-request workflow sets it to the pull request's base
  commit): that commit. If this clone does not have it, the comparison fails: a check that
  quietly compared with nothing would pass anything.
- A git checkout: the merge base of ``HEAD`` and ``main`` (or ``origin/main``). On ``main``,
  and in a fresh clone, that is ``HEAD``; on a branch it is the commit the branch left
  ``main`` at, so the branch's own commits (a version being prepared) are not yet published.
  With no such branch (a clone of one commit, another branch name): ``HEAD``.
- No git (an unpacked archive, a copy): the snapshots in ``source_texts/versions/`` stand for
  what was published, every one of them; there is no published ledger to compare with.

Only git's plumbing reads the repository (``rev-parse``, ``merge-base``, ``ls-tree``,
``cat-file``): nothing runs hooks or filters, nothing is written. :func:`check_published` gives
``convert``, ``check`` and ``build`` the breaches of a conversion, each at its place in a file,
and checks that every published snapshot is still in the working tree, unchanged.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .append_only import Record, breaches, first_difference
from .datafiles import SourceError, parse_yaml, read_yaml
from .ledger import ID_SHAPE, LedgerError, _number, parse_ledger
from .textnorm import normalise
from .versions import VERSION, VersionError, load_info, parse_snapshot, read_snapshot

if TYPE_CHECKING:
    from .convert import Conversion, Paths

BRANCH = "main"
BASE_ENV = "EDITION_BASE_REF"
SOURCE_DIR = "source_texts"


class BaseError(SourceError):
    """The published record cannot be read (e.g. ``EDITION_BASE_REF`` names no commit here)."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            check=False,
            timeout=60,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"},
        )
    except (OSError, subprocess.SubprocessError):  # no git installed
        return None


def _out(result: subprocess.CompletedProcess[bytes] | None) -> str | None:
    return result.stdout.decode("utf-8", "replace").strip() if result is not None and result.returncode == 0 else None


def base_commit(root: Path) -> tuple[str, str] | None:
    """The published commit and how it was chosen, or None when ``root`` is not in a git checkout."""
    wanted = os.environ.get(BASE_ENV, "").strip()
    inside = _out(_git(root, "rev-parse", "--is-inside-work-tree")) == "true"
    if wanted:
        commit = _out(_git(root, "rev-parse", "--verify", "--quiet", f"{wanted}^{{commit}}")) if inside else None
        if not commit:
            raise BaseError(BASE_ENV, 1, 1, f"{wanted!r} is not a commit of this clone: fetch it (or unset {BASE_ENV})")
        return commit, f"{wanted} at {commit[:10]} ({BASE_ENV})"
    if not inside:
        return None
    head = _out(_git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"))
    if not head:
        return None  # a repository without a commit yet: nothing was published from it
    for branch in (BRANCH, f"origin/{BRANCH}"):
        if _out(_git(root, "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}")):
            merge_base = _out(_git(root, "merge-base", "HEAD", branch))
            if merge_base:
                where = "" if merge_base == head else ", where this branch left it"
                return merge_base, f"{branch} at {merge_base[:10]}{where}"
    return head, f"HEAD at {head[:10]}"


def published_record(root: Path) -> Record:
    """What was published, read from git where ``root`` is a checkout, else from ``versions/``."""
    base = base_commit(root)
    if base is None:
        return _from_folder(root)
    commit, how = base
    prefix = _out(_git(root, "rev-parse", "--show-prefix")) or ""
    folder = f"{prefix}{SOURCE_DIR}"
    listing = _out(_git(root, "ls-tree", "-r", "--name-only", commit, "--", f"{folder}/"))
    if listing is None:
        raise BaseError(SOURCE_DIR, 1, 1, f"git cannot list {folder} at {how}")
    names = set(listing.splitlines())
    ledger = None
    if f"{folder}/anchors.yaml" in names:
        shown = f"{SOURCE_DIR}/anchors.yaml at {how}"
        ledger = _committed(root, commit, f"{folder}/anchors.yaml", shown, LedgerError, parse_ledger)
    snapshots = {}
    for name in sorted(names):
        version = name.rsplit("/", 1)[-1].removesuffix(".yaml")
        if name == f"{folder}/versions/{version}.yaml" and VERSION.match(version):
            shown = f"{SOURCE_DIR}/versions/{version}.yaml at {how}"
            snapshots[version] = _committed(root, commit, name, shown, VersionError, parse_snapshot)
    return Record(ledger, snapshots, how)


def published_files(root: Path, folder: str) -> set[str] | None:
    """The files below ``folder`` (relative to ``root``, as messages name them) in the
    published commit, with one listing for all of them; None where git cannot say (no git,
    no commit, or a base it cannot find: :func:`check_published` reports that)."""
    try:
        base = base_commit(root)
    except BaseError:
        return None
    if base is None:
        return None
    listing = _out(_git(root, "ls-tree", "-r", "--name-only", base[0], "--", f"{folder}/"))
    return set(listing.splitlines()) if listing is not None else None


def _committed(root: Path, commit: str, name: str, shown: str, error: type[SourceError], parse: Any) -> Any:
    result = _git(root, "cat-file", "blob", f"{commit}:{name}")
    if result is None or result.returncode:
        raise error(shown, 1, 1, "git cannot read it")
    try:
        return parse(parse_yaml(result.stdout, shown), shown)
    except SourceError as problem:  # the published file itself is broken: say so, with its place
        raise error(problem.path, problem.line, problem.column, problem.message) from None


def _from_folder(root: Path) -> Record:
    folder = root / SOURCE_DIR / "versions"
    snapshots = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            if VERSION.match(path.stem):
                snapshots[path.stem] = read_snapshot(path, root)
    return Record(None, snapshots, f"the snapshots in {SOURCE_DIR}/versions/ (not a git checkout)")


def check_published(paths: Paths, result: Conversion, record: Record | None = None) -> list[SourceError]:
    """Every way the conversion ``result`` (the ledger and text it would write) and the files in
    the working tree break what was published, each at its place."""
    record = published_record(paths.root) if record is None else record
    snapshot = dict(zip(result.ids, _texts(result), strict=True))
    ledger_file = paths.shown(paths.ledger)
    located = read_yaml(paths.ledger, ledger_file) if paths.ledger.exists() else None
    entries = (located.data or {}).get("paragraphs") if located is not None and isinstance(located.data, dict) else None
    position = {str(item.get("id")): i for i, item in enumerate(entries or []) if isinstance(item, dict)}
    info_file = paths.shown(paths.info)
    out: list[SourceError] = []
    for breach in breaches(record, result.ledger, result.version, snapshot):
        if breach.about == "info":
            out.append(SourceError(info_file, *_where(paths.info, ("version",)), breach.message))
        elif breach.about == "snapshot":
            path = paths.snapshot(result.version)
            out.append(SourceError(paths.shown(path), *_where(path, (breach.id,)), breach.message))
        elif located is not None and breach.id in position:
            out.append(SourceError(ledger_file, *located.where(("paragraphs", position[breach.id])), breach.message))
        else:  # an id missing from the ledger: where it would stand, before the next higher number
            key: tuple[str | int, ...] = ("next",)
            if breach.id:
                following = [i for ident, i in position.items() if _after(ident, breach.id)]
                key = ("paragraphs", min(following)) if following else ("paragraphs",)
            out.append(SourceError(ledger_file, *(located.where(key) if located else (1, 1)), breach.message))
    history = {release.version for release in load_info(paths.info, paths.root).history}
    for version, text in sorted(record.snapshots.items()):
        path = paths.snapshot(version)
        current = read_snapshot(path, paths.root) if record.ledger is not None and path.exists() else None
        if record.ledger is not None and current != text:
            state = "is missing" if not path.exists() else "differs from it"
            message = f"the text of version {version} was published ({record.source}) and this file {state}"
            where = _where(path, (first_difference(current, text),)) if current is not None else (1, 1)
            out.append(SourceError(paths.shown(path), *where, f"{message}: a published version's text never changes"))
        if version not in history:
            message = f"version {version} is published but missing from 'history'; published versions stay listed"
            out.append(SourceError(info_file, *_where(paths.info, ("history",)), message))
    return out


def _texts(result: Conversion) -> list[str]:
    return [normalise(p.text) for p in result.transcription.paragraphs]


def _after(ident: str, missing: str) -> bool:
    return bool(ID_SHAPE.match(ident) and ID_SHAPE.match(missing)) and _number(ident) > _number(missing)


def _where(path: Path, key: tuple[str, ...]) -> tuple[int, int]:
    try:
        return read_yaml(path, str(path)).where(key)
    except SourceError:
        return 1, 1
