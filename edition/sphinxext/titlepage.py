"""The title block on the page: ``{edition-title}`` and ``{edition-title-block}``.

``# {edition-title}`edition``` and ``# {edition-title}`essay``` make a heading of the edition's
or the essay's title, so that one title, from ``source_texts/edition.yaml``, is used the same
way in every heading, the page titles and the menus. ``{edition-title-block}`` (``:compact:``
under the essay's heading; ``:with-title:`` too under another) gives the lines of
:func:`edition.core.titleblock.title_lines`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..core.titleblock import BLOCK_ID, Span, essay_title, split_title, title_lines
from .citation_metadata import edition_info
from .config import app_of, from_sphinx
from .visitors import add_node, keep

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


class title_link(nodes.Inline, nodes.TextElement):
    """A link to ``document#id`` in the title block, made a reference when the page is written."""


class folded(nodes.General, nodes.Element):
    """Evidence folded under a label (``<details>`` on the web, where it is long and the title
    page is short); other builders show the label and the evidence as paragraphs."""


def _visit_folded(self: Any, node: folded) -> None:
    self.body.append(f'<details class="{" ".join(node["classes"])}"><summary>{self.encode(node["label"])}</summary>')


def _depart_folded(self: Any, node: folded) -> None:
    self.body.append("</details>\n")


def _depend(env: BuildEnvironment) -> None:
    settings = from_sphinx(env.config)
    env.note_dependency(str(Path(app_of(env).confdir) / settings.source_dir / "edition.yaml"))


def _spans(spans: tuple[Span, ...]) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for span in spans:
        if span.style == "title":
            out.append(nodes.emphasis(span.text, span.text, classes=["work-title"]))
        elif span.style == "link":
            out.append(title_link(span.text, span.text, target=span.target))
        else:
            out.append(nodes.Text(span.text))
    return out


def _heading_parts(main: str, subtitle: list[nodes.Node]) -> list[nodes.Node]:
    """The title, then the subtitle on a line of its own (the colon kept for readers and copies)."""
    if not subtitle:
        return [nodes.Text(main)]
    sub = nodes.inline("", "", *subtitle, classes=["title-sub"])
    return [nodes.Text(main), nodes.inline(": ", ": ", classes=["title-sep"]), sub]


def title_role(
    name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    env = inliner.document.settings.env
    which = text.strip()
    if which not in ("edition", "essay"):
        msg = inliner.reporter.error(f"{{edition-title}} takes 'edition' or 'essay', not {which!r}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    _depend(env)
    info = edition_info(app_of(env))
    if which == "edition":
        main, sub = split_title(info.title or env.config.project)
        return _heading_parts(main, [nodes.Text(sub)] if sub else []), []
    main, subtitle = essay_title(info)
    return _heading_parts(main, _spans(subtitle)), []


class TitleBlockDirective(SphinxDirective):
    """The essay, its author, the book reviewed, where it first appeared, the edition and how to cite it."""

    option_spec = {"compact": directives.flag, "with-title": directives.flag}

    def run(self) -> list[nodes.Node]:
        _depend(self.env)
        compact = "compact" in self.options
        info = edition_info(app_of(self.env))
        essay_doc = from_sphinx(self.env.config).essay_doc
        with_title = "with-title" in self.options
        lines = title_lines(info, essay_doc, self.env.config.root_doc, compact=compact, with_title=with_title)
        block = nodes.container(classes=["title-block", "title-block-compact" if compact else "title-block-full"])
        if not compact:
            block["ids"] = [BLOCK_ID]
        for line in lines:
            paragraph = nodes.paragraph("", "", *_spans(line.spans), classes=[f"tb-{line.role}"])
            if line.role == "basis":
                paragraph = folded("", paragraph, label="How this is known", classes=["tb-basis"])
            block += paragraph
        return [block]


def _resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for link in list(doctree.findall(title_link)):
        document, _, fragment = str(link["target"]).partition("#")
        uri = app.builder.get_relative_uri(docname, document) if document and document != docname else ""
        uri += f"#{fragment}" if fragment else ""
        link.replace_self(nodes.reference("", link.astext(), refuri=uri or "#", classes=["title-link"]))


def setup_titlepage(app: Sphinx) -> None:
    add_node(app, title_link, html=(keep, keep))
    add_node(app, folded, html=(_visit_folded, _depart_folded))
    app.add_role("edition-title", title_role)
    app.add_directive("edition-title-block", TitleBlockDirective)
    app.connect("doctree-resolved", _resolve)
