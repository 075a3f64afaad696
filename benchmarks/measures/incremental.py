"""Section 3. Incremental rebuild after one annotation file changes."""

from __future__ import annotations

import os
import shutil
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .book import Book, Paragraph, dump_yaml
from .common import Build, Series, Settings, html_files, sphinx_build, yaml_load


@dataclass
class IncrementalResult:
    clean: float
    seconds: float  # median of the rebuilds after a change
    noop: float  # a rebuild with nothing changed
    changed_file: str
    expected_page: str
    rewritten: list[list[str]]  # per repetition, the HTML files whose mtime changed
    body_seen: bool  # the new body text is in the rewritten page
    floor_clean: float  # the control: plain Sphinx, one paragraph of the same page changed
    floor_seconds: float
    floor_rewritten: list[str]

    @property
    def only_its_page(self) -> bool:
        """Nothing rewritten beyond what plain Sphinx rewrites when that page itself changes."""
        return all(set(files) <= set(self.floor_rewritten) for files in self.rewritten)


def changed_html(outdir: Path, rebuild: Callable[[], Build]) -> tuple[Build, list[str]]:
    """Run ``rebuild`` and list the HTML files whose mtime changed."""
    before = {name: p.stat().st_mtime_ns for name, p in html_files(outdir).items()}
    build = rebuild()
    after = {name: p.stat().st_mtime_ns for name, p in html_files(outdir).items()}
    return build, sorted(name for name in after if before.get(name) != after[name])


def measure_incremental(book: Book, work: Path, settings: Settings, clean: Series | None) -> IncrementalResult:
    """Section 3. After a change to one annotation, is only its page rebuilt, and how fast?

    A clean build of the book (all annotations; the last serial build of section 2 when
    there is one, with its doctrees), a rebuild with nothing changed, then, N
    times: one annotation file's body is changed and Sphinx runs again without -E/-a,
    reusing the doctrees. Reported: which HTML files were rewritten (their mtime changed)
    and the time against the clean build. The control is plain Sphinx on a copy of the
    floor project with one paragraph of the same page changed: Sphinx itself rewrites that
    page, its toctree parent (index.html) and genindex.html and search.html, so the edition
    should rewrite nothing more.
    """
    same = {"edition_annotations_dir": book.folders[settings.annotations]}  # as in section 2: same config
    out = clean.last.outdir if clean else work / "out" / "incremental"

    def build(clean_build: bool = False) -> Build:
        return sphinx_build(book.root, book.docs, out, clean=clean_build, overrides=same)

    clean_seconds = clean.seconds if clean else build(clean_build=True).seconds
    noop = build()
    index = len(book.text) // 2  # annotation `index` is on paragraph `index + 1`, in the middle of the book
    target, para = book.files[index], book.text[index]
    data = yaml_load(target)
    expected = f"page{para.page:02d}.html"
    times, rewritten = [], []
    marker = ""
    for i in range(settings.repetitions):
        marker = f"Revised body, revision {i + 1}."
        data["body"] = f"{marker} {data['body']}"
        replacement = target.with_suffix(".tmp")
        replacement.write_text(dump_yaml(data), encoding="utf-8")
        os.replace(replacement, target)  # a new inode: the hard-linked subsets keep the old text
        rebuilt, files = changed_html(out, build)
        times.append(rebuilt.seconds)
        rewritten.append(files)
    seen = marker in (out / expected).read_text(encoding="utf-8")
    floor_clean, floor_build, floor_files = _floor_control(book, work, para)
    return IncrementalResult(
        clean_seconds, statistics.median(times), noop.seconds, target.relative_to(book.root).as_posix(), expected,
        rewritten, seen, floor_clean.seconds, floor_build.seconds, floor_files,
    )  # fmt: skip


def _floor_control(book: Book, work: Path, para: Paragraph) -> tuple[Build, Build, list[str]]:
    """Plain Sphinx: clean build of a copy of the pages, one word added to ``para``, rebuild."""
    docs = work / "incremental-floor" / "docs"
    shutil.copytree(book.docs, docs)
    out = work / "out" / "incremental-floor"
    clean = sphinx_build(book.floor, docs, out)
    page = docs / f"page{para.page:02d}.md"
    page.write_text(page.read_text(encoding="utf-8").replace(para.text, para.text + " Revised."), encoding="utf-8")
    build, files = changed_html(out, lambda: sphinx_build(book.floor, docs, out, clean=False))
    return clean, build, files
