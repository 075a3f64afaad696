"""TEI of annotations whose words cross another's: each correction, reading and name is kept
(in the text when it nests, in standOff between two anchors when it crosses), the witness's words
stand unaltered, and the document is valid against tei_all. One case per kind of overlap, on the
edition's own paragraphs."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from conftest import ROOT
from edition.annotation.loading import load_annotation
from edition.annotation.model import Annotation
from edition.core.ledger import Entry, Ledger
from edition.core.textnorm import normalise
from edition.exports.model import EditionData, load_edition
from edition.exports.tei import ExportError, tei_document

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
SCHEMA = Path(__file__).parent / "schemas" / "tei_all.rng"
FOLDER = {"emendation": "emendations", "variant": "variants", "gloss": "glosses", "crossref": "crossrefs"}


def emendation(ident: str, para: str, quote: str, reading: str) -> dict[str, Any]:
    return {"id": ident, "kind": "emendation", "target": {"paragraph": para, "quote": quote}, "reading": reading}


def variant(ident: str, para: str, quote: str, reading: str) -> dict[str, Any]:
    return {
        "id": ident,
        "kind": "variant",
        "target": {"paragraph": para, "quote": quote},
        "reading": reading,
        "sources": ["trotsky1937revolution"],
        "basis": "A test.",
        "confidence": "secondary",
    }


def gloss(ident: str, para: str, quote: str, category: str = "term") -> dict[str, Any]:
    return {
        "id": ident,
        "kind": "gloss",
        "target": {"paragraph": para, "quote": quote},
        "category": category,
        "headword": quote,
        "basis": "A test.",
        "confidence": "inferred",
    }


def crossref(ident: str, para: str, quote: str) -> dict[str, Any]:
    target = {"paragraph": para, "quote": quote}
    return {"id": ident, "kind": "crossref", "target": target, "refers_to": {"paragraph": "p5"}}


CASES = {
    # p15's own slip: the emendation starts inside the variant's quotation and ends after it
    "emendation crossing a variant": [
        variant("variant-t", "p15", "a rise in cultural level and cultural demands", "a rise in cultural demands"),
        emendation("emendation-t", "p15", "cultural demands' is so", "cultural demands', is so"),
    ],
    "variant crossing an emendation": [
        emendation("emendation-t", "p15", "the first chapter of the book", "the first chapter of his book"),
        variant("variant-t", "p15", "book, in praise of 'gigantic", "book, praising 'gigantic"),
    ],
    "emendation crossing a glossed term": [
        gloss("gloss-t", "p15", "the Soviet Thermidor"),
        emendation("emendation-t", "p15", "Thermidor, which has", "Thermidor which has"),
    ],
    "glossed name crossing an emendation": [
        emendation("emendation-t", "p15", "genuine Russian", "genuinely Russian"),
        gloss("gloss-t", "p15", "Russian barbarism", "event"),
    ],
    "cross-reference crossing an emendation": [
        emendation("emendation-t", "p31", "In late 1939 and early 1940", "In late 1939 and in early 1940"),
        crossref("crossref-t", "p31", "early 1940, there was"),
    ],
    "emendation starting inside a name inside a variant": [
        variant("variant-t", "p15", "which Twiss does not comment on", "on which Twiss does not comment"),
        gloss("gloss-t", "p15", "does not comment"),
        emendation("emendation-t", "p15", "comment on) that", "comment on), that"),
    ],
    "emendation ending where a note stands": [
        variant("variant-t", "p31", "Trotsky had so far developed", "Trotsky had developed"),
        emendation("emendation-t", "p31", "developed it", "developed it so far"),
    ],
    "two emendations crossing one variant": [
        variant("variant-t", "p15", "a rise in cultural level", "a rise of cultural level"),
        emendation("emendation-t", "p15", "level and cultural", "level, and cultural"),
        emendation("emendation-u", "p15", "cultural level", "culture level"),
    ],
}


def write(tmp: Path, item: dict[str, Any]) -> Annotation:
    """One annotation file, as a contributor would write it, loaded as the edition loads it."""
    data = {"schema": 2, "body": "A test.", **item, "author": {"name": "The editors"}, "date": "2026-12-05"}
    shown = f"annotations/{FOLDER[item['kind']]}/{item['id']}.yaml"
    path = tmp / shown
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    ann, problems = load_annotation(path, shown)
    assert ann is not None and not problems, problems
    return ann


@pytest.fixture(scope="module")
def edition() -> EditionData:
    return load_edition(ROOT)


@pytest.fixture(scope="module")
def schema() -> Any:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def reading_text(element: Any, marks: dict[str, str] | None = None) -> str:
    """The witness's words of a TEI element, without corrections, readings and notes; each
    anchor named in ``marks`` is replaced by its character."""
    copy = etree.fromstring(etree.tostring(element))
    for holder in copy.xpath("descendant-or-self::tei:app | descendant-or-self::tei:choice", namespaces=NS):
        holder.text = None  # their content is elements only: the white space between is layout
        for child in holder:
            child.tail = None
    for ident, char in (marks or {}).items():
        (anchor,) = copy.xpath(f".//tei:anchor[@xml:id='{ident}']", namespaces=NS)
        anchor.tail = char + (anchor.tail or "")
    etree.strip_elements(copy, *(f"{{{NS['tei']}}}{tag}" for tag in ("corr", "rdg", "note")), with_tail=False)
    return normalise("".join(copy.itertext()))


def between(paragraph: Any, start: str, end: str) -> str:
    """The witness's words between two anchors of a paragraph."""
    text = reading_text(paragraph, {start: "\ue000", end: "\ue001"})
    return normalise(text[text.index("\ue000") + 1 : text.index("\ue001")])


