"""Docutils nodes for an annotation body in the safe MyST subset, built from its tokens.

A body has already been parsed once by :func:`edition.annotation.markup.parse_body` to check it, and
only the tokens of the safe subset are left (anything else withholds the body). Building
the nodes from those tokens directly costs a fraction of a nested MyST parse, and does
it after the page's own transforms have run, so they never walk ten thousand bodies.

References are the caller's: ``role(name, content, line)`` makes the nodes of
``{cite}``, ``{para}`` and ``{ann}``; ``local(target, children)`` the link of
``[words](#p12)``. Every other link must be http, https or mailto (``check_body``
says so) and becomes a plain reference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docutils import nodes
from markdown_it.token import Token

from ..annotation.markup import LOCAL_PARAGRAPH

Role = Callable[[str, str, int], list[nodes.Node]]
LocalLink = Callable[[str, list[nodes.Node]], nodes.Node]


_BLOCKS: dict[str, Callable[[Token], nodes.Element]] = {
    "paragraph_open": lambda t: nodes.paragraph(),
    "bullet_list_open": lambda t: nodes.bullet_list(bullet=t.markup or "-"),
    "ordered_list_open": lambda t: _enumerated(t),
    "list_item_open": lambda t: nodes.list_item(),
    "blockquote_open": lambda t: nodes.block_quote(),
}
_INLINE: dict[str, Callable[[], nodes.Element]] = {"em_open": nodes.emphasis, "strong_open": nodes.strong}


def _enumerated(token: Token) -> nodes.enumerated_list:
    node = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=token.markup or ".")
    start = int(token.attrGet("start") or 1)
    if start != 1:
        node["start"] = start
    return node


def body_nodes(
    tokens: Sequence[Token],
    *,
    source: str,
    line: int,
    role: Role,
    local: LocalLink,
    document: nodes.document | None = None,
) -> list[nodes.Node]:
    """The nodes of a body's block tokens; ``line`` is the body's first line in ``source``.

    Give the ``document`` they will join: docutils otherwise looks for it up the parents
    of every node it adds, and that search dominates the cost of building small trees.
    """
    root = nodes.Element()
    if document is not None:
        root.document = document
    stack: list[nodes.Element] = [root]
    for token in tokens:
        if token.type in _BLOCKS:
            node = _BLOCKS[token.type](token)
            node.source, node.line = source, line + (token.map[0] if token.map else 0)
            stack[-1] += node
            stack.append(node)
        elif token.type.endswith("_close"):
            stack.pop()
        elif token.type == "inline":
            first = line + (token.map[0] if token.map else 0)
            _inline(token.children or [], stack[-1], source, first, role, local)
        else:  # bodies outside the subset never get here: check_body withholds them
            raise ValueError(f"token {token.type!r} is outside the safe subset")
    return list(root.children)


def _inline(tokens: list[Token], parent: nodes.Element, source: str, line: int, role: Role, local: LocalLink) -> None:
    stack: list[nodes.Element] = [parent]
    links: list[str] = []  # hrefs of the open links
    for token in tokens:
        kind = token.type
        if kind == "text":
            stack[-1] += nodes.Text(token.content)
        elif kind in ("softbreak", "hardbreak"):  # a line break in a note is a space in the text
            stack[-1] += nodes.Text("\n")
            line += 1
        elif kind == "code_inline":
            stack[-1] += nodes.literal(token.content, token.content)
        elif kind in _INLINE:
            node = _INLINE[kind]()
            stack[-1] += node
            stack.append(node)
        elif kind == "link_open":
            links.append(str(token.attrGet("href") or ""))
            stack.append(nodes.inline())  # a holder for the words, until the link closes
        elif kind == "link_close":
            words = stack.pop()
            href = links.pop()
            local_target = LOCAL_PARAGRAPH.match(href)
            if local_target:
                stack[-1] += local(local_target.group(1), list(words.children))
            else:
                stack[-1] += nodes.reference("", "", *words.children, refuri=href)
        elif kind.endswith("_close"):
            stack.pop()
        elif kind == "myst_role":
            for node in role(str(token.meta.get("name")), token.content, line):
                stack[-1] += node
        else:
            raise ValueError(f"token {kind!r} is outside the safe subset")
