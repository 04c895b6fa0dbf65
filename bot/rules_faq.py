"""FAQ topics asked about any card: the seed article's topics ("pros and cons", "is ECC worth it", "future-proof",
"does it support NVLink and is it worth it") asked about the cards the question names, not only the article's A4000
and A6000 ("pros and cons of the 4090", "is ecc on the a5000 worth it?", "my P40 only draws 70W, how do I make it
faster?").

:class:`FaqRules` reads only the evidence and says which cards an FAQ answer is about; :mod:`bot.rules` turns that
into a ``faq`` request. An entry answers for one card (or three or four, one each) with its ``one:`` template, and
for two cards with its pair template (``{a}``/``{b}``).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.catalog import FaqEntry
from bot.evidence import Evidence
from bot.request import MAX_COMPARE, SOFTWARE_FAQ, Kind, Query

__all__ = ["NO_GPU_FAQ", "FaqRules"]

NO_GPU_FAQ = "no-gpu"  # "can I fine-tune a 3B model without a GPU?": answered before any fit or pick


# Words after "don't have a gpu" that qualify it: not no GPU, but none of that kind ("with more than 45GB").
_QUALIFIERS = frozenset(["with", "that", "which", "bigger", "larger", "over", "above", "beyond", "of"])


def _qualified(norm: str, hit: str) -> bool:
    at = norm.find(hit)
    following = norm[at + len(hit) :].split(None, 1)[:1] if at >= 0 else []
    return bool(following) and following[0] in _QUALIFIERS


class FaqRules:
    """Whether an FAQ topic is asked about the cards a question names. ``make`` builds a request with every slot the
    evidence fills; ``fields`` gives the spec fields a question names (a glossary entry's when it names none)."""

    def __init__(
        self,
        field_phrases: frozenset[str],
        make: Callable[[Evidence, Kind], Query],
        fields: Callable[[Evidence], list[str]],
    ) -> None:
        self.field_phrases = field_phrases
        self.make = make
        self.fields = fields

    def about_named(self, ev: Evidence) -> Query | None:
        """ "pros and cons of the 4090", "is ecc on the a5000 worth it?": an FAQ topic about the cards named."""
        gpus = self.named(ev, self.fields(ev))
        if gpus is None:
            return None
        q = self.make(ev, "faq")
        q.faq, q.gpus = ev.faq, gpus
        return q

    def without_gpu(self, ev: Evidence) -> Query | None:
        """ "can I fine-tune llama 3.2 3b without a gpu?", "cpu only inference for mistral": what runs with no GPU,
        not a fit on one or a pick."""
        if ev.faq is None or ev.faq.id != NO_GPU_FAQ or ev.gpus:
            return None
        if any(_qualified(ev.norm, hit) for hit in ev.faq_hits):
            return None  # "I don't have a GPU with more than 45GB; 4x 24GB GPUs?": GPUs, only smaller ones
        q = self.make(ev, "faq")
        q.faq, q.gpus, q.general = ev.faq, [], True
        return q

    def can_answer(self, faq: FaqEntry, count: int) -> bool:
        """The entry has an answer for ``count`` named cards: its one-card template, or its pair template for two."""
        if faq.intent != "faq" or faq.id == SOFTWARE_FAQ or not 1 <= count <= MAX_COMPARE:
            return False
        return faq.one is not None or (count == 2 and bool(faq.gpus))

    def named(self, ev: Evidence, fields: list[str]) -> list[str] | None:
        """The named cards an FAQ answer is about, or None when the question is not such an FAQ question.

        A spec named with the topic ("does the 4090 have ecc?", "a5000 nvlink") is a look-up unless the question
        asks beyond the value ("is ecc on the a5000 worth it?", "pros and cons"); a comparison ("3090 vs 4090 ecc")
        stays a comparison, and "is the 4090 good for rendering?" a verdict."""
        faq = ev.faq
        if faq is None or not ev.gpus or not self.can_answer(faq, len(ev.gpus)):
            return None
        if ev.has("compare_strict") or ev.model is not None or ev.bare_size is not None:
            return None
        if len(ev.gpus) >= 2 and (ev.has("compare") or ev.has("named_choice")):
            return None  # "a5000 or 4090 for a render node", "A6000 slower than the 4090": a verdict or a comparison
        if ev.has("faq_asks"):
            return list(ev.gpus)
        # without asking words, a topic word beyond any spec, in a question that asks for no verdict or choice and
        # names no workload or build ("can the rtx 4000 sff go in a mini itx case?": a look-up of its build)
        beyond = any(h not in self.field_phrases for h in ev.faq_hits)
        verdict = ev.has("verdict_asked") or ev.has("choice_asked") or bool(ev.workloads)
        return list(ev.gpus) if beyond and not fields and not verdict else None
