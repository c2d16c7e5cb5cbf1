"""The analyst's layer: content/ applied over the seed articles (metadata, notes, the introduction,
articles of their own), then the folder defaults of dossier.toml where the article tells nothing stronger."""

from __future__ import annotations

from pathlib import PurePosixPath

from markdown_it import MarkdownIt

from dossier import metadata, sources
from dossier.clean import Paragraph
from dossier.config import Config, defaults_for
from dossier.model import Article
from dossier.problems import InputError, Problems, shown_path


def apply_content(articles: dict[str, Article], docs: list[sources.ContentFile], config: Config,
                  problems: Problems) -> tuple[str, str]:
    """Overlay content/ on the seed articles, add stand-alone articles; returns (title, intro HTML)."""
    title, intro_html = config.title, ""
    renderer = markdown_renderer(config.allow_html)
    for doc in docs:
        try:
            if doc.id == sources.INTRO_ID:
                if "title" in doc.meta and "title" not in config.chosen:  # --title and dossier.toml win
                    title = metadata.require_text("title", doc.meta["title"], doc.meta_lines.get("title"))
                intro_html = renderer.render(doc.body)
            elif "source" in doc.meta:
                overlay(articles, doc, renderer, problems)
            else:
                add_standalone(articles, doc, renderer, problems)
        except InputError as exc:
            problems.error(shown_path(doc.path), exc.reason, exc.line)
    for article in articles.values():
        metadata.apply_defaults(article, defaults_for(article.id, config.folders))
    return title, intro_html


def markdown_renderer(allow_html: bool) -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": allow_html, "linkify": False, "typographer": False})


def overlay(articles: dict[str, Article], doc: sources.ContentFile, renderer: MarkdownIt, problems: Problems) -> None:
    """Front matter with `source:` adds metadata and notes to a seed article."""
    line = doc.meta_lines.get("source")
    target = seed_id_of(doc.meta["source"], line)
    if target not in articles:
        raise InputError(f"source {doc.meta['source']!r} is not an article under seeds/", line)
    article = articles[target]
    for reason, warn_line in metadata.apply_front_matter(article, doc.meta, doc.meta_lines, doc.id):
        problems.warning(shown_path(doc.path), reason, warn_line)
    article.notes_html = renderer.render(doc.body) if doc.body.strip() else ""
    article.source_ids.append(doc.id)


def seed_id_of(source: object, line: int | None) -> str:
    if not isinstance(source, str) or not source.strip():
        raise InputError(f"source must be a path such as seeds/name.txt, got {source!r}", line)
    path = PurePosixPath(source.strip().replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts:
        raise InputError(f"source {source!r} points outside seeds/", line)
    parts = path.parts[1:] if path.parts and path.parts[0] == "seeds" else path.parts
    return str(PurePosixPath(*parts).with_suffix("")) if parts else ""


def add_standalone(articles: dict[str, Article], doc: sources.ContentFile, renderer: MarkdownIt, problems: Problems) -> None:
    """A Markdown file without `source:` is an article of its own."""
    if doc.id in articles:
        raise InputError(f"article id {doc.id!r} is already used by {articles[doc.id].path}")
    paragraphs = markdown_paragraphs(renderer, doc.body, doc.body_line)
    if not paragraphs:
        raise InputError("the article has no text")
    article = Article(id=doc.id, path=shown_path(doc.path), title="", paragraphs=paragraphs)
    for reason, warn_line in metadata.apply_front_matter(article, doc.meta, doc.meta_lines, doc.id):
        problems.warning(shown_path(doc.path), reason, warn_line)
    metadata.find_outlet(article)
    if not article.title:
        article.title = metadata.first_words(article.text)
        article.evidence["title"] = metadata.Evidence("default", "no title in the front matter: the article's first words")
    articles[doc.id] = article


def markdown_paragraphs(renderer: MarkdownIt, body: str, first_line: int) -> list[Paragraph]:
    """Plain text of each paragraph, heading and list item of a Markdown body."""
    paragraphs = []
    for token in renderer.parse(body):
        if token.type == "inline" and token.children is not None:
            text = "".join(child.content for child in token.children if child.type in ("text", "code_inline"))
            text = " ".join(text.split())
            if text:
                line = first_line + (token.map[0] if token.map else 0)
                paragraphs.append(Paragraph(text, line))
    return paragraphs
