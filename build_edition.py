#!/usr/bin/env python3
"""The edition's command line: convert, check, build, serve.

python build_edition.py convert [--dry-run]   witness -> docs/essay.md + anchor ledger
python build_edition.py build                 Sphinx, warnings as errors -> _build/html
python build_edition.py serve [--port N]      build, serve on 127.0.0.1, rebuild on every save
python build_edition.py migrate [--dry-run]   annotation files of format version 1 -> version 2
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shlex
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

SET_UP = """\
build_edition.py: this Python ({python}) lacks what the edition needs (no module named {module!r}).
Set it up once with `make install` (it makes .venv/ and installs the edition there), then run
    .venv/bin/python build_edition.py {command}
or run it through make, which sets up by itself: make check, make new ARGS='…', make serve, make build."""

try:
    from edition.annotation.targets import edition_text
    from edition.checks.preflight import blocks_the_text, preflight
    from edition.commands.check import bib_keys, github_line, run_check, source_problem
    from edition.commands.report import coverage, keys_cited_in_pages
    from edition.commands.watch import needs_clean_build, snapshot, watch
    from edition.core.committed import check_published, published_record
    from edition.core.convert import Paths, check_data_files, convert, explain, outputs, write
    from edition.core.datafiles import SourceError
    from edition.core.decisions import DecisionError
    from edition.core.safeyaml import YamlProblem
    from edition.core.transcribe import TranscriptionError
except ModuleNotFoundError as missing:  # a Python without the dependencies: say how to set up, no traceback
    if (missing.name or "").partition(".")[0] == "edition":
        raise
    command = shlex.join(sys.argv[1:]) or "check"
    sys.exit(SET_UP.format(python=sys.executable, module=missing.name, command=command))

HTML = ROOT / "_build" / "html"


INPUT_ERRORS = (DecisionError, TranscriptionError, SourceError, YamlProblem)
"""What bad sources raise: each names its file (and place), and is printed, never a traceback
(SourceError: the ledger, edition.yaml, a snapshot, the published record)."""


def refused_sources(command: str, text_only: bool = False) -> bool:
    """Print every problem that stops anything being read or built (links, bibliography,
    pages); ``text_only``: only those that keep the text from being read."""
    problems = preflight(ROOT)
    if text_only:
        problems = [p for p in problems if blocks_the_text([p])]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{command}: {len(problems)} problem(s) in the sources; nothing was built", file=sys.stderr)
    return bool(problems)


def cmd_convert(args: argparse.Namespace) -> int:
    paths = Paths(ROOT)
    if refused_sources("convert", text_only=True):
        return 1
    try:
        result = convert(paths)
        record = published_record(ROOT)
        broken = check_published(paths, result, record)
    except INPUT_ERRORS as error:
        print(f"convert: {error}", file=sys.stderr)
        return 1
    trans = result.transcription
    for line in explain(result):
        print(line)
    print()
    print(
        f"version {result.version}: {len(trans.paragraphs)} paragraphs, {len(trans.notes)} notes, "
        f"{len(trans.pages)} pages, {len(trans.applied)} decisions applied; compared with {record.source}"
    )
    if broken:
        for problem in broken:
            print(problem, file=sys.stderr)
        print("convert: that would break the anchor contract (see ARCHITECTURE.md); nothing written", file=sys.stderr)
        return 1
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
    except SourceError as error:  # a data file that cannot be read: shown like any problem
        problem = source_problem(error)
        print(github_line(problem) if args.format == "github" else str(problem))
        return 1
    except INPUT_ERRORS as error:
        print(f"check: the text cannot be built: {error}", file=sys.stderr)
        return 1
    for problem in result.problems:
        print(github_line(problem) if args.format == "github" else str(problem))
    status = "no problems" if not result.problems else f"{len(result.problems)} problem(s)"
    print(f"{result.files} annotation file(s) and the list of names checked: {status}", file=sys.stderr)
    return 1 if result.problems else 0


NEW_EXAMPLES = {
    "note": "note --note 13",
    "gloss": 'gloss --paragraph p15 --quote "gospel of obedience and silence"',
    "variant": 'variant --paragraph p15 --quote "gospel of obedience and silence"',
    "crossref": 'crossref --paragraph p27 --quote "frenzy and" --refers-to p5',
    "emendation": 'emendation --paragraph p23 --quote "had been been"',
    "commentary": 'commentary --paragraph p31 --quote "entrenched tradition"',
}


def missing_new_arguments(args: argparse.Namespace) -> str:
    """What ``new`` needs and was not given ("" if nothing), with an example."""
    if args.kind == "note":
        if args.note is not None:
            return ""
        needed = "--note (the number of the essay's note it expands)"
    else:
        if args.paragraph and args.quote:
            return ""
        needed = "--paragraph (the paragraph's id, e.g. p12: its number in the margin) and --quote (its exact words)"
    from edition.annotation.skeleton import NAMES

    return (
        f"new: {NAMES[args.kind][0].lower()}{NAMES[args.kind][1:]} needs {needed}; for example:\n"
        f"    make new ARGS='{NEW_EXAMPLES[args.kind]}'\n"
        f"    (or .venv/bin/python build_edition.py new {NEW_EXAMPLES[args.kind]})"
    )


def cmd_new(args: argparse.Namespace) -> int:
    """Write a skeleton annotation file, checked against the text and the annotations already
    there, and say what to fill in."""
    import datetime

    import yaml

    from edition.annotation.checks import duplicate_message, on_the_same_words
    from edition.annotation.loading import load_annotations
    from edition.annotation.skeleton import PLACEHOLDER, annotation_id, id_problem, path_for, placeholders, skeleton
    from edition.core.anchoring import Quote, locate

    missing = missing_new_arguments(args)
    if missing:
        print(missing, file=sys.stderr)
        return 1
    if refused_sources("new", text_only=True):
        return 1
    text = edition_text(ROOT)
    annotations, _ = load_annotations(ROOT / "annotations", ROOT)  # their own problems are check's to report
    span = None
    if args.kind == "note":
        if args.note not in text.notes:
            print(f"new: note {args.note} does not exist (the essay has notes 1 to {max(text.notes)})", file=sys.stderr)
            return 1
        expansion = next((a for a in annotations if a.kind == "note" and a.note == args.note), None)
        if expansion is not None:
            print(f"new: note {args.note} is already expanded by {expansion.path}; add to it", file=sys.stderr)
            return 1
    else:
        if args.paragraph not in text.paragraphs:
            print(f"new: paragraph {args.paragraph} does not exist; paragraph ids look like p12", file=sys.stderr)
            return 1
        hits = locate(text.paragraphs[args.paragraph], Quote(args.quote))
        if len(hits) != 1 or not hits[0].exact:
            if not hits:
                how = "is not"
            else:
                how = "nearly matches but is not exactly" if len(hits) == 1 else "occurs more than once"
            print(f'new: the quote "{args.quote}" {how} in ¶ {args.paragraph}; copy the exact words', file=sys.stderr)
            return 1
        span = (args.paragraph, hits[0].start, hits[0].end)
    ident = args.id or annotation_id(args.kind, args.paragraph or "", args.quote or "", args.note)
    if id_problem(ident):
        print(f"new: --id {id_problem(ident)}", file=sys.stderr)
        return 1
    path = ROOT / path_for(args.kind, ident)
    if path.exists():
        print(f"new: {path.relative_to(ROOT)} already exists; choose another --id", file=sys.stderr)
        return 1
    fields = {
        "category": args.category, "headword": args.headword, "body": args.body, "basis": args.basis,
        "confidence": args.confidence, "reading": args.reading, "refers_to": args.refers_to,
        "sources": args.sources, "locator": args.locator,
    }  # fmt: skip
    content = skeleton(
        args.kind,
        paragraph=args.paragraph or "",
        quote=args.quote or "",
        note=args.note,
        date=args.date or datetime.date.today().isoformat(),
        author=args.author or "",
        ident=ident,
        fields=fields,
    )
    overlapping = on_the_same_words(args.kind, yaml.safe_load(content), span, annotations, text) if span else []
    for existing, same_words, same in overlapping:
        if same:
            print(f"new: {duplicate_message(args.kind, existing, same_words)}", file=sys.stderr)
            return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")
    for existing, same_words, _ in overlapping:
        words = "the same words" if same_words else f"words overlapping yours ('{existing.quote.exact}')"
        print(f"note: {existing.path} is a {args.kind} on {words}: if yours says the same, add to that one instead")
    todo = placeholders(content)
    if todo:
        print(f"Fill in the {PLACEHOLDER} on line(s) {', '.join(map(str, todo))}, then run:")
    else:
        print("Check it with:")
    print("    make check")
    return 0


MIGRATE_HELP = """\
Rewrite annotation files of format version 1 as version 2.

