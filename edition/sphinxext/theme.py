"""The edition's own HTML theme (``html_theme = "edition"``) and what each page loads.

The theme is Sphinx's ``basic`` templates with a masthead, a contents menu, the reading
options of the essay page and a colophon (``edition/theme/``), styled by ``edition.css``
alone. Each page loads only what it uses: the edition's script where there are paragraphs,
notes or "Cite this edition"; Sphinx's search scripts on the search page; sphinx-design's
files where a page has one of its components; Pygments' where there is code. The text face
is preloaded. ARCHITECTURE.md records the measurements behind the choice of theme.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..annotation.labels import KIND_NAMES
from .citation_metadata import edition_info

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PACKAGE = Path(__file__).parent.parent  # edition/: its theme/ and static/ folders
THEME = PACKAGE / "theme"
FONTS = (("literata-400-normal.woff2", "normal"), ("literata-400-italic.woff2", "italic"))
LAYERS = (
    *((kind, KIND_NAMES[kind][1]) for kind in ("gloss", "commentary", "crossref", "emendation", "variant")),
    ("pages", "Page numbers"),
)
SEARCH_ONLY = ("documentation_options.js", "doctools.js", "sphinx_highlight.js", "searchtools.js", "language_data.js")
DESIGN = ("design-tabs.js", "sphinx-design.min.css")


def split_title(title: str) -> tuple[str, str]:
    """A title and its subtitle, at the first colon ("Main: sub")."""
    main, colon, sub = title.partition(": ")
    return (main, sub) if colon else (title, "")


def _name(asset: Any) -> str:
    return str(getattr(asset, "filename", asset) or "").rsplit("/", 1)[-1].split("?")[0]


def page_needs(doctree: nodes.document | None) -> dict[str, bool]:
    """What a page uses: the edition's script (reading), sphinx-design, highlighted code."""
    needs = {"reading": False, "script": False, "design": False, "code": False}
    if doctree is None:
        return needs
    for node in doctree.findall(nodes.Element):
        classes = node.get("classes", [])
        if "edition-para" in classes:
            needs["reading"] = needs["script"] = True
        elif "edition-cite" in classes or "annot-notes" in classes:
            needs["script"] = True
        if any(c.startswith("sd-") for c in classes):
            needs["design"] = True
        if isinstance(node, nodes.literal_block):
            needs["code"] = True
    return needs


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.format != "html" or app.builder.name.startswith("epub") or app.config.html_theme != "edition":
        return

    needs = page_needs(doctree)
    search = pagename == "search"

    def wanted(name: str) -> bool:
        if name == "edition.js":
            return needs["script"]
        if name in SEARCH_ONLY:
            return search
        if name in DESIGN:
            return needs["design"]
        if name.startswith("pygments"):
            return needs["code"]
        return True

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if wanted(_name(asset))]
    main, sub = split_title(str(context.get("docstitle") or ""))
    info = edition_info(app)
    context.update(
        edition_fonts=FONTS,
        edition_reading=needs["reading"],
        edition_layers=LAYERS,
        edition_title_main=main,
        edition_title_sub=sub,
        edition_date=info.released,
    )


def _config_inited(app: Sphinx, config: Any) -> None:
    # The EPUB is set in the reading system's faces: the web font and its licence stay out of it.
    fonts = sorted(f"_static/fonts/{p.name}" for p in (PACKAGE / "static" / "fonts").iterdir())
    config.epub_exclude_files = [*config.epub_exclude_files, *fonts]


def setup_theme(app: Sphinx) -> None:
    app.add_html_theme("edition", str(THEME))
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _page_context)
