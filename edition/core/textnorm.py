"""Text normalisation and paragraph fingerprints: the single source of truth.

A fingerprint identifies a paragraph's words, not its position: NFC, note markers and
milestones already removed by the caller, runs of white space folded to one space.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFC, white space folded, ends trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fingerprint(text: str) -> str:
    """A short, stable hash of the normalised text (``sha256:`` and 16 hex digits)."""
    digest = hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()
    return f"sha256:{digest[:16]}"


def opening_words(text: str, count: int = 8) -> str:
    """The first ``count`` words, for ledgers and link previews."""
    return " ".join(normalise(text).split(" ")[:count])
