"""The engine: one object that answers questions, built once from a catalog.

Pure and synchronous: no I/O, no discord, no event loop. Front ends call :meth:`Engine.ask` and
render the :class:`~bot.answer.Answer` it returns.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.answer import Answer
from bot.catalog import Catalog, load_catalog
from bot.composer import Composer
from bot.matcher import Matcher
from bot.parser import QuestionParser
from bot.text import tokens

__all__ = ["Engine", "Timed"]


@dataclass(frozen=True, slots=True)
class Timed:
    answer: Answer
    latency_ms: float


class Engine:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.matcher = Matcher(catalog)
        self.parser = QuestionParser(catalog, self.matcher)
        self.composer = Composer(catalog)

    @classmethod
    def from_specs(cls, specs_dir: str | None = None) -> Engine:
        return cls(load_catalog(specs_dir))

    def ask(self, question: str) -> Answer:
        """Answer one question. Never raises for any input text."""
        return self.composer.compose(self.parser.parse(question))

    def ask_timed(self, question: str) -> Timed:
        start = time.perf_counter()
        answer = self.ask(question)
        return Timed(answer, (time.perf_counter() - start) * 1000)

    def choose(self, question: str, gpu_id: str) -> Answer:
        """Answer ``question`` again with its ambiguous (or unknown) GPU mention replaced by ``gpu_id``.

        Used when someone picks one of a clarifying answer's choices.
        """
        if gpu_id not in self.catalog.gpus:
            raise KeyError(gpu_id)
        query = self.parser.parse(question)
        pending = (query.ambiguous or query.unknown_names)[:1]
        words = query.match.words if query.match else tokens(question)
        name = self.catalog.gpus[gpu_id].name
        if pending:
            m = pending[0]
            words = [*words[: m.start], name, *words[m.end :]]
            rewritten = " ".join(words)
        else:
            rewritten = f"{question} {name}"
        answer = self.ask(rewritten)
        answer.question = question
        return answer
