"""Field names as they read inside a sentence: "has the most memory", "the highest FP16 tensor throughput"."""

from __future__ import annotations

from bot.catalog import FieldDef

__all__ = ["noun", "running"]

# field -> its name inside a sentence, where the label reads badly there
_NOUN = {
    "fp16_tensor_tflops": "FP16 tensor throughput",
    "fp32_tflops": "FP32 throughput",
    "launch_price_usd": "launch price",
    "nvlink": "NVLink",
    "tdp_w": "board power",
}


def running(label: str) -> str:
    """A label inside a sentence: "Memory bandwidth" -> "memory bandwidth"; acronyms stay ("FP32", "TDP")."""
    return label if label[1:2].isupper() or label[1:2].isdigit() else label[:1].lower() + label[1:]


def noun(fdef: FieldDef) -> str:
    """The field inside a sentence: "memory bandwidth", "FP16 tensor throughput" (no label's parenthesis)."""
    return _NOUN.get(fdef.key) or running(fdef.label.split(" (")[0])
