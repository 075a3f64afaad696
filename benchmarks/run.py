#!/usr/bin/env python3
"""Performance benchmarks of the edition extension, measured side by side in one run.

Run from the repository root with the project's virtualenv::

    .venv/bin/python benchmarks/run.py                 # full run, about 10 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --quick         # a smaller run, under a minute
    .venv/bin/python benchmarks/run.py --write docs/benchmarks.md
    .venv/bin/python benchmarks/run.py --profile-site  # section 7 profiles the real site too

It prints Markdown: a summary table of RATIOS (edition / floor), then the details of each
measurement, and with ``--write PATH`` writes the same Markdown to PATH. Nothing in the
repository is touched otherwise: every build goes into a temporary directory.

Sections (each a module of ``benchmarks/measures/``, whose function ``measure_*`` says in its
docstring what is measured and why; ``measures/report.py`` writes the report):

1. Overhead on the essay: the real edition against plain Sphinx + myst-parser; and the
   exports that `build_edition.py build` writes after the pages, timed once.
2. Book scale: a generated edition of 1,000 paragraphs and 10,000 annotations.
3. Incremental rebuild after one annotation file changes.
4. Validation (``check``) against merely parsing the YAML.
5. Parallel (``-j auto``) against serial: same bytes, and the time ratio.
6. The essay page beside the same essay in the look of Jupyter Book (sphinx-book-theme): page
   weight with everything it loads (no other hosts), Lighthouse (mobile, served gzip), and what a
   reader meets in Chromium (a note open on a slow phone, layout shift, blank runs, measure).
7. Profile (cProfile) of the book build: the extension's hotspots.
8. Bounded cost: acknowledged orphans with long quotes in ``check``, many annotations on the
   same words, and a 10 MB bibliography (refused) against one at the size limit.

Every time is the median of N repetitions (3, or 1 with ``--quick``; builds that only give
context, such as the inner points of the attach curve, are run once), measured with
``time.perf_counter`` inside a fresh ``python`` child process around
``sphinx.cmd.build.build_main`` (so interpreter start-up, the same on both sides, is not
counted; importing Sphinx, the theme and the extension is). Peak memory is the child's
maximum resident set size, from ``os.wait4``.

The exit status is 0 when every section ran (a missed target is reported, not an error)
and 1 when a section failed; the failure and its error are in the report.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from measures.book import SEED, generate_book, measure_book
from measures.common import FULL, QUICK, Settings
from measures.costs import measure_costs
from measures.essay import measure_essay
from measures.incremental import measure_incremental
from measures.page import measure_pages
from measures.parallel import measure_parallel
from measures.profiling import measure_profile
from measures.report import Results, render, sources_fingerprint
from measures.validation import measure_validation


def attempt(results: Results, name: str, func: Callable[[], Any]) -> Any:
    """Run one section; a failure is recorded in the report and the other sections go on."""
    start = time.perf_counter()
    print(f"[bench] {name} …", file=sys.stderr, flush=True)
    try:
        value = func()
    except Exception:
        results.failures[name] = traceback.format_exc()[-4000:]
        print(f"[bench] {name} FAILED", file=sys.stderr, flush=True)
        return None
    print(f"[bench] {name}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return value


def run(settings: Settings, work: Path) -> Results:
    start = time.perf_counter()
    results = Results(settings, sources_before=sources_fingerprint(), load=[os.getloadavg()[0]])
    results.essay = attempt(results, "essay overhead", lambda: measure_essay(work / "essay", settings))
    book = attempt(results, "generate the book", lambda: generate_book(work, settings))
    if book is not None:
        results.book_size = (
            f"Generated: {settings.paragraphs:,} paragraphs over {settings.pages} pages, one note each, "
            f"{settings.annotations:,} annotations (kinds: 30% gloss, 20% crossref, 20% emendation, "
            f"20% commentary, 10% note), seed {SEED}; default theme for edition and floor alike."
        )
        results.book = attempt(results, "book scale", lambda: measure_book(book, work, settings))
        results.validation = attempt(results, "validation", lambda: measure_validation(book, settings))
        if results.book:
            serial = results.book.by_count[settings.annotations]
            results.parallel = attempt(results, "parallel", lambda: measure_parallel(book, serial, work, settings))
        clean = results.book.by_count[settings.annotations] if results.book else None
        results.incremental = attempt(results, "incremental", lambda: measure_incremental(book, work, settings, clean))
        if settings.profile:
            results.profile = attempt(results, "profile", lambda: measure_profile(book, work, settings))
    if results.essay:
        essay = results.essay
        results.pages = attempt(results, "page weight and reading", lambda: measure_pages(essay, work, settings))
    results.costs = attempt(results, "bounded cost", lambda: measure_costs(work / "costs", settings))
    results.elapsed = time.perf_counter() - start
    results.sources_after = sources_fingerprint()
    results.load.append(os.getloadavg()[0])
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 paragraphs, 1,000 annotations, 1 repetition")
    parser.add_argument("--write", metavar="PATH", type=Path, help="also write the Markdown report to PATH")
    parser.add_argument("--no-profile", action="store_true", help="skip section 7 (cProfile)")
    parser.add_argument("--profile", action="store_true", help="run section 7 even with --quick")
    parser.add_argument("--profile-site", action="store_true", help="section 7 profiles the real site too")
    parser.add_argument("--no-browser", action="store_true", help="section 6 without Lighthouse and Chromium")
    parser.add_argument("--keep", metavar="DIR", type=Path, help="build in DIR and keep it (default: a temp dir)")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    if args.no_profile or args.profile:
        settings = dataclasses.replace(settings, profile=args.profile)
    if args.profile_site:
        settings = dataclasses.replace(settings, profile=True, profile_site=True)
    if args.no_browser:
        settings = dataclasses.replace(settings, browser=False)
    if args.keep:
        if args.keep.exists():
            shutil.rmtree(args.keep)
        args.keep.mkdir(parents=True)
        results = run(settings, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="edition-bench-") as work:
            results = run(settings, Path(work))
    report = render(results)
    print(report)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(report, encoding="utf-8")
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
