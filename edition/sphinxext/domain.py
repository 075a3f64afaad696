"""Cross-document state: paragraphs, annotations and notes, per document.

Kept in a Domain so that incremental and parallel builds stay correct: each document's
share is dropped in ``clear_doc`` and merged back from parallel readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import TYPE_CHECKING, Any

from sphinx.domains import Domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class EditionDomain(Domain):
    name = "edition"
    label = "Edition"
    data_version = 2
    initial_data = {
        "paragraphs": {},  # id -> {"docname", "text"}
        "annotations": {},  # id -> {"docname", "kind", "label", "category", "headword", "paragraph", "note"}
        "notes": {},  # docname -> sorted list of note numbers
        "digests": {},  # docname -> digest of the annotations attached to it
        "noterefs": {},  # note number (str) -> {"docname", "paragraph"} where it is referenced
        "reads": {},  # docname -> {what it read of all the annotations or pages: digest} (incremental.py)
        "writes": {},  # docname -> {what it shows once written: digest when last written} (incremental.py)
    }

    @property
    def paragraphs(self) -> dict[str, dict[str, str]]:
        return self.data["paragraphs"]

    @property
    def annotations(self) -> dict[str, dict[str, Any]]:
        return self.data["annotations"]

    @property
    def notes(self) -> dict[str, list[int]]:
        return self.data["notes"]

    @property
    def digests(self) -> dict[str, str]:
        return self.data["digests"]

    @property
    def noterefs(self) -> dict[str, dict[str, str]]:
        return self.data.setdefault("noterefs", {})

    @property
    def reads(self) -> dict[str, dict[str, str]]:
        return self.data.setdefault("reads", {})

    @property
    def writes(self) -> dict[str, dict[str, str]]:
        return self.data.setdefault("writes", {})

    def clear_doc(self, docname: str) -> None:
        for table in (self.paragraphs, self.annotations, self.noterefs):
            for key in [k for k, v in table.items() if v["docname"] == docname]:
                del table[key]
        for name in ("notes", "digests", "reads", "writes"):
            self.data.setdefault(name, {}).pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for name in ("paragraphs", "annotations", "noterefs"):
            for key, value in otherdata.get(name, {}).items():
                if value["docname"] in docnames:
                    self.data[name][key] = value
        for name in ("notes", "digests", "reads", "writes"):
            for docname, value in otherdata.get(name, {}).items():
                if docname in docnames:
                    self.data[name][docname] = value

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        return []


def setup_domain(app: Sphinx) -> None:
    app.add_domain(EditionDomain)
