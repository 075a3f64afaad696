"""Serving a built site on 127.0.0.1 and driving Debian's Chromium with Playwright."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from contextlib import AbstractContextManager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from measures.page import serving  # noqa: E402  (the benchmark's, shared)

CHROMIUM = "/usr/bin/chromium"
NODE_MODULES = Path(__file__).parent / "browser" / "node_modules"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_browser() -> None:
    """Skip where no browser is installed, but never in CI, where the suite must run."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(CHROMIUM)
    if shutil.which("java") is None:
        missing.append("java")
    if not (NODE_MODULES / "axe-core").exists():
        missing.append("tests/browser/node_modules (npm ci)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("playwright")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need {', '.join(missing)}")
        pytest.skip(f"browser tests need {', '.join(missing)}")


def require_program(name: str, package: str) -> str:
    """The path of an outside program the test drives; skipped where it is missing, failed in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"this test needs {name} (Debian package {package})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> AbstractContextManager[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    return serving(ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory))))
