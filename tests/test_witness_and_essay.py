"""The witness is untouched; the committed essay and ledger are what convert makes."""

from __future__ import annotations

import hashlib
import re

import pytest

from build_edition import stale
from conftest import ROOT, Built
from edition.core.convert import Paths, convert, read_ledger

WITNESS_SHA256 = "6f08a50a6822e5a85ebbdbb997c62cab6967d2e37787414e89243f266ac67b3d"


def test_witness_is_byte_for_byte_the_one_received() -> None:
    data = (ROOT / "source_texts" / "twiss-review-witness.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == WITNESS_SHA256


def test_conversion_is_deterministic() -> None:
    first, second = convert(Paths(ROOT)), convert(Paths(ROOT))
    assert first.essay == second.essay
    assert first.ledger_text == second.ledger_text


def test_committed_outputs_are_fresh() -> None:
    assert stale() == [], "run `python build_edition.py convert` and commit the result"


def test_the_essay_as_reconstructed() -> None:
    result = convert(Paths(ROOT))
    trans = result.transcription
    assert len(trans.paragraphs) == 38
    assert [n.number for n in trans.notes] == list(range(1, 41))
    assert trans.pages == list(range(1, 13))
    texts = [p.text for p in trans.paragraphs]
    # The hidden break at the top of page 8 and the false one after note 37.
    assert texts[25].startswith("Trotsky had written in The Revolution Betrayed")
    assert "developed it. The debate was really" in texts[30]
    # The page number 6 is gone; the sentence it interrupted is whole.
    assert "In the early 1930s he had still sometimes described" in texts[22]
    assert not any(re.search(r"\b6\b", t) and "he 6" in t for t in texts)
    # Kept compounds.
    joined = " ".join(texts)
    for word in ("counter-revolution", "state-ism", "co-thinkers", "bourgeois-fascist"):
        assert word in joined
    # Slips stay as the witness has them (emendations come from the apparatus).
    assert "He had been been" in joined


def test_ledger_ids_each_appear_once_in_the_essay(edition_site: Built) -> None:
    html = edition_site.html("essay.html")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids in essay.html"
    for entry in read_ledger(Paths(ROOT).ledger).active():
        assert html.count(f'id="{entry.id}"') == 1, entry.id
        assert f'<p class="edition-para" id="{entry.id}">' in html


def test_page_milestones_in_order(edition_site: Built) -> None:
    html = edition_site.html("essay.html")
    pages = re.findall(r'<span class="page-break" id="page-\d+" data-page="(\d+)">', html)
    assert pages == [str(n) for n in range(1, 13)]


def test_note_references_in_order_with_their_notes(edition_site: Built) -> None:
    html = edition_site.html("essay.html")
    refs = re.findall(r'id="noteref-(\d+)" role="doc-noteref"', html)
    assert refs == [str(n) for n in range(1, 41)]
    for number in range(1, 41):
        assert f'id="note-{number}" role="doc-footnote"' in html


@pytest.mark.parametrize("page", ["index.html", "essay.html", "about.html"])
def test_site_pages_exist(edition_site: Built, page: str) -> None:
    assert (edition_site.outdir / page).exists()
    assert edition_site.warnings == ""


def test_about_lists_every_decision(edition_site: Built) -> None:
    html = edition_site.html("about.html")
    for marker in ("Page furniture removed", "Paragraphs joined", "Paragraph split", "Line-end hyphen"):
        assert marker in html
    assert "38 paragraphs, 40 note references and 12 print pages" in html


def test_the_title_page_folds_the_evidence_and_names_the_earlier_review(edition_site: Built) -> None:
    """The long basis of the essay's identification is one click away, not a wall of text; the
    earlier review links to the About page's section that sets out its evidence."""
    html = edition_site.html("index.html")
    assert '<details class="tb-basis"><summary>How this is known</summary><p class="tb-basis">Author, title' in html
    assert (
        '<p class="tb-earlier">An earlier review by the same author: <em class="work-title">Solidarity</em>, '
        "no. 414, 31 August 2016, p. 9 ("
    ) in html
    about = edition_site.html("about.html")
    assert 'id="the-essay-and-its-identification"' in about