@pytest.mark.parametrize("case", list(CASES))
def test_no_correction_or_reading_is_lost_where_words_cross(
    case: str, edition: EditionData, schema: Any, tmp_path: Path
) -> None:
    annotations = [write(tmp_path, item) for item in CASES[case]]
    tei = etree.fromstring(tei_document(dataclasses.replace(edition, annotations=annotations)).encode("utf-8"))
    assert schema.validate(tei), [f"{e.line}: {e.message}" for e in schema.error_log][:5]
    for ann in annotations:
        words, ident = normalise(ann.quote.exact), str(ann.paragraph)
        (paragraph,) = tei.xpath(f"//tei:body//tei:p[@xml:id='{ident}']", namespaces=NS)
        assert reading_text(paragraph) == normalise(edition.paragraphs[edition.ids.index(ident)].text)
        anchors = paragraph.xpath(f".//tei:anchor[@xml:id='m-{ann.id}.start']", namespaces=NS)
        if anchors:  # crossing: its words are marked by two anchors, and it is told in standOff
            assert between(paragraph, f"m-{ann.id}.start", f"m-{ann.id}.end") == words
            assert not tei.xpath(f"//tei:body//*[@xml:id='m-{ann.id}']", namespaces=NS)
        if ann.kind == "emendation":
            (choice,) = tei.xpath(f"//tei:choice[@xml:id='m-{ann.id}']", namespaces=NS)
            assert reading_text(choice.find("tei:sic", NS)) == words
            assert choice.findtext("tei:corr", namespaces=NS) == ann.data["reading"]
            if anchors:
                span = choice.getparent()
                assert (span.tag, span.get("from"), span.get("to")) == (
                    f"{{{NS['tei']}}}span",
                    f"#m-{ann.id}.start",
                    f"#m-{ann.id}.end",
                )
                assert span.getparent().get("type") == "emendation"
        elif ann.kind == "variant":
            (app,) = tei.xpath(f"//tei:app[@xml:id='m-{ann.id}']", namespaces=NS)
            assert reading_text(app.find("tei:lem", NS)) == words
            assert app.findtext("tei:rdg", namespaces=NS) == ann.data["reading"]
            if anchors:
                assert (app.get("from"), app.get("to")) == (f"#m-{ann.id}.start", f"#m-{ann.id}.end")
                assert app.getparent().tag == f"{{{NS['tei']}}}listApp"
        elif ann.kind == "gloss":
            (name,) = tei.xpath(f"//*[@ref='#{ann.id}']", namespaces=NS)
            assert normalise("".join(name.itertext())) == words
            assert tei.xpath(f"//tei:standOff//*[@xml:id='{ann.id}']", namespaces=NS)  # its entry
        else:
            (note,) = tei.xpath(f"//tei:listAnnotation/tei:note[@xml:id='{ann.id}']", namespaces=NS)
            if anchors:
                assert (note.get("target"), note.get("targetEnd")) == (f"#m-{ann.id}.start", f"#m-{ann.id}.end")
            else:
                (seg,) = tei.xpath(f"//tei:seg[@xml:id='m-{ann.id}']", namespaces=NS)
                assert normalise("".join(seg.itertext())) == words
    crossing = [a for a in annotations if tei.xpath(f"//tei:anchor[@xml:id='m-{a.id}.start']", namespaces=NS)]
    assert crossing, "the case must cross"


