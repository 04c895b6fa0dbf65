"""Cards named only by vendor and memory, as options: "GeForce 8 GB or Radeon 16 GB for stable diffusion?",
"nvidia 12gb or amd 20gb?", "a 16gb radeon vs a 12gb rtx for llms".

Each option stands for the cards of that vendor with that memory; the rule takes one card for each — the newest
consumer card (else workstation card) of that vendor and size with a launch price, the cheaper on a tie, as the one
on sale now — and asks for the verdict among them for the work named, as if the cards had been named. The answer
says which card each option was read as (:attr:`bot.request.Query.options`). A choice among arbitrary cards (an
unconstrained pick) is never made: an option with no such card in the catalog leaves the question to other rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.catalog import GPU, Catalog
from bot.evidence import Evidence
from bot.request import MAX_COMPARE, Kind, Query

__all__ = ["OptionRules", "option_note"]

_VENDORS = {
    "nvidia": "NVIDIA",
    "geforce": "NVIDIA",
    "rtx": "NVIDIA",
    "amd": "AMD",
    "radeon": "AMD",
    "intel": "Intel",
    "arc": "Intel",
}
_VENDOR = "|".join(_VENDORS)
# "geforce 8gb", "radeon card 16gb", "8gb geforce", "16gb amd card"; "geforce with 8/10 gb" (read "8 10gb"): a size each
_OPTION = re.compile(
    rf"\b(?P<v1>{_VENDOR})\s+(?:card\s+|gpu\s+)?(?:with\s+)?(?P<s1>(?:\d{{1,3}}\s){{0,2}}\d{{1,3}})gb\b"
    rf"|\b(?P<s2>\d{{1,3}})gb\s+(?:of\s+vram\s+)?(?P<v2>{_VENDOR})\b"
)
_SEGMENTS = (("consumer",), ("workstation",))  # GeForce/Radeon/Arc first, then the workstation lines


def option_note(catalog: Catalog, said: str, gpu_id: str) -> str:
    """ "“geforce 8gb” read as the GeForce RTX 5060 ...": how an option was read."""
    name = catalog.gpus[gpu_id].short_name
    return f"“{said}” read as the {name}, the newest card of that vendor and memory with a launch price."


class OptionRules:
    def __init__(self, catalog: Catalog, make: Callable[[Evidence, Kind], Query]) -> None:
        self.catalog = catalog
        self.make = make

    def vendor_sizes(self, ev: Evidence) -> Query | None:
        """The verdict among one card for each vendor-and-memory option, or None when there are not two."""
        if ev.gpus or ev.match.ambiguous or not ev.has("compare") or ev.model is not None:
            return None
        options: list[tuple[str, str]] = []
        for m in _OPTION.finditer(ev.norm):
            vendor, sizes = (m["v1"], m["s1"]) if m["v1"] else (m["v2"], m["s2"])
            for size in sizes.split():
                card = self.representative(_VENDORS[vendor], float(size))
                if card is None:
                    return None
                if card not in (c for _, c in options):
                    options.append((f"{vendor} {size}gb" if " " in sizes else m.group(0), card))
        if len(options) < 2:
            return None
        q = self.make(ev, "verdict")
        q.gpus = [card for _, card in options][:MAX_COMPARE]
        q.workload = q.workload or "general"
        q.limits = {k: v for k, v in q.limits.items() if k != "memory_gb"}  # the sizes chose the cards
        q.options, q.vendor = options[:MAX_COMPARE], None  # the options name their vendors each
        return q

    def representative(self, vendor: str, size: float) -> str | None:
        for segments in _SEGMENTS:
            cards = [
                g
                for g in self.catalog.gpus.values()
                if g.vendor == vendor
                and g.number("memory_gb") == size
                and g.get("market_segment") in segments
                and g.number("launch_price_usd") is not None
            ]
            if cards:
                return max(cards, key=_newest_then_cheapest).id
        return None


def _newest_then_cheapest(g: GPU) -> tuple[str, float]:
    return (str(g.get("release_date") or ""), -(g.number("launch_price_usd") or 0.0))
