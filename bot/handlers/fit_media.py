"""Image models that do not fit as asked: the usual ways people run them in less memory (offload, an FP8 or NF4
denoiser, FP8 text encoders), each estimated, instead of a language model's fixes (a lower precision for
everything, more GPUs). The estimates: :mod:`bot.estimator_media`."""

from __future__ import annotations

from bot.estimator import BYTES_PER_PARAM, Estimate, ModelShape, estimate
from bot.estimator_media import MediaOption, Plan, media_options

__all__ = ["media_fixes", "media_ladder"]

SEQUENTIAL = (
    "Sequential CPU offload (diffusers enable_sequential_cpu_offload, ComfyUI --novram) streams the weights layer "
    "by layer: it fits almost any card, many times slower."
)


def media_ladder(model: ModelShape, precision: str) -> list[MediaOption]:
    """The memory-saving setups for ``model``, lightest last, each with its estimate on one GPU."""

    def run(chosen: str, plan: Plan) -> Estimate:
        return estimate(model, precision=chosen, media=plan)

    return media_options(model, precision, run, BYTES_PER_PARAM)


def media_fixes(model: ModelShape, precision: str, capacity_gb: float) -> tuple[str, list[str], Estimate | None]:
    """(the first setup that fits, for the summary, or ""; a line per setup with its estimate and verdict; the
    offload estimate at the precision asked when that fits: what ComfyUI does on its own when memory is short)."""
    lines, first = [], ""
    options = media_ladder(model, precision)
    asked = options[0].est if options and options[0].est.verdict(capacity_gb) != "does not fit" else None
    for option in options:
        need = option.est.per_gpu_gb
        verdict = option.est.verdict(capacity_gb)
        said = "does not fit" if verdict == "does not fit" else ("fits, tight" if verdict == "tight" else "fits")
        lines.append(f"With {option.label}: about {need:,.1f} GB ({said}).")
        if not first and verdict != "does not fit":
            first = f"{option.label} (about {need:,.1f} GB)"
    lines.append(SEQUENTIAL)
    return first, lines, asked