def test_an_end_anchor_stands_before_the_note_at_the_same_place(edition: EditionData, tmp_path: Path) -> None:
    annotations = [write(tmp_path, item) for item in CASES["emendation ending where a note stands"]]
    tei = etree.fromstring(tei_document(dataclasses.replace(edition, annotations=annotations)).encode("utf-8"))
    (anchor,) = tei.xpath("//tei:anchor[@xml:id='m-emendation-t.end']", namespaces=NS)
    following = anchor.getnext()
    assert following is not None and following.get("{http://www.w3.org/XML/1998/namespace}id") == "note-37"
    assert not (anchor.tail or "").strip()


def test_references_lead_to_the_element_that_holds_the_paragraph_or_annotation(
    edition: EditionData, tmp_path: Path
) -> None:
    """``{para}`` and ``{ann}`` name a paragraph or annotation as the sources do; in the TEI each
    leads to the element that holds it, in the words the Markdown uses (CETEIcean showed
    ``#note-06`` leading nowhere: the note is ``note-6``), or keeps its words without a pointer."""
    body = "See {para}`p40`, {ann}`note-06`, {ann}`emendation-t`, {ann}`gloss-t` and {ann}`gloss-gone`."
    annotations = [
        write(tmp_path, {**crossref("crossref-t", "p15", "the Soviet Thermidor"), "body": body}),
        write(tmp_path, emendation("emendation-t", "p15", "as much as odds", "as much at odds")),
        write(tmp_path, gloss("gloss-t", "p31", "co-thinkers")),
        next(a for a in edition.annotations if a.id == "note-06"),
    ]
    ledger = Ledger([*edition.ledger.entries, Entry("p40", "alias", target="p7")], edition.ledger.next)
    tei = etree.fromstring(tei_document(dataclasses.replace(edition, annotations=annotations, ledger=ledger)).encode())
    (note,) = tei.xpath("//tei:note[@xml:id='crossref-t']", namespaces=NS)
    refs = [(ref.get("target"), ref.text) for ref in note.xpath(".//tei:ref", namespaces=NS)]
    assert refs == [
        ("#p7", "¶ 40"),  # an alias leads to its paragraph
        ("#note-6", "note 6"),
        ("#m-emendation-t", "as much as odds"),
        ("#gloss-t", "co-thinkers"),
        (None, "gloss-gone"),
        ("#p5", "¶ 5"),  # what it refers to
    ]
    ids = set(tei.xpath("//@xml:id"))
    assert {target[1:] for target, _ in refs if target} <= ids


@pytest.mark.parametrize(
    ("quote", "found"),
    [("Trotsky", "stand 5 times"), ("a sentence the essay does not have", "are not found")],
)
def test_words_that_cannot_be_placed_stop_the_export_with_the_file_and_line(
    quote: str, found: str, edition: EditionData, tmp_path: Path
) -> None:
    ann = write(tmp_path, emendation("emendation-t", "p31", quote, "x"))
    with pytest.raises(ExportError) as raised:
        tei_document(dataclasses.replace(edition, annotations=[ann]))
    assert str(raised.value).startswith("annotations/emendations/emendation-t.yaml:")
    assert f"the quoted words of emendation-t {found} in ¶ p31" in str(raised.value)


def test_every_paragraph_of_the_edition_reads_as_the_witness(edition: EditionData, schema: Any) -> None:
    """The whole TEI, the edition's own annotations included: no white space of layout creeps
    into the words (a name directly before a note once gained a space), every emendation is kept."""
    tei = etree.fromstring(tei_document(edition).encode("utf-8"))
    assert schema.validate(tei), [f"{e.line}: {e.message}" for e in schema.error_log][:5]
    for ident, para in zip(edition.ids, edition.paragraphs, strict=True):
        (paragraph,) = tei.xpath(f"//tei:body//tei:p[@xml:id='{ident}']", namespaces=NS)
        assert reading_text(paragraph) == normalise(para.text), ident
    emendations = sorted(a.id for a in edition.annotations if a.kind == "emendation")
    choices = tei.xpath("//tei:choice/@xml:id", namespaces=NS)
    assert sorted(c[2:] for c in choices) == emendations
