"""``annotations.jsonld``: every annotation as a W3C Web Annotation.

The target is the essay page with a FragmentSelector on the paragraph (or the note
reference), refined by a TextQuoteSelector whose exact, prefix and suffix are taken from
the page's rendered text, markers and all, so that a client matching the rendered text
lands on the same words once.

The file is JSON-LD in the W3C Web Annotation context, and loses nothing when processed
against it (the tests expand it offline with the context shipped in ``tests/schemas``):
fields the context lacks use its ``dcterms:`` prefix, as the Web Annotation Vocabulary
recommends for extensions. The data model asks for the creation time as an xsd:dateTime in
UTC; an annotation records only the day, given as that day's first instant.
"""

from __future__ import annotations

import json
from typing import Any

from ..annotation.grades import meaning
from ..annotation.model import Annotation
from .model import EditionData
from .rendered import Rendered
from .selectors import choose

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATION = {
    "gloss": "describing",
    "note": "commenting",
    "crossref": "linking",
    "emendation": "editing",
    "variant": "commenting",
    "commentary": "commenting",
}


def _selector(fragment: str, page: str, rendered: Rendered, start: int, end: int) -> tuple[dict[str, Any], bool]:
    quote, unique = choose(page, rendered.offset + start, rendered.offset + end)
    selector = {
        "type": "FragmentSelector",
        "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
        "value": fragment,
        "refinedBy": quote.as_json(),
    }
    return selector, unique


def _creator(ann: Annotation) -> dict[str, Any]:
    author = ann.data["author"]
    creator: dict[str, Any] = {"type": "Person", "name": author["name"]}
    if author["name"] == "The editors":
        creator["type"] = "Organization"
    if author.get("orcid"):
        creator["id"] = f"https://orcid.org/{author['orcid']}"
    return creator


def web_annotation(
    ann: Annotation,
    page: str,
    text: str,
    rendered: dict[str, Rendered],
    paragraph_of_note: dict[int, str],
    bibliography: str = "bibliography.html",
) -> dict[str, Any] | None:
    data = ann.data
    if ann.note is not None:
        para = paragraph_of_note.get(ann.note)
        if para is None or ann.note not in rendered[para].noterefs:
            return None
        start, end = rendered[para].noterefs[ann.note]
        fragment = para
    else:
        para = ann.paragraph or ""
        if para not in rendered or ann.id not in rendered[para].spans:
            return None  # not attached in the page (an orphan): nothing to point at
        start, end = rendered[para].spans[ann.id]
        fragment = para
    bodies: list[dict[str, Any]] = [
        {
            "type": "TextualBody",
            "value": str(data["body"]).strip(),
            "format": "text/markdown",
            "language": "en",
            "purpose": MOTIVATION[ann.kind],
        }
    ]
    if ann.kind == "emendation":
        bodies.append(
            {"type": "TextualBody", "value": str(data["reading"]), "purpose": "editing", "format": "text/plain"}
        )
    if ann.kind == "variant":  # the source's words, and the bibliography entries where they were seen
        seen = ", ".join([*data["sources"], *([str(data["locator"])] if data.get("locator") else [])])
        bodies.append(
            {
                "type": "TextualBody",
                "value": str(data["reading"]),
                "purpose": "describing",
                "format": "text/plain",
                "dcterms:description": f"the source's reading where the witness's quotation differs, seen in {seen}",
                "dcterms:source": [f"{bibliography}#cite-{key}" for key in data["sources"]],
            }
        )
    if ann.kind == "crossref" and "paragraph" in data["refers_to"]:
        bodies.append(
            {"type": "SpecificResource", "source": f"{page}#{data['refers_to']['paragraph']}", "purpose": "linking"}
        )
    if ann.kind == "gloss":
        bodies.append(
            {"type": "TextualBody", "value": str(data["headword"]), "purpose": "identifying", "format": "text/plain"}
        )
    selector, unique = _selector(fragment, text, rendered[fragment], start, end)
    annotation: dict[str, Any] = {
        "id": f"{page}#a-{ann.id}",
        "type": "Annotation",
        "motivation": MOTIVATION[ann.kind],
        "creator": _creator(ann),
        "created": f"{data['date']}T00:00:00Z",
        "body": bodies,
        "target": {"source": page, "selector": selector},
    }
    if not unique:
        annotation["target"]["dcterms:description"] = "no context found that anchors these words once in every client"
    if "confidence" in data:
        grade = data["confidence"]
        annotation["body"][0]["dcterms:description"] = f"confidence: {grade} ({meaning(grade)})"
    return annotation


def web_annotations(data: EditionData, text: str, rendered: dict[str, Rendered], page: str, collection_id: str) -> str:
    """``page`` and ``collection_id``: the essay's page and this file, absolute or relative to
    where this file is served (JSON-LD resolves relative IRIs against the document's address)."""
    paragraph_of_note = {n: para for para, r in rendered.items() for n in r.noterefs}
    bibliography = page[: page.rfind("/") + 1] + "bibliography.html"  # beside the essay's page
    items = []
    for ann in sorted(data.annotations, key=lambda a: a.id):
        item = web_annotation(ann, page, text, rendered, paragraph_of_note, bibliography)
        if item is not None:
            items.append(item)
    collection = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"{data.info.title}, version {data.info.version}: annotations",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
