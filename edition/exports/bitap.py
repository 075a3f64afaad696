"""diff-match-patch's ``match_main``, with its Bitap search computed a whole row at a time.

dom-anchor-text-quote finds a quote's context with diff-match-patch, so the export
simulates that search on every page (see :mod:`.selectors`). The library's Bitap scans the
text one character at a time for each number of errors it allows, and on a page of 150,000
characters one search took about 14 ms in Python. Here the same recurrence is computed the
other way round: for each bit of the pattern, one integer holds that bit for every position
of the text, so a row costs a few operations on long integers. The results are the
library's: tests/test_bitap.py compares them with its Python port on texts that hypothesis
makes up, and with the JavaScript library itself on 3,000 random searches.
"""

from __future__ import annotations

from functools import lru_cache

THRESHOLD = 0.5  # diff-match-patch's Match_Threshold


@lru_cache(maxsize=8)
def _positions(text: str) -> dict[str, int]:
    """For each character, an integer with bit j set where ``text[j - 1]`` is that character
    (position j, counted from 1, as the library's ``charMatch`` counts)."""
    groups: dict[str, list[int]] = {}
    for j, char in enumerate(text, 1):
        groups.setdefault(char, []).append(j)
    size = len(text) // 8 + 2
    found = {}
    for char, where in groups.items():
        bits = bytearray(size)
        for j in where:
            bits[j >> 3] |= 1 << (j & 7)
        found[char] = int.from_bytes(bits, "little")
    return found


def match_main(text: str, pattern: str, loc: int, distance: int) -> int:
    """The best place of ``pattern`` in ``text`` near ``loc``, or -1 (``Match_Distance`` is
    ``distance``, ``Match_Threshold`` 0.5)."""
    loc = max(0, min(loc, len(text)))
    if text == pattern:
        return 0
    if not text:
        return -1
    if text[loc : loc + len(pattern)] == pattern:
        return loc
    return _bitap(text, pattern, loc, distance)


def _bitap(text: str, pattern: str, loc: int, distance: int) -> int:
    m, n = len(pattern), len(text)

    def score(errors: int, x: int) -> float:  # the library's match_bitapScore, to the same float
        accuracy = float(errors) / m
        proximity = abs(loc - x)
        if not distance:
            return proximity and 1.0 or accuracy
        return accuracy + (proximity / float(distance))

    threshold = THRESHOLD
    best_loc = text.find(pattern, loc)
    if best_loc != -1:
        threshold = min(score(0, best_loc), threshold)
        best_loc = text.rfind(pattern, loc + m)
        if best_loc != -1:
            threshold = min(score(0, best_loc), threshold)
    best_loc = -1
    where = _positions(text)
    # Bit k of the library's alphabet mask stands for pattern[m - 1 - k].
    char_match = [where.get(pattern[m - 1 - k], 0) for k in range(m)]
    bin_max = m + n
    last: list[int] = []  # the previous error level's rows, its edge value included
    for d in range(m):
        bin_min, bin_mid = 0, bin_max
        while bin_min < bin_mid:
            if score(d, loc + bin_mid) <= threshold:
                bin_min = bin_mid
            else:
                bin_max = bin_mid
            bin_mid = (bin_max - bin_min) // 2 + bin_min
        bin_max = bin_mid
        start = max(1, loc - bin_mid + 1)
        finish = min(loc + bin_mid, n) + m
        span = ((1 << (finish - start + 1)) - 1) << start  # the positions this level computes
        edge = 1 << (finish + 1)  # the library's rd[finish + 1] = (1 << d) - 1: bits k < d
        # rows[k], bit j: bit k of the library's rd[j]. Its rd[j] takes rd[j + 1] shifted up a
        # bit, so row k takes row k - 1 shifted down a position; likewise for last_rd.
        rows = [0] * m
        for k in range(m):
            above = span if k == 0 else (rows[k - 1] | (edge if k - 1 < d else 0)) >> 1
            row = above & char_match[k]
            if d:
                row |= span if k == 0 else (last[k - 1] >> 1) | last[k - 1]
                row |= last[k] >> 1
            rows[k] = row & span
        # Matches are met from the highest position down, as the library's loop meets them.
        # Where it stops early, the rows below stay unset there but are never read again: the
        # next level, allowed one more error, only looks nearer to loc than the match found.
        matches = rows[m - 1]
        while matches:
            j = matches.bit_length() - 1
            matches ^= 1 << j
            current = score(d, j - 1)
            if current <= threshold:
                threshold, best_loc = current, j - 1
                if best_loc <= loc:
                    break
        if score(d + 1, loc) > threshold:
            break
        last = [row | (edge if k < d else 0) for k, row in enumerate(rows)]
    return best_loc
