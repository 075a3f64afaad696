"""The build's inputs beyond its pages, and what keeps an incremental build equal to a clean one.

When the build starts (``config-inited``) the edition's data files are checked (an error stops
the build as a configuration error naming file, line and column; ``build_edition.py`` checks the
same files before it starts Sphinx, so its users see the message alone) and their digest becomes a
configuration value: when one of them changes (the witness, its decisions, the ledger, the
edition's facts, a snapshot, the bibliography), Sphinx rereads every page, as a clean build would.

Pages that show what all the annotations hold are tracked in the ``edition`` domain: those
that read it while being read (contributors, orphans, the report) are read again when any
annotation file, or any page, changed (``env-get-outdated``); those that fill it in when
written (the indexes, the timeline, every link to a paragraph or an annotation) are written
again when what they show changed (``env-get-updated``). The pages of removed documents are
deleted from the output, and words no page holds any more from the search index, so nothing of
an earlier build is left behind.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sphinx.errors import ConfigError

from ..core.convert import check_data_files, data_files
from ..core.datafiles import SourceError, display
from ..core.textnorm import opening_words
from .config import app_of, from_sphinx
from .domain import EditionDomain
from .loaded import get_state

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

READS = ("annotations", "pages")  # what a page can read while it is read
WRITES = ("glosses", "timeline", "links")  # what a page can show that is filled in when it is written


def _config_inited(app: Sphinx, config: Config) -> None:
    root = Path(app.confdir)
    settings = from_sphinx(config)
    bibfiles = [str(name) for name in getattr(config, "bibtex_bibfiles", [])]
    try:
        check_data_files(root, settings.source_dir)
    except SourceError as error:
        raise ConfigError(str(error)) from None
    sha = hashlib.sha256()
    for path in [*data_files(root, settings.source_dir), *(root / name for name in bibfiles)]:
        if path.is_file():
            sha.update(f"{display(path, root)}\0".encode())
            sha.update(hashlib.sha256(path.read_bytes()).digest())
    config.edition_inputs = sha.hexdigest()


def _domain(env: BuildEnvironment) -> EditionDomain:
    return cast(EditionDomain, env.get_domain("edition"))


_DIGESTS: weakref.WeakKeyDictionary[Sphinx, dict[str, str]] = weakref.WeakKeyDictionary()


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _read_digest(app: Sphinx, key: str) -> str:
    """The state of what a page reads, once per build: every annotation file, or every page."""
    cache = _DIGESTS.setdefault(app, {})
    if key not in cache:
        if key == "annotations":
            state = get_state(app)  # the files loaded now (the loader's cache may remember removed ones)
            cache[key] = _digest(sorted((a.path, state.stamps.get(a.path)) for a in state.annotations.values()))
        else:
            env = app.env
            stamps = []
            for docname in sorted(env.found_docs):
                stat = Path(env.doc2path(docname)).stat()
                stamps.append((docname, stat.st_mtime_ns, stat.st_size))
            cache[key] = _digest(stamps)
    return cache[key]


def reads(env: BuildEnvironment, *keys: str) -> None:
    """The page being read shows what it read of ``keys`` (see :data:`READS`)."""
    if not set(keys) <= set(READS):
        raise ValueError(f"a page reads one of {READS}, not {keys}")
    app = app_of(env)
    _domain(env).reads.setdefault(env.docname, {}).update({key: _read_digest(app, key) for key in keys})


def writes(env: BuildEnvironment, *facets: str) -> None:
    """The page being read shows, once written, what ``facets`` hold (see :data:`WRITES`)."""
    if not set(facets) <= set(WRITES):
        raise ValueError(f"a page shows one of {WRITES}, not {facets}")
    shown = _domain(env).writes.setdefault(env.docname, {})
    for facet in facets:
        shown.setdefault(facet, "")


def _write_digest(app: Sphinx, facet: str) -> str:
    """What a facet holds now that every page is read."""
    cache = _DIGESTS.setdefault(app, {})
    key = f"write:{facet}"
    if key in cache:
        return cache[key]
    domain = _domain(app.env)
    if facet == "glosses":
        value: Any = sorted(
            (ident, info["headword"], info["category"], info["paragraph"], info["docname"])
            for ident, info in domain.annotations.items()
            if info["kind"] == "gloss"
        )
    elif facet == "timeline":
        notes = get_state(app).by_note.values()
        value = [sorted((a.id, a.note, a.data.get("confidence"), a.data.get("citations")) for a in notes)]
        value.append(sorted(domain.noterefs.items()))
    else:
        value = [
            sorted((i, p["docname"], opening_words(p["text"], 9)) for i, p in domain.paragraphs.items()),
            sorted((i, a["docname"], a["label"]) for i, a in domain.annotations.items()),
        ]
    cache[key] = _digest(value)
    return cache[key]


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Pages that read all annotations (or all pages) when anything they read changed; and the
    output of removed documents, deleted."""
    _DIGESTS.pop(app, None)
    for docname in sorted(removed):
        _remove_output(app, docname)
    stale = []
    for docname, seen in sorted(_domain(env).reads.items()):
        if docname in env.found_docs and any(_read_digest(app, key) != digest for key, digest in seen.items()):
            stale.append(docname)
    return stale


