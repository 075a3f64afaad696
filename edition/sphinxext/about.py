"""Directives that show the editorial record on the About page.

``{edition-decisions}`` lists every decision and regularisation the converter applied;
``{edition-anchors}`` lists every id in the anchor ledger with its status;
``{edition-report}`` shows the coverage report of the apparatus, with each grade of
confidence counted per kind; ``{edition-grades}`` says what each grade means;
``{edition-earlier-versions}`` lists the essay's earlier versions recorded in
``source_texts/edition.yaml``, each with what establishes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..annotation.grades import LABELS, meanings
from ..annotation.labels import KIND_NAMES
from ..annotation.names import list_path, read_names
from ..annotation.targets import edition_text
from ..commands.report import coverage, keys_cited_in_pages
from ..core.convert import Paths, load_transcription, read_ledger
from ..core.titleblock import earlier_version_parts
from ..core.versions import load_info
from .config import app_of, from_sphinx
from .incremental import reads
from .loaded import get_state
from .note_citations import bib_entries

if TYPE_CHECKING:
    from sphinx.application import Sphinx

KIND_LABELS = {
    "page": "Page milestone",
    "furniture": "Page furniture removed",
    "join": "Paragraphs joined",
    "break": "Paragraph break kept",
    "split": "Paragraph split",
    "continue": "No paragraph break",
    "hyphen": "Line-end hyphen",
    "note": "Note number separated",
    "regularisation": "Spacing regularised",
}


def _table(headers: list[str], rows: list[list[str]], classes: list[str]) -> nodes.table:
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    table += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for text in headers:
        row += nodes.entry("", nodes.paragraph(text=text))
    head += row
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for text in cells:
            row += nodes.entry("", nodes.paragraph(text=text))
        body += row
    return table


def _root(directive: SphinxDirective) -> Paths:
    return Paths(Path(app_of(directive.env).confdir))


class DecisionsDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        paths = _root(self)
        for path in (paths.witness, paths.decisions):
            self.env.note_dependency(str(path))
        trans = load_transcription(paths)
        rows = [[KIND_LABELS[a.kind], a.context, a.reason] for a in trans.applied]
        summary = nodes.paragraph(
            text=(
                f"{len(trans.paragraphs)} paragraphs, {len(trans.notes)} note references "
                f"and {len(trans.pages)} print pages; {len(trans.applied)} decisions applied."
            )
        )
        return [
            summary,
            _table(["Decision", "Where (| marks the break)", "Reason"], rows, ["edition-decisions"]),
        ]


class EarlierVersionsDirective(SphinxDirective):
    """``{edition-earlier-versions}``: the essay's earlier versions, each with its basis, from the edition's facts."""

    def run(self) -> list[nodes.Node]:
        paths = _root(self)
        self.env.note_dependency(str(paths.info))
        recorded = load_info(paths.info).essay.get("earlier_versions") or []
        versions = [v for v in recorded if isinstance(v, dict)] if isinstance(recorded, list) else []
        if not versions:
            return [nodes.paragraph(text="No earlier version of the essay is recorded.")]
        listing = nodes.bullet_list(classes=["edition-earlier-versions"])
        for version in versions:  # plain text only: the file is contributed data
            lead, venue, rest = earlier_version_parts(version)
            citation = nodes.paragraph(text=lead)
            if venue:
                citation += nodes.emphasis(text=venue)
                citation += nodes.Text(rest)
            item = nodes.list_item("", citation)
            if version.get("basis"):
                basis = nodes.paragraph()
                basis += nodes.strong(text="What establishes it: ")
                basis += nodes.Text(" ".join(str(version["basis"]).split()))
                item += basis
            listing += item
        return [listing]


class AnchorsDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        paths = _root(self)
        self.env.note_dependency(str(paths.ledger))
        ledger = read_ledger(paths.ledger, paths.root)
        rows = [[e.id, e.status, e.target or "", e.opening] for e in ledger.entries]
        return [_table(["Id", "Status", "Leads to", "Opening words"], rows, ["edition-anchors"])]


class ReportDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        root = Path(app_of(self.env).confdir)
        annotations = list(get_state(app_of(self.env)).annotations.values())  # loaded once per build
        reads(self.env, "annotations", "pages")  # reread when any annotation or page changes (incremental.py)
        source_dir = from_sphinx(self.env.config).source_dir
        pages = keys_cited_in_pages(Path(self.env.srcdir))
        names, _ = read_names(root, source_dir)  # its problems are the build's consistency check's to report
        cover = coverage(annotations, edition_text(root), set(bib_entries(self.env)), pages, names)
        rows = [[label, figure] for label, figure in cover.rows()]
        headers, grade_rows = cover.grade_table()
        out: list[nodes.Node] = [
            _table(["What", "Figure"], rows, ["edition-report"]),
            nodes.paragraph(text="How sure the apparatus is: each grade of confidence, counted per kind."),
            _table(headers, grade_rows, ["edition-report-grades"]),
        ]
        unexplained = cover.unexplained_rows()
        if unexplained:
            where = list_path(source_dir)
            out.append(nodes.paragraph(text=f"Names in the essay that no gloss explains yet ({where}):"))
            headers = ["Name", "Category", "Paragraphs", "Glosses that quote its words"]
            out.append(_table(headers, unexplained, ["edition-report-names"]))
        return out


class GradesDirective(SphinxDirective):
    """``{edition-grades}``: each grade of confidence, as the reader sees it, and what it means."""

    def run(self) -> list[nodes.Node]:
        rows = [[LABELS[grade], grade, meaning] for grade, meaning in meanings().items()]
        return [_table(["Shown as", "Grade", "What was seen"], rows, ["edition-grades"])]


class OrphansDirective(SphinxDirective):
    """Annotations acknowledged as orphans: their words are gone, but they are kept and shown here."""

    def run(self) -> list[nodes.Node]:
        orphans = get_state(app_of(self.env)).orphans
        reads(self.env, "annotations")
        if not orphans:
            return [nodes.paragraph(text="There are no orphaned annotations.")]
        rows = [
            [a.id, a.path, f"{a.paragraph}: ‘{a.quote.exact}’", str(a.data.get("orphan", "")), str(a.data["body"])]
            for a in orphans
        ]
        return [
            _table(["Annotation", "File", "Was attached to", "Why it is an orphan", "Text"], rows, ["edition-orphans"])
        ]


PLURALS = {kind: (singular.lower(), plural.lower()) for kind, (singular, plural) in KIND_NAMES.items()}


class ContributorsDirective(SphinxDirective):
    """``{edition-contributors}``: everyone who wrote an annotation, with what and when."""

    def run(self) -> list[nodes.Node]:
        from collections import Counter

        people: dict[str, dict[str, object]] = {}
        reads(self.env, "annotations")
        for ann in get_state(app_of(self.env)).annotations.values():
            author = ann.data["author"]
            person = people.setdefault(author["name"], {"orcid": "", "kinds": Counter(), "dates": []})
            person["orcid"] = person["orcid"] or author.get("orcid", "")
            person["kinds"][ann.kind] += 1  # type: ignore[index]
            person["dates"].append(str(ann.data["date"]))  # type: ignore[attr-defined]
        listing = nodes.bullet_list(classes=["edition-contributors"])
        for name in sorted(people, key=str.casefold):
            person = people[name]
            para = nodes.paragraph()
            para += nodes.strong(text=name)
            if person["orcid"]:
                para += nodes.Text(" (")
                para += nodes.reference("", f"ORCID {person['orcid']}", refuri=f"https://orcid.org/{person['orcid']}")
                para += nodes.Text(")")
            kinds = person["kinds"]
            counted = ", ".join(f"{n} {PLURALS[k][n != 1]}" for k, n in sorted(kinds.items()))  # type: ignore[attr-defined]
            dates = sorted(person["dates"])  # type: ignore[call-overload]
            span = dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
            para += nodes.Text(f": {counted}; {span}.")
            listing += nodes.list_item("", para)
        return [listing]


def setup_about(app: Sphinx) -> None:
    app.add_directive("edition-contributors", ContributorsDirective)
    app.add_directive("edition-orphans", OrphansDirective)
    app.add_directive("edition-report", ReportDirective)
    app.add_directive("edition-grades", GradesDirective)
    app.add_directive("edition-decisions", DecisionsDirective)
    app.add_directive("edition-anchors", AnchorsDirective)
    app.add_directive("edition-earlier-versions", EarlierVersionsDirective)
