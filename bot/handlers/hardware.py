"""Hardware questions about named cards: which tensor formats they compute ("does the rtx 5090 support fp4")
and what power supply a rig of them needs ("what psu for 2x 3090").

Format support comes from each GPU's architecture (``tensor_formats`` in ``specs/architectures.yaml``) and
its tensor-core count, with the dense figure where the catalog has one. A power supply size is an estimate:
the cards' board power from the catalog, plus the rest of the system and headroom, both stated assumptions.
"""

from __future__ import annotations

from bot.answer import Answer
from bot.catalog import GPU
from bot.handlers import specs
from bot.handlers.context import HandlerContext, add_notes, add_sources, value
from bot.parser import Query
from bot.series import is_series
from bot.wording import an

__all__ = [
    "HEADROOM",
    "PSU_SIZES_W",
    "REST_OF_SYSTEM_W",
    "formats",
    "psu",
]

#: The format's dense tensor figure in the catalog (fp64 is the shader FP64 rate, not a tensor one).
_FIGURE_FIELD = {
    "fp16": "fp16_tensor_tflops",
    "bf16": "bf16_tensor_tflops",
    "fp8": "fp8_tensor_tflops",
    "int8": "int8_tensor_tops",
}
_NON_TENSOR = {"fp64": "fp64_tflops", "fp32": "fp32_tflops"}

# -- power supply assumptions (estimates, shown in every answer; not catalog facts) ----------------
#: The rest of a desktop system under load, in W: a desktop CPU plus board, memory, drives and fans.
REST_OF_SYSTEM_W = (150, 300)
#: Headroom over the sustained total, for transient spikes above board power and to keep the supply in its
#: efficient range: a rule of thumb, not a vendor figure.
HEADROOM = 1.25
#: Common ATX power-supply ratings, in W.
PSU_SIZES_W = (450, 550, 650, 750, 850, 1000, 1200, 1300, 1500, 1600)


# -- tensor formats -----------------------------------------------------------------------------


def formats(ctx: HandlerContext, q: Query) -> Answer:
    """For each GPU, whether its architecture's tensor units compute each format asked, with the dense figure."""
    if q.formats and not q.gpus:
        return formats_in_general(ctx, q)
    if not q.formats or not q.gpus:
        return (specs.compare if len(q.gpus) > 1 else specs.lookup)(ctx, q)
    gpus = [ctx.catalog.gpus[g] for g in q.gpus]
    names = " and ".join(f.upper() for f in q.formats)
    a = Answer(question=q.text, intent="lookup", title="", gpus=[g.id for g in gpus])
    a.intent = "compare" if len(gpus) > 1 and not _one_series(q) else "lookup"
    a.title = f"Does the {gpus[0].short_name} support {names}?" if len(gpus) == 1 else f"{names} support"
    lines = [f"{gpu.short_name}, {fmt.upper()}: {_support(ctx, a, gpu, fmt)}." for gpu in gpus for fmt in q.formats]
    if len(lines) == 1:
        a.summary = lines[0]
    else:
        a.bullets = lines
    if any(line.split(": ", 1)[1].startswith("no") for line in lines):
        a.notes.append(
            "A format the tensor units lack can still be stored, and software may convert it to one they have, "
            "but it then runs at that format's speed."
        )
    for gpu in gpus:
        add_notes(ctx, a, gpu, [_FIGURE_FIELD.get(f, _NON_TENSOR.get(f, "")) for f in q.formats])
    a.fields = sorted({f.field for f in a.facts}, key=list(ctx.catalog.fields).index)
    add_sources(a, gpus)
    return a


def formats_in_general(ctx: HandlerContext, q: Query) -> Answer:
    """ "which gpus support bf16?": per vendor, the architectures whose tensor units compute each format asked
    (``specs/architectures.yaml``), with the newest card of each in the catalog."""
    names = " and ".join(f.upper() for f in q.formats)
    a = Answer(question=q.text, intent="lookup", title=f"Which GPUs support {names}?")
    for fmt in q.formats:
        if fmt in _NON_TENSOR:
            a.bullets.append(
                f"{fmt.upper()}: every GPU computes it on its shader cores; it is not a tensor-core format."
            )
            continue
        by_vendor: dict[str, list[str]] = {}
        for name, arch in ctx.catalog.architectures.items():
            if fmt in arch.get("tensor_formats", ()):
                by_vendor.setdefault(str(arch.get("vendor")), []).append(_with_example(ctx, name))
        listed = "; ".join(f"{vendor}: {', '.join(archs)}" for vendor, archs in by_vendor.items())
        a.bullets.append(f"{fmt.upper()} on tensor or matrix units: {listed or 'no architecture in my catalog'}.")
    a.summary = (
        f"{names} support follows the GPU's architecture: the tensor (matrix) units of these architectures compute it. "
        f'Ask "does the <card> support {q.formats[0]}?" for one card'
    )
    a.summary += (
        "; in PyTorch, torch.cuda.is_bf16_supported() tells for the card you have." if "bf16" in q.formats else "."
    )
    return a


