"""Field names as they read inside a sentence: "has the most memory", "the highest FP16 tensor throughput"."""

from __future__ import annotations

from bot.catalog import FieldDef

__all__ = ["an", "counted_noun", "gerund", "noun", "running"]

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


def an(word: str) -> str:
    """The indefinite article before ``word`` as it is said: "an 8 GB card", "an 11 GB card", "a 16 GB card",
    "an 800 W supply"; "an RTX ...", "a GeForce ..."; "an Ampere card"."""
    first = word.split(" ")[0].split("-")[0].replace(",", "")
    if first[:1].isdigit():
        digits = first.split(".")[0]
        spoken_eight = digits.startswith("8")
        eleven_or_eighteen = digits[:2] in ("11", "18") and len(digits) in (2, 5, 6)
        return "an" if spoken_eight or eleven_or_eighteen else "a"
    if first[:1] == "X" or (first.isupper() and len(first) > 1):
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    return "an" if first[:1].lower() in "aeiou" else "a"


def counted_noun(n: int, word: str) -> str:
    """ "1 GPU", "3 GPUs"."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


_GERUNDS = {"run": "running", "fine-tune": "fine-tuning", "train": "training", "serve": "serving"}


def gerund(phrase: str) -> str:
    """A plan as the subject of a sentence: "run Llama 3 70B in FP16" -> "running Llama 3 70B in FP16", "fully
    fine-tune X" -> "fully fine-tuning X"; a phrase with no such verb (a model's name) is left as it is."""
    words = phrase.split(" ")
    for i, word in enumerate(words[:3]):
        if word in _GERUNDS:
            return " ".join([*words[:i], _GERUNDS[word], *words[i + 1 :]])
    return phrase
