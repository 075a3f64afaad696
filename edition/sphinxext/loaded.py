"""The annotations of a build, loaded once.

At ``builder-inited`` the annotation files are loaded and checked (files unchanged since the
last build are not read again: the loader's cache is saved with the environment), each
annotation placed by the paragraph or note it is about (an alias leads to its survivor; a
retired or acknowledged target makes an orphan, shown on the About page). At ``source-read``
each document records a digest of the annotation files on its paragraphs and notes, and
``env-get-outdated`` rereads the documents whose annotations changed.
"""

from __future__ import annotations

import hashlib
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..annotation.loading import load_annotations
from ..annotation.model import Annotation, Problem
from ..core.convert import read_ledger
from ..core.ledger import Ledger
from .config import from_sphinx
from .domain import EditionDomain
from .typed_warnings import Warn, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

PARA_TARGET = re.compile(r"^\((p[1-9][0-9]*[a-z]?)\)=\s*$", re.MULTILINE)
NOTE_DEF = re.compile(r"^\[\^([0-9]+)\]:", re.MULTILINE)
# Anything MyST could read as markup: with none of it, a field is a plain paragraph.


@dataclass
class State:
    """The annotations of this build, loaded once."""

    root: Path
    annotations: dict[str, Annotation] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    by_paragraph: dict[str, list[Annotation]] = field(default_factory=dict)
    by_note: dict[int, Annotation] = field(default_factory=dict)
    unsafe: set[str] = field(default_factory=set)  # rendered as plain text, never parsed
    orphans: list[Annotation] = field(default_factory=list)  # shown on the About page, never dropped
    parts: dict[str, list[str]] = field(default_factory=dict)  # split paragraph -> its other parts
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)  # file -> (mtime, size) when loaded

    def digest(self, paragraphs: list[str], notes: list[int]) -> str:
        chosen = [a for p in paragraphs for a in self.by_paragraph.get(p, [])]
        chosen += [self.by_note[n] for n in notes if n in self.by_note]
        sha = hashlib.sha256()
        for ann in chosen:  # by file stamp, as the loader's cache judges "unchanged": no file is reread
            sha.update(f"{ann.path}\0{self.stamps.get(ann.path)}\0".encode())
        return sha.hexdigest()


_STATES: weakref.WeakKeyDictionary[Sphinx, State] = weakref.WeakKeyDictionary()


def get_state(app: Sphinx) -> State:
    return _STATES[app]


def project_ledger(app: Sphinx) -> Ledger:
    """The anchor ledger of the project, if it has one (test roots may not)."""
    path = Path(app.confdir) / from_sphinx(app.config).source_dir / "anchors.yaml"
    return read_ledger(path, Path(app.confdir))


def _load(app: Sphinx) -> None:
    root = Path(app.confdir)
    settings = from_sphinx(app.config)
    # Files unchanged since the last build are not read again (the cache is saved with the environment).
    cache = getattr(app.env, "edition_annotation_cache", None)
    if not isinstance(cache, dict):
        cache = {}
        app.env.edition_annotation_cache = cache  # type: ignore[attr-defined]
    annotations, problems = load_annotations(root / settings.annotations_dir, root, cache)
    state = State(root, {a.id: a for a in annotations}, problems)
    state.stamps = {path: stamp for path, (stamp, _, _) in cache.items()}
    ledger = project_ledger(app)
    state.parts = ledger.parts()
    for ann in annotations:
        if any(ann.check_field(name)[0] for name in ("body", "basis")):
            state.unsafe.add(ann.id)
        if ann.paragraph:
            where = ann.paragraph if (entry := ledger.get(ann.paragraph)) is None else ledger.resolve(entry.id)
            if where and not ann.data.get("orphan"):
                state.by_paragraph.setdefault(where, []).append(ann)
            else:
                state.orphans.append(ann)
        elif ann.note is not None:
            state.by_note.setdefault(ann.note, ann)
    _STATES[app] = state
    for problem in problems:
        warn(problem.message, Warn(problem.type), location=f"{problem.path}:{problem.line}:{problem.column}")


_DETACHED: weakref.WeakKeyDictionary[BuildEnvironment, dict[str, Any]] = weakref.WeakKeyDictionary()


def _detach_cache(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """While pages are read, the cache of loaded files stays out of the environment: a
    parallel reader pickles the whole environment back to the main process for every
    chunk of pages, and every annotation file of the project need not travel with it."""
    cache = env.__dict__.pop("edition_annotation_cache", None)
    if cache is not None:
        _DETACHED[env] = cache


def _reattach_cache(app: Sphinx, env: BuildEnvironment) -> None:
    """Back before the environment is saved, for the next incremental build."""
    cache = _DETACHED.pop(env, None)
    if cache is not None:
        env.edition_annotation_cache = cache  # type: ignore[attr-defined]


def _digest(app: Sphinx, docname: str, source: list[str]) -> None:
    state = get_state(app)
    domain = cast(EditionDomain, app.env.get_domain("edition"))
    domain.digests[docname] = state.digest(
        PARA_TARGET.findall(source[0]), [int(n) for n in NOTE_DEF.findall(source[0])]
    )


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Documents whose annotations were added, changed or removed since they were read."""
    state = get_state(app)
    domain = cast(EditionDomain, env.get_domain("edition"))
    paragraphs: dict[str, list[str]] = {}
    for ident, info in domain.paragraphs.items():
        paragraphs.setdefault(info["docname"], []).append(ident)
    stale = []
    for docname, digest in sorted(domain.digests.items()):
        if (
            docname in env.found_docs
            and state.digest(paragraphs.get(docname, []), domain.notes.get(docname, [])) != digest
        ):
            stale.append(docname)
    return stale


def setup_loaded(app: Sphinx) -> None:
    app.connect("builder-inited", _load)
    app.connect("source-read", _digest)
    app.connect("env-before-read-docs", _detach_cache)
    app.connect("env-updated", _reattach_cache)
    app.connect("env-get-outdated", _outdated)
