#!/usr/bin/env python3
"""dossier command line: build the briefing site, or clean it. See README.md and `--help`."""

from __future__ import annotations

import argparse
import gc
import logging
import shutil
import sys
import time
import traceback
from dataclasses import replace
from pathlib import Path

from dossier.config import load_config
from dossier.problems import ConfigError, Problems

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE = 0, 1, 2
WATCH_ONLY = ("host", "port", "poll", "no_serve")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="build.py", description="Turn a folder of news articles into a briefing dossier site.")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser("build", help="build the site", description="Build the site from seeds/ and content/ into site/.")
    add_build_options(build)
    watch = commands.add_parser("watch", help="build, serve and rebuild on every change",
                                description="Build once, serve the site with live reload, and rebuild when seeds/, content/, "
                                            "templates or dossier.toml change.")
    add_build_options(watch)
    watch.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1, this machine only)")
    watch.add_argument("--port", type=int, default=8000, help="port to serve on (default: 8000)")
    watch.add_argument("--poll", action="store_true", help="poll for changes (network drives, containers)")
    watch.add_argument("--no-serve", dest="no_serve", action="store_true", help="rebuild on changes without serving")
    report = commands.add_parser("report", help="print the curation queue",
                                 description="Print what needs an analyst's eye: contested types, ambiguous short names, "
                                             "likely duplicates, ignored names, unresolved dates and input problems.")
    add_build_options(report)
    clean = commands.add_parser("clean", help="delete the built site and the annotation cache",
                                description="Delete the output folder (only if dossier made it) and the annotation cache.")
    clean.add_argument("--out", type=Path, help="output folder (default: site)")
    clean.add_argument("--cache", type=Path, help="annotation cache folder (default: .dossier-cache)")
    return main


def add_build_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--seeds", type=Path, help="folder of raw .txt articles (default: seeds)")
    command.add_argument("--content", type=Path, help="folder of Markdown content and actors.yml (default: content)")
    command.add_argument("--templates", type=Path, help="folder of templates overriding the default theme file by file")
    command.add_argument("--out", type=Path, help="output folder (default: site)")
    command.add_argument("--cache", type=Path, help="annotation cache folder (default: .dossier-cache)")
    command.add_argument("--base-url", dest="base_url", help="public address of the site, for sitemap.xml and 404.html "
                         "(e.g. https://user.github.io/repo/)")
    command.add_argument("--title", help="title of the dossier (default: content/index.md's title)")
    command.add_argument("--force", action="store_true", default=None, help="replace an output folder dossier did not create")
    command.add_argument("--follow-links", dest="follow_links", action="store_true", default=None,
                         help="read input files that are symbolic links to files outside seeds/ and content/")
    command.add_argument("--scheduler", metavar="ADDRESS",
                         help="annotate on a Dask cluster: its scheduler's address (tcp://host:8786), or local:N for N "
                              "worker processes here (needs requirements-dask.txt)")
    command.add_argument("--no-search", dest="search", action="store_false", default=None,
                         help="skip the Pagefind search index (faster; the search page then finds nothing)")
    verbosity = command.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_const", dest="verbosity", const=0, help="print errors only")
    verbosity.add_argument("-v", "--verbose", action="store_const", dest="verbosity", const=2, help="print more, with tracebacks")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    verbosity = getattr(args, "verbosity", None)
    # -v shows dossier's own detail, not the debug chatter of its libraries (markdown-it, watchdog)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    logging.getLogger("dossier").setLevel({0: logging.ERROR, 2: logging.DEBUG}.get(verbosity, logging.INFO))
    try:
        if args.command == "clean":
            return clean(args)
        overrides = {k: v for k, v in vars(args).items() if k not in ("command", *WATCH_ONLY)}
        if args.command == "report":
            return print_report(load_config(Path.cwd(), overrides))
        if args.command == "watch":
            from dossier import watch

            return watch.run(lambda: load_config(Path.cwd(), overrides), args.host, args.port, args.poll, args.no_serve)
        return build(load_config(Path.cwd(), overrides))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def build(config) -> int:
    from dossier.output import read_manifest
    from dossier.pipeline import build as run
    from dossier.site import describe_error

    problems = Problems()
    started = time.perf_counter()
    before = read_manifest(config.out)
    try:
        stats = run(config, problems)
    except ConfigError:
        raise
    except KeyboardInterrupt:  # the site is swapped in whole: say which one is in place
        which = "the previous site" if read_manifest(config.out) == before else "the new site"
        print(f"interrupted; {config.out} holds {which}", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug or a broken template: say what, keep the old site
        report(problems, config.verbosity)
        print(f"error: {describe_error(exc)}\nthe build failed; {config.out} is unchanged", file=sys.stderr)
        if config.verbosity > 1:
            traceback.print_exc()
        return EXIT_USAGE
    report(problems, config.verbosity)
    if config.verbosity > 0 and stats.get("up_to_date"):
        print(f"{config.out} is up to date: nothing changed since the last build "
              f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    elif config.verbosity > 0:
        print(f"built {config.out}: {stats['articles']} articles, {stats['actors']} actors, {stats['events']} events, "
              f"{stats['pages']} files ({stats['written']} written, {stats['unchanged']} unchanged) "
              f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if problems.errors:
        print(f"{len(problems.errors)} input(s) skipped; see the errors above", file=sys.stderr)
        return EXIT_SKIPPED
    return EXIT_OK


def print_report(config) -> int:
    from dossier import cache
    from dossier import curation as curation_queue
    from dossier.pipeline import annotator, assemble

    config = replace(config, cache=cache.claim(config.cache))  # the report annotates into the cache as a build does
    with annotator(config) as model:
        dossier = assemble(config, Problems(), model)
    queue = curation_queue.queue(dossier)
    print(curation_queue.as_text(queue, {a.id: a.title for a in dossier.articles}))
    return EXIT_OK


def report(problems: Problems, verbosity: int) -> None:
    for problem in problems.items:
        if problem.level == "error" or verbosity > 0:
            print(problem, file=sys.stderr)


def clean(args) -> int:
    """Delete the output and cache folders of dossier.toml or the flags, each only if dossier made it."""
    from dossier import cache
    from dossier.output import OWNER_MARKER

    config = load_config(Path.cwd(), {"out": args.out, "cache": args.cache}, inputs_needed=False)
    folders = {config.out: lambda: (config.out / OWNER_MARKER).exists(), config.cache: lambda: cache.owned(config.cache)}
    for folder, made_by_dossier in folders.items():  # both checked before either is deleted
        if folder.is_symlink():
            raise ConfigError(f"{folder} is a symbolic link; not deleting it or what it points to")
        if folder.exists() and (not folder.is_dir() or not made_by_dossier()):
            raise ConfigError(f"{folder} was not made by dossier; not deleting it")
    for folder in folders:
        if folder.exists():
            shutil.rmtree(folder)
    return EXIT_OK


if __name__ == "__main__":
    code = main()
    gc.freeze()  # the process ends here: Python's last collection would scan every object the build left, for nothing
    sys.exit(code)
