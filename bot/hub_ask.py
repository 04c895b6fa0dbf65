"""Answering a question that names a Hugging Face Hub model (``org/name`` or a Hub URL): look the repository up
(:mod:`bot.hub`), add the model to the engine's models, ask the engine, and say in the answer where the model came
from, or why the Hub could not tell and what the answer rests on instead.

Blocking (the lookup may reach the network): ``gpubot ask`` calls it directly, the Discord bot from a worker thread.
A question that names no repository costs one regular-expression scan and never builds a client.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.answer import Choice
from bot.hub_model import HubRecord, Unsupported, hub_model, hub_url
from bot.hub_ref import find_hub_refs
from bot.hub_search import asks_to_run, confident, name_asked, search_query
from bot.model_book import ModelBook
from bot.models import ModelSpec

if TYPE_CHECKING:
    from bot.answer import Answer
    from bot.engine import Engine, Timed
    from bot.hub import HubClient, HubResult

__all__ = ["HubAsk", "may_name_a_model", "names_hub_model"]

#: Hub repositories offered for a name that matches none exactly (each is looked up before it is offered).
MAX_CANDIDATES = 4


_RUN = re.compile(r"\b(?:run|running|fit|fits|load|host|serve)\b", re.I)


def may_name_a_model(question: str, answer: Answer) -> bool:
    """A cheap first test, from the answer alone, of whether :meth:`HubAsk.unplaced_name` could find a name: a fit
    answer without a model or size, or a look-up asked with a verb of running ("can I run X on a 3090")."""
    if answer.intent == "fits":  # not a model the catalog names without estimating it ("uncovered": a video model)
        return not any((answer.fit or {}).get(k) for k in ("model", "params_b", "uncovered"))
    return answer.intent == "lookup" and _RUN.search(question) is not None


def names_hub_model(question: str) -> bool:
    """Whether ``question`` names a Hub repository (the front ends' cheap test before :meth:`HubAsk.ask`)."""
    return bool(find_hub_refs(question))


def _day(saved: float | None) -> str:
    return dt.datetime.fromtimestamp(saved or 0, dt.UTC).strftime("%Y-%m-%d")


def _count(record: HubRecord) -> str:
    total = record.total or sum(record.parameters.values())
    split = ", ".join(f"{k} {v:,}" for k, v in record.parameters.items())
    return f"{total:,} parameters in its safetensors metadata ({split})" if split else f"{total:,} parameters"


def _gguf_line(record: HubRecord) -> str:
    sizes = record.gguf_bytes
    if not sizes:
        return ""
    shown = "; ".join(f"{q.upper()} {b:,} bytes" for q, b in sorted(sizes.items(), key=lambda kv: -kv[1]))
    return f" GGUF files (split files summed): {shown}."


def found_note(record: HubRecord, result: HubResult) -> str:
    base = f"; architecture from {record.base}" if record.base else ""
    note = f"Model from the Hugging Face Hub: {hub_url(record.repo_id)}, {_count(record)}{base}.{_gguf_line(record)}"
    if result.stale:
        note += f" The Hub could not be reached ({result.detail}): this is the copy cached on {_day(result.saved)}."
    return note


def failure_note(result: HubResult, token: bool) -> str:
    repo = result.repo_id
    if result.failure == "gated":
        known = f" The Hub still tells: {_count(result.record)}." if result.record else ""
        if token:
            return (
                f"{repo} is gated on the Hugging Face Hub and the HF_TOKEN given has no access to it yet: accept its "
                f"terms on {hub_url(repo)} with that account.{known}"
            )
        return (
            f"{repo} is gated on the Hugging Face Hub: its config.json needs a token. Accept its terms on "
            f"{hub_url(repo)}, then set HF_TOKEN to an access token of that account.{known}"
        )
    if result.failure == "not_found":
        return f"There is no model {repo} on the Hugging Face Hub (or it is private: set HF_TOKEN to read it)."
    if result.failure == "not_a_model":
        return f"{repo} on the Hugging Face Hub is not a model the estimate can read: {result.detail}."
    return f"The Hugging Face Hub could not be reached to read {repo} ({result.detail}), and no copy is cached."


class HubAsk:
    """Hub lookups in front of an engine. ``client`` builds the :class:`~bot.hub.HubClient` on first use."""

    def __init__(self, engine: Engine, client: Callable[[], HubClient] | None = None) -> None:
        self.engine = engine
        self._make_client = client
        self._client: HubClient | None = None

    @property
    def client(self) -> HubClient:
        if self._client is None:
            if self._make_client is None:
                from bot.hub import HubClient

                self._client = HubClient()
            else:
                self._client = self._make_client()
        return self._client

    def prepare(self, question: str) -> list[str]:
        """Look up every repository ``question`` names, add the models found to the engine, and return the notes
        the answer should carry (where each model came from, or why it could not be read)."""
        refs = find_hub_refs(question)
        if not refs:
            return []
        book = self.engine.models
        notes = []
        for ref in refs:
            result = self.client.lookup(ref.repo_id)
            if result.record is not None and result.failure is None:
                try:
                    spec = hub_model(result.record)
                except Unsupported as exc:
                    line = f"{ref.repo_id} on the Hugging Face Hub: the estimate cannot read it: {exc}."
                    notes.append(line + _gguf_line(result.record))
                    continue
                if isinstance(book, ModelBook):
                    book.add(spec)
                    if spec.id.lower() != ref.repo_id.lower():
                        book.add(_renamed(spec, ref.repo_id))
                notes.append(found_note(result.record, result))
            else:
                notes.append(failure_note(result, bool(self.client.settings.token)))
        return notes

    def ask_timed(self, question: str) -> Timed:
        """:meth:`ask`, timed like :meth:`Engine.ask_timed <bot.engine.Engine.ask_timed>` (the lookup included)."""
        from bot.engine import Timed

        start = time.perf_counter()
        answer = self.ask(question)
        return Timed(answer, (time.perf_counter() - start) * 1000)

    def ask(self, question: str) -> Answer:
        """The engine's answer to ``question``, with the Hub's models looked up first and the notes added; a fit
        question naming a model the catalog lacks is matched against the Hub's search (:meth:`by_name`)."""
        notes = self.prepare(question)
        answer = annotate(self.engine.ask(question), notes, self.engine.models)
        name = self.unplaced_name(question, answer) if not notes else None
        return self.by_name(question, name, answer) if name else answer

    def unplaced_name(self, question: str, answer: Answer) -> str | None:
        """The model name of a question about a model the catalog could not place, else None: a fit question with
        no model and no size ("glm 4.6 on 2x 3090"), or a question to run something on a GPU that was read as a
        look-up of that GPU ("can I run magistral small on a 3090")."""
        if not may_name_a_model(question, answer):
            return None
        if answer.intent == "fits" and not any((answer.fit or {}).get(k) for k in ("model", "model_id", "params_b")):
            return name_asked(self.engine.parser.read(question))
        if answer.intent == "lookup":  # a name that reads like a model's: two words or a version ("magistral small")
            ev = self.engine.parser.read(question)
            name = name_asked(ev) if asks_to_run(ev) else None
            return name if name and (" " in name or any(c.isdigit() for c in name)) else None
        return None

    def by_name(self, question: str, name: str, answer: Answer) -> Answer:
        """Search the Hub for ``name``: a confident match answers the question as if its id had been given; for a
        fit question, other results become choices (each looked up, so that a pick answers at once) and a miss is
        said; a look-up ("can I run X on a 3090") is left as it was unless the match is confident."""
        found = self.client.search(search_query(name), limit=MAX_CANDIDATES * 2)
        if not found and answer.intent == "fits":
            why = "the Hugging Face Hub could not be searched" if found is None else "the Hugging Face Hub has none"
            answer.notes.append(f"GPU Advisor's model list has no “{name}”, and {why} by that name.")
            return answer
        repos = [repo for repo, _ in (found or [])]
        match = confident(name, repos)
        if match is None and answer.intent != "fits":
            return answer
        if match is not None:
            matched = self.ask(f"{match} {question}")
            matched.question = question
            matched.notes.insert(0, f"“{name}” is {match} on the Hugging Face Hub (its name spelled the same way).")
            return matched
        return self._offer(name, repos, answer)

    def _offer(self, name: str, repos: list[str], answer: Answer) -> Answer:
        """The Hub's nearest repositories as choices; each is looked up first (a pick then needs no network)."""
        offered = []
        for repo in repos[:MAX_CANDIDATES]:
            result = self.client.lookup(repo)
            if result.record is None or result.failure is not None:
                continue
            try:
                spec = hub_model(result.record)
            except Unsupported:
                continue
            if isinstance(self.engine.models, ModelBook):
                self.engine.models.add(spec)
            offered.append(Choice(gpu=spec.id, label=f"{spec.id} ({spec.params_b:.1f}B)"))
        if not offered:
            answer.notes.append(f"GPU Advisor's model list has no “{name}”, nor a Hub model it can read by that name.")
            return answer
        answer.choices = offered
        answer.notes = [n for n in answer.notes if n.startswith(("Model from", "There is no", "The Hugging"))]
        answer.intent = "clarify"
        answer.title = "Which model?"
        answer.summary = (
            f"GPU Advisor's model list has no “{name}”. The nearest models on the Hugging Face Hub do not spell it "
            "exactly, so which one do you mean?"
        )
        answer.bullets = [f"{c.gpu}: {hub_url(c.gpu)}" for c in offered]
        return answer


def annotate(answer: Answer, notes: list[str], models: Mapping[str, ModelSpec]) -> Answer:
    """Put the Hub notes first among the answer's notes, and say what a failed lookup's answer rests on: a model of
    GPU Advisor's own list that the words name, or the size in the name."""
    if not notes:
        return answer
    fit = answer.fit or {}
    model = str(fit.get("model") or "")
    failed = not any(n.startswith("Model from the Hugging Face Hub") for n in notes)
    if failed and answer.intent == "fits":
        if model in models and "/" not in model:
            notes.append(
                f"So this answer is about {model} from GPU Advisor's own model list, the nearest name it knows, "
                "not the repository itself."
            )
        elif fit.get("params_b"):
            notes.append(
                "So this estimate rests on the size in the name only, shaped like a typical model of that size."
            )
    answer.notes[:0] = notes
    return answer


def _renamed(spec: ModelSpec, repo_id: str) -> ModelSpec:
    """The same model under the id as typed, when the Hub answered with its canonical id (a renamed repository)."""
    return replace(spec, id=repo_id)
