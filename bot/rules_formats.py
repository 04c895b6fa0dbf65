"""Tensor formats: "does the rtx 5090 support fp4", "can a V100 do bf16?" (the formats of the named cards'
architecture), and asked of no card, "which gpus support bf16?", "how do i know if my gpu supports fp8?" (which
architectures compute it, per vendor: :func:`bot.handlers.hardware.formats`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.catalog import Catalog
from bot.evidence import Evidence
from bot.request import MAX_COMPARE, Kind, Query
from bot.rules_variants import one_architecture

__all__ = ["FORMAT_FIELD", "FormatRules", "floating_formats_named"]

# The spec field that holds a format's dense tensor throughput.
FORMAT_FIELD = {
    "fp16": "fp16_tensor_tflops",
    "bf16": "bf16_tensor_tflops",
    "fp8": "fp8_tensor_tflops",
    "int8": "int8_tensor_tops",
    "fp64": "fp64_tflops",
}


# Rank words that make a format question a pick ("fastest card for fp8"); "on newer gpus" only describes them.
_PICK_RANKS = frozenset(["best", "top", "fastest", "cheapest", "most", "highest"])
# Floating-point tensor formats whose support differs by architecture, as written ("bfloat16" is BF16).
_FLOATING = re.compile(r"\b(fp8|bf16|bfloat16|fp4|nvfp4|mxfp4|tf32)\b")
_CANONICAL = {"bfloat16": "bf16", "nvfp4": "fp4", "mxfp4": "fp4"}


def floating_formats_named(norm: str) -> list[str]:
    """The floating-point tensor formats a normalised question names, with or without a support word ("FP8
    quantization fails to accelerate on the 3090", "bfloat16 is only supported on compute capability 8.0")."""
    if "f" not in norm and "b" not in norm and "t" not in norm:
        return []
    return list(dict.fromkeys(_CANONICAL.get(m, m) for m in _FLOATING.findall(norm)))


class FormatRules:
    def __init__(self, catalog: Catalog, make: Callable[[Evidence, Kind], Query]) -> None:
        self.catalog = catalog
        self._query = make

    def support(self, ev: Evidence) -> Query | None:
        """ "does the rtx 5090 support fp4", "can a V100 do bf16?": the tensor formats of its architecture."""
        same_chip = one_architecture(self.catalog, ev)
        if not (ev.gpus or same_chip) or not ev.formats_asked or ev.model is not None or ev.family:
            return None
        if ev.has("quantisation"):
            return None  # "does the V100 support 4-bit quantisation": software quantises, a software question
        q = self._query(ev, "formats")
        q.formats = list(ev.formats_asked)
        q.gpus = (q.gpus or [same_chip[0]])[:MAX_COMPARE]
        q.variants = [(ev.match.ambiguous[0].text, tuple(same_chip), ())] if same_chip else []  # one answer for all
        q.ambiguous = []
        q.fields = self.fields(q.formats)
        return q

    def in_general(self, ev: Evidence) -> Query | None:
        """ "which gpus support bf16?", "how do i know if my gpu supports fp8?": the architectures that compute it,
        when the question names no card, model, workload, budget or limit (those make it a pick or a ranking)."""
        if not ev.formats_asked or ev.gpus or ev.match.mentions or ev.model is not None or ev.family:
            return None
        if ev.budget_usd is not None or ev.limits or ev.has("quantisation"):
            return None
        if ev.workload and (ev.has("advice") or ev.rank_word in _PICK_RANKS):
            return None  # "best card for fp8 inference": a pick ("which gpus support fp8 for inference?" is not)
        if not (ev.has("support_verbs") or ev.has("support_words")):
            return None
        q = self._query(ev, "formats")
        q.formats, q.gpus, q.fields = list(ev.formats_asked), [], self.fields(ev.formats_asked)
        return q

    def fields(self, formats: list[str]) -> list[str]:
        return [FORMAT_FIELD[f] for f in formats if FORMAT_FIELD.get(f) in self.catalog.fields]
