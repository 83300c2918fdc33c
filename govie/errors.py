"""Errors that name where the problem is: file, line, document id."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file."""

    message: str
    path: str | None = None
    line: int | None = None
    doc_id: str | None = None

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.doc_id is not None:
            where += f": document {self.doc_id!r}"
        return f"{where}: {self.message}"


class GovieInputError(ValueError):
    """Bad user input; ``str()`` names the file, the line and the problem."""

    def __init__(self, problem: Problem | str, *, path: str | None = None,
                 line: int | None = None, doc_id: str | None = None):
        if isinstance(problem, str):
            problem = Problem(problem, path, line, doc_id)
        self.problem = problem
        super().__init__(str(problem))
