"""The garbage collector, tuned for the length of a build and restored after it.

A build allocates hundreds of thousands of docutils nodes, each linked to its parent in a
reference cycle, and CPython's collector, at its default thresholds, scans the growing heap
again and again: on a book with 10,000 annotations that was a fifth of the build (see
docs/benchmarks.md). So, once Sphinx and the extensions are set up, everything alive is
frozen (never scanned again: it lives for the whole build) and the collector runs less often.
Both are undone when the build finishes, whether it succeeded or not, so a process that
runs several builds (the tests do) gets its collector back as it was.
"""

from __future__ import annotations

import gc
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

BUILD_THRESHOLDS = (100_000, 50, 100)  # CPython's defaults are (700, 10, 10)

_SAVED: weakref.WeakKeyDictionary[Sphinx, tuple[int, int, int]] = weakref.WeakKeyDictionary()


def tune(app: Sphinx) -> None:
    if app in _SAVED:
        return
    _SAVED[app] = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*BUILD_THRESHOLDS)


def restore(app: Sphinx, exception: BaseException | None = None) -> None:
    saved = _SAVED.pop(app, None)
    if saved is None:
        return
    gc.set_threshold(*saved)
    gc.unfreeze()


def setup_collector(app: Sphinx) -> None:
    # Before the annotations are loaded (builder-inited, priority 500): loading makes most of
    # the objects that live for the whole build, and the default thresholds scan them again and again.
    app.connect("builder-inited", tune, priority=100)
    app.connect("build-finished", restore)