def _with_example(ctx: HandlerContext, architecture: str) -> str:
    """ "Ada Lovelace (e.g. GeForce RTX 4090)": the architecture with its best-known card: the consumer card with the
    most FP16 tensor throughput, else any card's."""
    cards = [g for g in ctx.catalog if g.get("architecture") == architecture and g.get("market_segment") != "laptop"]
    consumer = [g for g in cards if g.get("market_segment") == "consumer"] or cards
    best = max(consumer, key=lambda g: g.number("fp16_tensor_tflops") or 0.0, default=None)
    return f"{architecture} (e.g. {best.short_name})" if best is not None else architecture


def _one_series(q: Query) -> bool:
    """The cards are one series named as a group ("do the 16xx cards support fp16?"): a look-up of the group."""
    named = [m for m in q.match.mentions if m.gpu] if q.match is not None else []
    return bool(named) and len({m.text for m in named}) == 1 and is_series(named[0])


def _support(ctx: HandlerContext, a: Answer, gpu: GPU, fmt: str) -> str:
    """ "yes, on its Blackwell tensor cores (209.5 TFLOPS dense)", "no, Ampere has no FP8 tensor cores"."""
    arch = value(ctx, a, gpu, "architecture")
    if fmt in _NON_TENSOR:
        return f"yes, on the shader cores ({value(ctx, a, gpu, _NON_TENSOR[fmt])}; not a tensor-core format)"
    units = "tensor cores" if gpu.vendor == "NVIDIA" else "matrix units"
    arch_formats = ctx.catalog.architectures.get(str(gpu.get("architecture")), {}).get("tensor_formats")
    if gpu.get("tensor_cores") is not None and gpu.number("tensor_cores") == 0:
        value(ctx, a, gpu, "tensor_cores")
        return f"no tensor-core {fmt.upper()} (the {gpu.short_name} has no {units})"
    if arch_formats is None:
        return f"unknown (I have no tensor-format data for the {arch} architecture)"
    if fmt not in arch_formats:
        first = _first_with(ctx, fmt, gpu.vendor)
        since = f" ({gpu.vendor} added it with {first})" if first else ""
        return f"no, {arch} has no {fmt.upper()} {units}{since}"
    key = _FIGURE_FIELD.get(fmt)
    figure = ""
    if key is not None and key in ctx.catalog.fields:
        shown = value(ctx, a, gpu, key)
        figure = f" ({shown} dense)" if gpu.get(key) is not None else f" (the dense {fmt.upper()} figure is unknown)"
    return f"yes, on its {arch} {units}{figure}"


def _first_with(ctx: HandlerContext, fmt: str, vendor: str) -> str | None:
    """The first of ``vendor``'s architectures (in architectures.yaml order) whose tensor units compute ``fmt``."""
    for name, arch in ctx.catalog.architectures.items():
        if arch.get("vendor") == vendor and fmt in arch.get("tensor_formats", ()):
            return name
    return None


# -- power supply -------------------------------------------------------------------------------


