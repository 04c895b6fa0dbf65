"""What the matcher finds in a question: GPU mentions (resolved, ambiguous or unknown) and field mentions."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.fields_match import FieldMatch

__all__ = ["FieldMatch", "GpuMention", "MatchResult"]


@dataclass(frozen=True, slots=True)
class GpuMention:
    """One GPU mention in the text: resolved (``gpu``) or ambiguous (``candidates``)."""

    text: str
    start: int  # index of the first word in the normalised question
    end: int
    gpu: str | None = None
    candidates: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.gpu is None and len(self.candidates) > 1


@dataclass(slots=True)
class MatchResult:
    words: list[str]
    mentions: list[GpuMention] = field(default_factory=list)
    fields: list[FieldMatch] = field(default_factory=list)

    @property
    def gpu_ids(self) -> list[str]:
        """Resolved GPU ids in the order mentioned, without repeats."""
        out: list[str] = []
        for m in self.mentions:
            if m.gpu and m.gpu not in out:
                out.append(m.gpu)
        return out

    @property
    def ambiguous(self) -> list[GpuMention]:
        return [m for m in self.mentions if m.ambiguous]

    @property
    def unknown(self) -> list[GpuMention]:
        return [m for m in self.mentions if not m.gpu and not m.ambiguous]

    @property
    def field_keys(self) -> list[str]:
        out: list[str] = []
        for f in self.fields:
            if f.key not in out:
                out.append(f.key)
        return out
