"""The build's consistency check: once every document is read (``env-check-consistency``),
the same checks as ``build_edition.py check`` run on the annotations against the text as the
build made it, the list of the essay's names included, and each problem is a typed warning."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..annotation.checks import check_all
from ..annotation.names import check_names, read_names
from ..annotation.targets import TextModel, ledger_maps
from ..core.committed import published_files
from .config import app_of, from_sphinx
from .domain import EditionDomain
from .loaded import get_state, project_ledger
from .note_citations import bib_entries
from .typed_warnings import Warn, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def text_model(env: BuildEnvironment) -> TextModel:
    domain = cast(EditionDomain, env.get_domain("edition"))
    paragraphs = {ident: info["text"] for ident, info in domain.paragraphs.items()}
    notes = {n for numbers in domain.notes.values() for n in numbers}
    ledger = project_ledger(app_of(env))
    superseded, redirects = ledger_maps(ledger)
    return TextModel(paragraphs, notes, superseded, redirects, ledger.parts())


def _check(app: Sphinx, env: BuildEnvironment) -> None:
    state = get_state(app)
    annotations, text = list(state.annotations.values()), text_model(env)
    settings = from_sphinx(app.config)  # as `check` does: git says which of two duplicates is the newcomer
    published = partial(published_files, Path(app.confdir), settings.annotations_dir)
    problems = check_all(annotations, text, set(bib_entries(env)), published)
    names, problems_of_names = read_names(Path(app.confdir), settings.source_dir)
    problems += problems_of_names + (check_names(names, text.paragraphs, annotations) if names else [])
    for problem in sorted(problems):
        warn(problem.message, Warn(problem.type), location=f"{problem.path}:{problem.line}:{problem.column}")


def setup_consistency(app: Sphinx) -> None:
    app.connect("env-check-consistency", _check)