Only the values that change are rewritten, in place: 'schema: 1' becomes 'schema: 2', and
each confidence grade keeps its name (verified, inferred, not-identified mean the same in
version 2). Comments, key order, quoting and line breaks stay as they are; a file already
at version 2 is left alone, so the command can be run again. Each rewritten file is loaded
again and must hold the same data.

Version 2 grades say what was seen: verified (in the cited work itself),
verified-in-translation, secondary (only as quoted or described by another work), inferred,
not-identified. No rewrite can tell which a version 1 'verified' is: review each by hand
against its basis (docs/annotating.md)."""


def migration_targets(paths: list[str]) -> list[Path]:
    """The files named, and every *.yaml below the folders named, in path order."""
    from edition.core.walk import files_below

    found: list[Path] = []
    for name in paths or [str(ROOT / "annotations")]:
        path = Path(name)
        if path.is_dir():
            found += [Path(entry.path) for _, entry in files_below(str(path)) if entry.name.endswith(".yaml")]
        else:
            found.append(path)
    return found


def cmd_migrate(args: argparse.Namespace) -> int:
    from edition.annotation.migrate import REGRADE, MigrationError, migrate_text
    from edition.core.safeyaml import YamlProblem

    migrated = current = failed = 0
    for path in migration_targets(args.paths):
        shown = path.resolve().relative_to(ROOT).as_posix() if path.resolve().is_relative_to(ROOT) else str(path)
        try:
            text = path.read_bytes().decode("utf-8")
            result = migrate_text(text)
        except (MigrationError, YamlProblem) as error:
            print(f"{shown}:{error.line}:{error.column}: {error.message} [edition.schema]", file=sys.stderr)
            failed += 1
            continue
        except (OSError, UnicodeDecodeError) as error:
            print(f"{shown}:1:1: cannot read the file ({error}) [edition.schema]", file=sys.stderr)
            failed += 1
            continue
        if not result.changes:
            current += 1
            continue
        migrated += 1
        for change in result.changes:
            print(f"{shown}:{change.line}:{change.column}: {change.describe()}")
        if not args.dry_run:
            path.write_bytes(result.text.encode("utf-8"))
    verb = "would be migrated" if args.dry_run else "migrated"
    print(f"{migrated} file(s) {verb} to format version 2; {current} already at version 2; {failed} not readable")
    if migrated:
        print(f"Note: {REGRADE}.")
    if args.dry_run:
        print("dry run: nothing written")
    return 1 if failed else 0


def cmd_report(args: argparse.Namespace) -> int:
    from edition.annotation.names import read_names

    if refused_sources("report", text_only=True):
        return 1
    result = run_check(ROOT)
    pages = keys_cited_in_pages(ROOT / "docs")
    names, _ = read_names(ROOT)
    cover = coverage(result.annotations, edition_text(ROOT), bib_keys(ROOT / "bibliography.bib"), pages, names)
    width = max(len(label) for label, _ in cover.rows())
    for label, figure in cover.rows():
        print(f"{label:<{width}}  {figure}")
    headers, rows = cover.grade_table()
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    print("\nConfidence, per kind:")
    for row in [headers, *rows]:
        cells = zip(row, widths, strict=True)
        print("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(cells)).rstrip())
    for problem in cover.unresolved:
        print(f"unresolved: {problem}")
    if cover.not_identified:
        print(f"notes not identified: {', '.join(map(str, cover.not_identified))}")
    for name, category, where, quoting in cover.unexplained_rows():
        hint = f"; {quoting} quote(s) its words" if quoting else ""
        print(f"unexplained name: {name} ({category}), ¶ {where}{hint}")
    problems = [p for p in result.problems if p.type == "names" or p.path.startswith("source_texts/")]
    for problem in problems:
        print(f"names: {problem}")
    return 1 if problems else 0


def stale() -> list[str]:
    """Outputs of convert that differ from what is committed."""
    paths = Paths(ROOT)
    result = convert(paths)
    out = []
    for path, text in outputs(paths, result):
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            out.append(str(path.relative_to(ROOT)))
    return out


def settings_overrides(args: argparse.Namespace) -> list[str]:
    """``-D`` options for the addresses given on the command line (in CI, from the run itself),
    which take the place of conf.py's; a site address gets its trailing slash."""
    out = []
    site = getattr(args, "site_url", None)
    repository = getattr(args, "repository_url", None)
    if site:
        out += ["-D", f"edition_site_url={site.rstrip('/')}/"]
    if repository:
        out += ["-D", f"edition_repository_url={repository.rstrip('/')}"]
    return out


