"""Registering the edition's nodes: HTML visitors of their own, and for the other builders
either the children as they are (``keep``) or nothing (``drop``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

Visitor = Callable[[Any, Any], None]


def keep(self: Any, node: nodes.Node) -> None:
    """Render the node's children and nothing of its own."""


def drop(self: Any, node: nodes.Node) -> None:
    """Render nothing, children included."""
    raise nodes.SkipNode


def add_node(
    app: Sphinx,
    node: type[nodes.Element],
    html: tuple[Visitor, Visitor | None],
    text: tuple[Visitor, Visitor | None] | None = None,
    others: str = "keep",
) -> None:
    """``html`` serves every HTML builder (EPUB too); ``text`` the text builder; ``others``
    (``keep`` or ``drop``) LaTeX, man and Texinfo, and text when ``text`` is not given."""
    fallback: tuple[Visitor, Visitor | None] = (keep, keep) if others == "keep" else (drop, None)
    app.add_node(node, html=html, text=text or fallback, latex=fallback, man=fallback, texinfo=fallback)
