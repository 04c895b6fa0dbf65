"""Fit questions phrased as something else, and the fine-tuning method a consumer card implies.

"does unsloth support qwen2.5 8 bit qlora on a 4090" (a tool in front), "someone told me it won't work under 8 GB,
is this true?" (a memory amount) and "what parameters for the rtx 4060 laptop" (settings): each is whether a model fits
in a card's memory.
"can a 3060 be used for fine-tuning?" names no method; on a card of 24 GB or less people fine-tune with LoRA (a full
fine-tune of even a 1.5B model fills 24 GB), so LoRA is estimated and the full fine-tune shown beside it.
They read only the evidence; :mod:`bot.rules` calls them from its "will it fit" rule.
"""

from __future__ import annotations

from bot.catalog import Catalog
from bot.evidence import Evidence
from bot.request import FitRequest

__all__ = ["assume_lora", "fit_phrased_otherwise", "has_size_word"]

# The most memory per card on which LoRA, not a full fine-tune, is what a fine-tuning question means.
_LORA_CARD_GB = 24.0


def has_size_word(ev: Evidence) -> bool:
    """A model size such as "70b" among the words."""
    return any(w.endswith("b") and w[:-1].replace(".", "", 1).isdigit() for w in ev.match.words)


def fit_phrased_otherwise(ev: Evidence) -> bool:
    """ "does unsloth support qwen2.5 8 bit qlora on a 4090", "can i run gemma on a 3060": a model family run or
    trained on a card;
    "if the gpu is less than 8 gb it won't work", "does this work for 12 vram?": whether things run in a memory
    amount."""
    # "can i run qwen2.5 on a 3060", "llama2 on a 3060?": a family named beside a card is whether it runs there
    # (each test below is made only when the ones before it leave the answer open: they are pure)
    amount = "memory_gb" in ev.limits or bool(ev.sizes)  # "less than 8 gb", "does this work for 12 vram"
    if ev.family is not None or (amount and ev.has("works_asked")):
        on_card = bool(ev.gpus) or bool(ev.match.ambiguous)
        supports = ev.has("support_verbs") and not ev.has("software_topic")  # "can I use <a library> to" is software
        runs = ev.has("train_methods") or ev.has("fit_verbs") or supports
        family_trained = ev.family is not None and runs and on_card
        amount_works = amount and ev.has("works_asked") and not on_card and ev.budget_usd is None
        if family_trained or amount_works:
            return True
    return _settings_for_card(ev)


def _settings_for_card(ev: Evidence) -> bool:
    """ "what parameters should be used for the rtx 4060 8gb laptop": what runs in that card's memory."""
    if not ev.has("settings_asked"):
        return False
    specs = set(ev.fields) - {"memory_gb"}
    return len(ev.gpus) == 1 and not specs and ev.budget_usd is None


def assume_lora(ev: Evidence, fit: FitRequest, catalog: Catalog) -> None:
    """ "fine-tune a 7b on my 3060": LoRA when the method is unnamed and every card named has 24 GB or less."""
    if fit.mode != "full" or ev.workload != "fine_tuning" or ev.has("full_named"):
        return
    ids = list(ev.gpus) or [g for m in ev.match.ambiguous for g in m.candidates]
    sizes = [catalog.gpus[g].number("memory_gb") or 0.0 for g in ids]
    if fit.capacity_gb is not None and not ids:
        sizes = [fit.capacity_gb]
    if sizes and max(sizes) <= _LORA_CARD_GB:
        fit.mode, fit.lora_assumed = "lora", True
