"""A Sphinx extension and a pure core for an annotated critical edition.

``setup()`` registers:

- the ``edition_*`` configuration (:mod:`edition.config`);
- paragraph anchors, margin numbers, permalinks, page milestones and stable note ids
  (:mod:`edition.paragraphs`);
- the About page's record of editorial decisions and anchors (:mod:`edition.about`);
- standoff annotations, attached and rendered as notes (:mod:`edition.annotate`), with
  their cross-document state (:mod:`edition.domain`), links (:mod:`edition.refs`) and
  index pages (:mod:`edition.indexes`);
- the Changes page, per edition version (:mod:`edition.changes`);
- citation metadata, "Cite this edition" and the paragraphs' cite data (:mod:`edition.citing`);
- the timeline of the writings the notes cite (:mod:`edition.timeline`);
- accessibility fixes to docutils' markup (:mod:`edition.a11y`);
- the edition's own HTML theme, and what each page loads (:mod:`edition.theme`);
- the title block of the title page and the essay (:mod:`edition.titlepage`);
- EPUB 3 note markup in the e-book (:mod:`edition.epub`);
- the About page's list of the exports (:mod:`edition.exporting`; the exports themselves,
  :mod:`edition.exports`, are written by ``build_edition.py`` after the build);
- the sanitiser that keeps raw markup and unsafe links off every page (:mod:`edition.sanitise`);
- pages that read no file from outside ``docs/`` (:mod:`edition.confine`);
- the last line of defence, on every file each builder wrote (:mod:`edition.guarding`);
- the data files checked when the build starts, and what keeps incremental builds equal to
  clean ones (:mod:`edition.inputs`); an EPUB without the build's clock (:mod:`edition.reproducible`);
- the edition's own CSS and JavaScript;
- a garbage collector tuned for the length of the build (:mod:`edition.collector`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import config as _config
from .a11y import setup_a11y
from .about import setup_about
from .annotate import setup_annotations
from .changes import setup_changes
from .citing import setup_citing
from .collector import setup_collector
from .confine import setup_confine
from .epub import setup_epub
from .exporting import setup_exporting
from .guarding import setup_guarding
from .indexes import setup_indexes
from .inputs import setup_inputs
from .paragraphs import setup_paragraphs
from .refs import setup_refs
from .reproducible import setup_reproducible
from .sanitise import setup_sanitise
from .theme import setup_theme
from .timeline import setup_timeline
from .titlepage import setup_titlepage

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0.0"
STATIC = Path(__file__).parent / "static"


def _no_script_in_ebooks(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    # EPUB readers run no site script (and EPUBCheck wants scripted pages declared):
    # the e-book is the page as it reads without JavaScript.
    if app.builder.name.startswith("epub") and "script_files" in context:
        context["script_files"] = [js for js in context["script_files"] if "edition.js" not in str(js)]


def _config_inited(app: Sphinx, config: Any) -> None:
    settings = _config.from_sphinx(config)  # fails loudly on a bad setting
    if settings.site_url and not config.html_baseurl:
        config.html_baseurl = settings.site_url  # canonical links
    # Relative to the conf dir (as Sphinx reads it) where the extension lies inside the project:
    # the configuration's digest in .buildinfo then does not change with the project's folder.
    config.html_static_path = [*config.html_static_path, _from_confdir(app, STATIC)]


def _from_confdir(app: Sphinx, path: Path) -> str:
    try:
        return path.resolve().relative_to(Path(app.confdir).resolve()).as_posix()
    except ValueError:
        return str(path)


def setup(app: Sphinx) -> dict[str, Any]:
    _config.register(app)
    app.connect("config-inited", _config_inited)
    setup_inputs(app)
    setup_paragraphs(app)
    setup_about(app)
    setup_annotations(app)
    setup_refs(app)
    setup_indexes(app)
    setup_sanitise(app)
    setup_confine(app)
    setup_guarding(app)
    setup_changes(app)
    setup_citing(app)
    setup_timeline(app)
    setup_a11y(app)
    setup_theme(app)
    setup_titlepage(app)
    setup_epub(app)
    setup_exporting(app)
    setup_collector(app)
    setup_reproducible(app)
    app.add_css_file("edition.css")
    app.add_js_file("edition.js", loading_method="defer")
    app.connect("html-page-context", _no_script_in_ebooks)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 3}
