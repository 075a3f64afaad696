"""Text-quote selectors that land on the same words in any client.

A client may match the quote against the whole page (ignoring the FragmentSelector), and
the two common strategies differ: Apache Annotator wants the exact words with the prefix
and suffix immediately around them, once; dom-anchor-text-quote (Hypothesis's) looks for
the prefix approximately, nearest the middle of the page, then for the words near it. The
essay's own words are quoted in its notes, so the nearest approximate prefix can be the
wrong one. For each annotation the context is chosen so that both strategies, simulated
here on the page's text, land on exactly its words.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .bitap import match_main

SLICE = 32  # dom-anchor-text-quote's slice and context length (diff-match-patch's Match_MaxBits)
LENGTHS = (32, 24, 16, 12, 8, 4)


@dataclass(frozen=True)
class QuoteSelector:
    exact: str
    prefix: str | None
    suffix: str | None

    def as_json(self) -> dict[str, str]:
        out = {"type": "TextQuoteSelector", "exact": self.exact}
        if self.prefix is not None:
            out["prefix"] = self.prefix
        if self.suffix is not None:
            out["suffix"] = self.suffix
        return out


def exact_matches(page: str, selector: QuoteSelector) -> list[int]:
    """Where the words stand with their prefix and suffix immediately around them (Apache Annotator)."""
    prefix, suffix = selector.prefix or "", selector.suffix or ""
    needle = prefix + selector.exact + suffix
    hits, start = [], page.find(needle)
    while start != -1:
        hits.append(start + len(prefix))
        start = page.find(needle, start + 1)
    return hits


def approximate_match(page: str, selector: QuoteSelector) -> tuple[int, int] | None:
    """dom-anchor-text-quote's ``toTextPosition`` (version 4), step by step."""
    distance = len(page) * 2
    exact = selector.exact
    slices = [exact[i : i + SLICE] for i in range(0, len(exact), SLICE)]
    loc = len(page) // 2
    found_prefix = False
    if selector.prefix is not None:
        result = match_main(page, selector.prefix, loc, distance)
        if result > -1:
            loc, found_prefix = result + len(selector.prefix), True
    if selector.suffix is not None and not found_prefix:
        result = match_main(page, selector.suffix, loc + len(exact), distance)
        if result > -1:
            loc = result - len(exact)
    result = match_main(page, slices[0], loc, distance)
    if result == -1:
        return None
    start, end = result, result + len(slices[0])
    loc = end
    for piece in slices[1:]:
        result = match_main(page, piece, loc, 64)
        if result == -1:
            return None
        loc = result + len(piece)
        start, end = min(start, result), max(end, result + len(piece))
    return start, end


def lands(page: str, selector: QuoteSelector, start: int, end: int) -> bool:
    return exact_matches(page, selector) == [start] and approximate_match(page, selector) == (start, end)


_CHOSEN: dict[tuple[str, int, int], tuple[QuoteSelector, bool]] = {}


def choose(page: str, start: int, end: int) -> tuple[QuoteSelector, bool]:
    """The first selector (longest context first) that both strategies anchor at [start, end).

    Remembered per page text (by digest), since the simulation scans the whole page."""
    key = (hashlib.sha256(page.encode("utf-8")).hexdigest(), start, end)
    if key not in _CHOSEN:
        _CHOSEN[key] = _choose(page, start, end)
    return _CHOSEN[key]


def _choose(page: str, start: int, end: int) -> tuple[QuoteSelector, bool]:
    exact = page[start:end]
    options: list[int | None] = [*LENGTHS, None]

    def context(length: int | None, before: bool) -> str | None:
        if length is None:
            return None
        return page[max(0, start - length) : start] if before else page[end : end + length]

    pairs = sorted(
        ((p, s) for p in options for s in options if (p, s) != (None, None)),
        key=lambda pair: -((pair[0] or 0) + (pair[1] or 0)),
    )
    candidates = [QuoteSelector(exact, context(p, True), context(s, False)) for p, s in pairs]
    for candidate in candidates:
        if lands(page, candidate, start, end):
            return candidate, True
    return candidates[0], False
