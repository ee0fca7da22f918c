"""Errors meant for people: each problem names the file, the YAML path, the line and what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file or argument."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        said = f"{self.path}: {self.message}" if self.path else self.message
        return f"{where}: {said}" if where else said


class WargameError(Exception):
    """Base class for every error the engine reports to a user."""

    def __init__(self, problems: list[Problem | str] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(file="", path="", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        problems = [Problem(file="", path="", message=p) if isinstance(p, str) else p for p in problems]
        # Several checks can find the same fault (a missing section read twice); say each once.
        self.problems: list[Problem] = list(dict.fromkeys(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """One line per problem, for printing; a problem with no file starts at its path or message."""
        return [str(p) for p in self.problems]


class RulesetError(WargameError):
    """A ruleset that cannot be loaded; carries one Problem per mistake."""


class ScriptError(WargameError):
    """A move script that cannot be loaded."""


class SaveError(WargameError):
    """A save file that cannot be read or written."""


class IllegalMove(WargameError):
    """A move submitted for an actor that cannot play it now."""
