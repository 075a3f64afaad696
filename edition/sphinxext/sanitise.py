"""No raw markup, unsafe link, http-equiv meta or unsafe table-of-contents entry on any page.

The essay is escaped when written, annotation bodies are checked before they are parsed,
and pages are checked before the build (:mod:`edition.checks.pages`); this pass still
removes, with a typed warning that says where, any ``raw`` node, any link or image whose
address is not http(s), mailto or relative, any ``meta`` node with ``http-equiv`` (a
refresh sends the reader to another site), and any table-of-contents entry that is not a
page or an http(s) address. It runs when a page has been read, and again on the final
tree of every page, after every post-transform (sphinxcontrib-bibtex makes the
bibliography's links in one), so a gap elsewhere cannot put script into the site. The
written files are checked once more at the end (:mod:`edition.sphinxext.output_check`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from ..annotation.markup import link_is_safe
from .typed_warnings import Warn, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _where(node: nodes.Node) -> object:
    """The node's place; a node made from front matter has a file but no line: line 1."""
    return node if node.line else f"{node.source or node.document and node.document['source']}:1"


def _is_web_address(uri: str) -> bool:
    return uri.strip().lower().startswith(("http://", "https://"))


def sanitise_tree(tree: nodes.Element) -> None:
    """Remove raw nodes, unsafe links and images, and http-equiv meta from ``tree`` (one
    walk), each with a warning."""
    kinds = (nodes.raw, nodes.reference, nodes.image, nodes.meta)
    for node in list(tree.findall(lambda n: isinstance(n, kinds))):
        if isinstance(node, nodes.raw):
            warn("raw markup removed: it is not allowed in the edition", Warn.UNSAFE, location=node)
            node.parent.remove(node)
        elif isinstance(node, nodes.meta):
            if any("http-equiv" in str(key).lower() for key in node.attributes):
                warn("a meta tag with http-equiv removed: pages set none", Warn.UNSAFE, location=_where(node))
                node.parent.remove(node)
        elif isinstance(node, nodes.image):
            uri = str(node.get("uri", ""))
            if not link_is_safe(uri):
                warn(f"unsafe image removed: {uri[:60]!r}", Warn.UNSAFE, location=node)
                node.replace_self(nodes.inline("", str(node.get("alt", ""))))
        else:
            uri = node.get("refuri")
            if uri is not None and not link_is_safe(uri):
                warn(f"unsafe link removed: {uri[:60]!r}", Warn.UNSAFE, location=node)
                node.replace_self(nodes.inline("", "", *node.children))


def sanitise_toctrees(tree: nodes.Element) -> None:
    """Table-of-contents entries are pages or http(s) addresses (Sphinx takes any ``x://``
    as an address: ``javascript://%0a…`` would be one)."""
    for toctree in tree.findall(addnodes.toctree):
        kept = []
        for title, ref in toctree["entries"]:
            if ":" in ref and not (_is_web_address(ref) and link_is_safe(ref)):
                warn(f"table-of-contents entry removed: {ref[:60]!r} is not a page or an http(s) address",
                     Warn.UNSAFE, location=toctree)  # fmt: skip
                continue
            kept.append((title, ref))
        toctree["entries"] = kept


def sanitise(app: Sphinx, doctree: nodes.document) -> None:
    sanitise_tree(doctree)
    sanitise_toctrees(doctree)


def sanitise_final(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    sanitise_tree(doctree)


def setup_sanitise(app: Sphinx) -> None:
    # Before Sphinx's collectors copy titles into the tables of contents (priority 500), and
    # again after the annotations are attached (500), so the bodies rendered while reading
    # are covered; those rendered at write time are sanitised as they are made.
    app.connect("doctree-read", sanitise, priority=100)
    app.connect("doctree-read", sanitise, priority=900)
    # The final tree: after the post-transforms, the bodies filled in (400) and the links
    # resolved (500).
    app.connect("doctree-resolved", sanitise_final, priority=900)
