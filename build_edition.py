#!/usr/bin/env python3
"""The edition's command line: convert, check, build, serve.

python build_edition.py convert [--dry-run]   witness -> docs/essay.md + anchor ledger
python build_edition.py build                 Sphinx, warnings as errors -> _build/html
python build_edition.py serve [--port N]      build, then serve on 127.0.0.1
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from edition.checking import bib_keys, edition_text, github_line, run_check  # noqa: E402
from edition.convert import Paths, convert, outputs, write  # noqa: E402
from edition.decisions import DecisionError  # noqa: E402
from edition.ledger import LedgerError  # noqa: E402
from edition.report import coverage, keys_cited_in_pages  # noqa: E402
from edition.transcribe import TranscriptionError  # noqa: E402
from edition.versions import VersionError  # noqa: E402

HTML = ROOT / "_build" / "html"


def cmd_convert(args: argparse.Namespace) -> int:
    paths = Paths(ROOT)
    try:
        result = convert(paths)
    except (DecisionError, TranscriptionError, LedgerError, VersionError) as error:
        print(f"convert: {error}", file=sys.stderr)
        return 1
    trans = result.transcription
    for decision in result.report:
        print(decision.line())
    print(
        f"version {result.version}: {len(trans.paragraphs)} paragraphs, {len(trans.notes)} notes, "
        f"{len(trans.pages)} pages, {len(trans.applied)} decisions applied"
    )
    if args.dry_run:
        print("dry run: nothing written")
        return 0
    changed = write(paths, result)
    for path in changed:
        print(f"wrote {path.relative_to(ROOT)}")
    if not changed:
        print("up to date")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    try:
        result = run_check(ROOT)
    except (DecisionError, TranscriptionError, LedgerError) as error:
        print(f"check: the text cannot be built: {error}", file=sys.stderr)
        return 1
    for problem in result.problems:
        print(github_line(problem) if args.format == "github" else str(problem))
    status = "no problems" if not result.problems else f"{len(result.problems)} problem(s)"
    print(f"{result.files} annotation file(s) checked: {status}", file=sys.stderr)
    return 1 if result.problems else 0


def cmd_report(args: argparse.Namespace) -> int:
    result = run_check(ROOT)
    pages = keys_cited_in_pages(ROOT / "docs")
    cover = coverage(result.annotations, edition_text(ROOT), bib_keys(ROOT / "bibliography.bib"), pages)
    width = max(len(label) for label, _ in cover.rows())
    for label, figure in cover.rows():
        print(f"{label:<{width}}  {figure}")
    for problem in cover.unresolved:
        print(f"unresolved: {problem}")
    if cover.not_identified:
        print(f"notes not identified: {', '.join(map(str, cover.not_identified))}")
    return 0


def stale() -> list[str]:
    """Outputs of convert that differ from what is committed."""
    paths = Paths(ROOT)
    result = convert(paths)
    out = []
    for path, text in outputs(paths, result):
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            out.append(str(path.relative_to(ROOT)))
    return out


def cmd_build(args: argparse.Namespace) -> int:
    behind = stale()
    if behind:
        print(f"build: {', '.join(behind)} out of date: run `python build_edition.py convert`", file=sys.stderr)
        return 1
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-c", str(ROOT)]
    command += [] if args.incremental else ["-E", "-a"]  # a clean build unless asked otherwise
    command += ["-j", args.jobs] if args.jobs else []
    command += ["-d", str(ROOT / "_build" / "doctrees"), str(ROOT / "docs"), str(HTML)]
    status = subprocess.call(command)
    if status or args.no_epub:
        return status
    epub = ROOT / "_build" / "epub"
    epub_command = [sys.executable, "-m", "sphinx", "-q", "-W", "--keep-going", "-b", "epub", "-c", str(ROOT)]
    epub_command += ["-d", str(ROOT / "_build" / "doctrees-epub"), str(ROOT / "docs"), str(epub)]
    status = subprocess.call(epub_command)
    if status == 0:
        (HTML / "downloads").mkdir(exist_ok=True)
        shutil.copyfile(epub / "edition.epub", HTML / "downloads" / "edition.epub")
    return status


def cmd_serve(args: argparse.Namespace) -> int:
    status = cmd_build(args)
    if status:
        return status
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(HTML))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"serving the edition at http://127.0.0.1:{args.port}/essay.html (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_edition.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("convert", help="witness -> docs/essay.md and source_texts/anchors.yaml")
    p.add_argument("--dry-run", action="store_true", help="show the decisions, write nothing")
    p.set_defaults(func=cmd_convert)
    p = sub.add_parser("check", help="validate every annotation file against the schema and the text")
    p.add_argument("--format", choices=["text", "github"], default="text", help="github: workflow commands")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("report", help="coverage of the apparatus: notes, glosses, emendations, bibliography")
    p.set_defaults(func=cmd_report)
    for name, func in (("build", cmd_build), ("serve", cmd_serve)):
        p = sub.add_parser(name, help=f"{name} the site")
        p.add_argument("-j", "--jobs", default="", help="parallel Sphinx processes, e.g. auto")
        p.add_argument("--incremental", action="store_true", help="rebuild only what changed")
        p.add_argument("--no-epub", action="store_true", help="skip the EPUB")
        if name == "serve":
            p.add_argument("--port", type=int, default=8000)
        p.set_defaults(func=func)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
