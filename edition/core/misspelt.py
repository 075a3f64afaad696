"""What a contributor is told about a field the format does not know: where it stands, and,
when a known field is close to it, which one was meant (``catgory`` for ``category``). The
same words for annotations and for the edition's data files."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CLOSE_ENOUGH = 0.7  # difflib's ratio: one or two letters wrong, added or swapped in a short word


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known field ``word`` is likely a misspelling of, if one is close enough."""
    found = difflib.get_close_matches(word, sorted(known), n=1, cutoff=CLOSE_ENOUGH)
    return found[0] if found else None


def unknown_field(word: str, known: Iterable[str], missing: Iterable[str] = (), what: str = "field") -> str:
    """The message for ``word``, a field not among ``known``; when it is close to one of them,
    the question "did you mean …?", and, if that field is also ``missing``, that it is
    required (one message for both)."""
    known = sorted(known)
    meant = closest(word, known)
    if meant is None:
        return f"unknown {what} '{word}'; allowed: {', '.join(known)}"
    required = f" ('{meant}' is required and missing)" if meant in set(missing) else ""
    return f"unknown {what} '{word}': did you mean '{meant}'?{required}"
