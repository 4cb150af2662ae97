"""Diagnostics and the exception that carries them to the CLI.

Library code never prints or exits: it collects `Diagnostic`s and raises
`HumasgenError`, which knows its exit code and how to show itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from typing import Iterable

from .safety.text import for_terminal


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int | None
    message: str
    hint: str = ""
    severity: str = "error"
    rule: str = ""

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if self.rule:
            text += f" [{self.rule}]"
        return for_terminal(text)       # a title's escape sequences must not reach a terminal raw

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.message)


class HumasgenError(Exception):
    """A problem in the user's site (content, config, theme); exit code 1."""

    exit_code = 1

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __reduce__(self):
        return (type(self), (self.diagnostics,))

    @classmethod
    def single(cls, path: str, line: int | None, message: str, hint: str = "") -> "HumasgenError":
        return cls([Diagnostic(path, line, message, hint)])


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """A 'did you mean' hint, or a list of the valid names when nothing is close."""
    choices = sorted(choices)
    close = get_close_matches(name, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "valid keys: " + ", ".join(choices)
