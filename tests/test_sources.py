"""Finding and decoding the inputs: encodings, newlines, folder walking, front matter."""

from __future__ import annotations

import codecs
import datetime as dt
import os
from pathlib import Path, PureWindowsPath

import pytest

from dossier.problems import InputError, Problems
from dossier.sources import decode, input_id, read_content, read_seeds, split_front_matter, walk_files

TEXT = "Nicolás Maduro met “senior” U.S. officials – in Caracas.\nSecond line."


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# -- decoding -------------------------------------------------------------------------------------

def test_utf8_is_decoded_without_any_problem():
    problems = Problems()
    assert decode(TEXT.encode("utf-8"), Path("a.txt"), problems) == TEXT
    assert problems.items == []


def test_utf8_bom_is_dropped_silently():
    problems = Problems()
    text = decode(codecs.BOM_UTF8 + TEXT.encode("utf-8"), Path("a.txt"), problems)
    assert text == TEXT
    assert not text.startswith("\ufeff")
    assert problems.items == []


@pytest.mark.parametrize(("bom", "encoding"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
                         ids=["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded_with_a_warning(bom, encoding):
    problems = Problems()
    data = bom + "Nicolás Maduro\r\nin Caracas".encode(encoding)
    assert decode(data, Path("a.txt"), problems) == "Nicolás Maduro\nin Caracas"
    assert problems.errors == []
    assert len(problems.warnings) == 1
    assert "UTF-16" in problems.warnings[0].reason
    assert problems.warnings[0].path == "a.txt"


def test_cp1252_is_decoded_with_a_warning():
    problems = Problems()
    data = "Caf\u00e9 talks \u2013 \u201cfirm support\u201d for Russia".encode("cp1252")
    assert decode(data, Path("old.txt"), problems) == "Café talks – “firm support” for Russia"
    assert len(problems.warnings) == 1
    assert problems.warnings[0].path == "old.txt"
    assert "UTF-8" in problems.warnings[0].reason
    assert problems.errors == []


@pytest.mark.parametrize("data", [
    b"some text\x00with a NUL byte",
    "UTF-16 without a byte-order mark".encode("utf-16-le"),
    bytes(range(256)) * 4,
], ids=["nul", "utf16-no-bom", "all-bytes"])
def test_binary_data_raises_input_error(data):
    with pytest.raises(InputError, match="binary"):
        decode(data, Path("x.txt"), Problems())


def test_control_bytes_without_nul_are_binary():
    data = bytes([1, 2, 3, 4, 5, 6, 7, 0xFF, 0xFE, 0x81]) * 50
    with pytest.raises(InputError, match="binary"):
        decode(data, Path("x.txt"), Problems())


@pytest.mark.parametrize(("raw", "expected"), [
    ("a\r\nb\r\nc", "a\nb\nc"),
    ("a\rb\rc", "a\nb\nc"),
    ("a\r\n\r\nb", "a\n\nb"),
    ("a\r\rb", "a\n\nb"),
    ("mixed\r\nold mac\runix\n", "mixed\nold mac\nunix\n"),
], ids=["crlf", "cr", "crlf-blank", "cr-blank", "mixed"])
def test_newlines_are_normalised_to_lf(raw, expected):
    assert decode(raw.encode("utf-8"), Path("a.txt"), Problems()) == expected


def test_newlines_are_normalised_in_cp1252_too():
    problems = Problems()
    assert decode("caf\u00e9\r\nbar".encode("cp1252"), Path("a.txt"), problems) == "café\nbar"


# -- walking folders ------------------------------------------------------------------------------

def rel(root: Path, paths: list[Path]) -> list[str]:
    return [p.relative_to(root).as_posix() for p in paths]


def test_walk_files_finds_nested_files_sorted(tmp_path):
    for name in ["b.txt", "a/z.txt", "a/b/c.txt", "a/b/a.txt", "c/d/e/f.txt", "notes.md", "a/readme"]:
        write(tmp_path / name, "text")
    problems = Problems()
    assert rel(tmp_path, walk_files(tmp_path, ".txt", problems)) == ["a/b/a.txt", "a/b/c.txt", "a/z.txt", "b.txt", "c/d/e/f.txt"]
    assert problems.items == []


def test_walk_files_skips_hidden_files_and_folders(tmp_path):
    write(tmp_path / "kept.txt", "text")
    write(tmp_path / ".hidden.txt", "text")
    write(tmp_path / ".git" / "note.txt", "text")
    write(tmp_path / "sub" / ".draft.txt", "text")
    write(tmp_path / "sub" / "visible.txt", "text")
    assert rel(tmp_path, walk_files(tmp_path, ".txt", Problems())) == ["kept.txt", "sub/visible.txt"]


def test_walk_files_does_not_loop_through_a_symlink_to_its_parent(tmp_path):
    write(tmp_path / "seeds" / "one.txt", "text")
    write(tmp_path / "seeds" / "sub" / "two.txt", "text")
    (tmp_path / "seeds" / "sub" / "loop").symlink_to(tmp_path / "seeds", target_is_directory=True)
    (tmp_path / "seeds" / "up").symlink_to("..", target_is_directory=True)
    found = walk_files(tmp_path / "seeds", ".txt", Problems())
    assert rel(tmp_path / "seeds", found) == ["one.txt", "sub/two.txt"]


def test_walk_files_reports_a_broken_symlink(tmp_path):
    write(tmp_path / "ok.txt", "text")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    problems = Problems()
    assert rel(tmp_path, walk_files(tmp_path, ".txt", problems)) == ["ok.txt"]
    assert [os.path.abspath(p.path) for p in problems.errors] == [str(tmp_path / "gone.txt")]


def test_walk_files_of_a_missing_folder_is_empty(tmp_path):
    assert walk_files(tmp_path / "nope", ".txt", Problems()) == []


# -- reading seeds --------------------------------------------------------------------------------

def test_read_seeds_reports_empty_and_binary_files_and_keeps_the_rest(tmp_path):
    seeds = tmp_path / "seeds"
    write(seeds / "good.txt", "Headline\n\nSome text.")
    write(seeds / "nested" / "also good.txt", "Other text.")
    write(seeds / "empty.txt", b"")
    write(seeds / "blank.txt", "  \n\n\t\n")
    write(seeds / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(seeds / "latin.txt", "Bogot\u00e1".encode("cp1252"))
    problems = Problems()
    found = read_seeds(seeds, problems)
    assert [s.id for s in found] == ["good", "latin", "nested/also good"]
    assert found[0].text == "Headline\n\nSome text."
    assert found[1].text == "Bogotá"
    errors = {Path(p.path).name: p.reason for p in problems.errors}
    assert set(errors) == {"empty.txt", "blank.txt", "image.txt"}
    assert "empty" in errors["empty.txt"]
    assert "empty" in errors["blank.txt"]
    assert "binary" in errors["image.txt"]
    assert [Path(p.path).name for p in problems.warnings] == ["latin.txt"]


def test_read_content_reports_malformed_front_matter_with_its_line(tmp_path):
    content = tmp_path / "content"
    write(content / "ok.md", "---\ntitle: Fine\n---\nBody.\n")
    write(content / "bad.md", "---\ntitle: Fine\nsummary: one: two\n---\nBody.\n")
    problems = Problems()
    docs = read_content(content, problems)
    assert [d.id for d in docs] == ["ok"]
    assert [(Path(p.path).name, p.line) for p in problems.errors] == [("bad.md", 3)]


# -- front matter ---------------------------------------------------------------------------------

def test_split_front_matter_valid():
    text = "---\ntitle: Talks in Caracas\ndate: 2022-03-07\nauthors: [Tom Phillips]\n---\nFirst line of the body.\n\nSecond."
    meta, body, body_line, meta_lines = split_front_matter(text)
    assert meta == {"title": "Talks in Caracas", "date": dt.date(2022, 3, 7), "authors": ["Tom Phillips"]}
    assert body == "First line of the body.\n\nSecond."
    assert body_line == 6
    assert meta_lines == {"title": 2, "date": 3, "authors": 4}


def test_split_front_matter_empty_block():
    meta, body, body_line, meta_lines = split_front_matter("---\n---\nBody")
    assert (meta, body, body_line, meta_lines) == ({}, "Body", 3, {})


def test_split_front_matter_none():
    text = "Just a body.\n---\nnot: front matter\n"
    assert split_front_matter(text) == ({}, text, 1, {})


def test_split_front_matter_unclosed():
    with pytest.raises(InputError, match="never closed") as caught:
        split_front_matter("---\ntitle: Talks\n\nThe body, but the block was never closed.\n")
    assert caught.value.line == 1


@pytest.mark.parametrize(("text", "line"), [
    ("---\ntitle: Fine\ndate: 2022-03-07\nsummary: one: two\n---\nbody", 4),
    ("---\ntitle: Fine\nauthors: [Ana, Keith\n---\nbody", 3),
    ("---\ntitle: [\n---\nbody", 2),
    ("---\n\n\n\ntitle: 'unterminated\n---\nbody", 5),
    ("---\ntitle: Fine\n\tdate: 2022-03-07\n---\nbody", 3),
    ("---\ntitle: Fine\nauthors: [Ana, Keith\noutlet: BBC\n---\nbody", 3),
], ids=["mapping-in-value", "unclosed-list", "open-bracket", "unterminated-quote", "tab", "unclosed-list-before-a-key"])
def test_split_front_matter_malformed_yaml_gives_the_file_line(text, line):
    with pytest.raises(InputError, match="malformed front matter") as caught:
        split_front_matter(text)
    assert caught.value.line == line


@pytest.mark.parametrize("text", ["---\n- a\n- b\n---\nbody", "---\njust a sentence\n---\nbody", "---\n42\n---\n"],
                         ids=["list", "string", "number"])
def test_split_front_matter_must_be_a_mapping(text):
    with pytest.raises(InputError, match="mapping") as caught:
        split_front_matter(text)
    assert caught.value.line == 2


def test_split_front_matter_impossible_date_is_an_input_error():
    with pytest.raises(InputError) as caught:
        split_front_matter("---\ntitle: Talks\ndate: 2022-02-30\n---\nbody")
    assert caught.value.line == 3


# -- ids --------------------------------------------------------------------------------------------

def test_input_id_uses_posix_slashes_for_nested_files(tmp_path):
    assert input_id(tmp_path, tmp_path / "2022" / "march" / "talks.txt") == "2022/march/talks"
    assert input_id(tmp_path, tmp_path / "talks.v2.txt") == "talks.v2"


def test_input_id_of_a_windows_path_uses_forward_slashes():
    root = PureWindowsPath("C:\\dossier\\seeds")
    assert input_id(root, root / "2022" / "march" / "talks.txt") == "2022/march/talks"


def test_a_pipe_or_a_device_among_the_inputs_is_reported_and_never_read(tmp_path):
    import os

    from dossier.problems import Problems
    from dossier.sources import read_content, read_seeds

    seeds, content = tmp_path / "seeds", tmp_path / "content"
    seeds.mkdir()
    content.mkdir()
    (seeds / "real.txt").write_text("Title\n\nMaduro spoke in Caracas.\n")
    os.mkfifo(seeds / "pipe.txt")  # reading it would block for ever
    (seeds / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    (content / "random.md").symlink_to("/dev/urandom")
    problems = Problems()
    assert [s.id for s in read_seeds(seeds, problems)] == ["real"]
    assert read_content(content, problems) == []
    reported = sorted(p.path.rsplit("/", 1)[-1] for p in problems.errors)
    assert reported == ["pipe.txt", "random.md", "zero.txt"]
    assert all("not a regular file" in p.reason for p in problems.errors)


def test_a_markdown_article_is_capped_like_a_seed(tmp_path):
    from dossier.problems import Problems
    from dossier.sources import MAX_ARTICLE_BYTES, read_content

    content = tmp_path / "content"
    content.mkdir()
    (content / "huge.md").write_text("---\ntitle: Huge\n---\n" + "word " * (MAX_ARTICLE_BYTES // 5 + 10))
    problems = Problems()
    assert read_content(content, problems) == []
    assert "too large" in problems.errors[0].reason


def test_a_file_name_that_is_not_utf8_is_reported_by_its_escaped_bytes_and_skipped(tmp_path):
    import os

    from dossier.problems import Problems
    from dossier.sources import read_seeds

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text("Title\n\nMaduro spoke in Caracas.\n")
    with open(os.path.join(os.fsencode(seeds), b"caf\xe9.txt"), "w") as latin1_name:
        latin1_name.write("Title\n\nText.\n")
    problems = Problems()
    assert [s.id for s in read_seeds(seeds, problems)] == ["good"]
    (error,) = problems.errors
    assert "caf\\xe9.txt" in str(error) and "not valid UTF-8" in str(error)
    str(error).encode("utf-8")  # printable


def test_front_matter_that_is_no_text_or_nests_too_deeply_is_an_error_with_its_line():
    import pytest

    from dossier.problems import InputError
    from dossier.sources import split_front_matter

    with pytest.raises(InputError, match="lone surrogate") as caught:
        split_front_matter('---\ntitle: fine\noutlet: "\\ud800"\n---\nBody\n')
    assert caught.value.line == 3
    with pytest.raises(InputError, match="nests more than 64 levels deep") as caught:
        split_front_matter("---\ntitle: fine\nlist: " + "[" * 30_000 + "]" * 30_000 + "\n---\nBody\n")
    assert caught.value.line == 3


def test_a_curation_file_nesting_too_deeply_is_reported_and_ignored(tmp_path):
    from dossier.pipeline import load_curation
    from dossier.problems import Problems

    (tmp_path / "actors.yml").write_text("actors:\n  - name: " + "[" * 30_000 + "]" * 30_000 + "\n")
    problems = Problems()
    curation = load_curation(tmp_path, problems)
    assert curation.entries == [] and "nests more than 64 levels deep" in str(problems.errors[0])


def test_an_alias_bomb_in_the_curation_file_is_refused_before_it_expands(tmp_path):
    """Nine anchors of nine aliases each would be 9^9 names: the file is refused at its first alias."""
    from dossier.pipeline import load_curation
    from dossier.problems import Problems

    levels = ['  - name: Bomb\n    aliases: &a0 [' + ", ".join(['"lol"'] * 9) + "]\n"]
    levels += [f"  - name: B{i}\n    aliases: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 9)]
    (tmp_path / "actors.yml").write_text("actors:\n" + "".join(levels))
    problems = Problems()
    curation = load_curation(tmp_path, problems)
    (error,) = problems.errors
    assert curation.entries == [] and "aliases (*name) are not allowed" in str(error) and error.line == 5


def test_a_curation_file_that_is_a_device_is_reported_not_read(tmp_path):
    from dossier.pipeline import load_curation
    from dossier.problems import Problems

    (tmp_path / "actors.yml").symlink_to("/dev/zero")
    problems = Problems()
    assert load_curation(tmp_path, problems, follow_links=True).entries == []
    assert "not a regular file" in str(problems.errors[0])


def test_a_link_out_of_the_input_folder_is_reported_and_skipped_unless_allowed(tmp_path):
    from dossier.problems import Problems
    from dossier.sources import read_seeds

    outside = tmp_path / "outside.txt"
    outside.write_text("Secret title\n\nThe machine's private notes.\n")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "own.txt").write_text("Title\n\nMaduro spoke in Caracas.\n")
    (seeds / "passwd.txt").symlink_to(outside)
    (seeds / "inside.txt").symlink_to(seeds / "own.txt")  # a link within the folder is fine
    problems = Problems()
    assert [s.id for s in read_seeds(seeds, problems)] == ["inside", "own"]
    assert "outside seeds/" in str(problems.errors[0]) and "--follow-links" in str(problems.errors[0])
    assert [s.id for s in read_seeds(seeds, Problems(), follow_links=True)] == ["inside", "own", "passwd"]
