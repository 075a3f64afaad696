"""Plain text and Markdown of the reading text, with paragraph numbers, pages and notes, for corpus tools.

The Markdown is CommonMark (GFM and pandoc's ``commonmark_x`` read the same): the witness's
words are escaped, page labels are ``\\[**p. 3**\\]`` (a closing ``**`` between a bracket and
a letter would not close), notes are footnotes. Annotation bodies are MyST; here their roles
become words and links ("¶ 5", a gloss's headword, "(Twiss, 2015)"), and plain text carries
no markup at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.token import Token

from ..annotation.grades import meanings
from ..annotation.markup import LOCAL_PARAGRAPH, link_is_safe, parse_body
from ..core.citation_formats import EDITORS, work_of
from ..core.myst_writer import escape
from ..core.transcribe import Paragraph
from .model import EditionData

Escape = Callable[[str], str]


def _verbatim(text: str) -> str:
    return text


def _inline(para: Paragraph, note: str, page: str, text: Escape = _verbatim) -> str:
    events = [(o, 0, note.format(n=n)) for o, n in para.notes] + [(o, 1, page.format(n=n)) for o, n in para.pages]
    out, cursor = "", 0
    for offset, _, mark in sorted(events):
        out += text(para.text[cursor:offset]) + mark
        cursor = offset
    return out + text(para.text[cursor:])


def _code(content: str) -> str:
    """Inline code whose fence is longer than any run of backticks in it, so it cannot end early."""
    runs = [len(run) for run in re.findall(r"`+", content)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if content.startswith("`") or content.endswith("`") else ""
    return f"{fence}{pad}{content}{pad}{fence}"


class BodyWriter:
    """An annotation body as Markdown (``markdown=True``) or plain text: one string per block."""

    def __init__(self, data: EditionData, markdown: bool, page: str) -> None:
        self.data, self.markdown, self.page = data, markdown, page
        self.labels = data.labels()

    def blocks(self, body: str) -> list[str]:
        out: list[str] = []
        quote = 0
        lists: list[list[int]] = []  # per open list: [ordered, items so far]
        marker = ""
        for token in parse_body(body):
            kind = token.type
            if kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind in ("bullet_list_open", "ordered_list_open"):
                lists.append([kind == "ordered_list_open", int(token.attrGet("start") or 1) - 1])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open":
                lists[-1][1] += 1
                marker = f"{lists[-1][1]}. " if lists[-1][0] else "- "
            elif kind == "inline":
                indent = "   " * (len(lists) - 1) + ("" if marker or not lists else "   ")
                out.append("> " * quote + indent + marker + self.inline(token.children or []))
                marker = ""
        return out

    def inline(self, tokens: list[Token]) -> str:
        md = self.markdown
        out: list[str] = []
        links: list[tuple[int, str]] = []
        for token in tokens:
            kind = token.type
            if kind == "text":
                out.append(escape(token.content) if md else token.content)
            elif kind in ("softbreak", "hardbreak"):
                out.append(" ")
            elif kind in ("em_open", "em_close"):
                out.append("*" if md else "")
            elif kind in ("strong_open", "strong_close"):
                out.append("**" if md else "")
            elif kind == "code_inline":
                out.append(_code(token.content) if md else token.content)
            elif kind == "link_open":
                links.append((len(out), str(token.attrGet("href") or "")))
            elif kind == "link_close":
                start, href = links.pop()
                out[start:] = [self._link("".join(out[start:]), href)]
            elif kind == "myst_role":
                out.append(self._role(str(token.meta.get("name", "")), token.content))
        return "".join(out)

    def _link(self, words: str, href: str) -> str:
        if not link_is_safe(href):  # a body outside the safe subset: its words, never the address
            return words
        local = LOCAL_PARAGRAPH.match(href)
        target = f"#{local.group(1)}" if local else href
        if self.markdown:
            return f"[{words}](<{target}>)"
        if local:
            shown = f"¶ {local.group(1)[1:]}"
            return words if shown in words else f"{words} ({shown})"
        return words if href.removeprefix("mailto:") == words else f"{words} ({href})"

    def _role(self, name: str, content: str) -> str:
        keys = [key.strip() for key in content.split(",") if key.strip()]
        kind = name.split(":")[0]
        if kind == "para":
            return "; ".join(f"[¶ {k[1:]}](#{k})" if self.markdown else f"¶ {k[1:]}" for k in keys)
        if kind == "ann":
            words = [escape(self.labels.get(k, k)) if self.markdown else self.labels.get(k, k) for k in keys]
            if self.markdown:
                words = [f"[{w}](<{self.page}#a-{k}>)" for w, k in zip(words, keys, strict=True)]
            return "; ".join(words)
        cited = [self._author_year(k, textual=name == "cite:t") for k in keys]
        text = "; ".join(escape(c) if self.markdown else c for c in cited)
        return text if name == "cite:t" else f"({text})"

    def _author_year(self, key: str, textual: bool) -> str:
        entry = self.data.bibliography.get(key)
        if entry is None:
            return key
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(p.last_names) for p in people]
        who = names[0] if len(names) == 1 else (" and ".join(names) if len(names) == 2 else f"{names[0]} et al.")
        year = str(entry.fields.get("year", "n.d."))
        who = who or str(entry.fields.get("title", key))
        return f"{who} ({year})" if textual else f"{who}, {year}"


def _note_blocks(data: EditionData, number: int, writer: BodyWriter) -> list[str]:
    ann = data.notes().get(number)
    if ann is None:
        return ["The witness does not preserve the text of this note."]
    blocks = writer.blocks(str(ann.data["body"]))
    tail = f"[Editors' expansion; confidence: {ann.data['confidence']}.]"
    blocks[-1] += " " + (escape(tail) if writer.markdown else tail)
    return blocks


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


def _header(data: EditionData) -> tuple[str, str, str]:
    """The essay's title, who wrote it, and where it first appeared."""
    work = work_of(data.info)
    first = f"First published in {work.first_appearance}." if work.first_appearance else ""
    return work.title, f"{work.given} {work.family}".strip(), first


