"""The build, top to bottom: sources -> clean -> metadata -> annotate -> actors -> timeline -> site."""

from __future__ import annotations

import logging
import pickle
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from itertools import groupby
from pathlib import Path

from dossier import actors as actors_stage
from dossier import cache, clean, fingerprint, metadata, names, nlp, output, pages, quotes, results, search, sources, timeline
from dossier import curation as curation_queue
from dossier.config import Config
from dossier.content import apply_content
from dossier.headlines import headline_names
from dossier.model import Actor, ActorDoubts, Annotation, Article, Dossier, Event, Quote
from dossier.problems import InputError, Problem, Problems, shown_path
from dossier.views import Context

log = logging.getLogger("dossier")
UNRESOLVED_DATES = "publication date unknown, so relative dates stay unresolved"


def build(config: Config, problems: Problems, model=None, memo: dict | None = None,
          on_rendered: Callable[..., None] | None = None, first: Collection[str] = (),
          keep_last_good: bool = False) -> dict:
    """Build the site into config.out; returns counts and stage timings. Input problems go to `problems`.

    `memo` is a watch session's memory between builds (the command line keeps the same on disk).
    `on_rendered(files)` gets every file of the site once rendered, before it is written: the dev
    server serves them from memory meanwhile; the pages in `first` (those open in a browser) render
    first and `on_rendered(files, complete=False)` gets them at once. With `keep_last_good` (watch
    mode), an input error the site in place was built without stops the build (NewInputErrors).
    """
    with annotator(config, model) as model:  # first: an unreachable scheduler stops the build before any work
        return build_with(model, config, problems, memo, on_rendered, first, keep_last_good)


