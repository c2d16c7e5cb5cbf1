"""Problems found in the inputs: reported with file, line and reason, never fatal to the build."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def shown_path(path: Path | str) -> str:
    """A path as messages and pages show it: relative to the folder the build runs in, never the machine's layout."""
    path = Path(path)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return Path(os.path.relpath(path, Path.cwd())).as_posix()
    except ValueError:  # another drive on Windows
        return path.name


class ConfigError(Exception):
    """A mistake in the command line or configuration: the build cannot start (exit code 2)."""


class InputError(Exception):
    """One input file cannot be used; the build goes on without it."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    reason: str
    level: str = "error"  # "error": the input was skipped; "warning": used, but look at it

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.reason}"


@dataclass
class Problems:
    """Collects what went wrong with inputs; `errors` decides the exit code."""

    items: list[Problem] = field(default_factory=list)
    seen: set[Problem] = field(default_factory=set, repr=False, compare=False)  # a problem is reported once

    def __post_init__(self) -> None:
        self.seen |= set(self.items)

    def error(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.add(Problem(str(path), line, reason, "error"))

    def warning(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.add(Problem(str(path), line, reason, "warning"))

    def add(self, problem: Problem) -> None:
        problem = Problem(shown_path(problem.path), problem.line, problem.reason, problem.level)
        if problem not in self.seen:
            self.items.append(problem)
            self.seen.add(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.level == "warning"]
