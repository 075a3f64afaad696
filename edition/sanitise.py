"""The last line of defence: no raw markup and no unsafe link reaches any page.

The essay is escaped when written and annotation bodies are checked before they are
parsed; this pass still removes any ``raw`` node and any link whose scheme is not safe,
with a typed warning, so a gap elsewhere cannot put script into the site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from .bodies import link_is_safe
from .warnings_ import Warn, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def sanitise_tree(tree: nodes.Element) -> None:
    """Remove raw nodes and unsafe links from ``tree`` (one walk), each with a warning."""
    for node in list(tree.findall(lambda n: isinstance(n, (nodes.raw, nodes.reference)))):
        if isinstance(node, nodes.raw):
            warn("raw markup removed: it is not allowed in the edition", Warn.UNSAFE, location=node)
            node.parent.remove(node)
            continue
        uri = node.get("refuri")
        if uri is not None and not link_is_safe(uri):
            warn(f"unsafe link removed: {uri[:60]!r}", Warn.UNSAFE, location=node)
            node.replace_self(nodes.inline("", "", *node.children))


def sanitise(app: Sphinx, doctree: nodes.document) -> None:
    sanitise_tree(doctree)


def setup_sanitise(app: Sphinx) -> None:
    # After the annotations are attached (priority 500), so the bodies rendered while reading
    # are covered; those rendered at write time are sanitised as they are made.
    app.connect("doctree-read", sanitise, priority=900)
