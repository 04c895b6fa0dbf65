"""One finding of the truth checks."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem"]


@dataclass(frozen=True, slots=True)
class Problem:
    """A wrong or unexplained value: where it is, which fields, which rule (as CONTRIBUTING.md names it), why."""

    file: str
    gpu: str
    fields: tuple[str, ...]
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.gpu}: {', '.join(self.fields)}: [{self.rule}] {self.message}"
