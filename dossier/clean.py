"""Remove scraper boilerplate from article text; every removal is kept with its line and reason."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

RULES_FILE = Path(__file__).parent / "data" / "boilerplate.yml"
BULLET = re.compile(r"^[\s•·▪●◦*\-–]+(?=\S)")
# Alt text of a photo: short, no sentence punctuation, immediately followed by its caption line.
ALT_TEXT_MAX_WORDS = 15


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int  # line number in the source file


@dataclass(frozen=True)
class Removal:
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Finding:
    """A metadata value found in boilerplate (a byline, a sign-off, a date header)."""

    field: str
    value: str
    evidence: str
    line: int


@dataclass
class CleanText:
    paragraphs: list[Paragraph]
    removed: list[Removal] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern
    reason: str
    replace: str = ""


KINDS = ("line", "until_end", "prefix", "inline", "byline", "signoff")


@cache
def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    rules = []
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        (kind,) = [k for k in KINDS if k in entry]
        rules.append(Rule(kind, re.compile(entry[kind]), entry["reason"], entry.get("replace", "")))
    return tuple(rules)


# A character reference a scraper left in the text ("&#163;8m", "Pap&#233;", "&lt;"): shown as such
# it reads as garbage. Only whole references with their semicolon, so "AT&T" and "&notable" stay.
CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decoded_reference(match: re.Match) -> str:
    character = html.unescape(match.group(0))
    return character if character.isprintable() else match.group(0)  # never a new line or a control character


def clean(text: str, rules: tuple[Rule, ...] | None = None) -> CleanText:
    rules = load_rules() if rules is None else rules
    lines = CHARACTER_REFERENCE.sub(decoded_reference, text).split("\n")
    result = CleanText(paragraphs=[])
    lines = cut_prefix(lines, rules, result)
    end = tail_start(lines, rules)
    for number in range(end, len(lines)):
        if lines[number].strip():
            reason = "link list or teaser block at the end" if number > end else matching_reason(lines[end], rules)
            result.removed.append(Removal(number + 1, lines[number].strip(), reason))
    keep = drop_captions(lines[:end], result, rules)
    previous = None
    for number, raw in keep:
        line = BULLET.sub("", raw.strip())
        reason = line_reason(line, rules, result, number)
        if reason is None and line == previous:
            reason = "repeated line"
        if reason:
            result.removed.append(Removal(number, raw.strip(), reason))
            continue
        previous = line
        result.paragraphs.append(Paragraph(apply_inline(line, rules, result, number), number))
    result.removed.sort(key=lambda r: r.line)
    return result


def cut_prefix(lines: list[str], rules: tuple[Rule, ...], result: CleanText) -> list[str]:
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return lines
    for rule in rules:
        if rule.kind != "prefix":
            continue
        match = rule.pattern.match(lines[first])
        if match:
            result.removed.append(Removal(first + 1, match.group(0).strip(), rule.reason))
            for name, value in match.groupdict().items():
                result.findings.append(Finding(name, value, match.group(0).strip(), first + 1))
            lines = [*lines[:first], lines[first][match.end():], *lines[first + 1:]]
    return lines


def tail_start(lines: list[str], rules: tuple[Rule, ...]) -> int:
    for number, line in enumerate(lines):
        if any(r.kind == "until_end" and r.pattern.fullmatch(line.strip()) for r in rules):
            return number
    return len(lines)


def matching_reason(line: str, rules: tuple[Rule, ...]) -> str:
    return next(r.reason for r in rules if r.kind == "until_end" and r.pattern.fullmatch(line.strip()))


def drop_captions(lines: list[str], result: CleanText, rules: tuple[Rule, ...]) -> list[tuple[int, str]]:
    """Non-empty lines with their 1-based numbers, minus photo alt text + caption pairs.

    Scraped paragraphs are separated by blank lines; a photo shows up as two adjacent lines:
    short alt text without punctuation, then the caption sentence.
    """
    kept = []
    skip_next = False
    for index, line in enumerate(lines):
        if skip_next:
            skip_next = False
            result.removed.append(Removal(index + 1, line.strip(), "photo caption"))
            continue
        if not line.strip():
            continue
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        preceding = lines[index - 1].strip() if index > 0 else ""
        if (following and not preceding and is_alt_text(line) and is_block_end(lines, index + 2)
                and not is_boilerplate(line, rules) and not is_boilerplate(following, rules)):
            result.removed.append(Removal(index + 1, line.strip(), "photo alt text"))
            skip_next = True
            continue
        kept.append((index + 1, line))
    return kept


def is_boilerplate(line: str, rules: tuple[Rule, ...]) -> bool:
    text = BULLET.sub("", line.strip())
    return any(r.kind in ("line", "byline", "signoff") and r.pattern.fullmatch(text) for r in rules)


def is_alt_text(line: str) -> bool:
    text = line.strip()
    return len(text.split()) <= ALT_TEXT_MAX_WORDS and not re.search(r"[.!?:;”\"]$", text) and not BULLET.match(line)


def is_block_end(lines: list[str], index: int) -> bool:
    return index >= len(lines) or not lines[index].strip()


def line_reason(line: str, rules: tuple[Rule, ...], result: CleanText, number: int) -> str | None:
    for rule in rules:
        if rule.kind in ("line", "byline", "signoff"):
            match = rule.pattern.fullmatch(line)
            if match:
                for name, value in match.groupdict().items():
                    if value:
                        result.findings.append(Finding(name, strip_name(value), line, number))
                return rule.reason
    return None


def strip_name(value: str) -> str:
    """'Ricardo Vaz.' -> 'Ricardo Vaz', but keep the dot of an initial or a suffix ('Jr.')."""
    value = value.strip()
    if value.endswith(".") and not re.search(r"(?:\b[A-Z]|Jr|Sr|Ph\.D)\.$", value):
        value = value[:-1]
    return value


def apply_inline(line: str, rules: tuple[Rule, ...], result: CleanText, number: int) -> str:
    for rule in rules:
        if rule.kind == "inline":
            for match in rule.pattern.finditer(line):
                result.removed.append(Removal(number, match.group(0).strip() or match.group(0), rule.reason))
            line = rule.pattern.sub(rule.replace, line)
    return line