def html_build(incremental: bool, jobs: str, overrides: list[str] | None = None) -> int:
    """The pages, warnings as errors (every page is still written: --keep-going)."""
    if refused_sources("build"):
        return 1
    try:
        check_data_files(ROOT, "source_texts")  # as the extension would, but without Sphinx's traceback
        behind = stale()
        broken = check_published(Paths(ROOT), convert(Paths(ROOT)))
    except INPUT_ERRORS as error:
        print(f"build: the text cannot be built: {error}", file=sys.stderr)
        return 1
    if broken:
        for problem in broken:
            print(problem, file=sys.stderr)
        print("build: the anchor ledger breaks the anchor contract (see ARCHITECTURE.md)", file=sys.stderr)
        return 1
    if behind:
        print(f"build: {', '.join(behind)} out of date: run `python build_edition.py convert`", file=sys.stderr)
        return 1
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-c", str(ROOT)]
    if not incremental:  # a clean build unless asked otherwise: nothing of an earlier build is left
        shutil.rmtree(HTML, ignore_errors=True)
        command += ["-E", "-a"]
    command += ["-j", jobs] if jobs else []
    command += overrides or []
    command += ["-d", str(ROOT / "_build" / "doctrees"), str(ROOT / "docs"), str(HTML)]
    return subprocess.call(command)


