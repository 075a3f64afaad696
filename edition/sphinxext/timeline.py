"""The timeline: the writings the essay's notes cite, placed by date, each linked to the
paragraphs that cite it. Generated from the note expansions; plain lists, so it reads
without script and on a phone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..annotation.grades import LABELS as CONFIDENCE_LABELS
from ..annotation.grades import meaning
from ..core.ledger import paragraph_label
from .domain import EditionDomain
from .incremental import writes
from .loaded import get_state
from .note_citations import bib_entries

if TYPE_CHECKING:
    from sphinx.application import Sphinx

YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


class timeline_placeholder(nodes.General, nodes.Element):
    pass


class TimelineDirective(SphinxDirective):
    """``{edition-timeline}`` with optional ``:from:`` and ``:to:`` years (default 1922 to 1940)."""

    option_spec = {"from": int, "to": int}

    def run(self) -> list[nodes.Node]:
        writes(self.env, "timeline")
        return [timeline_placeholder(start=self.options.get("from", 1922), end=self.options.get("to", 1940))]


def entry_year(date: str, bib_year: str) -> int | None:
    match = YEAR.search(date) or YEAR.search(bib_year)
    return int(match.group(1)) if match else None


_MONTH_NAMES = "january february march april may june july august september october november december"
MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES.split(), start=1)}


def date_order(date: str) -> tuple[int, int]:
    """(month, day) from a date such as '25 September 1939', for ordering within a year."""
    month = next((n for name, n in MONTHS.items() if name in date.lower()), 0)
    day = re.match(r"\s*(\d{1,2})\s", date)
    return month, int(day.group(1)) if day and month else 0


def _title(entry: Any) -> str:
    title = str(entry.fields.get("title", "")).replace("{", "").replace("}", "")
    return re.sub(r"\\emph\s*", "", title)


def _fill(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    placeholders = list(doctree.findall(timeline_placeholder))
    if not placeholders:
        return
    domain = cast(EditionDomain, app.env.get_domain("edition"))
    state = get_state(app)
    entries = bib_entries(app.env)
    for placeholder in placeholders:
        works: dict[tuple[int, str, str], list[tuple[int, str, str]]] = {}
        for ann in state.by_note.values():
            for item in ann.data.get("citations", []):
                entry = entries.get(item["key"])
                if entry is None:
                    continue
                year = entry_year(str(item.get("date", "")), str(entry.fields.get("year", "")))
                if year is None or not placeholder["start"] <= year <= placeholder["end"]:
                    continue
                key = (year, str(item.get("date", "") or year), item["key"])
                works.setdefault(key, []).append((ann.note or 0, ann.data["confidence"], ann.id))
        by_year: dict[int, list[tuple[tuple[int, str, str], list[tuple[int, str, str]]]]] = {}
        for work in sorted(works, key=lambda k: (k[0], date_order(k[1]), k[2])):
            by_year.setdefault(work[0], []).append((work, sorted(works[work])))
        listing = nodes.bullet_list(classes=["edition-timeline"])
        for year, items in sorted(by_year.items()):
            year_item = nodes.list_item(classes=["timeline-year"])
            year_item += nodes.paragraph("", "", nodes.strong(text=str(year)), classes=["timeline-label"])
            works_list = nodes.bullet_list()
            for (_, date, bib_key), notes in items:
                para = nodes.paragraph()
                para += nodes.emphasis(text=_title(entries[bib_key]))
                para += nodes.Text(f" ({date}). Cited in ")
                for position, (number, confidence, _ident) in enumerate(notes):
                    if position:
                        para += nodes.Text(", ")
                    info = domain.noterefs.get(str(number))
                    if info:
                        uri = app.builder.get_relative_uri(fromdocname, info["docname"])
                        para += nodes.reference("", f"note {number}", refuri=f"{uri}#noteref-{number}")
                        para += nodes.Text(" at ")
                        where = info["paragraph"]
                        para += nodes.reference("", paragraph_label(where), refuri=f"{uri}#{where}")
                    else:
                        para += nodes.Text(f"note {number}")
                    label = CONFIDENCE_LABELS[confidence]
                    para += nodes.Text(" (")
                    para += nodes.abbreviation(
                        text=label[0].lower() + label[1:],
                        explanation=meaning(confidence),
                        classes=["annot-confidence", f"confidence-{confidence}"],
                    )
                    para += nodes.Text(")")
                para += nodes.Text(".")
                works_list += nodes.list_item("", para)
            year_item += works_list
            listing += year_item
        if not by_year:
            placeholder.replace_self(nodes.paragraph(text="No dated writings are cited yet."))
        else:
            placeholder.replace_self(listing)


def setup_timeline(app: Sphinx) -> None:
    app.add_node(timeline_placeholder)
    app.add_directive("edition-timeline", TimelineDirective)
    app.connect("doctree-resolved", _fill)