def _remove_output(app: Sphinx, docname: str) -> None:
    builder: Any = app.builder
    if hasattr(builder, "get_outfilename"):
        Path(builder.get_outfilename(docname)).unlink(missing_ok=True)


def _updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages to write again because what they fill in when written has changed."""
    again = []
    for docname, shown in sorted(_domain(env).writes.items()):
        if docname not in env.found_docs:
            continue
        now = {facet: _write_digest(app, facet) for facet in shown}
        if now != shown:
            again.append(docname)
            shown.update(now)
    return again


def _prune_search_index(app: Sphinx) -> list[Any]:
    """Words no page holds any more: Sphinx's incremental search index keeps them, with an empty
    list of pages, where a clean build has none. Run before the index is written (its pages are
    collected first)."""
    indexer = getattr(app.builder, "indexer", None)
    for table in (getattr(indexer, "_mapping", None), getattr(indexer, "_title_mapping", None)):
        if isinstance(table, dict):
            for word in [word for word, pages in table.items() if not pages]:
                del table[word]
    return []


# The configuration saved with the environment is compared with the next build's, as conf.py
# and config-inited leave it, before any builder starts. sphinx-design adds its static folder to
# html_static_path when the builder starts (an absolute path, different in every checkout), so
# the saved configuration always differed and every incremental build said "The configuration
# has changed". The environment is saved between env-updated and write-started: what was added
# after config-inited is left out of it then, and put back for the writing, which copies it.
_STATIC_AT_INIT: weakref.WeakKeyDictionary[Sphinx, list[str]] = weakref.WeakKeyDictionary()
_STATIC_IN_USE: weakref.WeakKeyDictionary[Sphinx, list[str]] = weakref.WeakKeyDictionary()


def _remember_static_path(app: Sphinx, config: Config) -> None:
    _STATIC_AT_INIT[app] = list(config.html_static_path)


def _save_static_path_as_configured(app: Sphinx, env: BuildEnvironment) -> None:
    configured = _STATIC_AT_INIT.get(app)
    if configured is not None and app.config.html_static_path != configured:
        _STATIC_IN_USE[app] = list(app.config.html_static_path)
        app.config.html_static_path = list(configured)


def _restore_static_path(app: Sphinx, builder: Any) -> None:
    in_use = _STATIC_IN_USE.pop(app, None)
    if in_use is not None:
        app.config.html_static_path = in_use


def setup_incremental(app: Sphinx) -> None:
    app.add_config_value("edition_inputs", "", "env", types=[str])  # set at config-inited: not a setting
    app.connect("config-inited", _config_inited)
    app.connect("config-inited", _remember_static_path, priority=900)  # after every extension's own
    app.connect("env-updated", _save_static_path_as_configured)
    app.connect("write-started", _restore_static_path)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-get-updated", _updated)
    app.connect("html-collect-pages", _prune_search_index)
