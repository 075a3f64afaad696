"""Turn the witness into paragraphs by applying the editorial decisions.

The witness is read as lines; every place where the extraction may have misled us
(a page start, a line-end hyphen, a lone number, a blank line that may not end a
paragraph, a page that may begin one) must be settled by a decision, or the
conversion stops and says which words need one. Nothing is guessed silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .decisions import Decision
from .note_numbers import NoteGap, NoteRef, find_gap, find_notes
from .textnorm import normalise

_RUN = re.compile(r"[ \t]{2,}")
_SENTENCE_END = re.compile(r"[.?!…][\'\"’”)\]]*\d*$")
_HYPHEN_LEFT = re.compile(r"([A-Za-z][A-Za-z-]*-)$")
_HYPHEN_RIGHT = re.compile(r"^([A-Za-z]+)")
_OPENERS = "'\"‘“"


class TranscriptionError(ValueError):
    """The witness has a place no decision settles, or a decision matches nothing."""


@dataclass
class _Piece:
    text: str
    page_start: bool
    block: int


@dataclass
class _Bound:
    kind: str  # "line" or "blank"
    sep: str = " "
    para_break: bool = False
    decided: bool = False


@dataclass(frozen=True)
class Applied:
    """One editorial decision or regularisation as applied, for the reader's record."""

    id: str
    kind: str
    reason: str
    context: str


@dataclass
class Paragraph:
    text: str  # the reading text, without note numbers
    notes: list[tuple[int, int]] = field(default_factory=list)  # (offset, number)
    pages: list[tuple[int, int]] = field(default_factory=list)  # (offset, page)


@dataclass
class Transcription:
    paragraphs: list[Paragraph]
    notes: list[NoteRef]
    applied: list[Applied]

    @property
    def pages(self) -> list[int]:
        return [page for para in self.paragraphs for _, page in para.pages]


