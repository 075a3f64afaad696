"""Full citations of bibliography entries, formatted by pybtex as sphinxcontrib-bibtex does, and the
short form that heads a note (:func:`work_of`)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pybtex.plugin
from docutils import nodes
from pybtex.richtext import Text
from pybtex_docutils import Backend

from ..annotation.labels import Work
from .links import pending_target

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


def bib_entries(env: BuildEnvironment) -> dict[str, Any]:
    """The parsed entries of ``bibtex_bibfiles``, by key (sphinxcontrib-bibtex parses them once)."""
    if "cite" not in env.domains:  # a project without sphinxcontrib-bibtex has no entries
        return {}
    domain: Any = env.get_domain("cite")
    return dict(domain.bibdata.data.entries)


@lru_cache(maxsize=8)
def _style(name: str) -> Any:
    """The pybtex formatting style (finding a plugin walks the installed entry points: do it once)."""
    return pybtex.plugin.find_plugin("pybtex.style.formatting", name)()


def format_citation(env: BuildEnvironment, key: str) -> tuple[nodes.Node, nodes.Node | None]:
    """The entry as a full reference in the configured pybtex style, and a link to the bibliography."""
    entry = bib_entries(env).get(key)
    if entry is None:
        return nodes.Text(f"[{key}]"), None
    cached = _FORMATTED.get(key)
    if cached is None or cached[0] is not entry:  # several notes cite one work: format it once
        style = _style(env.config.bibtex_default_style)
        rendered = style.format_entry(key, entry).text.render(Backend())
        cached = _FORMATTED[key] = (entry, nodes.inline("", "", *rendered, classes=["annot-fullcite"]))
    return cached[1].deepcopy(), pending_target(kind="bib", target=key)


_FORMATTED: dict[str, tuple[Any, nodes.inline]] = {}  # key -> (the parsed entry it was made from, node)


def work_of(env: BuildEnvironment, key: str) -> Work | None:
    """The entry as the head of a note names it (family names, title, year), or None."""
    entry = bib_entries(env).get(key)
    if entry is None:
        return None
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_unbrace(" ".join(p.prelast_names + p.last_names)) for p in people]
    fields = entry.fields
    return Work(names, _unbrace(str(fields.get("title", key))), str(fields.get("year", "")), entry.type == "book")


def _unbrace(text: str) -> str:
    """BibTeX's markup (braces, ``--``) as the words it stands for."""
    return str(Text.from_latex(text).render_as("text"))