def epub_build(incremental: bool, overrides: list[str] | None = None) -> int:
    """The EPUB, copied beside the other downloads (no stale one is left when it fails)."""
    epub = ROOT / "_build" / "epub"
    (HTML / "downloads" / "edition.epub").unlink(missing_ok=True)
    command = [sys.executable, "-m", "sphinx", "-q", "-W", "--keep-going", "-b", "epub", "-c", str(ROOT)]
    if not incremental:
        shutil.rmtree(epub, ignore_errors=True)
        command += ["-E", "-a"]
    command += overrides or []
    command += ["-d", str(ROOT / "_build" / "doctrees-epub"), str(ROOT / "docs"), str(epub)]
    status = subprocess.call(command)
    if status == 0:
        (HTML / "downloads").mkdir(exist_ok=True)
        shutil.copyfile(epub / "edition.epub", HTML / "downloads" / "edition.epub")
    return status


def cmd_build(args: argparse.Namespace) -> int:
    status = html_build(args.incremental, args.jobs, settings_overrides(args))
    if status:
        return status
    status = cmd_export(args)
    if status:
        return status
    if args.no_epub:
        (HTML / "downloads" / "edition.epub").unlink(missing_ok=True)  # no EPUB of earlier pages
        return 0
    return epub_build(args.incremental, settings_overrides(args))


def site_settings(args: argparse.Namespace) -> tuple[str, str]:
    """The public address (as given on the command line, else as conf.py sets it) and the essay's page."""
    import runpy

    conf = runpy.run_path(str(ROOT / "conf.py"))
    site = getattr(args, "site_url", None)
    site_url = f"{site.rstrip('/')}/" if site else str(conf.get("edition_site_url", ""))
    return site_url, f"{conf.get('edition_essay_doc', 'essay')}.html"


def cmd_export(args: argparse.Namespace) -> int:
    """TEI, Web Annotations, text, Markdown, anchors, share pages, sitemap: beside the built site."""
    from edition.exports import ExportRefused, export_all
    from edition.exports.tei import ExportError

    if not (HTML / "essay.html").exists():
        print("export: build the site first (`python build_edition.py build`)", file=sys.stderr)
        return 1
    if refused_sources("export"):
        return 1
    site_url, essay_page = site_settings(args)
    try:
        written = export_all(ROOT, HTML, site_url, essay_page)
    except ExportRefused as refused:
        for line in refused.lines():
            print(f"{HTML.relative_to(ROOT).as_posix()}/{line}", file=sys.stderr)
        print("export: nothing was written", file=sys.stderr)
        return 1
    except ExportError as error:
        print(f"export: {error}", file=sys.stderr)
        return 1
    print(f"exports: {len(written)} files written into {HTML.relative_to(ROOT)}")
    return 0


def rebuild(changed: list[str], args: argparse.Namespace) -> int:
    """After a save, while serving: the pages, the downloads and the EPUB (incrementally unless
    the extension or the configuration changed), so that none is left from before the save."""
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    print(f"changed: {shown}; rebuilding the pages", flush=True)
    incremental = not needs_clean_build(changed)
    status = html_build(incremental, args.jobs, settings_overrides(args))
    if status == 0:
        status = cmd_export(args)
    if status == 0 and not args.no_epub:
        status = epub_build(incremental, settings_overrides(args))
    print("rebuilt: reload the page" if status == 0 else "not clean: fix the problems above and save again", flush=True)
    return status


