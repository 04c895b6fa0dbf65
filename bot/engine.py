"""The engine: one object that answers questions, built once from a catalog.

Pure and synchronous: no I/O, no discord, no event loop. Front ends call :meth:`Engine.ask` and
render the :class:`~bot.answer.Answer` it returns.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.answer import Answer
from bot.catalog import GPU, Catalog, FaqEntry, load_catalog
from bot.composer import Composer
from bot.longtail import is_longtail
from bot.matcher import GpuMention, Matcher
from bot.model_book import ModelBook
from bot.models import ModelIndex, ModelSpec, load_models
from bot.parser import FitRequest, Query, QuestionParser
from bot.prices import PriceBook, load_prices
from bot.request import Intent, Kind
from bot.text import compact, tokens

__all__ = ["Engine", "Timed"]

# The request kind of a direct request (a slash command) that names only its intent.
_DIRECT_KIND: dict[Intent, Kind] = {
    "lookup": "lookup",
    "compare": "compare",
    "recommend": "pick",
    "fits": "fit",
    "faq": "faq",
    "clarify": "clarify",
    "unknown": "unknown",
}


@dataclass(frozen=True, slots=True)
class Timed:
    answer: Answer
    latency_ms: float


class Engine:
    def __init__(
        self, catalog: Catalog, prices: PriceBook | None = None, models: Mapping[str, ModelSpec] | None = None
    ) -> None:
        self.catalog = catalog
        self.prices = prices or PriceBook()
        # the catalog's models, and those looked up on the Hugging Face Hub (bot.hub_ask) while it runs
        self.models = ModelBook(load_models(catalog.root) if models is None else models)
        self.matcher = Matcher(catalog)
        self.parser = QuestionParser(catalog, self.matcher, ModelIndex(self.models))
        self.composer = Composer(catalog, self.prices, self.models)

    @classmethod
    def from_specs(cls, specs_dir: str | None = None, prices_path: str | None = None) -> Engine:
        catalog = load_catalog(specs_dir)
        return cls(catalog, load_prices(prices_path, catalog))

    def ask(self, question: str) -> Answer:
        """Answer one question. Never raises for any input text."""
        return self.answer(self.parser.parse(question))

    def answer(self, query: Query) -> Answer:
        """The answer to a request (from the rules, or built directly by a slash command)."""
        answer = self.composer.compose(query)
        answer.kind, answer.rule = query.kind, query.rule or "direct"
        return answer

    def explain(self, question: str) -> dict[str, Any]:
        """How ``question`` is read: the evidence, the rule that fired and the request."""
        return self.parser.explain(question)

    def ask_timed(self, question: str) -> Timed:
        start = time.perf_counter()
        answer = self.ask(question)
        return Timed(answer, (time.perf_counter() - start) * 1000)

    # -- direct answers for slash commands: options already resolved, no parsing ---------------

    def _compose(self, query: Query) -> Answer:
        if query.kind == "unknown":
            query.kind = _DIRECT_KIND[query.intent]
        return self.answer(query)

    def card(self, gpu_id: str, *, all_fields: bool = False) -> Answer:
        """The spec card of one GPU."""
        text = f"{self.catalog.gpus[gpu_id].name} {'all ' if all_fields else ''}specs"
        return self._compose(Query(text=text, intent="lookup", gpus=[gpu_id], all_fields=all_fields))

    def spec(self, gpu_id: str, field: str) -> Answer:
        """One field of one GPU."""
        text = f"{self.catalog.gpus[gpu_id].name} {self.catalog.fields[field].label}"
        return self._compose(Query(text=text, intent="lookup", gpus=[gpu_id], fields=[field]))

    def compare(self, gpu_ids: list[str], fields: list[str] | None = None, *, all_fields: bool = False) -> Answer:
        """Two to four GPUs side by side (one GPU gives its card)."""
        ids = list(dict.fromkeys(gpu_ids))[:4]
        if len(ids) == 1:
            return self.card(ids[0], all_fields=all_fields)
        text = " vs ".join(self.catalog.gpus[g].short_name for g in ids)
        return self._compose(
            Query(text=text, intent="compare", gpus=ids, fields=list(fields or []), all_fields=all_fields)
        )

    def all_specs(self, gpu_ids: list[str], *, question: str = "") -> Answer:
        answer = self.compare(gpu_ids, all_fields=True)
        if question:
            answer.question = question
        return answer

    def recommend(self, workload: str, *, budget_usd: float | None = None, gpu_ids: list[str] | None = None) -> Answer:
        """The advisor's pick for a workload from ``specs/workloads.yaml``."""
        if workload not in self.catalog.workloads:
            raise KeyError(workload)
        label = self.catalog.workloads[workload]["label"]
        text = f"best gpu for {label}" + (f" under ${budget_usd:,.0f}" if budget_usd else "")
        return self._compose(
            Query(
                text=text,
                intent="recommend",
                gpus=list(gpu_ids or []),
                workload=workload,
                budget_usd=budget_usd,
                kind="verdict" if gpu_ids else "pick",
                buyable=True,  # like a question that does not say data centre: cards a person can buy
            )
        )

    def resolve_gpu(self, text: str) -> GpuMention | None:
        """The single best reading of ``text`` as one GPU name (slash-command options, ``catalog show``): the
        curated matcher's, else the long tail's (cards the catalog lacks, :mod:`bot.longtail`)."""
        found = self.matcher.resolve(text)
        if found is not None and (found.gpu or found.candidates):
            return found
        mentions = self.parser.reader.read(text).match.mentions
        return mentions[0] if mentions else found

    def gpu_choices(self, text: str, limit: int = 25) -> list[GPU]:
        """GPUs for a partly typed name, best first: a long-tail card the whole text names, then the catalog's."""
        curated = self.matcher.autocomplete(text, limit=limit)
        mention = self.resolve_gpu(text) if text.strip() else None
        named = ((mention.gpu,) if mention.gpu else mention.candidates) if mention is not None else ()
        tail = [self.catalog.gpus[g] for g in named if is_longtail(g)]
        return (tail + curated)[:limit]

    def resolve_model(self, text: str) -> str | None:
        """A model id from an id or any spelling people use ("llama3 70b"), or None."""
        if text in self.models:
            return text
        found = self.parser.models.find(tokens(text)) if self.parser.models is not None else None
        return found.model.id if found else None

    def model_choices(self, text: str, limit: int = 25) -> list[ModelSpec]:
        """Models for a partly typed name, names starting with it first, then smallest first."""
        wanted = compact(text)
        hits = [
            m
            for m in self.models.values()
            if not wanted or wanted in compact(m.name) or any(wanted in compact(a) for a in m.aliases)
        ]
        hits.sort(key=lambda m: (not compact(m.name).startswith(wanted), m.params_b))
        return hits[:limit]

    def faq_choices(self, text: str, limit: int = 25) -> list[FaqEntry]:
        """FAQ entries whose question or keywords contain the typed text."""
        wanted = text.strip().lower()
        return [
            f
            for f in self.catalog.faqs
            if not wanted or wanted in f.question.lower() or any(wanted in k for k in f.keywords)
        ][:limit]

    def faq_topic(self, topic: str) -> Answer:
        """An FAQ by id or question; any other text is answered like a question."""
        entry = next((f for f in self.catalog.faqs if topic in (f.id, f.question)), None)
        return self.faq(entry.id) if entry is not None else self.ask(topic)

    def faq(self, faq_id: str) -> Answer:
        entry = self.catalog.faq(faq_id)
        query = Query(text=entry.question, intent=entry.intent, gpus=list(entry.gpus), faq=entry)
        if entry.intent == "recommend":
            query.workload = entry.workload
        return self._compose(query)

    def fit(
        self,
        model_id: str,
        gpu_id: str | None = None,
        *,
        precision: str | None = None,
        mode: str = "inference",
        context: int | None = None,
        count: int = 1,
    ) -> Answer:
        """Will ``model_id`` fit on ``count`` × ``gpu_id`` (or how much memory it needs)."""
        model = self.models[model_id]
        where = f" on {count}x {self.catalog.gpus[gpu_id].name}" if gpu_id else ""
        text = f"{mode} {model.name}{f' in {precision}' if precision else ''}{where}"
        request = FitRequest(model_id=model_id, mode=mode, precision=precision, context=context, gpus_count=count)
        return self._compose(Query(text=text, intent="fits", gpus=[gpu_id] if gpu_id else [], fit=request))

    def choose(self, question: str, gpu_id: str) -> Answer:
        """Answer ``question`` again with its ambiguous (or unknown) GPU mention replaced by ``gpu_id``.

        Used when someone picks one of a clarifying answer's choices.
        """
        if gpu_id not in self.catalog.gpus:
            if "/" in gpu_id and gpu_id in self.models:  # a Hub model offered for a name (bot/hub_ask.py)
                answer = self.ask(f"{gpu_id} {question}")
                answer.question = question
                return answer
            raise KeyError(gpu_id)
        # The pick answers the mention whose candidates hold it ("h100 vs a100", then an A100: the second).
        return self.answer(self.parser.complete(question, gpu_id))
