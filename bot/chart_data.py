"""The data behind an answer's chart (:class:`bot.answer.Chart`), built by the handlers from catalog values.

Only what the answer itself states goes into a chart: the same catalog figures, formatted the same way, and
for a fit the estimate's own terms against the usable memory it was held against. Drawing is elsewhere
(:mod:`bot.render_chart`), so building chart data costs nothing but a few tuples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.answer import Chart, Series
from bot.catalog import GPU, Catalog

__all__ = ["CHART_FIELDS", "MAX_BARS", "MAX_SPECS", "memory_chart", "ranking_chart", "spec_chart", "spec_series"]

#: The specs a comparison chart shows when the question asks for none, most telling first.
CHART_FIELDS = (
    "memory_gb",
    "memory_bandwidth_gbs",
    "fp16_tensor_tflops",
    "fp32_tflops",
    "tdp_w",
    "launch_price_usd",
)
#: At most this many specs in one comparison chart (and about this many bars), this many GPUs in a ranking chart.
MAX_SPECS = 6
MAX_SPEC_BARS = 16
MAX_BARS = 10


def _winner(values: Sequence[float | None], better: str | None) -> int | None:
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if better not in ("higher", "lower") or len(known) < 2:
        return None
    best = (max if better == "higher" else min)(v for _, v in known)
    leaders = [i for i, v in known if v == best]
    return leaders[0] if len(leaders) == 1 else None


def _text(catalog: Catalog, gpu: GPU, key: str, compared: float | None) -> str:
    """The value as the answer's table prints it: "48 GB", "unknown", or for a vendor's dual-issue FP32 both
    figures, "61.4 TFLOPS (30.7 single-issue)", since the bar is the single-issue one (what is compared)."""
    raw = gpu.get(key)
    if raw is None:
        return "unknown"
    shown = catalog.fields[key].format_value(raw)
    return shown if compared is None or compared == gpu.number(key) else f"{shown} ({compared:.3g} single-issue)"


def spec_series(catalog: Catalog, gpus: Sequence[GPU], key: str) -> Series | None:
    """One numeric spec across ``gpus`` (single-issue FP32 where a vendor counts dual issue, as the table
    compares); None when fewer than two GPUs have it."""
    fdef = catalog.fields[key]
    if fdef.type not in ("int", "float"):
        return None
    values = tuple(catalog.comparable(g, key) for g in gpus)
    if sum(v is not None for v in values) < 2:
        return None
    texts = tuple(_text(catalog, g, key, v) for g, v in zip(gpus, values, strict=True))
    return Series(fdef.label, fdef.unit, values, texts, _winner(values, fdef.better), fdef.better)


def spec_chart(
    catalog: Catalog, gpus: Sequence[GPU], keys: Sequence[str] = (), *, title: str = "", winner: int | None = None
) -> Chart | None:
    """Bars per spec across ``gpus`` (the asked ``keys`` first, else :data:`CHART_FIELDS`); None with fewer
    than two GPUs or no spec that at least two of them have."""
    if len(gpus) < 2:
        return None
    wanted = [k for k in keys if k in catalog.fields] or [k for k in CHART_FIELDS if k in catalog.fields]
    most = max(3, min(MAX_SPECS, MAX_SPEC_BARS // len(gpus)))  # 6 specs for two cards, 4 for four
    series = [s for k in wanted if (s := spec_series(catalog, gpus, k)) is not None][:most]
    if not series:
        return None
    names = tuple(g.short_name for g in gpus)
    return Chart("bars", title or " vs ".join(names), names, tuple(series), winner=winner)


def ranking_chart(
    title: str, gpus: Sequence[GPU], values: Sequence[float | None], texts: Sequence[str], unit: str, better: str
) -> Chart | None:
    """A ranking's top ``MAX_BARS`` as one series in ranked order; None with no known value."""
    shown = list(zip(gpus, values, texts, strict=True))[:MAX_BARS]
    if not any(v is not None for _, v, _ in shown):
        return None
    series = Series(title, unit, tuple(v for _, v, _ in shown), tuple(t for _, _, t in shown), 0, better)
    return Chart("ranking", title, tuple(g.short_name for g, _, _ in shown), (series,), winner=0)


def memory_chart(fit: Mapping[str, Any], title: str, where: str = "") -> Chart | None:
    """A fit's estimate, term by term (GB for the whole job), against the memory the cards really offer
    (``usable_gb``, else the catalog's ``available_gb``) of the cards ``where`` names ("2× GeForce RTX 3090");
    None without terms or capacity.

    A negative term (memory kept off the GPU, e.g. token embeddings in system RAM) is drawn as taken off the
    others. When the terms do not add up to the need the answer states (an image pipeline whose parts take turns on the
    GPU peaks below the sum of its parts), the bar is that need, whole: the picture never contradicts the text."""
    terms = fit.get("terms") or {}
    capacity = fit.get("usable_gb") or fit.get("available_gb")
    parts = [(str(name), float(gb)) for name, gb in terms.items() if gb is not None and float(gb) != 0]
    if not any(gb > 0 for _, gb in parts) or not capacity:
        return None
    required = fit.get("required_gb")
    if required is not None and abs(sum(gb for _, gb in parts) - float(required)) > max(0.15, 0.02 * float(required)):
        parts = [("needed at the peak", float(required))]
    count = fit.get("gpus_count") or 1
    on = f" on the {where}" if where and count == 1 else f" on {where}" if where else f" on {count} GPUs" * (count > 1)
    series = Series(
        "needed", "GB", tuple(gb for _, gb in parts), tuple(f"{gb:,.1f} GB" for _, gb in parts), None, "lower"
    )
    return Chart(
        "memory",
        title,
        tuple(name for name, _ in parts),
        (series,),
        capacity=float(capacity),
        capacity_label=f"{float(capacity):,.1f} GB usable{on}",
    )
