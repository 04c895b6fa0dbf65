"""Choices between named cards and setups, and values per unit: how people weigh one option against another.

"which has more vram per dollar, 3090 or 4090", "is the 5080 more efficient than the 4080 super?" ask for one
spec divided by another; "4x T4 vs 1x A10G, which is faster?" asks for speed, "two 5060 ti or one 5080?" and "is a
pair of a4500s worth it over one 4090?" for a verdict; "rtx 5000 ada or rtx pro 4500 for a workstation?" is a
choice for a purpose. :class:`ChoiceRules` reads only the evidence (the lexicon's ``speed``, ``verdict_words``,
``efficiency``, ``purposes`` and ``purchase`` classes); :mod:`bot.rules` builds the requests.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.catalog import Catalog
from bot.evidence import Evidence, Reader
from bot.request import MAX_COMPARE, Intent, Kind, Query

__all__ = ["ChoiceRules"]

# What "efficient" divides by the power when the question names no throughput ("is the 5080 more efficient"):
# FP32 is the throughput every vendor publishes on one convention.
_EFFICIENCY_FIELD = "fp32_tflops"


class ChoiceRules:
    """Reads choices and values per unit from the evidence; built once per catalog."""

    def __init__(self, catalog: Catalog, reader: Reader) -> None:
        self.catalog = catalog
        self.reader = reader

    def _numeric(self, key: str) -> bool:
        return key in self.catalog.fields and self.catalog.fields[key].type in ("int", "float")

    def _main_workload(self, ev: Evidence) -> bool:
        return ev.workload is not None and not self.catalog.workloads[ev.workload].get("modifier")

    def per_unit(self, ev: Evidence) -> tuple[str, str] | None:
        """The spec asked for and the one it is divided by: "more vram per dollar" (memory, price), "tflops per
        watt" (FP32, power), "more efficient" (FP32 per watt, unless a workload makes it a verdict). None when
        the question names no spec to divide ("better value per dollar": a verdict on value)."""
        per = self.reader.per_field(ev.norm)
        efficient = per in (None, "tdp_w") and ev.has("efficiency") and not self._main_workload(ev)
        per = "tdp_w" if efficient else per
        if per is None:
            return None
        named = [p.field for p in ev.properties] + list(ev.fields)
        top = next((k for k in named if k != per and self._numeric(k)), None)
        if top is None and efficient and self._numeric(_EFFICIENCY_FIELD):
            top = _EFFICIENCY_FIELD
        return (top, per) if top is not None else None

    @staticmethod
    def clarify(ev: Evidence, build: Callable[[Evidence, Kind], Query]) -> Query:
        """Which one is meant, with the property compared first among the fields: "was the 4060 ti cheaper than
        the 3060 at launch" asks about the launch price, not the launch date ("launch" alone names the date),
        and the direction asked lets the answer compare every variant ("is the l40s cheaper than the a100 80gb")."""
        q = build(ev, "clarify")
        q.fields = list(dict.fromkeys([*(p.field for p in ev.properties), *q.fields]))
        q.property_more = ev.properties[0].more if ev.properties else None
        return q

    def value_per_unit(self, ev: Evidence, build: Callable[[Evidence, Kind], Query]) -> Query | None:
        """The spec per unit side by side for the cards named; with no card named, "which has more vram per
        dollar" ranks every card by it. ``build`` makes the request with every slot the evidence fills."""
        unit = self.per_unit(ev) if len(ev.gpus) != 1 and not ev.counts else None
        if unit is None or (not ev.gpus and (ev.rank_word or not ev.properties)):
            return None  # "the most vram per dollar": the ranking rule's
        q = build(ev, "compare" if ev.gpus else "rank")
        q.fields = list(dict.fromkeys([*unit, *q.fields]))
        q.rank_field, q.rank_per = unit
        q.gpus, q.dropped = q.gpus[:MAX_COMPARE], q.gpus[MAX_COMPARE:]
        if not ev.gpus:
            q.rank_lowest = bool(ev.properties) and not ev.properties[0].more
        return q

    @staticmethod
    def or_choice(ev: Evidence) -> bool:
        """The first two cards are offered as alternatives: "two 5060 ti 16gb or one 5080?"."""
        mentions = [m for m in ev.match.mentions if m.gpu]
        if len(mentions) < 2:
            return False
        return "or" in ev.match.words[mentions[0].end : mentions[1].start]

    def speed_only(self, ev: Evidence) -> bool:
        """ "which is faster", "which finishes faster": a speed asked, no verdict ("better", "worth", "should")."""
        return ev.has("speed") and ev.has("which_what") and not (ev.has("verdict_words") or ev.has("worth"))

    def setup_intent(self, ev: Evidence, sized: bool) -> Intent:
        """Setups side by side (compare) or a verdict between them (recommend)."""
        if self.speed_only(ev):
            return "compare"  # "4x T4 vs 1x A10G for batch inference, which is faster": how fast, side by side
        verdict = ev.has("named_choice") or ev.has("worth") or ev.has("verdict_words") or self.or_choice(ev)
        return "recommend" if (verdict or sized or ev.workload) else "compare"

    def choice_for_purpose(self, ev: Evidence) -> bool:
        """ "rtx 5000 ada or rtx pro 4500 blackwell for a workstation?": alternatives for a purpose, not a workload."""
        return len(ev.gpus) >= 2 and ev.has("purposes") and self.or_choice(ev)

    @staticmethod
    def purchase(ev: Evidence) -> bool:
        """ "what would you buy for fine-tuning llama": asks what to buy, with no card named."""
        return not ev.gpus and ev.has("purchase")
