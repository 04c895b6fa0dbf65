"""Image and audio models costed by their own terms, not a language model's (no 4,096-token KV cache).

**Image pipelines** (SD 1.5, SDXL, SD 3.5, FLUX.1; ``components`` in ``specs/models.yaml``):

- **Weights** per part: the denoiser (UNet or diffusion transformer) at the precision asked (FP8, NF4, GGUF
  quantisations apply to it), the text encoders (CLIP-L, OpenCLIP bigG, T5-XXL) at 16-bit unless FP8 is asked for
  them, the VAE at 16-bit.
- **Working memory**: the denoiser's activations and the VAE decode run one after the other, so the larger counts.
  Both from InvokeAI's calibrated estimators (measured peaks on real cards):
  denoise = 64 MiB + multiplier × latent area × activation width × batch × 2 bytes, multiplier 32 for UNets, 3.0 for
  SD3, 6 for other diffusion transformers (FLUX.1; their conservative default)
  (https://github.com/invoke-ai/InvokeAI/blob/main/invokeai/backend/util/denoise_working_memory.py); VAE decode =
  output pixels × 2 bytes × 2,200 per image
  (https://github.com/invoke-ai/InvokeAI/blob/main/invokeai/backend/util/vae_working_memory.py, "determined
  experimentally", InvokeAI PR #8414).
- **Offload** (what ComfyUI does on its own when memory is short, and diffusers' ``enable_model_cpu_offload()``):
  one part on the GPU at a time, so the peak is the largest phase (text encoding, denoising, VAE decode) instead of
  the sum; ``enable_sequential_cpu_offload()`` streams the weights layer by layer and fits almost any card, many
  times slower (https://huggingface.co/docs/diffusers/optimization/memory).

**Encoder-decoder speech** (Whisper): the weights, plus the decoder's KV cache: self-attention over its own tokens
(at most ``max_context``, 448) and cross-attention over the encoder's ``encoder_positions`` frames (1,500 = 30 s),
2 × layers × d_model × (448 + 1,500) values per sequence (config.json).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.estimator_shapes import GB, Component, Estimate, ModelShape

__all__ = [
    "DENOISE_MULTIPLIER",
    "MEDIA_KINDS",
    "VAE_DECODE_BYTES_PER_PIXEL",
    "MediaOption",
    "diffusion_terms",
    "media_options",
    "speech_terms",
]

MEDIA_KINDS = frozenset({"diffusion", "speech"})
MIB = 2**20
#: InvokeAI denoise_working_memory.py ACTIVATION_MULTIPLIER (UNet: SDXL measured ~28, kept at 32; SD3.5 measured;
#: "dit" the default for transformers they have not measured, FLUX.1 among them).
DENOISE_MULTIPLIER: Mapping[str, float] = {"unet": 32.0, "sd3": 3.0, "dit": 6.0}
DENOISE_BASE_BYTES = 64 * MIB
#: InvokeAI vae_working_memory.py: VAE decode working memory per output pixel, per byte of element size.
VAE_DECODE_BYTES_PER_PIXEL = 2200
HALF = 2.0  # bytes per element of the 16-bit text encoders, VAE and activations
LATENT_SCALE = 8  # the VAEs downsample 8x per side


def _denoiser(model: ModelShape) -> Component:
    return next(c for c in model.components if c.role == "denoiser")


def working_memory_gb(model: ModelShape, side: int, batch: int) -> tuple[float, float]:
    """(denoise activations, VAE decode) in GB for ``batch`` square images of ``side`` pixels."""
    denoiser = _denoiser(model)
    latent_area = (side // LATENT_SCALE) ** 2
    multiplier = DENOISE_MULTIPLIER[denoiser.arch or "dit"]
    denoise = DENOISE_BASE_BYTES + multiplier * latent_area * (denoiser.width or 0) * batch * HALF
    decode = side * side * HALF * VAE_DECODE_BYTES_PER_PIXEL * batch
    return denoise / GB, decode / GB


@dataclass(frozen=True, slots=True)
class Plan:
    """How an image pipeline is run: the denoiser's bytes per parameter, the text encoders' (0: on the CPU),
    and whether the parts take turns on the GPU (offload)."""

    denoiser_bpp: float
    text_bpp: float = HALF
    offload: bool = False


def diffusion_terms(est: Estimate, model: ModelShape, plan: Plan, side: int | None = None) -> float:
    """Fill ``est.terms`` for an image pipeline; returns the weights on the GPU at the peak (GB), for the runtime's
    workspace share."""
    side = side or model.resolution or 1024
    parts = {c.role: c for c in model.components}
    denoiser = parts["denoiser"]
    encoders = [c for c in model.components if c.role == "text_encoder"]
    vae = parts["vae"].params_b * 1e9 * HALF / GB
    weights = denoiser.params_b * 1e9 * plan.denoiser_bpp / GB
    text = sum(c.params_b for c in encoders) * 1e9 * plan.text_bpp / GB
    denoise, decode = working_memory_gb(model, side, est.batch)
    if plan.offload:
        # one part at a time: the largest phase is the peak
        phases = {
            f"{denoiser.name} weights + activations": weights + denoise,
            "VAE + decode": vae + decode,
            "largest text encoder": max(c.params_b for c in encoders) * 1e9 * plan.text_bpp / GB,
        }
        name, peak = max(phases.items(), key=lambda kv: kv[1])
        est.terms[f"peak phase ({name})"] = peak
        on_gpu = weights if name.startswith(denoiser.name) else peak
    else:
        est.terms[f"{denoiser.name} weights"] = weights
        if text:
            est.terms["text encoders"] = text
        est.terms["VAE"] = vae
        est.terms["working memory"] = max(denoise, decode)
        on_gpu = weights + text + vae
    names = " + ".join(c.name for c in encoders)
    est.assumptions.append(
        f"{side}×{side} images, batch {est.batch}; text encoders ({names}) "
        + ("on the CPU" if not plan.text_bpp else f"at {plan.text_bpp * 8:g}-bit")
        + ("; parts take turns on the GPU (model offload)" if plan.offload else "; every part on the GPU")
    )
    est.assumptions.append(
        f"working memory: the larger of the denoiser's activations ({denoise:,.1f} GB) and the VAE decode "
        f"({decode:,.1f} GB), InvokeAI's measured estimators"
    )
    return on_gpu


def speech_terms(est: Estimate, model: ModelShape, bpp: float, kv_bytes: float) -> float:
    """Fill ``est.terms`` for an encoder-decoder speech model; returns the weights (GB)."""
    weights = model.params_b * 1e9 * bpp / GB
    est.terms["weights"] = weights
    tokens = (model.max_context or 0) + (model.encoder_positions or 0)
    kv = 2 * (model.layers or 0) * (model.hidden_size or 0) * tokens * est.batch * kv_bytes / GB
    if kv:
        est.terms["KV cache"] = kv
        est.assumptions.append(
            f"decoder KV cache: self-attention over up to {model.max_context or 0:,} tokens + cross-attention over "
            f"{model.encoder_positions or 0:,} encoder frames (30 s of audio), batch {est.batch}"
        )
    return weights


@dataclass(frozen=True, slots=True)
class MediaOption:
    """A common way to run an image model in less memory, and the estimate for it."""

    label: str
    est: Estimate


#: The usual ways to save memory, lightest last: (label, denoiser precision, text encoders' bytes, offload).
_LADDER: tuple[tuple[str, str | None, float, bool], ...] = (
    ("parts taking turns on the GPU (ComfyUI's low-memory mode, diffusers model CPU offload)", None, HALF, True),
    ("text encoders in FP8, every part on the GPU", None, 1.0, False),
    ("FP8 {denoiser}, parts taking turns", "fp8", HALF, True),
    ("NF4 {denoiser} (bitsandbytes 4-bit), parts taking turns", "nf4", HALF, True),
)


def media_options(
    model: ModelShape, precision: str, run: Callable[[str, Plan], Estimate], bytes_per_param: Mapping[str, float]
) -> list[MediaOption]:
    """The ladder of memory-saving setups for an image model, each estimated with ``run(precision, plan)``; a
    precision already lighter than the rung's is kept."""
    denoiser = _denoiser(model).name
    out = []
    for label, rung, text_bpp, offload in _LADDER:
        chosen = precision
        if rung is not None and bytes_per_param[rung] < bytes_per_param[precision]:
            chosen = rung
        elif rung is not None:
            continue
        plan = Plan(bytes_per_param[chosen], text_bpp, offload)
        out.append(MediaOption(label.format(denoiser=denoiser), run(chosen, plan)))
    return out
