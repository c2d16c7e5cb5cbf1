"""Find and read the inputs: raw articles under seeds/, editorial Markdown under content/."""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from dossier.problems import InputError, Problems

CURATION_FILE = "actors.yml"
MAX_CURATION_BYTES = 8 * 2**20  # actors.yml: tens of thousands of curated actors fit
MAX_FRONT_MATTER = 64 * 1024  # characters: metadata, not a document
MAX_ARTICLE_BYTES = 20 * 2**20  # a long news article is 50 KB; more is a dump, not an article
INTRO_ID = "index"


def read_bytes(path: Path) -> bytes:
    """The file's bytes, read once while it stays the same file with the same size and times: the
    fingerprint reads every input before the build reads them again, and a watch session reads
    them on every save."""
    info = os.stat(path)
    stamp = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    kept = _READ.get(str(path))
    if kept is not None and kept[0] == stamp:
        return kept[1]
    data = Path(path).read_bytes()
    _READ[str(path)] = (stamp, data)
    return data


_READ: dict[str, tuple[tuple[int, int, int, int], bytes]] = {}


def read_capped(path: Path, limit: int = MAX_ARTICLE_BYTES, what: str = "one article",
                advice: str = "; split it into articles") -> bytes:
    """A file's bytes (an article's, seed or Markdown, by default), refused past `limit` before any is read."""
    size = path.stat().st_size
    if size > limit:
        raise InputError(f"{size / 2**20:.1f} MB is too large for {what} (the limit is {limit / 2**20:.0f} MB){advice}")
    return read_bytes(path)


@dataclass(frozen=True)
class SeedFile:
    id: str  # path under seeds/ without suffix, POSIX slashes
    path: Path
    text: str


@dataclass(frozen=True)
class ContentFile:
    id: str  # path under content/ without suffix
    path: Path
    meta: dict
    body: str
    body_line: int  # line number of the body's first line in the file
    meta_lines: dict = field(default_factory=dict)  # front matter key -> line number


def read_seeds(seeds_dir: Path, problems: Problems, follow_links: bool = False) -> list[SeedFile]:
    seeds = []
    for path in walk_files(seeds_dir, ".txt", problems, follow_links):
        try:
            text = decode(read_capped(path), path, problems)
        except OSError as exc:
            problems.error(path, f"cannot read the file ({exc.strerror or exc})")
            continue
        except InputError as exc:
            problems.error(path, exc.reason, exc.line)
            continue
        if not text.strip():
            problems.error(path, "the file is empty")
            continue
        seeds.append(SeedFile(input_id(seeds_dir, path), path, text))
    return seeds


def read_content(content_dir: Path, problems: Problems, follow_links: bool = False) -> list[ContentFile]:
    docs = []
    for path in walk_files(content_dir, ".md", problems, follow_links):
        try:
            text = decode(read_capped(path), path, problems)
            meta, body, body_line, meta_lines = split_front_matter(text)
        except OSError as exc:
            problems.error(path, f"cannot read the file ({exc.strerror or exc})")
            continue
        except InputError as exc:
            problems.error(path, exc.reason, exc.line)
            continue
        docs.append(ContentFile(input_id(content_dir, path), path, meta, body, body_line, meta_lines))
    return docs


def read_curation(content_dir: Path, problems: Problems, follow_links: bool = False) -> tuple[Path, str] | None:
    path = content_dir / CURATION_FILE
    if not path.exists() or not inside(content_dir, path, problems, follow_links):
        return None
    if not path.is_file():
        problems.error(path, "not a regular file (a pipe, a device or a socket); the curation file is ignored")
        return None
    try:
        return path, decode(read_capped(path, MAX_CURATION_BYTES, "a curation file", ""), path, problems)
    except (OSError, InputError) as exc:
        problems.error(path, f"cannot read the curation file ({exc})")
        return None


def walk_files(root: Path, suffix: str, problems: Problems, follow_links: bool = False) -> list[Path]:
    """Every `*suffix` file below `root`, sorted; symlinked folders are not followed (no loops), nor,
    unless `follow_links`, symlinked files that lead out of `root`."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root, onerror=lambda e: problems.error(e.filename, f"cannot list the folder ({e.strerror})")):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and valid_name(Path(folder, d), problems))
        for name in files:
            path = Path(folder, name)
            if name.startswith(".") or not name.endswith(suffix) or not valid_name(path, problems):
                continue
            if path.is_symlink() and not path.exists():
                problems.error(path, "broken symbolic link")
                continue
            if not path.is_file():  # never read a pipe (it blocks) or a device (/dev/zero never ends)
                problems.error(path, "not a regular file (a pipe, a device or a socket); skipped")
                continue
            if inside(root, path, problems, follow_links):
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def inside(root: Path, path: Path, problems: Problems, follow_links: bool) -> bool:
    """Whether `path` may be read: it is in `root`, or a link the user allowed to lead out of it. A
    link to /etc/passwd among the seeds must not be published on the site without a word."""
    if follow_links or not path.is_symlink() or path.resolve().is_relative_to(root.resolve()):
        return True
    problems.error(path, f"a symbolic link to {path.resolve()}, outside {root.name}/; skipped "
                         "(copy the file in, or allow links with --follow-links)")
    return False


def valid_name(path: Path, problems: Problems) -> bool:
    """A file or folder name that is not UTF-8 is reported by its escaped bytes and skipped: it
    could name no page and be printed in no message."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        problems.error(os.fsencode(path).decode("utf-8", "backslashreplace"), "the name is not valid UTF-8; rename it")
        return False
    return True


