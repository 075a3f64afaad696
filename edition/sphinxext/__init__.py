"""The Sphinx glue: one module per feature, each with a ``setup_<feature>(app)``.

:func:`setup` registers, in this order:

- the ``edition_*`` configuration (:mod:`.config`), and a quieter console (:mod:`.console`);
- the data files checked when the build starts, and what keeps incremental builds equal to
  clean ones (:mod:`.incremental`);
- paragraph anchors, margin numbers, permalinks, page milestones and stable note ids
  (:mod:`.paragraphs`);
- the About page's record of editorial decisions and anchors (:mod:`.about`);
- the ``edition`` domain, the cross-document state (:mod:`.domain`);
- standoff annotations: loaded once per build (:mod:`.loaded`), their words marked and
  their notes placed (:mod:`.marking`), their content rendered when a page is written
  (:mod:`.rendering`), with their links (:mod:`.links`), the consistency check
  (:mod:`.consistency`) and the index pages (:mod:`.indexes`);
- the sanitiser that keeps raw markup and unsafe links off every page (:mod:`.sanitise`);
- pages that read no file from outside ``docs/`` (:mod:`.confine`);
- the last line of defence, on every file each builder wrote (:mod:`.output_check`);
- the Changes page, per edition version (:mod:`.changes`);
- citation metadata, "Cite this edition" and the paragraphs' cite data (:mod:`.citation_metadata`);
- the timeline of the writings the notes cite (:mod:`.timeline`);
- accessibility fixes to docutils' markup (:mod:`.a11y`);
- the edition's own HTML theme, and what each page loads (:mod:`.theme`);
- the title block of the title page and the essay (:mod:`.titlepage`);
- EPUB 3 note markup in the e-book (:mod:`.epub`);
- the About page's list of the exports (:mod:`.exports_list`; the exports themselves,
  :mod:`edition.exports`, are written by ``build_edition.py`` after the build);
- a garbage collector tuned for the length of the build (:mod:`.collector`); an EPUB without
  the build's clock (:mod:`.reproducible`);
- the edition's own CSS and JavaScript.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import config
from .a11y import setup_a11y
from .about import setup_about
from .changes import setup_changes
from .citation_metadata import setup_citation_metadata
from .collector import setup_collector
from .confine import setup_confine
from .consistency import setup_consistency
from .console import setup_console
from .domain import setup_domain
from .epub import setup_epub
from .exports_list import setup_exports_list
from .incremental import setup_incremental
from .indexes import setup_indexes
from .links import setup_links
from .loaded import setup_loaded
from .marking import setup_marking
from .output_check import setup_output_check
from .paragraphs import setup_paragraphs
from .rendering import setup_rendering
from .reproducible import setup_reproducible
from .sanitise import setup_sanitise
from .theme import setup_theme
from .timeline import setup_timeline
from .titlepage import setup_titlepage

if TYPE_CHECKING:
    from sphinx.application import Sphinx

VERSION = "1.0.0"
STATIC = Path(__file__).parent.parent / "static"


def _no_script_in_ebooks(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    # EPUB readers run no site script (and EPUBCheck wants scripted pages declared):
    # the e-book is the page as it reads without JavaScript.
    if app.builder.name.startswith("epub") and "script_files" in context:
        context["script_files"] = [js for js in context["script_files"] if "edition.js" not in str(js)]


def _config_inited(app: Sphinx, settings: Any) -> None:
    edition = config.from_sphinx(settings)  # fails loudly on a bad setting
    if edition.site_url and not settings.html_baseurl:
        settings.html_baseurl = edition.site_url  # canonical links
    # Relative to the conf dir (as Sphinx reads it) where the extension lies inside the project:
    # the configuration's digest in .buildinfo then does not change with the project's folder.
    settings.html_static_path = [*settings.html_static_path, _from_confdir(app, STATIC)]


def _from_confdir(app: Sphinx, path: Path) -> str:
    try:
        return path.resolve().relative_to(Path(app.confdir).resolve()).as_posix()
    except ValueError:
        return str(path)


def setup(app: Sphinx) -> dict[str, Any]:
    config.register(app)
    app.connect("config-inited", _config_inited)
    setup_console(app)
    setup_incremental(app)
    setup_paragraphs(app)
    setup_about(app)
    setup_domain(app)
    setup_loaded(app)
    setup_marking(app)
    setup_rendering(app)
    setup_links(app)
    setup_consistency(app)
    setup_indexes(app)
    setup_sanitise(app)
    setup_confine(app)
    setup_output_check(app)
    setup_changes(app)
    setup_citation_metadata(app)
    setup_timeline(app)
    setup_a11y(app)
    setup_theme(app)
    setup_titlepage(app)
    setup_epub(app)
    setup_exports_list(app)
    setup_collector(app)
    setup_reproducible(app)
    app.add_css_file("edition.css")
    app.add_js_file("edition.js", loading_method="defer")
    app.connect("html-page-context", _no_script_in_ebooks)
    return {"version": VERSION, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 3}