def psu(ctx: HandlerContext, q: Query) -> Answer:
    """A power-supply size for the GPUs named (times their counts): every term shown, assumptions labelled."""
    gpus = [ctx.catalog.gpus[g] for g in q.gpus]
    a = Answer(question=q.text, intent=q.intent, title="", gpus=[g.id for g in gpus])
    rig = " + ".join(
        f"{n}× {g.short_name}" if (n := q.counts.get(g.id, 1)) > 1 else f"{an(g.short_name)} {g.short_name}"
        for g in gpus
    )
    a.title = f"What power supply for {rig}?"
    terms, gpu_watts, unknown = _gpu_terms(ctx, a, q, gpus)
    if unknown:
        a.summary = f"I can't size it: the board power of the {', '.join(unknown)} is unknown, and I don't guess."
        a.answered = False
    else:
        low, high = (gpu_watts + rest for rest in REST_OF_SYSTEM_W)
        need_low, need_high = low * HEADROOM, high * HEADROOM
        a.summary = (
            f"{_size_class(need_low, need_high)} (estimate): GPUs {' + '.join(terms)} = {gpu_watts:,.0f} W, plus "
            f"{REST_OF_SYSTEM_W[0]}–{REST_OF_SYSTEM_W[1]} W for the rest of the system = {low:,.0f}–{high:,.0f} W "
            f"under load, × {HEADROOM} headroom = {need_low:,.0f}–{need_high:,.0f} W."
        )
        if q.psu_watts:
            a.title = f"Is {an(f'{q.psu_watts:,.0f}')} {q.psu_watts:,.0f} W power supply enough for {rig}?"
            a.summary = f"{_judged(q.psu_watts, low, need_low, need_high)} {a.summary}"
    a.bullets.extend(_connector_lines(ctx, a, q, gpus))
    a.notes.extend(_assumptions())
    for gpu in gpus:
        add_notes(ctx, a, gpu, ["tdp_w", "max_power_w", "power_connectors"])
    a.fields = sorted({f.field for f in a.facts}, key=list(ctx.catalog.fields).index)
    add_sources(a, gpus)
    return a


def _gpu_terms(ctx: HandlerContext, a: Answer, q: Query, gpus: list[GPU]) -> tuple[list[str], float, list[str]]:
    """ "2 × 350 W" per GPU, their total, and the GPUs whose board power is unknown."""
    terms, total, unknown = [], 0.0, []
    for gpu in gpus:
        count = q.counts.get(gpu.id, 1)
        shown = value(ctx, a, gpu, "tdp_w")
        watts = gpu.number("tdp_w")
        if watts is None:
            unknown.append(gpu.short_name)
            continue
        terms.append(f"{count} × {shown}")
        total += count * watts
    return terms, total, unknown


def _judged(watts: float, load: float, need_low: float, need_high: float) -> str:
    """The verdict on a supply of ``watts`` against the estimate: the load without headroom, and the range with it."""
    supply = f"{watts:,.0f} W"
    if watts >= need_high:
        return f"Yes: {supply} covers the estimate with its headroom."
    if watts >= need_low:
        return (
            f"Probably: {supply} is within the estimate's range ({need_low:,.0f}–{need_high:,.0f} W); enough for a "
            "modest CPU, tight with a power-hungry one."
        )
    if watts >= load:
        return (
            f"Only just: {supply} covers the load ({load:,.0f} W at the least) but not the headroom for power "
            "spikes; power-limiting the GPUs helps."
        )
    return f"No: {supply} is below the estimated load ({load:,.0f} W at the least)."


def _size_class(low: float, high: float) -> str:
    """ "A 1,200–1,300 W power supply": the smallest common ratings at or above ``low`` and ``high``."""
    sizes = [next((size for size in PSU_SIZES_W if size >= watts), None) for watts in (low, high)]
    if sizes[1] is None:
        return (
            f"More than the largest common ATX power supply ({PSU_SIZES_W[-1]:,} W): use two supplies or a server "
            "chassis, or power-limit the cards"
        )
    shown = f"{sizes[0]:,} W" if sizes[0] == sizes[1] else f"{sizes[0]:,}–{sizes[1]:,} W"
    return f"{an(shown).capitalize()} {shown} power supply"


def _connector_lines(ctx: HandlerContext, a: Answer, q: Query, gpus: list[GPU]) -> list[str]:
    lines = []
    for gpu in gpus:
        count = q.counts.get(gpu.id, 1)
        each = "each" if count > 1 else "it"
        line = f"{gpu.short_name}: power connectors {value(ctx, a, gpu, 'power_connectors')}"
        if gpu.get("max_power_w") is not None:
            line += f"; maximum power limit {value(ctx, a, gpu, 'max_power_w')}"
        form = str(gpu.get("form_factor") or "")
        if "SXM" in form or "OAM" in form:
            line += f" ({each} is a module powered through its server's board, sized by the server's supplies)"
        lines.append(line + ".")
    return lines


def _assumptions() -> list[str]:
    return [
        f"Estimate, not catalog data: the rest of the system is assumed to draw {REST_OF_SYSTEM_W[0]}–"
        f"{REST_OF_SYSTEM_W[1]} W under load (a desktop CPU plus board, memory, drives and fans); a workstation "
        "CPU such as a Threadripper or Xeon W can draw more, so add the difference.",
        f"Headroom ×{HEADROOM} is a rule of thumb: GPUs draw short spikes above their board power, and a supply "
        "runs cooler and more efficiently below its rating. Power-limiting the cards lowers what you need.",
    ]