def build_with(model, config: Config, problems: Problems, memo: dict | None, on_rendered: Callable[..., None] | None,
               first: Collection[str], keep_last_good: bool) -> dict:
    timings: dict[str, float] = {}
    on_disk = memo is None  # the command line keeps on disk what a watch session keeps in memory
    memo = {} if memo is None else memo
    output.check_output_folder(config.out, [config.seeds, config.content, *config.theme_dirs[:1]], config.force)
    config = replace(config, cache=cache.claim(config.cache))
    with output.locked(config.out), search.Search(config.cache) as index:  # a failed build stops Pagefind
        with stage("fingerprint", timings):
            content = fingerprint.content_fingerprint(config, model.identity)
            theme = fingerprint.theme_digests(config)
            everything = fingerprint.fingerprint(content, theme)
            previous = cache.last_build(config.cache, config.out)
        if previous is not None and previous.fingerprint == everything:
            for problem in previous.problems:
                problems.add(problem)
            log.debug("%s is up to date: nothing changed since the last build", config.out)
            return {**previous.stats, "written": 0, "unchanged": previous.stats.get("pages", 0), "up_to_date": True,
                    "timings": timings}
        names.use_first_names(cache.first_names(config.cache))  # for the actors, and the curation queue's page
        searchable = index.add if search_wanted(config) else None
        with stage("reuse data", timings):
            dossier = reusable_data(config, previous, content, memo, model.identity)
        reads, unchanged = pages.ThemeReads(theme), {}
        if dossier is not None:  # only the theme changed: the data and the input problems are the last build's
            with stage("reuse data", timings):
                unchanged = pages_in_place(config, previous, reads)
            for problem in previous.problems:
                problems.add(problem)
            if searchable is not None:
                searchable(pages.article_records(dossier.title, dossier.intro_html, dossier.articles), search.ARTICLES_PER_SHARD)
                searchable(pages.actor_records(dossier.actors, config.actor_page_min_articles))
        else:
            dossier = assemble(config, problems, model, memo, timings, searchable)
            if keep_last_good and previous is not None:
                stop_on_new_errors(problems, previous)
            with stage("keep", timings):
                keep_dossier(config, content, dossier, memo, on_disk)
        with stage("render", timings):
            files = pages.render_all(dossier, config, Context(dossier, config.actor_page_min_articles), tuple(index.bundles) if searchable else (),
                                     first, partial(on_rendered, complete=False) if on_rendered else None, unchanged, reads)
        if on_rendered is not None:
            on_rendered(files)
        with stage("write", timings):
            stats = output.write_site(config.out, files, index.copy_into if searchable else None)
        cache.keep(config.cache, cache.THEME_READS_FILE, everything, reads)
        counts = {"articles": len(dossier.articles), "actors": len(dossier.actors), "events": len(dossier.events),
                  "pages": len(files), **stats}
        cache.record_build(config.cache, config.out, cache.BuildRecord(everything, content, cache.site_digest(config.out),
                                                                       list(problems.items), counts))
    log.debug("stage timings: %s", ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
    return {**counts, "timings": timings}


@contextmanager
def annotator(config: Config, model=None) -> Iterator:
    """The model; with a scheduler set, the model on a Dask cluster, connected here (and closed after).
    Without one, Dask is not imported."""
    model = model or nlp.Model(config.model, config.exclude)
    if not config.scheduler:
        yield model
        return
    from dossier import cluster

    with cluster.ClusterModel(model, config.scheduler) as on_cluster:
        yield on_cluster


class NewInputErrors(Exception):
    """Inputs with errors that the site in place was built without (watch mode keeps that site)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def stop_on_new_errors(problems: Problems, previous: cache.BuildRecord) -> None:
    known = set(previous.problems)
    new = [p for p in problems.errors if p not in known]
    if new:
        raise NewInputErrors(new)


def reusable_data(config: Config, previous: cache.BuildRecord | None, content: str, memo: dict,
                  model_identity: str) -> Dossier | None:
    """The last build's dossier when the inputs and settings are the same (only the theme changed);
    else None, after giving the stages the last build's per-article results to reuse. Every page is
    rendered again either way: what a page shows is never worked out by hand."""
    if previous is None or not fingerprint.same_setup(previous.content, content):
        return None
    if previous.content == content:
        return kept_dossier(config, content, memo)
    restore_results(config, previous.content, memo, model_identity)
    return None


def pages_in_place(config: Config, previous: cache.BuildRecord, reads: pages.ThemeReads) -> dict[str, bytes]:
    """The site in place's pages that read no theme file changed since the last build, whose data
    this build renders again (only the theme changed): their bytes, and their reads put in `reads`."""
    last = cache.kept(config.cache, cache.THEME_READS_FILE, previous.fingerprint)
    found = output.files_in_place(config.out, pages.untouched_pages(last, reads.theme))
    if found:
        reads.pages.update((path, last.pages[path]) for path in found)
        reads.shared |= last.shared
    log.debug("only the theme changed: %d page(s) read none of what changed and are not rendered again", len(found))
    return found


KEPT = "last dossier"  # the memo's entry for the last assembled dossier (watch mode keeps it in memory)


def warm(config: Config, model, memo: dict) -> None:
    """Watch mode on a site that is up to date: assemble the data it was built from and keep it, with
    every article's results, so the first save redoes only its own article. Kept only if no file
    changed meanwhile (then the first save assembles everything, as without a warm-up)."""
    content = fingerprint.content_fingerprint(config, model.identity)
    dossier = assemble(config, Problems(), model, memo)
    if fingerprint.content_fingerprint(config, model.identity) == content:
        memo[KEPT] = (content, dossier)


def kept_dossier(config: Config, content: str, memo: dict) -> Dossier | None:
    if memo.get(KEPT, ("", None))[0] == content:
        return memo[KEPT][1]
    return cache.kept(config.cache, cache.DOSSIER_FILE, content)


def keep_dossier(config: Config, content: str, dossier: Dossier, memo: dict, on_disk: bool) -> None:
    """Keep the dossier and each article's results in memory for the next build, and on disk for the next run."""
    memo[KEPT] = (content, dossier)
    if on_disk:
        cache.keep(config.cache, cache.DOSSIER_FILE, content, dossier)
        cache.keep(config.cache, cache.RESULTS_FILE, content, results.last_results(memo))


def restore_results(config: Config, content: str, memo: dict, model_identity: str) -> None:
    """Each article's results of the last build, kept on disk, unless memory keeps them (watch mode):
    a build after an edit then redoes only the edited article, as a watch session does."""
    if results.has_results(memo):
        return
    found = cache.kept(config.cache, cache.RESULTS_FILE, content)
    if found is None:
        return
    results.restore(memo, found)
    before = kept_dossier(config, content, memo)
    for article in before.articles if before is not None else ():  # the annotations, without reading thousands of cache files
        memo.setdefault(cache.cache_key(article.text, model_identity), before.annotations[article.id])


def search_wanted(config: Config) -> bool:
    if not config.search:
        return False
    if not search.available():
        log.warning("search disabled: the pagefind package is not installed (pip install 'pagefind[bin]')")
        return False
    return True


@contextmanager
def stage(name: str, timings: dict[str, float]):
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - started


def assemble(config: Config, problems: Problems, model=None, memo: dict | None = None,
             timings: dict[str, float] | None = None,
             searchable: Callable[..., None] | None = None) -> Dossier:
    """The dossier from the inputs. `searchable` gets the search records as soon as they are known:
    the articles' once the model has run (Pagefind beside the model slowed it by as much as it
    indexed), the actors' once they are resolved."""
    timings = {} if timings is None else timings
    results.next_build(memo)
    with stage("read", timings):
        seeds = sources.read_seeds(config.seeds, problems, config.follow_links)
        docs = sources.read_content(config.content, problems, config.follow_links)
    with stage("clean+metadata", timings):
        articles = cleaned(seeds, results.store(memo, "cleaned"), config.processes)
        title, intro_html = apply_content(articles, docs, config, problems)
        ordered = sorted(articles.values(), key=lambda a: a.id)
    with stage("annotate", timings):
        annotations = annotate(ordered, config, model, memo)
    if searchable is not None:
        with stage("search records", timings):
            searchable(pages.article_records(title, intro_html, ordered), search.ARTICLES_PER_SHARD)
    with stage("actors", timings):
        curation = load_curation(config.content, problems, config.follow_links)
        doubts = ActorDoubts()
        actors = actors_stage.resolve(ordered, annotations, curation, doubts, results.store(memo, "candidates"),
                                       config.processes)
        for name, line in doubts.slow_splits:
            problems.error(shown_path(config.content / sources.CURATION_FILE), f"the split `context` for {name!r} took over "
                           f"{actors_stage.CONTEXT_TIMEOUT} s on one sentence (a regular expression that backtracks); the rule is ignored", line)
        mentions = mentions_by_article(ordered, actors)
        duplicates = [(a.id, b.id, score) for a, b, score in curation_queue.likely_duplicates(actors, results.store(memo, "duplicates"))]
        headlines = headline_names(ordered, actors)
    if searchable is not None:
        with stage("search records", timings):
            searchable(pages.actor_records(actors, config.actor_page_min_articles))
    with stage("timeline", timings):
        events, unresolved = make_timeline(ordered, annotations, mentions, results.store(memo, "timeline"),
                                           results.store(memo, "events"), config.fiscal_year_start, config.processes)
    with stage("quotes", timings):
        said = quotes_of(ordered, annotations, mentions, {actor.id: actor.type for actor in actors},
                         results.store(memo, "quotes"), config.processes)
    for article_id, expressions in groupby(unresolved, key=lambda pair: pair[0]):
        if articles[article_id].date:
            continue  # dated: what is unresolved is an anchored date or a doubtful year, listed in the curation queue
        unique = list(dict.fromkeys(e for _, e in expressions))
        quoted = ", ".join(repr(e) for e in unique[:10]) + (f" and {len(unique) - 10} more" if len(unique) > 10 else "")
        problems.warning(articles[article_id].path, f"{UNRESOLVED_DATES}: {quoted}")
    return Dossier(title, intro_html, ordered, annotations, actors, events, said, unresolved, doubts, problems.items, duplicates,
                   headlines)


def cleaned(seeds: list[sources.SeedFile], store: results.Kept | None, processes: int = 0) -> dict[str, Article]:
    """Each seed's article before content/ is applied. A watch session keeps each one (pickled: the
    content overlay changes the article it is given) until its file changes."""
    keys = [(seed.id, shown_path(seed.path), results.text_key(seed.text)) for seed in seeds]
    made = results.reuse_each(store, keys, seeds, inferred, processes)
    return {seed.id: pickle.loads(article) for seed, article in zip(seeds, made, strict=True)}


def inferred(seed: sources.SeedFile) -> bytes:
    return pickle.dumps(metadata.infer(seed.id, shown_path(seed.path), clean.clean(seed.text)))


def annotate(articles: list[Article], config: Config, model=None, memo: dict | None = None) -> dict[str, Annotation]:
    """Annotations from memory or the disk cache where the text is unchanged; the model runs on the rest.

    `memo` (cache key -> annotation) lets a long-running session (watch mode) skip even the disk.
    """
    model = model or nlp.Model(config.model, config.exclude)
    memo = {} if memo is None else memo
    keys = {article.id: cache.cache_key(article.text, model.identity) for article in articles}
    missing: dict[str, str] = {}  # cache key -> the text: the same text in two articles (a copy saved twice) is annotated once
    for article in articles:
        key = keys[article.id]
        if key not in memo and key not in missing:
            cached = cache.load(config.cache, key, article.text)
            if cached is None:
                missing[key] = article.text
            else:
                memo[key] = cached
    if missing:
        log.info("annotating %d article(s) %s", len(missing), model.where())
    annotations = model.annotate(list(missing.values()), config.processes, progress=config.verbosity > 0)
    for key, annotation in zip(missing, annotations, strict=True):
        cache.store(config.cache, key, annotation)
        memo[key] = annotation
    return {article.id: memo[keys[article.id]] for article in articles}


def load_curation(content_dir: Path, problems: Problems, follow_links: bool = False) -> actors_stage.Curation:
    raw = sources.read_curation(content_dir, problems, follow_links)
    if raw is None:
        return actors_stage.Curation()
    path, text = raw
    try:
        return actors_stage.parse_curation(text)
    except InputError as exc:
        problems.error(shown_path(path), f"{exc.reason}; the curation file is ignored", exc.line)
    return actors_stage.Curation()


def mentions_by_article(articles: list[Article], actors: list[Actor]) -> dict[str, list]:
    found: dict[str, list] = {a.id: [] for a in articles}
    for actor in actors:
        for mention in actor.mentions:
            found[mention.article].append(mention)
    return found


def make_timeline(articles: list[Article], annotations: dict[str, Annotation], mentions: dict[str, list],
                  store: results.Kept | None = None, events: results.Kept | None = None,
                  fiscal_start: int = 1, processes: int = 0) -> tuple[list[Event], list[tuple[str, str]]]:
    def entries_of(article: Article) -> tuple[list[timeline.Entry], list[tuple[str, str]]]:
        unresolved: list[tuple[str, str]] = []
        return timeline.entries_of(article, annotations[article.id], mentions[article.id], unresolved, fiscal_start), unresolved

    keys = [(article.id, results.text_key(article.text), (article.date, fiscal_start, *mentions[article.id]))
            for article in articles]
    found = results.reuse_each(store, keys, articles, entries_of, processes)
    entries = [entry for these, _ in found for entry in these]
    return timeline.events_of(entries, events), [pair for _, unresolved in found for pair in unresolved]


def quotes_of(articles: list[Article], annotations: dict[str, Annotation], mentions: dict[str, list],
              types: dict[str, str], store: results.Kept | None = None, processes: int = 0) -> list[Quote]:
    def attribute(article: Article) -> list[Quote]:
        return quotes.attribute(article, annotations[article.id], mentions[article.id], types)

    keys = [(article.id, results.text_key(article.text),
             (*mentions[article.id], *(types.get(m.actor) for m in mentions[article.id]))) for article in articles]
    return [quote for found in results.reuse_each(store, keys, articles, attribute, processes) for quote in found]
