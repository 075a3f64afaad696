"""`build_edition.py serve` rebuilds the pages when a source changes: what counts as a change,
and an editor's save seen in the served page."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import copy_project
from edition.commands.watch import changes, ignored, needs_clean_build, snapshot, watch


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("gloss-x.yaml", False),
        ("essay.md", False),
        (".gloss-x.yaml.swp", True),  # vim
        ("#essay.md#", True),  # emacs, while editing
        ("essay.md~", True),  # backups
        ("__pycache__", True),
        ("annotate.cpython-311.pyc", True),
    ],
)
def test_editor_by_products_are_not_sources(name: str, expected: bool) -> None:
    assert ignored(name) is expected


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ({"a": (1, 1)}, {"a": (1, 1)}, []),
        ({"a": (1, 1)}, {"a": (2, 1)}, ["a"]),  # saved again
        ({"a": (1, 1)}, {"a": (1, 2)}, ["a"]),  # same second, other size
        ({"a": (1, 1)}, {"a": (1, 1), "b": (1, 1)}, ["b"]),  # added
        ({"a": (1, 1), "b": (1, 1)}, {"b": (1, 1)}, ["a"]),  # removed
        ({"b": (1, 1), "a": (1, 1)}, {"b": (2, 1), "a": (2, 1)}, ["a", "b"]),  # sorted
    ],
)
def test_changes_between_two_looks(
    before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]], expected: list[str]
) -> None:
    assert changes(before, after) == expected


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        (["annotations/glosses/gloss-x.yaml"], False),
        (["docs/about.md", "bibliography.bib"], False),
        (["conf.py"], True),
        (["annotations/a.yaml", "edition/static/edition.css"], True),
        (["docs/edition/page.md"], False),  # only the extension's own folder
    ],
)
def test_a_changed_extension_or_configuration_needs_a_clean_build(changed: list[str], expected: bool) -> None:
    assert needs_clean_build(changed) is expected


def test_snapshot_lists_the_watched_sources_only(tmp_path: Path) -> None:
    for relative in ("docs/essay.md", "annotations/g/a.yaml", "annotations/g/.a.yaml.swp", "conf.py", "_build/x.html",
                     "edition/__pycache__/m.pyc", "notes.txt"):  # fmt: skip
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    assert sorted(snapshot(tmp_path)) == ["annotations/g/a.yaml", "conf.py", "docs/essay.md"]


def test_watch_rebuilds_once_per_change_and_again_for_a_save_during_the_rebuild(tmp_path: Path) -> None:
    source = tmp_path / "annotations" / "a.yaml"
    source.parent.mkdir()
    source.write_text("one", encoding="utf-8")
    seen: list[list[str]] = []
    stop = threading.Event()

    def rebuild(changed: list[str]) -> None:
        seen.append(changed)
        if len(seen) == 1:
            (tmp_path / "annotations" / "b.yaml").write_text("saved while rebuilding", encoding="utf-8")
        else:
            stop.set()

    thread = threading.Thread(target=watch, args=(tmp_path, rebuild, stop, 0.05))
    thread.start()
    time.sleep(0.2)
    source.write_text("two words", encoding="utf-8")
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert seen == [["annotations/a.yaml"], ["annotations/b.yaml"]]


def test_watch_sees_what_was_saved_before_it_started_looking(tmp_path: Path) -> None:
    """The look taken before the first build is the baseline: a save during that build counts."""
    source = tmp_path / "docs" / "essay.md"
    source.parent.mkdir()
    source.write_text("one", encoding="utf-8")
    since = snapshot(tmp_path)
    source.write_text("saved during the first build", encoding="utf-8")
    seen: list[list[str]] = []
    stop = threading.Event()
    watch(tmp_path, lambda changed: (seen.append(changed), stop.set()), stop, 0.01, since=since)
    assert seen == [["docs/essay.md"]]


# --- the real command, on a copy of the project ---


class Served:
    """``build_edition.py serve --no-epub`` running on a copy of the project (on a free port), its
    output read as it comes."""

    def __init__(
        self,
        tmp_path: Path,
        change: Callable[[Path], None] | None = None,
        *options: str,
        ignore_ctrl_c: bool = False,  # as a shell starts a background job (`&`): SIGINT ignored
    ) -> None:
        self.project = copy_project(tmp_path)
        if change:
            change(self.project)
        self.process = subprocess.Popen(
            [sys.executable, "-u", "build_edition.py", "serve", "--no-epub", "--port", "0", *options],
            cwd=self.project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_ctrl_c else None,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=lambda: [self.lines.put(line) for line in self.process.stdout or []], daemon=True
        ).start()
        self.output: list[str] = []
        self.page = ""

    def wait_for(self, words: str, seconds: float = 180) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.output.append(self.lines.get(timeout=1))
            except queue.Empty:
                assert self.process.poll() is None, self.text()
                continue
            if found := re.search(r"serving the edition at (http://127\.0\.0\.1:\d+/essay\.html)", self.output[-1]):
                self.page = found.group(1)
            if words in self.output[-1]:
                return
        raise AssertionError(f"no {words!r} in:\n{self.text()}")

    def text(self) -> str:
        return "".join(self.output)[-4000:]

    def html(self) -> str:
        return self.get("essay.html")

    def get(self, path: str) -> str:
        return str(urllib.request.urlopen(self.page.replace("essay.html", path)).read().decode("utf-8"))

    def stop(self) -> int:
        """SIGTERM, which serve handles wherever it runs (a background job ignores Ctrl-C's SIGINT)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                os.kill(self.process.pid, signal.SIGKILL)


GLOSS = Path("annotations") / "glosses" / "gloss-thermidor.yaml"


def _edit(project: Path, old: str, new: str) -> None:
    path = project / GLOSS
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_serve_rebuilds_the_page_an_editor_changed_and_says_what_is_wrong(tmp_path: Path) -> None:
    served = Served(tmp_path)
    try:
        served.wait_for("the pages and the downloads are rebuilt when a source changes")
        assert "Robespierre's Jacobins" in served.html()
        _edit(served.project, "Robespierre's Jacobins", "Robespierre's <b>Jacobins</b>")
        served.wait_for("not clean: fix the problems above and save again")
        assert f"{GLOSS.as_posix()}:11:" in served.text()  # the line of the body, with what is wrong
        _edit(served.project, "Robespierre's <b>Jacobins</b>", "Maximilien Robespierre's Jacobins")
        served.wait_for("rebuilt: reload the page")
        assert f"changed: {GLOSS.as_posix()}; rebuilding the pages" in served.text()
        assert "Maximilien Robespierre's Jacobins" in served.html()
        assert "Maximilien Robespierre's Jacobins" in served.get("downloads/annotations.jsonld")
    finally:
        status = served.stop()
    assert status == 0, served.text()


def test_serve_starts_despite_a_problem_and_rebuilds_when_it_is_fixed(tmp_path: Path) -> None:
    served = Served(tmp_path, lambda project: _edit(project, "category: term", "category: FILL IN"))
    try:
        served.wait_for("not clean: fix the problems above and save again; serving the pages as built")
        assert "FILL IN" in served.text()
        _edit(served.project, "category: FILL IN", "category: term")
        served.wait_for("rebuilt: reload the page")
        assert "gloss-thermidor" in served.html()
    finally:
        status = served.stop()
    assert status == 0, served.text()


def test_serve_stops_on_sigterm_where_ctrl_c_is_ignored(tmp_path: Path) -> None:
    """A background job (``make test &``, CI, a process manager) starts with SIGINT ignored, so
    Ctrl-C's signal never reached serve and it never stopped; SIGTERM stops it, always. (Its
    output is read to the end as it comes: a pipe left full would hold the server up.)"""
    served = Served(tmp_path, None, "--no-watch", ignore_ctrl_c=True)
    process = served.process
    try:
        served.wait_for("serving the edition at")
        process.send_signal(signal.SIGINT)
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=2)  # ignored, as the job was told
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, served.text()  # generous: the suite's other worker may be building
        served.wait_for("serve: stopped", seconds=10)
    finally:
        if process.poll() is None:
            process.kill()


def test_serve_on_a_busy_port_says_so_before_building(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "build_edition.py", "serve", "--port", str(port)],
            cwd=project, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert result.returncode == 1
    assert f"serve: cannot serve on port {port}" in result.stderr
    assert f"choose another port with --port, e.g. --port {port + 1}" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (project / "_build").exists()  # nothing was built first
