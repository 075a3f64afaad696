"""Plain text and Markdown of the reading text, with paragraph numbers, pages and notes, for corpus tools."""

from __future__ import annotations

from ..bodies import check_body
from ..myst_writer import escape
from ..transcribe import Paragraph
from .model import EditionData


def _inline(para: Paragraph, note: str, page: str) -> str:
    events = [(o, 0, note.format(n=n)) for o, n in para.notes] + [(o, 1, page.format(n=n)) for o, n in para.pages]
    out, cursor = "", 0
    for offset, _, mark in sorted(events):
        out += para.text[cursor:offset] + mark
        cursor = offset
    return out + para.text[cursor:]


def _note_text(data: EditionData, number: int, markdown: bool = False) -> str:
    ann = data.notes().get(number)
    if ann is None:
        return "The witness does not preserve the text of this note."
    body = " ".join(str(ann.data["body"]).split())
    if markdown and check_body(str(ann.data["body"]))[0]:
        body = escape(body)  # outside the safe subset: words, as the site shows it, never markup
    return f"{body} [Editors' expansion; confidence: {ann.data['confidence']}.]"


def _emendations(data: EditionData) -> list[tuple[str, str, str]]:
    return sorted(
        (a.paragraph or "", a.quote.exact, str(a.data["reading"])) for a in data.annotations if a.kind == "emendation"
    )


def plain_text(data: EditionData) -> str:
    essay = data.info.essay
    lines = [
        f"{essay.get('title', '')}",
        f"by {essay.get('author', {}).get('given', '')} {essay.get('author', {}).get('family', '')}",
        f"{data.info.title}, version {data.info.version}. Reading text of the witness; [p. N] marks a print page,",
        "[N] a note, [¶ N] a paragraph. Slips of the witness are kept; emendations are listed at the end.",
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
    return "\n".join(lines).rstrip() + "\n"


def markdown_text(data: EditionData) -> str:
    essay = data.info.essay
    lines = [
        f"# {essay.get('title', '')}",
        "",
        f"*{data.info.title}*, version {data.info.version}. Reading text of the witness, with print pages "
        "(**[p. N]**), notes and paragraph numbers.",
        "",
    ]
    for ident, para in zip(data.ids, data.paragraphs, strict=True):
        text = _inline(para, "[^{n}]", "**[p. {n}]**")
        lines += [f'<a id="{ident}"></a>**¶ {ident[1:]}** {text}', ""]
    for number in sorted(n for p in data.paragraphs for _, n in p.notes):
        lines += [f"[^{number}]: {_note_text(data, number, markdown=True)}", ""]
    lines += ["## Emendations", ""]
    for ident, witness, reading in _emendations(data):  # plain text from the files: escaped, never markup
        lines += [f"- ¶ {ident[1:]}: *{escape(witness)}* ] {escape(reading)}"]
    return "\n".join(lines).rstrip() + "\n"