def _note_numbers(data: EditionData) -> list[int]:
    return sorted(n for p in data.paragraphs for _, n in p.notes)


def plain_text(data: EditionData) -> str:
    title, author, first = _header(data)
    writer = BodyWriter(data, markdown=False, page="")
    lines = [
        title,
        f"by {author}" + (f". {first}" if first else ""),
        f"{data.info.title}, version {data.info.version}, edited by {EDITORS}. Reading text of the witness;",
        "[p. N] marks a print page, [N] a note, [¶ N] a paragraph. Slips of the witness are kept; emendations",
        "are listed at the end, then the variants: where a quotation differs from the source text seen",
        "(witness ] source). Each expansion's confidence says what was seen:",
        *(f"  {line}" for line in _grades()),
        "",
    ]
    for ident, para in zip(data.ids, data.paragraphs, strict=True):
        lines += [f"[¶ {ident[1:]}] " + _inline(para, "[{n}]", "[p. {n}]"), ""]
    lines += ["NOTES", ""]
    for number in _note_numbers(data):
        first_block, *rest = _note_blocks(data, number, writer)
        lines += [f"[{number}] {first_block}", ""]
        for block in rest:
            lines += ["    " + block.replace("\n", "\n    "), ""]
    lines += ["EMENDATIONS", ""]
    for ident, witness, reading in _emendations(data):
        lines += [f"¶ {ident[1:]}: {witness} ] {reading}"]
    variants = _variants(data)
    lines += ["", "VARIANTS", ""]
    lines += [f"¶ {ident[1:]}: {witness} ] {reading} ({seen})" for ident, witness, reading, seen in variants]
    lines += [] if variants else ["None recorded."]
    return "\n".join(lines).rstrip() + "\n"


def markdown_text(data: EditionData, page: str = "../essay.html") -> str:
    """``page``: the essay's page, as links to annotations reach it from where this file is."""
    title, author, first = _header(data)
    writer = BodyWriter(data, markdown=True, page=page)
    lines = [
        f"# {escape(title)}",
        "",
        f"By {escape(author)}." + (f" {escape(first)}" if first else ""),
        "",
        f"*{escape(data.info.title)}*, version {data.info.version}, edited by {EDITORS}. Reading text of the "
        "witness, with print pages (\\[**p. N**\\]), notes and paragraph numbers. Each note expansion's "
        "confidence says what was seen:",
        "",
        *(f"- {escape(line)}" for line in _grades()),
        "",
    ]
    for ident, para in zip(data.ids, data.paragraphs, strict=True):
        text = _inline(para, "[^{n}]", "\\[**p. {n}**\\]", escape)
        lines += [f'<a id="{ident}"></a>**¶ {ident[1:]}** {text}', ""]
    for number in _note_numbers(data):
        first_block, *rest = _note_blocks(data, number, writer)
        lines += [f"[^{number}]: {first_block}", ""]
        for block in rest:  # a footnote's later blocks are indented under it
            lines += ["    " + block.replace("\n", "\n    "), ""]
    lines += ["## Emendations", ""]
    for ident, witness, reading in _emendations(data):
        lines += [f"- ¶ {ident[1:]}: *{escape(witness)}* \\] {escape(reading)}"]
    variants = _variants(data)
    lines += ["", "## Variants", "", "Where a quotation differs from the source text seen: *witness* \\] source.", ""]
    lines += [
        f"- ¶ {ident[1:]}: *{escape(witness)}* \\] {escape(reading)} ({escape(seen)})"
        for ident, witness, reading, seen in variants
    ]
    lines += [] if variants else ["None recorded."]
    return "\n".join(lines).rstrip() + "\n"
