"""Name -> model: a model name that ``specs/models.yaml`` lacks ("glm 4.6", "mistral small 3.2"), matched against the
Hugging Face Hub's search with care.

Pure: :func:`name_asked` finds the name in a question the engine read as a fit question without a model, and
:func:`confident` decides whether search results name that model for sure. Only a repository whose name *is* the
name asked (case, spaces, dashes and dots aside: "GLM-4.6" for "glm 4.6") is a confident match; anything else is
offered as a choice, never answered as if it were the model asked about.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.text import compact

if TYPE_CHECKING:
    from bot.evidence import Evidence

__all__ = ["asks_to_run", "confident", "name_asked", "search_query"]

# Words around a model name in a fit question: never part of a name.
_STOP_WORDS = """
a an the i im i'm we my our me you your is are be it its it's this that these those can could would will should
do does did how much many what which whats what's run running runs fit fits fitting load loading host hosting
serve serving use using inference infer finetune fine tune tuning train training lora qlora on in at with for of
to into onto from and or vs enough need needs needed require required requires memory vram ram gpu gpus card cards
model models locally local possible work works handle handled get got support supports good ok okay please thanks
want wanna trying try just also still even only big large full context tokens token precision quant quantized
quantised bit bits mode setup system machine box rig pc computer laptop desktop biggest largest best max maximum
size sized llm llms ai chatbot anything something stuff kind type sort parameters params
have has had keep keeps kept help helps helped fix fixes fixed solve error errors issue issues problem problems
out oom ooms slow slower fast faster speed time compute process processing upgrade buy buying switch worth better
when while because since so but if then than more less too very really any some all new old same other
cuda rocm cpu nvidia amd intel fasten faster batch batches default epoch epochs step steps
"""
_STOP = frozenset(_STOP_WORDS.split())
_NOT_NAME = re.compile(
    r"^(?:\d+(?:\.\d+)?(?:gb|g|k|x|tb|w)|\d+x|x\d+|q\d\w*|i?q\d_\w+|fp\d+|bf16|int\d|nf4|\d+bit|\d+-bit|mxfp4|"
    r"vllm|ollama|llama\.?cpp|sglang|exl2|exllama\w*|tgi|lmstudio|koboldcpp|transformers|bitsandbytes|gguf|awq|gptq)$"
)


def _content(word: str) -> bool:
    return word not in _STOP and not _NOT_NAME.match(word)


def name_asked(ev: Evidence) -> str | None:
    """The model name of a fit question the catalog could not place: the longest run of words that are neither GPU
    mentions nor the words around a name ("can i run glm 4.6 on 2x 3090" -> "glm 4.6"), with a letter in it; None
    when the question named a model or a size, or names none."""
    if ev.model is not None or ev.bare_size is not None:
        return None
    words = list(ev.match.words)
    # GPUs named stay out of the name; a mention the matcher could not place ("9000" in "zorblax 9000") may be in it
    placed = [m for m in [*ev.match.mentions, *ev.context] if m.gpu is not None or m.ambiguous]
    taken = {k for m in placed for k in range(m.start, m.end)}
    best: list[str] = []
    run: list[str] = []
    for k, word in enumerate([*words, ""]):
        if k < len(words) and k not in taken and _content(word):
            run.append(word)
            continue
        if len(run) > len(best) and any(c.isalpha() for w in run for c in w):
            best = run
        run = []
    name = " ".join(best)
    return name if 2 <= len(name) <= 60 else None


def asks_to_run(ev: Evidence) -> bool:
    """ "can I run magistral small on a 3090": a question to run something on a named GPU, not about software
    ("does the 4090 run cuda 12") — read as a look-up of the GPU when the catalog knows no such model."""
    return ev.has("fit_verbs") and not ev.has("software_topic") and bool(ev.gpus) and ev.faq is None


def search_query(name: str) -> str:
    """ "glm 4.6" -> "glm-4.6": how repository names spell it (the Hub searches ids by substring)."""
    return "-".join(name.split())


def confident(name: str, found: list[str]) -> str | None:
    """The repository that is the model named, if the search found one: its name (after the owner) spells the name
    asked. Several owners may publish the same name (a release and its copies): the Hub's first, the most
    downloaded, is taken. Else None."""
    wanted = compact(name)
    exact = [repo for repo in found if compact(repo.split("/", 1)[-1]) == wanted]
    return exact[0] if exact else None
