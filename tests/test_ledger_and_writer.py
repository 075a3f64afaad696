"""The anchor ledger's contract and the MyST writer's escaping, by tables."""

from __future__ import annotations

import pytest
import yaml

from edition.core.datafiles import SourceError, parse_yaml
from edition.core.ledger import Entry, Ledger, LedgerError, assign_ids, dump_ledger, parse_ledger
from edition.core.myst_writer import escape, render_essay, render_paragraph
from edition.core.safeyaml import load
from edition.core.textnorm import fingerprint
from edition.core.transcribe import Paragraph


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


A = fingerprint("A.")
ENTRY = f"- id: p1\n  status: active\n  fingerprint: {A}\n  text: A.\n"


@pytest.mark.parametrize(
    ("ledger", "message"),
    [
        ("- id: '7'\n  status: active\n", "3:7: '7' is not an id of the form p<number>"),
        ("- id: p1\n  status: gone\n", "4:11: p1: status must be one of active, alias, retired"),
        (ENTRY + ENTRY, "7:7: p1 appears twice (first as entry 1)"),
        (ENTRY + "  since: |\n    1.0\n    ```{raw} html\n", "8:10: p1: 'since' must be a version such as 1.0"),
        (ENTRY + "- id: p2\n  status: alias\n  target: 'p1\n\n  x'\n", "9:11: p2: 'target' must be an id"),
        (ENTRY + "- id: p2\n  status: alias\n", "7:3: p2: an alias needs the 'target' it leads to"),
        (ENTRY + "- id: p2\n  status: retired\n  target: p9\n", "9:11: p2 leads to p9, which is not in the ledger"),
        ("- id: p1\n  status: active\n  text: A.\n", "3:3: p1: an active paragraph needs its 'fingerprint'"),
        (ENTRY.replace("A.", "B."), "5:16: p1: the fingerprint is not that of its text"),
        (ENTRY + '  opening: "A\\a"\n', "7:14: the character U+0007 (a control character) is not allowed"),
        (ENTRY + "  colour: red\n", "7:3: unknown key 'colour'"),
        (ENTRY + "  since: 1.0\n", "7:10: 'since' must be text (in quotes), not 1.0"),
        (ENTRY + "- id: p2\n  status: alias\n  target: p3\n- id: p3\n  status: alias\n  target: p2\n",
         "9:11: p2: its targets lead round in a circle"),
    ],
)  # fmt: skip
def test_ledger_errors_name_the_line_and_column(ledger: str, message: str) -> None:
    text = "version: 1\nparagraphs:\n" + ledger
    with pytest.raises(SourceError) as caught:  # a LedgerError, or the loader's own refusal
        parse_ledger(parse_yaml(text.encode(), "source_texts/anchors.yaml"), "source_texts/anchors.yaml")
    assert str(caught.value).startswith(f"source_texts/anchors.yaml:{message}")


@pytest.mark.parametrize(
    ("top", "message"),
    [
        ("next: 1\n", "1:7: 'next' is 1 but p1 is already given"),
        ("next: '2'\n", "1:7: 'next' must be a whole number"),
        ("next: 10000000\n", "1:7: 'next' may be at most 1,000,000"),
        ("version: 2\n", "1:10: the ledger format is version 1, not 2"),
        ("pages: []\n", "1:1: unknown key 'pages'"),
    ],
)
def test_ledger_errors_in_its_header(top: str, message: str) -> None:
    text = top + "paragraphs:\n" + ENTRY
    with pytest.raises(LedgerError, match=f"^anchors.yaml:{message}"):
        parse_ledger(load(text.encode()))


def test_an_id_or_version_that_is_not_one_is_never_written_into_the_essay() -> None:
    para = Paragraph("Words.")
    with pytest.raises(LedgerError, match="p2: 'since' must be a version such as 1.1"):
        render_essay("T", "H", [para], ["p1"], [], retired={"p1": [("p2", "1.0\n```{raw} html")]})
    with pytest.raises(LedgerError, match="is not an id, so it is not written into the essay"):
        render_essay("T", "H", [para], ["p1\n# heading"], [])


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