def _sentence_end(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


class _Witness:
    """The witness as pieces (lines) and the bounds between them, while decisions apply."""

    def __init__(self, raw: str, decisions: list[Decision]) -> None:
        self.applied: list[Applied] = []
        self.used: set[str] = set()
        self.decisions = decisions
        self.by_kind: dict[str, list[Decision]] = {}
        for decision in decisions:
            self.by_kind.setdefault(decision.kind, []).append(decision)
        self.pieces = self._read(raw)
        self.bounds: list[_Bound] = []
        self.starts: list[int] = []
        self.flow = ""
        self.pages: dict[int, int] = {}

    def record(self, decision: Decision, kind: str, context: str) -> None:
        self.used.add(decision.id)
        self.applied.append(Applied(decision.id, kind, decision.reason, context))

    def _read(self, raw: str) -> list[_Piece]:
        pieces: list[_Piece] = []
        block = 0
        for line in raw.split("\n"):
            stripped = line.strip()
            if not stripped:
                block += 1
                continue
            for run in _RUN.finditer(stripped):
                context = stripped[max(0, run.start() - 20) : run.end() + 20]
                self.applied.append(Applied("spaces", "regularisation", "A run of spaces read as one space.", context))
            pieces.append(_Piece(_RUN.sub(" ", stripped), line[:1] in (" ", "\t"), block))
        return pieces

    def remove_furniture(self) -> None:
        """A line standing alone that is only a number must be decided (page number?)."""
        blocks = [p.block for p in self.pieces]
        kept: list[_Piece] = []
        for piece in self.pieces:
            if not (blocks.count(piece.block) == 1 and piece.text.isdigit()):
                kept.append(piece)
                continue
            before = normalise(" ".join(p.text for p in kept))
            match = [
                d
                for d in self.by_kind.get("furniture", [])
                if d.text == piece.text and before.endswith(normalise(d.end))
            ]
            if not match:
                raise TranscriptionError(
                    f"the number {piece.text!r} stands alone after {before[-40:]!r}: "
                    "add a 'furniture' decision (page number?) or a correction"
                )
            self.record(match[0], "furniture", f"{before[-30:]} | {piece.text} |")
        self.pieces = kept
        self.bounds = [
            _Bound("line" if a.block == b.block else "blank")
            for a, b in zip(self.pieces, self.pieces[1:], strict=False)
        ]

    def apply_hyphens(self) -> None:
        rules = {d.word: d for d in self.by_kind.get("hyphen", [])}
        for index, bound in enumerate(self.bounds):
            left = _HYPHEN_LEFT.search(self.pieces[index].text)
            right = _HYPHEN_RIGHT.search(self.pieces[index + 1].text)
            if not (left and right):
                continue
            word = left.group(1) + right.group(1)
            rule = rules.get(word)
            if rule is None:
                raise TranscriptionError(f"line-end hyphen in {word!r}: add a 'hyphen' decision (keep or drop)")
            if rule.hyphen == "drop":
                self.pieces[index].text = self.pieces[index].text[:-1]
            bound.sep = ""
            shown = word if rule.hyphen == "keep" else word.replace("-", "", 1)
            self.record(rule, "hyphen", f"{left.group(1)} | {right.group(1)} → {shown}")
        self.flow = ""
        for index, piece in enumerate(self.pieces):
            self.starts.append(len(self.flow))
            self.flow += piece.text + (self.bounds[index].sep if index < len(self.bounds) else "")

    def locate(self, decision: Decision) -> int:
        """The piece that begins with the decision's ``start`` words, checked against ``end``."""
        words = normalise(decision.start)
        hits = [m.start() for m in re.finditer(re.escape(words), self.flow)]
        if not hits:
            raise TranscriptionError(
                f"{decision.where}decision {decision.id}: the words {words!r} are not in the witness"
            )
        if len(hits) > 1:
            raise TranscriptionError(
                f"{decision.where}decision {decision.id}: the words {words!r} occur {len(hits)} times; quote more"
            )
        if hits[0] not in self.starts:
            raise TranscriptionError(
                f"{decision.where}decision {decision.id}: the words {words!r} do not begin a witness line"
            )
        if decision.end and not self.flow[: hits[0]].rstrip().endswith(normalise(decision.end)):
            raise TranscriptionError(
                f"{decision.where}decision {decision.id}: "
                f"the witness before {words!r} does not end with {decision.end!r}"
            )
        return self.starts.index(hits[0])

    def context(self, index: int) -> str:
        start = self.starts[index]
        return f"{self.flow[max(0, start - 30) : start].rstrip()} | {self.flow[start : start + 30]}"

    def apply_pages(self) -> None:
        for decision in self.by_kind.get("page", []):
            index = self.locate(decision)
            self.pages[index] = decision.page
            start = self.starts[index]
            self.record(decision, "page", f"p. {decision.page}: {self.flow[start : start + 40]}")
        numbers = [self.pages[i] for i in sorted(self.pages)]
        if numbers != sorted(numbers) or len(set(numbers)) != len(numbers):
            raise TranscriptionError(f"page decisions are out of order: {numbers}")
        for index, piece in enumerate(self.pieces):
            if piece.page_start and index not in self.pages:
                words = self.flow[self.starts[index] : self.starts[index] + 40]
                raise TranscriptionError(f"a page seems to begin at {words!r}: add a 'page' decision")

    def apply_breaks(self) -> None:
        for bound in self.bounds:
            bound.para_break = bound.kind == "blank"
        for kind in ("join", "break", "split", "continue"):
            wanted = "blank" if kind in ("join", "break") else "line"
            for decision in self.by_kind.get(kind, []):
                index = self.locate(decision)
                if index == 0 or self.bounds[index - 1].kind != wanted:
                    need = "a blank line" if wanted == "blank" else "a line break within a block"
                    raise TranscriptionError(
                        f"{decision.where}decision {decision.id}: "
                        f"a {kind} decision needs {need} before {decision.start!r}"
                    )
                bound = self.bounds[index - 1]
                bound.decided = True
                bound.para_break = kind in ("break", "split")
                if kind == "join":
                    bound.sep = " " if decision.space else ""
                self.record(decision, kind, self.context(index))

    def check_doubtful_places(self) -> None:
        for index, bound in enumerate(self.bounds):
            prev, nxt = self.pieces[index].text, self.pieces[index + 1].text
            if bound.decided:
                continue
            odd_start = not nxt[:1].isupper() and nxt[:1] not in _OPENERS
            if bound.kind == "blank" and (not _sentence_end(prev) or odd_start):
                raise TranscriptionError(
                    f"a blank line may not end a paragraph at {self.context(index + 1)!r}: "
                    "add a 'join' or 'break' decision"
                )
            if bound.kind == "line" and self.pieces[index + 1].page_start and _sentence_end(prev):
                raise TranscriptionError(
                    f"a paragraph may begin with the page at {self.context(index + 1)!r}: "
                    "add a 'split' or 'continue' decision"
                )
        unused = [d.id for d in self.decisions if d.id not in self.used]
        if unused:
            raise TranscriptionError(f"decision(s) that match nothing in the witness: {', '.join(unused)}")

    def assemble(self) -> tuple[list[str], list[list[tuple[int, int]]]]:
        """Paragraph texts (note numbers still in) and their page offsets."""
        texts: list[str] = []
        page_marks: list[list[tuple[int, int]]] = []
        current = ""
        marks: list[tuple[int, int]] = []
        for index, piece in enumerate(self.pieces):
            if index in self.pages:
                marks.append((len(current), self.pages[index]))
            current += piece.text
            if index == len(self.bounds) or self.bounds[index].para_break:
                texts.append(current)
                page_marks.append(marks)
                current, marks = "", []
            else:
                current += self.bounds[index].sep
        return texts, page_marks


def _separate_notes(text: str, refs: list[NoteRef], marks: list[tuple[int, int]]) -> Paragraph:
    """Take the note numbers out of ``text``, keeping where they stood; shift the page marks."""
    para = Paragraph("")
    cursor = 0
    removed: list[tuple[int, int]] = []  # (end in the old text, characters removed)
    for ref in refs:
        para.text += text[cursor : ref.start]
        para.notes.append((len(para.text), ref.number))
        removed.append((ref.end, ref.end - ref.start))
        cursor = ref.end
    para.text += text[cursor:]
    para.pages = [(offset - sum(w for end, w in removed if end <= offset), page) for offset, page in marks]
    return para


def _gap_message(raw: str, texts: list[str], notes: list[NoteRef], gap: NoteGap) -> str:
    """Where the note sequence breaks: the last note found, the later one, and its witness line."""
    found = gap.found
    text = texts[found.paragraph]
    word = re.search(r"\S*$", text[: found.start]).group()  # type: ignore[union-attr]
    snippet = word + text[found.start : found.end]
    lines = [n for n, line in enumerate(raw.split("\n"), 1) if snippet in line]
    line = f", witness line {lines[0]}" if len(lines) == 1 else ""
    after = f"note {notes[-1].number} (‘{notes[-1].witness}’)" if notes else "the start of the text"
    return (
        f"the note numbers have a gap: note {gap.missing} is missing, yet note {found.number} follows "
        f"{after}, in the paragraph beginning ‘{normalise(text)[:50]}’ (‘{found.witness}’{line}). "
        f"Was the passage that held note {gap.missing} removed? Every note number of the witness must stay, "
        "or the later ones would be read as text"
    )


def transcribe(raw: str, decisions: list[Decision]) -> Transcription:
    """Apply ``decisions`` to the witness text ``raw``."""
    witness = _Witness(raw, decisions)
    witness.remove_furniture()
    witness.apply_hyphens()
    witness.apply_pages()
    witness.apply_breaks()
    witness.check_doubtful_places()
    texts, page_marks = witness.assemble()
    notes = find_notes(texts)
    gap = find_gap(texts, notes)
    if gap is not None:
        raise TranscriptionError(_gap_message(raw, texts, notes, gap))
    paragraphs = [
        _separate_notes(text, [n for n in notes if n.paragraph == index], page_marks[index])
        for index, text in enumerate(texts)
    ]
    for note in notes:
        if note.glue == "spaced":
            reason = "A space between the quotation and the note number removed."
        elif note.glue == "year":
            reason = "A note number glued to a year read apart from it."
        else:
            continue
        witness.applied.append(Applied(f"note-{note.number}", "note", reason, note.witness))
    return Transcription(paragraphs, notes, witness.applied)
