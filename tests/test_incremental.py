"""An incremental build (``build --incremental``, as ``serve`` runs after every save) gives the same
bytes as a clean build, in another folder, of the same sources: after each kind of change to an
annotation, the bibliography or a page (a table), and after sequences of changes (Hypothesis).
Nothing of an earlier build is left behind."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_project, examples

Change = Callable[[Path], None]


def outputs(project: Path) -> dict[str, str]:
    html = project / "_build" / "html"
    return {
        str(path.relative_to(html)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(html.rglob("*"))
        if path.is_file()
    }


def build(project: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "build_edition.py", "build", *args], cwd=project, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


class Pair:
    """The same sources in two folders: one rebuilt incrementally, the other built clean."""

    def __init__(self, root: Path) -> None:
        (root / "editing").mkdir()
        (root / "clean").mkdir()
        self.editing = copy_project(root / "editing")
        self.clean = copy_project(root / "clean")
        build(self.editing, "--no-epub")

    def apply(self, change: Change) -> None:
        change(self.editing)
        change(self.clean)
        build(self.editing, "--incremental", "--no-epub")

    def compare(self) -> None:
        build(self.clean, "--no-epub")
        incremental, clean = outputs(self.editing), outputs(self.clean)
        assert sorted(incremental) == sorted(clean)
        assert [name for name in clean if incremental[name] != clean[name]] == []


def annotation(project: Path, ident: str) -> Path:
    return next((project / "annotations").rglob(f"{ident}.yaml"))


def edit(ident: str, **fields: object) -> Change:
    """Set fields of an annotation (``target`` replaces the whole target)."""

    def change(project: Path) -> None:
        path = annotation(project, ident)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, value in fields.items():
            if name == "author":
                data["author"]["name"] = value
            else:
                data[name] = value
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    return change


def remove(ident: str) -> Change:
    return lambda project: annotation(project, ident).unlink()


NEW_GLOSS = {
    "schema": 2, "id": "gloss-new-term", "kind": "gloss",
    "target": {"paragraph": "p35", "quote": "In some societies there is no puzzle"},
    "category": "term", "headword": "Aardvark society", "body": "A gloss added later.",
    "basis": "Made for the test.", "confidence": "inferred",
    "author": {"name": "A new contributor"}, "date": "2027-02-01",
}  # fmt: skip


def add(data: dict[str, object]) -> Change:
    def change(project: Path) -> None:
        path = project / "annotations" / "glosses" / f"{data['id']}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    return change


def replace_in(name: str, old: str, new: str) -> Change:
    def change(project: Path) -> None:
        path = project / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


EXTRA_PAGE = "---\norphan: true\n---\n# A page added for a while\n\nIt links to {para}`p12`.\n"


def write_page(project: Path) -> None:
    (project / "docs" / "extra.md").write_text(EXTRA_PAGE, encoding="utf-8")


def remove_page(project: Path) -> None:
    (project / "docs" / "extra.md").unlink()


CHANGES: dict[str, list[Change]] = {
    "target moved": [
        edit("gloss-1939-40-dispute", target={"paragraph": "p22", "quote": "Trotsky changed his description"})
    ],
    "headword": [edit("gloss-1939-40-dispute", headword="Zebra dispute")],
    "author": [edit("gloss-1939-40-dispute", author="A. N. Other")],
    "date": [edit("gloss-1939-40-dispute", date="2027-03-04")],
    "body": [edit("gloss-1939-40-dispute", body="A new body, with a link to {para}`p2`.")],
    "added": [add(NEW_GLOSS)],
    "removed": [remove("commentary-lost-italics")],
    "a note's citation dated": [edit("note-01", citations=[{"key": "mises1944bureaucracy", "date": "1939"}])],
    "acknowledged as an orphan": [
        edit("gloss-centrism", target={"paragraph": "p31", "quote": "words that are gone"}, orphan="Gone.")
    ],
    "bibliography": [replace_in("bibliography.bib", "Bureaucracy", "Bureaucracy Revisited")],
    "a page": [
        replace_in(
            "docs/introduction.md", "The text edited here is a review essay", "The text edited here is the review essay"
        )
    ],
    "a page added, then removed": [write_page, remove_page],
}


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    """One editing session: the changes of the table are made one after another."""
    return Pair(tmp_path_factory.mktemp("session"))


QUICK_CHANGES = ("body",)  # the quick suite's one case; the full suite runs the table


@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=() if name in QUICK_CHANGES else pytest.mark.slow) for name in CHANGES]
)
def test_an_incremental_build_equals_a_clean_one(name: str, pair: Pair) -> None:
    for change in CHANGES[name]:
        pair.apply(change)
        pair.compare()
    if name == "a page added, then removed":
        assert not (pair.editing / "_build" / "html" / "extra.html").exists()


def test_an_incremental_build_with_nothing_changed_reads_and_writes_no_page_and_says_nothing_changed(
    tmp_path: Path,
) -> None:
    """Nothing changed, nothing rebuilt: the configuration saved with the environment is the one
    the next build makes (sphinx-design's static folder, added when the builder starts, once
    made every incremental build say "The configuration has changed"), and MyST's whole
    configuration is not printed."""
    project = copy_project(tmp_path)
    clean = build(project, "--no-epub")
    before = outputs(project)
    for _ in range(2):  # the first incremental build after a clean one, and the next
        again = build(project, "--incremental", "--no-epub")
        assert "The configuration has changed" not in again
        assert "updating environment: 0 added, 0 changed, 0 removed" in again
        assert "no targets are out of date" in again
        assert "writing output... [" not in again  # no page written again
    assert outputs(project) == before
    for printed in (clean, again):
        assert "MdParserConfig" not in printed and "myst v" not in printed


@pytest.mark.slow
def test_the_epub_rebuilt_incrementally_equals_a_clean_one(tmp_path: Path) -> None:
    (tmp_path / "editing").mkdir()
    (tmp_path / "clean").mkdir()
    editing, clean = copy_project(tmp_path / "editing"), copy_project(tmp_path / "clean")
    build(editing)
    for project in (editing, clean):
        edit("gloss-1939-40-dispute", headword="Zebra dispute")(project)
    build(editing, "--incremental")
    build(clean)
    epub = Path("_build") / "html" / "downloads" / "edition.epub"
    assert (editing / epub).read_bytes() == (clean / epub).read_bytes()


@pytest.mark.slow
def test_stale_exports_and_an_epub_not_rebuilt_are_removed(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    build(project)
    html = project / "_build" / "html"
    (html / "p" / "p999.html").write_text("a share page of an earlier build", encoding="utf-8")
    (html / "downloads" / "old.tei.xml").write_text("<old/>", encoding="utf-8")
    build(project, "--incremental", "--no-epub")
    assert not (html / "p" / "p999.html").exists() and not (html / "downloads" / "old.tei.xml").exists()
    assert not (html / "downloads" / "edition.epub").exists()  # it would show the pages as they were


# Hypothesis: sequences of changes, each rebuilt incrementally, then compared with one clean build.

PARAGRAPH_QUOTES = [("p22", "Trotsky changed his description"), ("p35", "In some societies there is no puzzle"),
                    ("p1", "Ludwig von Mises's criticism of socialism")]  # fmt: skip
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10)
phrases = st.lists(words, min_size=1, max_size=4).map(lambda w: " ".join(w).capitalize())
dates = st.dates(min_value=__import__("datetime").date(2020, 1, 1), max_value=__import__("datetime").date(2030, 12, 31))
changes = st.one_of(
    phrases.map(lambda text: edit("gloss-centrism", headword=text)),
    phrases.map(lambda text: edit("gloss-burnham", author=text)),
    dates.map(lambda day: edit("gloss-bessarabia", date=day.isoformat())),
    phrases.map(lambda text: edit("commentary-debate-1939-40", body=f"{text}.")),
    st.sampled_from(PARAGRAPH_QUOTES).map(
        lambda place: edit("gloss-baltic-states", target={"paragraph": place[0], "quote": place[1]})
    ),
    st.sampled_from([remove("crossref-adamantine"), add(NEW_GLOSS)]),
    phrases.map(lambda text: replace_in("docs/introduction.md", "## Twiss's book", f"{text}.\n\n## Twiss's book")),
)


@pytest.mark.slow
@settings(
    max_examples=examples(4),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(changes, min_size=1, max_size=3))
def test_any_sequence_of_changes_rebuilt_incrementally_equals_a_clean_build(
    sequence: list[Change], tmp_path_factory: pytest.TempPathFactory
) -> None:
    pair = Pair(tmp_path_factory.mktemp("sequence"))
    try:
        for change in sequence:
            try:
                pair.apply(change)
            except (StopIteration, FileNotFoundError):  # the annotation was removed earlier
                continue
        pair.compare()
    finally:
        for project in (pair.editing, pair.clean):
            shutil.rmtree(project, ignore_errors=True)
