"""Markup fixes that keep every page free of axe-core violations.

Docutils marks bibliography entries with the deprecated DPUB role ``doc-biblioentry``
inside a ``list``; here each entry is a plain ``listitem`` of that list instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def visit_citation_html(self: Any, node: nodes.citation) -> None:
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation_html(self: Any, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
        self.body.append("</div>\n")


def setup_a11y(app: Sphinx) -> None:
    app.add_node(nodes.citation, override=True, html=(visit_citation_html, depart_citation_html))
