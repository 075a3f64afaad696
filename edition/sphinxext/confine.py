"""Pages read no file from outside ``docs/``: the build-time side of :mod:`edition.checks.preflight`.

``build_edition.py`` refuses bad sources before Sphinx starts; this module makes a direct
Sphinx build just as safe, and says where each refusal is:

- ``include``, ``literalinclude`` and ``raw`` are replaced by a directive that refuses with
  a typed error (``[edition.unsafe]``); ``csv-table`` refuses ``:file:`` and ``:url:``;
  docutils' file insertion and raw markup are off besides;
- an image or a download that is not a file inside ``docs/`` (by a path leading out, a
  symbolic link on the way, or another site's address) is replaced by its words, before
  Sphinx copies anything;
- symbolic links in ``docs/`` are excluded from the pages (never followed), and a
  bibliography with problems is replaced, for this build, by its entries that have none,
  so that sphinxcontrib-bibtex neither stops with a traceback nor links a ``javascript:``
  address. Each problem is reported as a typed warning with its file, line and column.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.tables import CSVTable
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from ..checks.pages import FILE_OPTIONS, REFUSED_DIRECTIVES, outside_docs
from ..checks.preflight import bibliography, links
from .typed_warnings import Warn, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


class _AnyOption(dict[str, Any]):
    """An option spec that takes every option as text: the directive refuses them all alike."""

    def __missing__(self, key: str) -> Any:
        return directives.unchanged

    def __bool__(self) -> bool:
        return True


class RefusedDirective(SphinxDirective):
    """``include``, ``literalinclude``, ``raw``: a page inserts no file and no raw markup."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption()

    def run(self) -> list[nodes.Node]:
        message = f"the directive {self.name} is not allowed in a page: pages insert no files and no raw markup"
        warn(message, Warn.UNSAFE, location=self.get_location())
        return []


class ConfinedCSVTable(CSVTable):
    """``csv-table`` with its rows in the page, never from a file or an address."""

    def run(self) -> list[nodes.Node]:
        given = FILE_OPTIONS & set(self.options)
        if given:
            source, line = self.state_machine.get_source_and_line(self.lineno)
            option = sorted(given)[0]
            warn(f"{{csv-table}} may not read a file or an address (:{option}:)", Warn.UNSAFE, f"{source}:{line}")
            return []
        return list(super().run())


def _inside_docs(app: Sphinx, target: str, docname: str) -> str:
    """Why ``target`` (as a page names it) is not a file inside docs/ ("" if it is)."""
    why = outside_docs(target, docname)
    if why:
        return why
    srcdir = Path(app.srcdir)
    relative = (
        target.strip().lstrip("/")
        if target.strip().startswith("/")
        else os.path.join(os.path.dirname(docname), target.strip())
    )
    path = srcdir
    for part in Path(os.path.normpath(relative)).parts:
        path = path / part
        if path.is_symlink():
            return "a symbolic link is not followed"
    return ""


def confine_files(app: Sphinx, doctree: nodes.document) -> None:
    """Images and downloads: files inside docs/ only, checked before Sphinx collects them."""
    docname = app.env.docname
    for node in list(doctree.findall(lambda n: isinstance(n, (nodes.image, addnodes.download_reference)))):
        is_image = isinstance(node, nodes.image)
        target = str(node.get("uri", "") if is_image else node.get("reftarget", ""))
        if not is_image and target.lower().startswith(("http://", "https://")):
            continue  # a link to another site, which Sphinx does not download
        why = _inside_docs(app, target, docname)
        if why:
            what = "image" if is_image else "download"
            warn(f"{what} {target[:60]!r}: {why}", Warn.UNSAFE, location=node)
            words = node.get("alt", "") if is_image else node.astext()
            node.replace_self(nodes.inline("", words or target))


def _exclude_links(app: Sphinx, config: Config) -> None:
    """Linked files and folders in docs/ are not pages (and not followed); each is reported."""
    root, srcdir = Path(app.confdir), Path(app.srcdir)
    for problem in links(root):
        warn(problem.message, Warn(problem.type), location=f"{problem.path}:{problem.line}:{problem.column}")
        try:
            relative = (root / problem.path).relative_to(srcdir).as_posix()
        except ValueError:
            continue
        config.exclude_patterns = [*config.exclude_patterns, relative, f"{relative}/**"]


def _clean_bibliography(app: Sphinx, config: Config) -> None:
    """A bibliography with problems is reported, and the build reads only its sound entries."""
    from pybtex.database import BibliographyData

    files = list(getattr(config, "bibtex_bibfiles", None) or [])
    style = str(getattr(config, "bibtex_default_style", "plain"))
    cleaned: list[str] = []
    for name in files:
        checked, problems = bibliography(Path(app.confdir), name, style)
        if not problems:
            cleaned.append(name)
            continue
        for problem in problems:
            warn(problem.message, Warn(problem.type), location=f"{problem.path}:{problem.line}:{problem.column}")
        faulty = {p.key for p in checked.problems}
        sound = {key: entry for key, entry in checked.entries.items() if key not in faulty}
        out = Path(app.doctreedir) / f"edition-sound-{Path(name).name}"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(BibliographyData(sound).to_string("bibtex") if sound else "", encoding="utf-8")
        cleaned.append(str(out))
    if files:
        config.bibtex_bibfiles = cleaned


def _settings(app: Sphinx) -> None:
    # Besides the directives below: docutils' own switches, for any directive that reads a file.
    app.env.settings["file_insertion_enabled"] = False
    app.env.settings["raw_enabled"] = False


def setup_confine(app: Sphinx) -> None:
    for name in sorted(REFUSED_DIRECTIVES):
        app.add_directive(name, RefusedDirective, override=True)
    app.add_directive("csv-table", ConfinedCSVTable, override=True)
    # Before sphinxcontrib-bibtex reads the bibliography (builder-inited) and before Sphinx
    # lists the pages; the images and downloads before Sphinx's collectors take them (500).
    app.connect("config-inited", _exclude_links, priority=100)
    app.connect("config-inited", _clean_bibliography, priority=100)
    app.connect("builder-inited", _settings)
    app.connect("doctree-read", confine_files, priority=100)


__all__ = ["ConfinedCSVTable", "RefusedDirective", "confine_files", "setup_confine"]
