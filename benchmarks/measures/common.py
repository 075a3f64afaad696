"""Settings (full and quick), and Sphinx run in a child process, timed: what every section shares."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent  # the repository
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Settings:
    """How big the generated book is and how often each measurement is repeated."""

    name: str = "full"
    repetitions: int = 3
    paragraphs: int = 1000
    pages: int = 20
    annotations: int = 10_000
    steps: tuple[int, ...] = (1000, 2000, 4000, 8000)  # the attach-cost curve (plus `annotations`)
    context_repetitions: int = 1  # builds that only give context: the attach curve's inner points, ...
    essay_variants: bool = True  # ... the essay alone and the floor with the book theme
    profile_site: bool = False  # also profile the real site (section 7)
    profile: bool = True
    browser: bool = True  # Lighthouse and the reading measures in Chromium (section 6)
    orphans: int = 200  # section 8: acknowledged orphans with long quotes, against as many ordinary annotations
    marks: tuple[int, int] = (500, 4000)  # section 8: marks on the same words, fewer and more
    bib_at_limit: bool = True  # section 8: build the site with a bibliography at the size limit


FULL = Settings()
QUICK = Settings(
    name="quick",
    repetitions=1,
    paragraphs=100,
    pages=5,
    annotations=1000,
    steps=(100, 200, 400, 800),
    profile=False,
    essay_variants=False,
    orphans=50,
    marks=(250, 2000),
    bib_at_limit=False,
)

TARGETS: dict[str, float] = {
    "essay": 1.5,  # edition / floor, at most
    "book": 2.0,  # edition / floor, at most
    "flat": 1.5,  # per-annotation cost: largest / smallest step, at most
    "own_assets_kb": 20.0,  # the edition's CSS + JS, gzip-compressed, under
    "orphans": 2.0,  # check: acknowledged orphans with long quotes / as many ordinary annotations, at most
    "page_kb": 150.0,  # the essay page and all it loads, gzip, at most (issue 15)
    "performance": 95,  # Lighthouse mobile performance, at least
    "cls": 0.05,  # cumulative layout shift, under
    "note_ms": 1000,  # a note open after navigation at 4x CPU slowdown on a 360 px phone, at most
    "blank_px": 200,  # the tallest run of the text column with nothing in it, at most
}
MEASURE = (60, 75)  # characters a line at 1280 and 1600 px
GZIP_LEVEL = 6  # what web servers commonly use for on-the-fly compression


CHILD = r"""
import json, os, sys, time
from sphinx.cmd.build import build_main
args = sys.argv[1:]
profile = os.environ.get("BENCH_PROFILE")
start = time.perf_counter()
if profile:
    import cProfile
    profiler = cProfile.Profile()
    rc = profiler.runcall(build_main, args)
    profiler.dump_stats(profile)
else:
    rc = build_main(args)
seconds = time.perf_counter() - start
with open(os.environ["BENCH_RESULT"], "w") as f:
    json.dump({"rc": rc, "seconds": seconds}, f)
sys.exit(rc)
"""


@dataclass
class Build:
    """One Sphinx build: time inside the child, peak memory, warnings."""

    seconds: float
    wall: float
    peak_mb: float
    returncode: int
    stderr: str
    outdir: Path

    @property
    def warnings(self) -> list[str]:
        """Warning and error lines, with the temporary build folder shown as ``<work>`` and paths
        in the repository relative to it, so that the report names no folder of the machine."""
        lines = [line for line in self.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
        return [without_machine_paths(line) for line in lines]


def without_machine_paths(line: str) -> str:
    """``line`` with the benchmark's temporary folders as ``<work>`` and the repository's paths relative."""
    line = re.sub(r"/\S*?/edition-bench-[^/\s]+", "<work>", line)
    return line.replace(f"{ROOT}{os.sep}", "")


class BuildFailed(RuntimeError):
    pass


def sphinx_build(
    confdir: Path,
    srcdir: Path,
    outdir: Path,
    *,
    clean: bool = True,
    jobs: str | None = None,
    overrides: dict[str, str] | None = None,
    profile_to: Path | None = None,
) -> Build:
    """``python -m sphinx -q [-E -a] -b html -c confdir srcdir outdir`` in a child process."""
    args = ["-q", "-b", "html", "-c", str(confdir), "-d", str(outdir.parent / f"{outdir.name}.doctrees")]
    args += ["-E", "-a"] if clean else []
    args += ["-j", jobs] if jobs else []
    for name, value in (overrides or {}).items():
        args += ["-D", f"{name}={value}"]
    args += [str(srcdir), str(outdir)]
    with tempfile.TemporaryDirectory() as scratch:
        result_file = Path(scratch) / "result.json"
        stderr_file = Path(scratch) / "stderr.txt"
        env = {**os.environ, "BENCH_RESULT": str(result_file), "PYTHONHASHSEED": "0"}
        if profile_to:
            env["BENCH_PROFILE"] = str(profile_to)
        start = time.perf_counter()
        with open(stderr_file, "w") as err:
            proc = subprocess.Popen([PYTHON, "-c", CHILD, *args], stdout=subprocess.DEVNULL, stderr=err, env=env)
            _, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage, not all children's so far
            proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        stderr = stderr_file.read_text(errors="replace")
        if proc.returncode != 0 or not result_file.exists():
            raise BuildFailed(f"sphinx exited with {proc.returncode}:\n{stderr[-3000:]}")
        seconds = json.loads(result_file.read_text())["seconds"]
    return Build(seconds, wall, usage.ru_maxrss / 1024, proc.returncode, stderr, outdir)


@dataclass
class Series:
    """Repeated builds of one configuration; the median is what is reported."""

    builds: list[Build] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(b.seconds for b in self.builds)

    @property
    def peak_mb(self) -> float:
        return max(b.peak_mb for b in self.builds)

    @property
    def last(self) -> Build:
        return self.builds[-1]

    def spread(self) -> str:
        times = [b.seconds for b in self.builds]
        return f"{min(times):.2f}–{max(times):.2f}" if len(times) > 1 else f"{times[0]:.2f}"


def repeat(times: int, make: Callable[[int], Build]) -> Series:
    """Run ``make(i)`` ``times`` times (each into its own output folder)."""
    return Series([make(i) for i in range(times)])


def html_files(outdir: Path) -> dict[str, Path]:
    return {p.relative_to(outdir).as_posix(): p for p in sorted(outdir.rglob("*.html"))}


def yaml_load(path: Path) -> Any:
    """A YAML file of the edition, read plainly (the benchmark's own inputs are trusted)."""
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))
