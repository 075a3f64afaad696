"""Find an annotation's quoted words in a paragraph (a W3C TextQuoteSelector, in spirit).

Matching is on normalised text (see :mod:`edition.textnorm`): white space folded, so a
quote copied from the page or from the YAML matches however it was wrapped.
"""

from __future__ import annotations

from dataclasses import dataclass

from .textnorm import normalise


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str = ""
    suffix: str = ""


def find_quote(text: str, quote: Quote) -> list[tuple[int, int]]:
    """Every (start, end) in ``normalise(text)`` where the quote stands with its prefix and suffix."""
    return _search(normalise(text), quote)


def _search(haystack: str, quote: Quote) -> list[tuple[int, int]]:
    exact, prefix, suffix = normalise(quote.exact), normalise(quote.prefix), normalise(quote.suffix)
    if not exact:
        return []
    hits: list[tuple[int, int]] = []
    start = haystack.find(exact)
    while start != -1:
        end = start + len(exact)
        before, after = haystack[:start].rstrip(), haystack[end:].lstrip()
        if (not prefix or before.endswith(prefix)) and (not suffix or after.startswith(suffix)):
            hits.append((start, end))
        start = haystack.find(exact, start + 1)
    return hits


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """White space folded as by ``normalise`` (the text is taken as NFC already), and for
    each character of the result its offset in ``text``."""
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        if char.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            offsets.append(index - 1)
            pending_space = False
        out.append(char)
        offsets.append(index)
    return "".join(out), offsets


def find_quote_in_raw(text: str, quote: Quote) -> list[tuple[int, int]]:
    """Like :func:`find_quote`, but the spans are offsets in ``text`` itself."""
    norm, offsets = normalise_with_offsets(text)
    return [(offsets[s], offsets[e - 1] + 1) for s, e in _search(norm, quote)]
