"""Which precision to answer in when the question names none: the best one that fits.

"can I run llama 3 70b on two 3090s" means "at all": the answer leads with the highest-quality precision that
fits — the model's own (as released: BF16/FP16, or FP8/MXFP4 for models shipped that way), then 8-bit, Q6_K,
Q5_K_M, Q4_K_M — and goes below 4-bit only when nothing else fits, saying that quality suffers. A stated
precision is answered as asked; this module is only consulted when none is.

The quality notes quote llama.cpp's own measurements (``QUANT_OPTIONS`` in tools/quantize/quantize.cpp:
perplexity added on Llama-3-8B, https://github.com/ggml-org/llama.cpp/blob/master/tools/quantize/quantize.cpp).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

from bot.estimator import BYTES_PER_PARAM, PRECISION_NAMES, ModelShape
from bot.estimator_weights import is_native, weights_bytes

__all__ = [
    "BELOW_Q4",
    "PRECISION_LADDER",
    "SERVER_LADDER",
    "best_precision",
    "native_precision",
    "pick_precision",
    "precision_label",
    "precision_ladder",
    "quality_note",
]

#: Below the model's own precision, best quality first (GGUF, the formats local runtimes load).
PRECISION_LADDER = ("q8_0", "q6_k", "q5_k_m", "q4_k_m")
#: Tried only when nothing above fits.
BELOW_Q4 = ("q3_k_m", "q2_k")
#: Below the model's own precision on a tensor-parallel server (vLLM, SGLang, TGI, TensorRT-LLM), which loads 8-bit
#: and 4-bit checkpoints (W8A8, AWQ, GPTQ), not GGUF files.
SERVER_LADDER = ("int8", "int4")
#: The quality trade-off, one line each: perplexity added on Llama-3-8B per llama.cpp's QUANT_OPTIONS.
QUALITY: Mapping[str, str] = {
    "q8_0": "practically lossless (+0.003 perplexity on Llama 3 8B, llama.cpp's measurement)",
    "q6_k": "near-lossless (+0.02 perplexity on Llama 3 8B, llama.cpp's measurement)",
    "q5_k_m": "a very small quality loss (+0.06 perplexity on Llama 3 8B, llama.cpp's measurement)",
    "q4_k_m": "a small quality loss (+0.18 perplexity on Llama 3 8B, llama.cpp's measurement)",
    "q3_k_m": "below 4-bit, quality suffers (+0.66 perplexity on Llama 3 8B, llama.cpp's measurement)",
    "q2_k": "below 4-bit, quality suffers badly (+3.5 perplexity on Llama 3 8B, llama.cpp's measurement)",
    "q5_k_s": "a very small quality loss (+0.10 perplexity on Llama 3 8B, llama.cpp's measurement)",
    "q4_k_s": "a small quality loss (+0.27 perplexity on Llama 3 8B, llama.cpp's measurement)",
    "q3_k_l": "below 4-bit, quality suffers (+0.56 perplexity on Llama 3 8B, llama.cpp's measurement)",
    "q3_k_s": "below 4-bit, quality suffers (+1.63 perplexity on Llama 3 8B, llama.cpp's measurement)",
    **dict.fromkeys(
        ("iq4_nl", "iq4_xs"),
        "an I-quant of about 4.3 to 4.5 bits per weight: similar in quality to Q4_K_S, bartowski's GGUF notes say",
    ),
    **dict.fromkeys(
        ("iq3_m", "iq3_xs", "iq3_xxs"), "below 4-bit, quality suffers (an I-quant of 3.1 to 3.6 bits per weight)"
    ),
    **dict.fromkeys(
        ("iq2_m", "iq2_s", "iq2_xs", "iq2_xxs"),
        "below 3-bit, quality suffers badly (an I-quant of 2.1 to 2.7 bits per weight)",
    ),
    **dict.fromkeys(("iq1_m", "iq1_s"), "below 2-bit, quality suffers very badly (an I-quant of 1.7 to 1.8 bits)"),
}


def native_precision(model: ModelShape) -> str:
    """The precision the model was released in; 16-bit unless the catalog records otherwise."""
    return model.native_precision or "fp16"


def precision_label(model: ModelShape, precision: str) -> str:
    """ "its native MXFP4 (as released)" for the model's own format, else the precision's name."""
    name = PRECISION_NAMES.get(precision, precision)
    return f"its native {name} (as released)" if is_native(model, precision) else name


def _weights(model: ModelShape, precision: str) -> float:
    return weights_bytes(model, precision, BYTES_PER_PARAM, PRECISION_NAMES)[0]


@functools.lru_cache(maxsize=1024)
def precision_ladder(model: ModelShape, server: bool = False) -> tuple[str, ...]:
    """The model's own precision, then each lower one that is actually smaller for this model (a model released
    in MXFP4 or FP8 skips the 8-bit GGUF that would weigh more); on a ``server``, its 8- and 4-bit checkpoints
    instead of GGUF files. Per model, memoised: shapes are immutable."""
    steps = [native_precision(model)]
    for precision in SERVER_LADDER if server else (*PRECISION_LADDER, *BELOW_Q4):
        if _weights(model, precision) < _weights(model, steps[-1]):
            steps.append(precision)
    return tuple(steps)


def best_precision(model: ModelShape, holds: Callable[[str], bool], server: bool = False) -> tuple[str, bool]:
    """The first precision of the ladder that ``holds``, and True; else the lowest one not below 4-bit, and
    False (nothing fits: the answer says what that one would need)."""
    ladder = precision_ladder(model, server)
    for precision in ladder:
        if holds(precision):
            return precision, True
    return (ladder[-1] if server else pick_precision(model)), False


def pick_precision(model: ModelShape) -> str:
    """The precision a pick sizes cards for when none is asked: the lowest on the ladder that keeps 4-bit
    quality (Q4_K_M, or the model's own when that is smaller, as gpt-oss's MXFP4 is not)."""
    usable = [p for p in precision_ladder(model) if p not in BELOW_Q4]
    return usable[-1]


def quality_note(model: ModelShape, precision: str) -> str:
    """ "a small quality loss (+0.18 perplexity ...)"; the model's own precision loses nothing."""
    if precision == native_precision(model):
        return "no loss: the weights as released"
    return QUALITY.get(precision, "")
