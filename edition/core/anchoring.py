"""Find an annotation's quoted words in a paragraph (a W3C TextQuoteSelector, in spirit).

Matching is on normalised text (see :mod:`edition.core.textnorm`): white space folded, so a
quote copied from the page or from the YAML matches however it was wrapped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from .textnorm import normalise


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str = ""
    suffix: str = ""


def _search(haystack: str, quote: Quote) -> list[tuple[int, int]]:
    """Every (start, end) in ``haystack`` (normalised) where the quote stands with its prefix and suffix."""
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


@lru_cache(maxsize=4096)  # a paragraph is searched once per annotation on it
def normalise_with_offsets(text: str) -> tuple[str, tuple[int, ...]]:
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
    return "".join(out), tuple(offsets)


MAX_ERROR_SHARE = 0.2
"""A fuzzy match may differ from the quote by at most this share of its length (at least 1 edit)."""


@dataclass(frozen=True)
class Match:
    start: int  # offsets in the text searched
    end: int
    errors: int  # 0 for an exact match

    @property
    def exact(self) -> bool:
        return self.errors == 0


def max_errors(quote: str) -> int:
    return max(1, int(len(quote) * MAX_ERROR_SHARE))


def edit_scores(pattern: str, text: str, anchored: bool) -> list[int]:
    """For each ``j`` from 0 to ``len(text)``, the edit distance between ``pattern`` and the best
    stretch of ``text`` ending at ``j`` (a search: it may start anywhere), or, ``anchored``,
    between ``pattern`` and all of ``text[:j]``.

    Myers' bit-parallel algorithm (1999, in Hyyrö's formulation): one integer holds a whole
    column of the dynamic programme, so a character of the text costs a dozen operations on
    integers of ``len(pattern)`` bits instead of ``len(pattern)`` steps of Python.
    """
    m = len(pattern)
    mask, high = (1 << m) - 1, 1 << (m - 1)
    equal: dict[str, int] = {}
    for i, char in enumerate(pattern):
        equal[char] = equal.get(char, 0) | 1 << i
    carry = 1 if anchored else 0  # anchored: the top row grows by one a character
    positive, negative, score = mask, 0, m
    out = [m]
    for char in text:
        eq = equal.get(char, 0)
        xv = eq | negative
        xh = (((eq & positive) + positive) ^ positive) | eq
        ph = (negative | ~(xh | positive)) & mask
        mh = positive & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | carry) & mask
        mh = (mh << 1) & mask
        positive = (mh | ~(xv | ph)) & mask
        negative = ph & xv
        out.append(score)
    return out


def fuzzy_find(text: str, pattern: str, limit: int) -> list[Match]:
    """Every best approximate occurrence of ``pattern`` in ``text`` within ``limit`` edits.

    Sellers' edit distance with a free start, where among the best alignments ending at one
    place the shortest wins; successive best matches that overlap keep the first, and of two
    with the same start the one ending at a word boundary, then nearest the quote's length.
    The scores of every end come from :func:`edit_scores` in one pass; only the ends that
    reach the best score are traced back to their start (a second pass, on the stretch before
    them, with the pattern and text reversed), so a quote that matches nowhere costs one pass.
    """
    m = len(pattern)
    if not m or not text:
        return []
    scores = edit_scores(pattern, text, anchored=False)
    best_errors = min(scores[1:])
    if best_errors > limit:
        return []
    backwards = pattern[::-1]
    best: list[Match] = []
    for end in range(1, len(text) + 1):
        if scores[end] != best_errors:
            continue
        stretch = text[max(0, end - m - best_errors) : end][::-1]
        start = end - edit_scores(backwards, stretch, anchored=True).index(best_errors)
        if not best or start >= best[-1].end:
            best.append(Match(start, end, best_errors))
        elif start == best[-1].start and _end_rank(text, start, end, m) < _end_rank(text, start, best[-1].end, m):
            best[-1] = Match(start, end, best_errors)
    return best


def _end_rank(text: str, start: int, end: int, length: int) -> tuple[bool, int]:
    return end < len(text) and text[end].isalnum(), abs(end - start - length)


def locate(text: str, quote: Quote, fuzzy: bool = True) -> list[Match]:
    """Where ``quote`` stands in ``text``: exact matches (with context) first, else (unless not
    ``fuzzy``) the best fuzzy ones.

    Offsets are in ``text`` itself. Context (prefix, suffix) narrows exact matches and breaks
    ties between equally good fuzzy ones. Where the quote stands exactly but its context
    matches none of those places, nothing is found: no place is guessed
    (:func:`context_misses` says how many places there were).
    """
    norm, offsets = normalise_with_offsets(text)

    def raw(start: int, end: int, errors: int) -> Match:
        return Match(offsets[start], offsets[end - 1] + 1, errors)

    exact = _search(norm, quote)
    if exact or not fuzzy:
        return [raw(s, e, 0) for s, e in exact]
    if context_misses(text, quote):
        return []
    pattern = normalise(quote.exact)
    candidates = fuzzy_find(norm, pattern, max_errors(pattern))
    if len(candidates) > 1 and (quote.prefix or quote.suffix):
        prefix, suffix = normalise(quote.prefix), normalise(quote.suffix)

        def context_errors(m: Match) -> int:
            before = norm[max(0, m.start - len(prefix) - 1) : m.start].strip()
            after = norm[m.end : m.end + len(suffix) + 1].strip()
            return _distance(before[-len(prefix) :] if prefix else "", prefix) + _distance(after[: len(suffix)], suffix)

        least = min(context_errors(m) for m in candidates)
        candidates = [m for m in candidates if context_errors(m) == least]
    return [raw(m.start, m.end, m.errors) for m in candidates if m.end > m.start]


def context_misses(text: str, quote: Quote) -> int:
    """How many times the quote stands exactly in ``text`` when its prefix and suffix match
    none of those places (0 if they match one, or if the quote has no context)."""
    if not (quote.prefix or quote.suffix):
        return 0
    norm = normalise_with_offsets(text)[0]
    if _search(norm, quote):
        return 0
    return len(_search(norm, Quote(quote.exact)))


def _distance(a: str, b: str) -> int:
    return edit_scores(b, a, anchored=True)[-1] if b else len(a)


def split_part_holding(
    quote: Quote, paragraph: str, texts: Mapping[str, str], parts: Mapping[str, list[str]]
) -> str | None:
    """The part split off ``paragraph`` in a revision where ``quote``, no longer found in it,
    now stands once; None if there is none."""
    for part in parts.get(paragraph, []):
        if part in texts and len(locate(texts[part], quote)) == 1:
            return part
    return None
