"""The anchor ledger's contract and the MyST writer's escaping, by tables."""

from __future__ import annotations

import pytest
import yaml

from edition.ledger import Entry, Ledger, LedgerError, assign_ids, dump_ledger, parse_ledger
from edition.myst_writer import escape, render_paragraph
from edition.textnorm import fingerprint
from edition.transcribe import Paragraph


def test_first_publication_numbers_in_reading_order() -> None:
    ids, ledger, report = assign_ids(["A.", "B.", "C."], Ledger())
    assert ids == ["p1", "p2", "p3"]
    assert ledger.next == 4
    assert [r.action for r in report] == ["new"] * 3


def test_unchanged_paragraphs_keep_their_ids_and_new_ones_never_reuse() -> None:
    _, ledger, _ = assign_ids(["A.", "B.", "C."], Ledger())
    ledger.entries[1].status = "retired"  # p2 was retired in a revision
    ledger.entries[1].target = "p1"
    ids, after, _ = assign_ids(["A.", "New.", "C."], ledger)
    assert ids == ["p1", "p4", "p3"]
    assert after.get("p2") is not None and after.get("p2").status == "retired"  # type: ignore[union-attr]


def test_dump_and_parse_round_trip() -> None:
    _, ledger, _ = assign_ids(["A.", "B."], Ledger(), version="1.0")
    again = parse_ledger(yaml.safe_load(dump_ledger(ledger)))
    assert [vars(e) for e in again.entries] == [vars(e) for e in ledger.entries]
    assert again.next == 3


def test_resolve_follows_aliases_and_retirements() -> None:
    ledger = Ledger(
        [
            Entry("p1", "active", fingerprint("A.")),
            Entry("p2", "alias", target="p1"),
            Entry("p3", "retired", target="p2"),
            Entry("p4", "retired", target="p4"),
        ],
        5,
    )
    assert ledger.resolve("p3") == "p1"
    assert ledger.resolve("p4") is None  # a loop never resolves
    assert ledger.resolve("p9") is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"paragraphs": [{"id": "7", "status": "active"}]}, "not an id"),
        ({"paragraphs": [{"id": "p1", "status": "active"}, {"id": "p1", "status": "active"}]}, "twice"),
        ({"paragraphs": [{"id": "p1", "status": "gone"}]}, "status must be"),
        ({"next": 2, "paragraphs": [{"id": "p5", "status": "active"}]}, "already given"),
    ],
)
def test_ledger_errors(data: dict, message: str) -> None:
    with pytest.raises(LedgerError, match=message):
        parse_ledger(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain words", "plain words"),
        ("the work [proved] more", r"the work \[proved\] more"),
        ("*not emphasis* and _this_", r"\*not emphasis\* and \_this\_"),
        ("<script>alert(1)</script>", r"\<script\>alert(1)\</script\>"),
        ("{pb}`3`", r"\{pb\}\`3\`"),
        ("# not a heading", r"\# not a heading"),
        ("- not a list", r"\- not a list"),
        ("1922. Not a list", r"1922\. Not a list"),
        ("(p7)= not a target", r"\(p7)= not a target"),
        ("% not a comment", r"\% not a comment"),
        ("&amp; stays", r"\&amp; stays"),
        ("a footnote[^1] lookalike", r"a footnote\[\^1\] lookalike"),
    ],
)
def test_escape(text: str, expected: str) -> None:
    assert escape(text) == expected


def test_render_paragraph_places_notes_before_page_breaks() -> None:
    para = Paragraph("ab cd", notes=[(2, 4)], pages=[(2, 9), (0, 8)])
    assert render_paragraph(para) == "{pb}`8`ab[^4]{pb}`9` cd"