def cmd_serve(args: argparse.Namespace) -> int:
    """Build, serve and rebuild on every save, until Ctrl-C or SIGTERM (which works where Ctrl-C's
    SIGINT is ignored: in a background job, under a test runner or a process manager)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(HTML))
    try:  # the port first: a busy one is said at once, not after the build
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as error:
        print(
            f"serve: cannot serve on port {args.port} ({error.strerror or error}): another program, perhaps "
            f"another serve, is using it; choose another port with --port, e.g. --port {args.port + 1}",
            file=sys.stderr,
        )
        return 1
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    with server:
        sources = snapshot(ROOT)  # before the build: what is saved while it runs is rebuilt next
        status = cmd_build(args)
        if status and not (args.watch and (HTML / "essay.html").exists()):
            return status
        if status:  # the pages are written all the same (--keep-going); the next save may fix them
            print("not clean: fix the problems above and save again; serving the pages as built", flush=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]  # --port 0: a free port, chosen by the system
        print(f"serving the edition at http://127.0.0.1:{port}/essay.html (Ctrl-C stops)", flush=True)
        try:
            if args.watch:
                print("the pages and the downloads are rebuilt when a source changes", flush=True)
                watch(ROOT, lambda changed: rebuild(changed, args), stop, since=sources)
            else:
                while not stop.wait(1):
                    pass
        except KeyboardInterrupt:
            pass
        server.shutdown()
    print("serve: stopped", flush=True)
    return 0


def add_address_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site-url", help="where the edition is published (instead of conf.py's edition_site_url)")
    parser.add_argument("--repository-url", help="its public repository (instead of edition_repository_url)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_edition.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("convert", help="witness -> docs/essay.md and source_texts/anchors.yaml")
    p.add_argument(
        "--dry-run", action="store_true", help="show the decisions (editorial, and each paragraph's id), write nothing"
    )
    p.set_defaults(func=cmd_convert)
    p = sub.add_parser("check", help="validate every annotation file against the schema and the text")
    p.add_argument("--format", choices=["text", "github"], default="text", help="github: workflow commands")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("new", help="write a skeleton annotation file for a paragraph (or a note) to fill in")
    p.add_argument("kind", choices=["gloss", "note", "crossref", "emendation", "variant", "commentary"])
    p.add_argument("--paragraph", help="the paragraph id, e.g. p12")
    p.add_argument("--quote", help="the exact words of the reading text the annotation is about")
    p.add_argument("--note", type=int, help="for a note expansion: the note's number")
    p.add_argument("--id", help="the annotation id (default: made from the kind, paragraph and quote)")
    p.add_argument("--author", help="your name, as it will be credited")
    p.add_argument("--date", help="YYYY-MM-DD (default: today)")
    for name in ("category", "headword", "body", "basis", "confidence", "reading", "refers-to", "locator"):
        p.add_argument(f"--{name}", help=f"the annotation's {name.replace('-', ' ')}")
    p.add_argument("--sources", help="for a variant: the bibliography keys of the text you saw, comma-separated")
    p.set_defaults(func=cmd_new)
    p = sub.add_parser(
        "migrate",
        help="rewrite annotation files of format version 1 as version 2, keeping comments and layout",
        description=MIGRATE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="*", help="files or folders (default: annotations/)")
    p.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser("export", help="write the exports (TEI, Web Annotations, text...) beside the built site")
    add_address_options(p)
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("report", help="coverage of the apparatus: notes, glosses, emendations, bibliography")
    p.set_defaults(func=cmd_report)
    for name, func in (("build", cmd_build), ("serve", cmd_serve)):
        p = sub.add_parser(name, help=f"{name} the site")
        p.add_argument("-j", "--jobs", default="", help="parallel Sphinx processes, e.g. auto")
        p.add_argument("--incremental", action="store_true", help="rebuild only what changed")
        p.add_argument("--no-epub", action="store_true", help="skip the EPUB")
        add_address_options(p)
        if name == "serve":
            p.add_argument("--port", type=int, default=8000, help="default 8000; 0: any free port")
            p.add_argument("--no-watch", dest="watch", action="store_false", help="do not rebuild on changes")
        p.set_defaults(func=func)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except INPUT_ERRORS as error:  # a source the commands above do not catch themselves
        print(f"{args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
