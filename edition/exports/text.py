"""Plain text and Markdown of the reading text, with paragraph numbers, pages and notes, for corpus tools."""

from __future__ import annotations

from ..grades import meanings
from ..transcribe import Paragraph
from .model import EditionData


def _inline(para: Paragraph, note: str, page: str) -> str:
    events = [(o, 0, note.format(n=n)) for o, n in para.notes] + [(o, 1, page.format(n=n)) for o, n in para.pages]
    out, cursor = "", 0
    for offset, _, mark in sorted(events):
        out += para.text[cursor:offset] + mark
        cursor = offset
    return out + para.text[cursor:]


def _note_text(data: EditionData, number: int) -> str:
    ann = data.notes().get(number)
    if ann is None:
        return "The witness does not preserve the text of this note."
    body = " ".join(str(ann.data["body"]).split())
    return f"{body} [Editors' expansion; confidence: {ann.data['confidence']}.]"


def _emendations(data: EditionData) -> list[tuple[str, str, str]]:
    return sorted(
        (a.paragraph or "", a.quote.exact, str(a.data["reading"])) for a in data.annotations if a.kind == "emendation"
    )


def _variants(data: EditionData) -> list[tuple[str, str, str, str]]:
    """(paragraph, the witness's words, the source's, where the source's were seen) of each variant."""
    out = []
    for ann in (a for a in data.annotations if a.kind == "variant"):
        seen = ", ".join(ann.data["sources"]) + (f", {ann.data['locator']}" if ann.data.get("locator") else "")
        seen += f"; {ann.data['confidence']}"
        out.append((ann.paragraph or "", ann.quote.exact, str(ann.data["reading"]), seen))
    return sorted(out)


def _grades() -> list[str]:
    return [f"{grade}: {meaning}" for grade, meaning in meanings().items()]


def plain_text(data: EditionData) -> str:
    essay = data.info.essay
    lines = [
        f"{essay.get('title', '')}",
        f"by {essay.get('author', {}).get('given', '')} {essay.get('author', {}).get('family', '')}",
        f"{data.info.title}, version {data.info.version}. Reading text of the witness; [p. N] marks a print page,",
        "[N] a note, [¶ N] a paragraph. Slips of the witness are kept; emendations are listed at the end,",
        "then the variants: where a quotation differs from the source text seen (witness ] source).",
        "Each expansion's confidence says what was seen:",
        *(f"  {line}" for line in _grades()),
        "",
    ]
    for ident, para in zip(data.ids, data.paragraphs, strict=True):
        lines += [f"[¶ {ident[1:]}] " + _inline(para, "[{n}]", "[p. {n}]"), ""]
    lines += ["NOTES", ""]
    for number in sorted(n for p in data.paragraphs for _, n in p.notes):
        lines += [f"[{number}] {_note_text(data, number)}", ""]
    lines += ["EMENDATIONS", ""]
    for ident, witness, reading in _emendations(data):
        lines += [f"¶ {ident[1:]}: {witness} ] {reading}"]
    lines += ["", "VARIANTS", ""]
    lines += [f"¶ {ident[1:]}: {witness} ] {reading} ({seen})" for ident, witness, reading, seen in _variants(data)]
    lines += [] if _variants(data) else ["None recorded."]
    return "\n".join(lines).rstrip() + "\n"


def markdown_text(data: EditionData) -> str:
    essay = data.info.essay
    lines = [
        f"# {essay.get('title', '')}",
        "",
        f"*{data.info.title}*, version {data.info.version}. Reading text of the witness, with print pages "
        "(**[p. N]**), notes and paragraph numbers. Each note expansion's confidence says what was seen:",
        "",
        *(f"- {line}" for line in _grades()),
        "",
    ]
    for ident, para in zip(data.ids, data.paragraphs, strict=True):
        text = _inline(para, "[^{n}]", "**[p. {n}]**")
        lines += [f'<a id="{ident}"></a>**¶ {ident[1:]}** {text}', ""]
    for number in sorted(n for p in data.paragraphs for _, n in p.notes):
        lines += [f"[^{number}]: {_note_text(data, number)}", ""]
    lines += ["## Emendations", ""]
    for ident, witness, reading in _emendations(data):
        lines += [f"- ¶ {ident[1:]}: *{witness}* ] {reading}"]
    lines += ["", "## Variants", "", "Where a quotation differs from the source text seen: *witness* ] source.", ""]
    lines += [f"- ¶ {ident[1:]}: *{witness}* ] {reading} ({seen})" for ident, witness, reading, seen in _variants(data)]
    lines += [] if _variants(data) else ["None recorded."]
    return "\n".join(lines).rstrip() + "\n"
