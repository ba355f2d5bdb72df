"""The one error the core raises for bad input: it names where and what is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches


class InvalidInput(ValueError):
    """A site, drill or event that does not follow the contract.

    ``where`` locates the problem (``event e7``, ``doors[2]``), ``field`` names the field and
    ``problem`` says what is wrong in plain words. The shell adds the file's name.
    """

    def __init__(self, problem: str, *, where: str = "", field: str = "") -> None:
        self.problem = problem
        self.where = where
        self.field = field
        super().__init__(self.describe())

    def describe(self) -> str:
        located = ", ".join(part for part in (self.where, f"field '{self.field}'" if self.field else "") if part)
        return f"{located}: {self.problem}" if located else self.problem

    def at(self, where: str) -> InvalidInput:
        """The same error, located under ``where`` (kept if already located)."""
        return InvalidInput(self.problem, where=self.where or where, field=self.field)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` did you mean "inner"?`` for the nearest choice, or an empty string."""
    nearest = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f', did you mean "{nearest[0]}"?' if nearest else ""


def unknown(kind: str, word: str, choices: Iterable[str]) -> str:
    """``unknown door "iner", did you mean "inner"?``"""
    return f'unknown {kind} "{word}"{did_you_mean(word, choices)}'
