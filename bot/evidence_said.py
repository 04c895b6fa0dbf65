"""What a normalised question means where its words say something else, read before any evidence is gathered:

* a setting of the run ("I set batch_size to 8", "batch size 4 at 1024x1024") is no spec of the card: each phrase of
  the lexicon's ``settings`` class loses its last word, so its "size" is no form factor ("batch of 8"); so does a
  time said with "longer" (``time_longer``: "should I wait a bit longer to upgrade?" asks no card's length);
* a memory size written without its unit beside the memory it sizes ("Does this work for 12 VRAM?", "A GPU VRAM is
  6", "How much VRAM need for this workflow? 24 is not enogh?") is that many GB, as "12gb vram" would be. Only sizes
  cards are made with are read so (``MEMORY_SIZES``): "vram 3090" or "1 vram" stay as they are.

It also says which codes a question writes (:func:`code_classes`): a CUDA version ("p40 cuda 13?": which CUDA runs on
the card) or a compiler target ("sm_120 is not supported", "gfx1100").
"""

from __future__ import annotations

import re

from bot.lexicon import Lexicon, word_keys

__all__ = ["MEMORY_SIZES", "as_meant", "code_classes"]

_CUDA_VERSION = re.compile(r"\bcuda\s*(?:toolkit\s*)?v?\d{1,2}(?:\.\d)?\b(?!\s*(?:cores?|gb))")
_ARCH_CODE = re.compile(r"\b(?:sm ?\d{2,3}a?|gfx ?\d{3,4}[a-z]?)\b")  # CUDA and ROCm compiler targets

#: Word classes whose phrases are read without their last word: "batch size" is a setting of the run and "wait a bit
#: longer" a time, neither the card's size or length.
_UNSAID_LAST = ("settings", "time_longer")

#: Memory sizes of GPUs, in GB: a bare number is read as one only when it is one of these.
MEMORY_SIZES = frozenset({2, 3, 4, 6, 8, 10, 11, 12, 16, 20, 24, 32, 40, 48, 64, 80, 94, 96, 128, 141, 192})

_MEMORY = r"(?:vram|video memory|gpu memory|graphics memory)"
# "for 12 vram", "only 16 gpu memory": the number right before the memory it sizes, at the start or after a word that
# leads a size (never a name's number: "gaudi 2 vram" is the Gaudi 2's memory).
_LEAD = r"for|with|have|has|having|had|is|only|just|of|my|a|an|about|around|than|under|over|least|to|and|or|got|need"
_BEFORE = re.compile(rf"(^|\b(?:{_LEAD}) )(\d{{1,3}}) (?={_MEMORY}\b)")
# "vram is 6", "vram of 24", "vram only 8", "vram: 12": the number right after, not a count or another unit.
_AFTER = re.compile(
    rf"\b({_MEMORY} (?:is |of |=|only |is only |just |is just )?)(\d{{1,3}})\b(?! ?(?:mb|bit|x\b|gpus?\b|cards?\b|k\b))"
)
# "24 is not enough", "24 isnt enogh?", "is 16 enough": a bare number judged enough, in a question about memory.
_ENOUGH = re.compile(r"(?<![\w.$])(\d{1,3}) (?=(?:is |isnt |is not |not |aint )?(?:enough|enogh|enought|sufficient)\b)")
_ENOUGH_ASKED = re.compile(r"\bis (\d{1,3}) (?=(?:enough|enogh|enought|sufficient)\b)")


def as_meant(lexicon: Lexicon, norm: str) -> str:
    """``norm`` with the settings' "size" dropped and unit-less memory sizes given their unit."""
    for name in _UNSAID_LAST:
        phrases = lexicon.words.get(name)
        if phrases is not None and phrases.may_occur(word_keys(norm)):
            norm = phrases.without_last_word(norm)
    if "vram" in norm or "memory" in norm:
        norm = _BEFORE.sub(lambda m: m.group(1) + _gb(m.group(2)) + " ", norm)
        norm = _AFTER.sub(lambda m: m.group(1) + _gb(m.group(2)), norm)
        norm = _ENOUGH.sub(_sized, norm)
        norm = _ENOUGH_ASKED.sub(lambda m: f"is {_gb(m.group(1))} ", norm)
    return norm


def _gb(number: str) -> str:
    return f"{number}gb" if int(number) in MEMORY_SIZES else number


def _sized(m: re.Match[str]) -> str:
    """A bare number (group 1, a space after it) with its unit, when it is a memory size."""
    return f"{_gb(m.group(1))} "


def code_classes(norm: str) -> set[str]:
    """The word classes a CUDA version or a compiler target adds to a normalised question."""
    classes: set[str] = set()
    if "cuda" in norm and _CUDA_VERSION.search(norm):
        classes |= {"software", "software_topic"}  # which CUDA version runs on the card
    if ("sm" in norm or "gfx" in norm) and _ARCH_CODE.search(norm):  # every code holds one of them
        classes.add("cuda_target")
    return classes
