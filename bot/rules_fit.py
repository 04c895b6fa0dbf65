"""Fit questions that name no model, as people ask them in a model's own issue threads: "does it work on the RTX
3060 12GB?", "could this model be trained on one 4090?", "can I train and inference on 8 RTX 4090s?", "CUDA out of
memory on my 3070 even in int8". The subject is the thread's model, so the answer is what that card holds (a
reverse fit); :mod:`bot.rules` reads these predicates in its "will it fit" rule.

They read only the evidence: the lexicon's ``fit_asks`` and ``oom`` classes beside a card or a memory size.
"""

from __future__ import annotations

from bot.evidence import Evidence

__all__ = ["asks_fit_of_it", "needs_of_it", "oom_on_card", "vs_on_one_card"]


def _on_card(ev: Evidence) -> bool:
    """A card (or a near miss of one) or a memory size to fit in."""
    return bool(ev.gpus) or bool(ev.sizes) or bool(ev.match.ambiguous)


def asks_fit_of_it(ev: Evidence) -> bool:
    """ "does it run on a 3060 12gb", "is it possible to run on a 4gb vram gpu": whether the thread's model runs on
    the card named. Not about a library ("does it work with pytorch on a 3060" is a software question), nor a spec
    ("does it run on a 4090 at 450 w tdp"); "12gb vram" names the memory it must fit in."""
    if not ev.has("fit_asks"):
        return False
    specs = set(ev.fields) - {"memory_gb"}
    return _on_card(ev) and not ev.has("software_topic") and not specs


def oom_on_card(ev: Evidence) -> bool:
    """ "out of memory on a single rtx 3070 even with int8", "vllm OOMs on my 4090": running out of memory on the
    card named, whatever software ran it."""
    return ev.has("oom") and _on_card(ev)


def oom_in_size(ev: Evidence) -> bool:
    """ "I could not train it with a batch size of 8 ... the graphics card I use has 16GB memory": out of memory in a
    memory size said, with no card named and nothing asked to buy: what that memory runs or trains ("which looks
    like an out of memory issue": "which" relates, it asks for no card)."""
    named = bool(ev.gpus) or bool(ev.match.ambiguous)
    return ev.has("oom") and bool(ev.sizes) and not named and not ev.has("advice")


def needs_of_it(ev: Evidence) -> bool:
    """ "what are the vram requirements to run this", "minimum gpu for it?": what the thread's model needs, asked
    without naming it. A fit question (the answer asks which model), not a pick nor the power FAQ; a budget makes
    it a pick ("requirements for this under $1000, which card"), and a card named is left to the other rules."""
    named = bool(ev.gpus) or bool(ev.match.ambiguous)
    return ev.has("requirements") and ev.has("thread_model") and not named and ev.budget_usd is None


def vs_on_one_card(ev: Evidence, sized: bool) -> bool:
    """ "4bit awq vs q4_k_m for llama 3.1 8b on a 3080": "vs" between precisions, a model on one card, not cards."""
    names = len(ev.gpus) + len(ev.match.ambiguous) + len(ev.match.unknown)
    return sized and names <= 1 and (bool(ev.gpus) or bool(ev.sizes)) and ev.outside is None
