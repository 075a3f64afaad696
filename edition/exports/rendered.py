"""The text of each paragraph as a browser renders it (DOM ``textContent``), with where each
annotation's marked words stand in it: what W3C TextQuoteSelectors must match."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_PARA_ID = re.compile(r"^p[1-9][0-9]*[a-z]?$")


@dataclass
class Rendered:
    text: str = ""
    offset: int = 0  # where the paragraph's text starts in the page's text
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # annotation id -> (start, end)
    noterefs: dict[int, tuple[int, int]] = field(default_factory=dict)  # note number -> (start, end)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_body = False
        self.after_body = False
        self.page: list[str] = []
        self.page_length = 0
        self.paragraphs: dict[str, Rendered] = {}
        self.current: Rendered | None = None
        self.depth = 0
        self.open: list[tuple[str, str | int | None, int]] = []  # (tag, annotation or note, start)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "body":
            self.in_body = True
        if self.current is None:
            classes, ident = attributes.get("class") or "", attributes.get("id") or ""
            if tag == "p" and "edition-para" in classes and _PARA_ID.match(ident):
                self.current = self.paragraphs.setdefault(str(attributes["id"]), Rendered(offset=self.page_length))
                self.depth = 1
            return
        if tag not in ("br", "img", "wbr"):
            self.depth += 1
        start = len(self.current.text)
        if attributes.get("data-annot"):
            self.open.append((tag, attributes["data-annot"], start))
        elif tag == "a" and (attributes.get("id") or "").startswith("noteref-"):
            self.open.append((tag, int(str(attributes["id"]).split("-")[1]), start))
        else:
            self.open.append((tag, None, start))

    def handle_endtag(self, tag: str) -> None:
        if tag == "body":
            self.in_body, self.after_body = False, True
        if self.current is None or tag in ("br", "img", "wbr"):
            return
        self.depth -= 1
        if self.depth == 0:
            self.current = None
            self.open.clear()
            return
        _, key, start = self.open.pop()
        end = len(self.current.text)
        if isinstance(key, str):
            first, last = self.current.spans.get(key, (start, end))
            self.current.spans[key] = (min(first, start), max(last, end))
        elif isinstance(key, int):
            self.current.noterefs[key] = (start, end)

    def handle_data(self, data: str) -> None:
        # White space after </body> ends up in the body too, as an HTML parser builds the tree.
        if self.in_body or (self.after_body and data.isspace()):
            self.page.append(data)
            self.page_length += len(data)
        if self.current is not None:
            self.current.text += data


def read_page(html: str) -> tuple[str, dict[str, Rendered]]:
    """The page's text (``document.body.textContent`` of the page without script) and its paragraphs."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return "".join(reader.page), reader.paragraphs
