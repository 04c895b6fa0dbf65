"""General answers: FAQ templates filled with examples from the whole catalog rather than the seed article's cards.

"what is nvlink" names no GPU, so its answer says which cards have NVLink (per market segment, the newest
that does), not what the A4000 and A6000 have. The placeholders are :data:`bot.catalog_faq.GENERAL_PLACEHOLDER`;
every card named is cited through :func:`~bot.handlers.context.value`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.answer import Answer
from bot.catalog import GPU
from bot.catalog_faq import GENERAL_PLACEHOLDER
from bot.handlers.context import HandlerContext, add_sources, value

__all__ = ["fill_general", "formats_of", "segments_of"]

#: Market segments in the order answers list them; others follow in catalog order.
_SEGMENT_ORDER = ("data center", "workstation", "consumer", "laptop")
_TOP = 3


def segments_of(gpus: Iterable[GPU]) -> dict[str, list[GPU]]:
    """The GPUs by market segment, in :data:`_SEGMENT_ORDER`."""
    found: dict[str, list[GPU]] = {}
    for gpu in gpus:
        found.setdefault(str(gpu.get("market_segment") or "other"), []).append(gpu)
    order = [s for s in _SEGMENT_ORDER if s in found] + [s for s in found if s not in _SEGMENT_ORDER]
    return {s: found[s] for s in order}


def _year(gpu: GPU) -> str:
    date = gpu.get("release_date")
    return str(date)[:4] if date else "release date unknown"


def _released_after(gpus: Iterable[GPU], newest: GPU, key: str) -> int:
    """How many of ``gpus`` came out after ``newest`` and lack ``key``."""
    date = str(newest.get("release_date") or "")
    if not date:
        return 0
    return sum(1 for g in gpus if g.get(key) is False and str(g.get("release_date") or "") > date)


def _sort_key(text: str) -> tuple[float, str]:
    try:
        return (float(text), text)
    except ValueError:
        return (float("inf"), text)


@dataclass(slots=True)
class _Filler:
    """Fills one answer's general placeholders, citing every card it names and keeping them for the sources."""

    ctx: HandlerContext
    answer: Answer
    named: list[GPU] = field(default_factory=list)

    def cite(self, gpu: GPU, key: str) -> str:
        self.named.append(gpu)
        return value(self.ctx, self.answer, gpu, key)

    def card_value(self, gpu: GPU, key: str) -> str:
        """ "GeForce RTX 5090 (1,792 GB/s)", cited."""
        return f"{gpu.short_name} ({self.cite(gpu, key)})"

    def fill(self, m: re.Match[str]) -> str:
        kind, key, sub = m.groups()
        if kind == "segments":
            return self.segments(key)
        if kind == "top":
            best = self.ranked(self.ctx.catalog, key)[:_TOP]
            return ", ".join(self.card_value(g, key) for g in best) if best else "no card in the catalog has a value"
        if kind == "range":
            return self.range(key)
        if kind == "by_arch":
            return self.by_arch(key)
        if kind == "formats":
            return formats_of(self.ctx, key, sub)
        gpu = self.ctx.catalog.gpus[key]  # card
        self.named.append(gpu)
        return gpu.short_name if sub is None else self.cite(gpu, sub)

    def segments(self, key: str) -> str:
        """A yes/no field per segment: "consumer: 7 of 70 cards, the newest the GeForce RTX 3090 Ti (2022; 39
        consumer cards released since have none)"."""
        parts = []
        for segment, gpus in segments_of(self.ctx.catalog).items():
            have = [g for g in gpus if g.get(key) is True]
            unknown = sum(1 for g in gpus if g.get(key) is None)
            of = f" of {len(gpus)} cards" + (f" ({unknown} unknown)" if unknown else "")
            if not have:
                parts.append(f"{segment}: none{of}")
                continue
            newest = max(have, key=lambda g: str(g.get("release_date") or ""))
            self.cite(newest, key)
            self.cite(newest, "release_date")
            since = _released_after(gpus, newest, key)
            after = f"; {since} {segment} cards released since have none" if since else ""
            parts.append(f"{segment}: {len(have)}{of}, the newest the {newest.short_name} ({_year(newest)}{after})")
        return "; ".join(parts)

    def ranked(self, gpus: Iterable[GPU], key: str) -> list[GPU]:
        """``gpus`` with a value for ``key``, best first by the field's own direction."""
        sign = 1.0 if self.ctx.catalog.fields[key].better == "lower" else -1.0
        return sorted((g for g in gpus if g.number(key) is not None), key=lambda g: sign * (g.number(key) or 0.0))

    def range(self, key: str) -> str:
        """Per segment: "consumer: GeForce GTX 1650 (128 GB/s) to GeForce RTX 5090 (1,792 GB/s)"."""
        parts = []
        for segment, gpus in segments_of(self.ctx.catalog).items():
            ranked = self.ranked(gpus, key)
            if ranked:
                low, high = sorted((ranked[0], ranked[-1]), key=lambda g: g.number(key) or 0.0)
                parts.append(f"{segment}: {self.card_value(low, key)} to {self.card_value(high, key)}")
        return "; ".join(parts)

    def by_arch(self, key: str) -> str:
        """ "Pascal 6.0, 6.1; Volta 7.0; ...": each architecture's distinct values, lowest first."""
        found: dict[str, dict[str, None]] = {}
        fdef = self.ctx.catalog.fields[key]
        for gpu in self.ctx.catalog:
            raw = gpu.get(key)
            if raw is not None:
                found.setdefault(str(gpu.get("architecture")), {})[fdef.format_value(raw)] = None
        ordered = sorted(found.items(), key=lambda kv: min(_sort_key(v) for v in kv[1]))
        return "; ".join(f"{arch} {', '.join(sorted(values, key=_sort_key))}" for arch, values in ordered)


def formats_of(ctx: HandlerContext, fmt: str, vendor: str | None = None) -> str:
    """ "NVIDIA Ada Lovelace, Hopper, Blackwell; AMD CDNA 3, ...": the architectures whose tensor units compute
    ``fmt`` (``vendor``'s only, without the vendor's name, when given)."""
    by_vendor: dict[str, list[str]] = {}
    for name, arch in ctx.catalog.architectures.items():
        maker = str(arch.get("vendor", ""))
        if fmt in arch.get("tensor_formats", ()) and vendor in (None, maker):
            by_vendor.setdefault(maker, []).append(name)
    if not by_vendor:
        return "no architecture in the catalog"
    if vendor is not None:
        return ", ".join(by_vendor[vendor])
    return "; ".join(f"{maker} {', '.join(names)}" for maker, names in by_vendor.items())


def fill_general(ctx: HandlerContext, a: Answer, template: str) -> str:
    """``template`` with its general placeholders filled from the catalog; the cards it names are cited in ``a``
    and their sources added."""
    filler = _Filler(ctx, a)
    text = GENERAL_PLACEHOLDER.sub(filler.fill, " ".join(template.split()))
    add_sources(a, list({g.id: g for g in filler.named}.values()))
    return text
