"""HTML for annotation fields in the simple case, written directly instead of via nodes.

Most annotations use only paragraphs, emphasis, strong, links and the ``{para}`` and
``{ann}`` roles. For those, building docutils nodes and translating them again costs more
than the rest of the page; this module writes the same HTML that Sphinx's HTML translator
writes for the same nodes (a test compares the two), escaped with docutils' own table.
Fields with anything else (lists, block quotes, code, ``{cite}``, e-mail links, which the
translator cloaks) keep the node path.

``link(kind, target, short)`` gives the address (or None) and words of a reference;
``words`` collects every text the reader sees, for the search index.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from docutils.writers._html_base import HTMLTranslator
from markdown_it.token import Token

from ..annotation.markup import LOCAL_PARAGRAPH

Link = Callable[[str, str, bool], tuple[str | None, str]]

_SPECIAL = HTMLTranslator.special_characters
_ATTRIBUTE_SPACE = re.compile("[\n\r\t\v\f]")
_BLOCK = {"paragraph_open", "paragraph_close", "inline"}
_INLINE = {"text", "softbreak", "em_open", "em_close", "strong_open", "strong_close", "link_open", "link_close"}
_TAGS = {"em_open": "<em>", "em_close": "</em>", "strong_open": "<strong>", "strong_close": "</strong>"}
SIMPLE_ROLES = {"para", "ann"}


def encode(text: str) -> str:
    """Text as docutils' HTML writer escapes it."""
    return text.translate(_SPECIAL)


def attribute(text: str) -> str:
    """An attribute value as docutils' HTML writer escapes it."""
    return encode(_ATTRIBUTE_SPACE.sub(" ", text))


def is_simple(tokens: Sequence[Token]) -> bool:
    """True if every token is one this module writes."""
    for token in tokens:
        if token.type not in _BLOCK:
            return False
        for child in token.children or []:
            if child.type == "myst_role":
                if child.meta.get("name") not in SIMPLE_ROLES:
                    return False
            elif child.type not in _INLINE:
                return False
            elif child.type == "link_open" and "mailto:" in str(child.attrGet("href") or "").lower():
                return False  # the translator cloaks e-mail addresses
    return True


def reference(kind: str, uri: str | None, inner: str) -> str:
    """A resolved reference as the translator writes an ``edition-<kind>-ref`` reference."""
    return f'<a class="edition-{kind}-ref reference external" href="{attribute(uri)}">{inner}</a>' if uri else inner


def fields_html(tokens: Sequence[Token], link: Link, words: list[str]) -> list[str]:
    """The HTML of each paragraph of a simple field, without its ``<p>`` and ``</p>``."""
    paragraphs: list[str] = []
    for token in tokens:
        if token.type == "inline":
            paragraphs.append(_inline(token.children or [], link, words))
    return paragraphs


def _inline(tokens: list[Token], link: Link, words: list[str]) -> str:
    out: list[str] = []
    opened: list[tuple[int, str]] = []  # (where the link's words start in out, its href)
    for token in tokens:
        kind = token.type
        if kind == "text":
            out.append(encode(token.content))
            words.append(token.content)
        elif kind == "softbreak":
            out.append("\n")
        elif kind in _TAGS:
            out.append(_TAGS[kind])
        elif kind == "link_open":
            opened.append((len(out), str(token.attrGet("href") or "")))
        elif kind == "link_close":
            start, href = opened.pop()
            inner = "".join(out[start:])
            del out[start:]
            local = LOCAL_PARAGRAPH.match(href)
            if local:
                uri, _ = link("paragraph", local.group(1), True)
                out.append(reference("paragraph", uri, inner) if uri else f"<span>{inner}</span>")
            else:
                out.append(f'<a class="reference external" href="{attribute(href)}">{inner}</a>')
        elif kind == "myst_role":
            name = str(token.meta.get("name"))
            target = token.content.strip()
            uri, text = link("paragraph" if name == "para" else "annotation", target, name == "para")
            words.append(text)
            out.append(reference("paragraph" if name == "para" else "annotation", uri, encode(text)))
    return "".join(out)