def input_id(root: Path, path: Path) -> str:
    return str(PurePosixPath(path.relative_to(root).as_posix()).with_suffix(""))


def decode(data: bytes, path: Path, problems: Problems) -> str:
    """Bytes to text with LF line endings: UTF-8 expected, UTF-16 with a BOM and cp1252 tolerated."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {encoding} despite its byte-order mark ({exc.reason})") from None
            if encoding == "utf-16":
                problems.warning(path, "decoded as UTF-16 (byte-order mark); UTF-8 is expected")
            return normalize_newlines(text)
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        return normalize_newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if looks_binary(data):
        raise InputError("binary file, not text")
    text = data.decode("cp1252", errors="strict") if decodes(data, "cp1252") else data.decode("latin-1")
    problems.warning(path, "not UTF-8; decoded as cp1252/latin-1 (save it as UTF-8 to silence this)")
    return normalize_newlines(text)


def decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def looks_binary(data: bytes) -> bool:
    """Text in any 8-bit encoding has few C0 control bytes besides tab and newlines."""
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) * 0.01


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def construct(node: yaml.Node | None) -> object:
    """Python values of a composed YAML document; a value YAML cannot build (2022-02-30) names its line."""
    if node is None:
        return {}
    try:
        return yaml.SafeLoader.construct_document(_loader_for(node), node)
    except (ValueError, yaml.YAMLError) as exc:
        line = node.start_mark.line + 2
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                try:
                    yaml.SafeLoader.construct_document(_loader_for(value), value)
                except (ValueError, yaml.YAMLError):
                    line = key.start_mark.line + 2
                    break
        raise InputError(f"malformed front matter: {exc}", line) from None


def _loader_for(node: yaml.Node) -> yaml.SafeLoader:
    loader = yaml.SafeLoader("")
    loader.deep_construct = True
    return loader


def split_front_matter(text: str) -> tuple[dict, str, int, dict]:
    """Split `---` YAML front matter from a Markdown body; errors carry the file's line number."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text, 1, {}
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise InputError("front matter starts with '---' but is never closed", 1) from None
    source = "\n".join(lines[1:end])
    if len(source) > MAX_FRONT_MATTER:
        raise InputError(f"front matter is {len(source):,} characters long; the limit is {MAX_FRONT_MATTER:,}", 1)
    try:
        node = compose_limited(source, first_line=2)
        meta = construct(node)
    except InputError as exc:
        raise InputError(f"malformed front matter: {exc.reason}", exc.line) from None
    except yaml.YAMLError as exc:
        line = yaml_error_line(exc)
        message = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"malformed front matter: {message}", line + 2 if line is not None else 1) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError("front matter must be a mapping of keys to values", 2)
    meta_lines = {}
    if isinstance(node, yaml.MappingNode):
        meta_lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
    for key, value in meta.items():
        if not encodes(value):
            raise InputError(f"{key}: not valid Unicode text (a lone surrogate such as \\ud800)", meta_lines.get(str(key), 2))
    return {str(k): v for k, v in meta.items()}, "\n".join(lines[end + 1:]), end + 2, meta_lines


MAX_YAML_DEPTH = 64  # lists and mappings inside each other: metadata and curation need a handful


def compose_limited(source: str, first_line: int) -> yaml.Node | None:
    """The YAML node tree of `source`, refused before it is built when it holds an alias (a few
    nested aliases expand to billions of values) or nests deeper than MAX_YAML_DEPTH (the composer
    recurses). Lines in errors count from `first_line`."""
    depth = 0
    for event in yaml.parse(source, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise InputError("YAML aliases (*name) are not allowed", event.start_mark.line + first_line)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise InputError(f"the YAML nests more than {MAX_YAML_DEPTH} levels deep", event.start_mark.line + first_line)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return yaml.compose(source, Loader=yaml.SafeLoader)


def encodes(value: object) -> bool:
    """Whether every string in a front matter value is text UTF-8 can write (YAML's "\\ud800" is not)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(encodes(k) and encodes(v) for k, v in value.items())
    if isinstance(value, list):
        return all(encodes(v) for v in value)
    return True


def yaml_error_line(exc: yaml.YAMLError) -> int | None:
    """The 0-based line to report a YAML mistake at. An unclosed [ or { is found only at the next
    key, a line too late: then the line where the bracket opened."""
    context = getattr(exc, "context", None) or ""
    if "flow" in context and getattr(exc, "context_mark", None) is not None:
        return exc.context_mark.line
    mark = getattr(exc, "problem_mark", None)
    return mark.line if mark is not None else None
