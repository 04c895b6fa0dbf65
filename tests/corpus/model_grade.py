"""Grade how the engine reads model mentions against the labelled corpus (``model_mentions.yaml``).

Two readings per mention: the model the question is read as naming (``engine.parser.read(text).model``, else its
bare size, else "ask" when a family with several models is named, else "none"), and the model of the answer's fit,
when the answer is a fit. A reading is *wrong* when it names a catalog model the label does not accept; a miss is
any other disagreement (nothing found where a model was meant). Used by ``tests/test_models_corpus.py`` and
``benchmarks/bench_model_mentions.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.engine import Engine

CORPUS = Path(__file__).resolve().parent / "model_mentions.yaml"
HOLDOUT = Path(__file__).resolve().parent / "model_mentions_holdout.yaml"  # labelled after the rules were written
NOT_IN_CATALOG = "not in catalog"


def load_mentions(path: Path = CORPUS) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["mentions"])


def accepted(entry: Mapping[str, Any]) -> tuple[str, ...]:
    expect = entry["expect"]
    return tuple(str(e) for e in expect) if isinstance(expect, list) else (str(expect),)


def reading(engine: Engine, text: str) -> str:
    """What the question is read as naming: a model id, "size N", "ask" or "none"."""
    ev = engine.parser.read(text)
    if ev.model is not None:
        return ev.model.model.id
    if ev.bare_size is not None:
        return f"size {ev.bare_size:g}"
    return "ask" if ev.family is not None else "none"


@dataclass(frozen=True, slots=True)
class Graded:
    entry: Mapping[str, Any]
    read: str
    fit_model: str | None  # the model of the answer's fit, when the answer is a fit

    def _is_model(self, got: str) -> bool:
        return got not in ("ask", "none") and not got.startswith("size ")

    def _wrong(self, got: str | None) -> bool:
        return got is not None and self._is_model(got) and got not in accepted(self.entry)

    @property
    def wrong(self) -> bool:
        """A catalog model the mention does not mean: the reading, or the fit answer's model."""
        return self._wrong(self.read) or self._wrong(self.fit_model)

    @property
    def passed(self) -> bool:
        want = accepted(self.entry)
        if self.wrong:
            return False
        if self.read in want:
            return True
        # a model the catalog lacks is read rightly as nothing, a bare size or a question
        return NOT_IN_CATALOG in want and not self._is_model(self.read)


def grade(engine: Engine, entries: Iterable[Mapping[str, Any]]) -> list[Graded]:
    out = []
    for entry in entries:
        text = str(entry["text"])
        answer = engine.ask(text)
        fit = answer.fit.get("model") if answer.fit is not None else None
        fit = fit if fit in engine.models else None  # a bare size's fit names no model ("a 13B-parameter model")
        out.append(Graded(entry, reading(engine, text), fit))
    return out
