"""Software-support questions, as people ask them in GitHub issues: does this library, runtime or stack run on
these GPUs? ("does vllm support the 7900 xtx?", "flash attention on a 3090?", "sm_120 is not supported",
"will the RX 7900 series be supported?", "unable to use ollama on my arc b580").

:class:`SoftwareRules` reads only the evidence (the lexicon's ``software_topic``, ``support_verbs``,
``support_nouns`` and ``support_issues`` classes, CUDA versions and compiler targets) and says whether a question
asks about software support and which GPUs it is about. :mod:`bot.rules` turns that into a ``software`` request.
"""

from __future__ import annotations

from bot.catalog import Catalog, FaqEntry
from bot.evidence import Evidence
from bot.request import SOFTWARE_FAQ
from bot.software_libs import named_libraries

__all__ = ["SoftwareRules"]

# Words that make a question a choice or a verdict ("which is better for vllm, 3090 or 4090?"), not a support one.
_CHOICE_CLASSES = ("compare_strict", "named_choice", "worth", "advice")


class SoftwareRules:
    """Whether a question asks what software runs where, and on which GPUs; built once per catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.entry: FaqEntry | None = next((f for f in catalog.faqs if f.id == SOFTWARE_FAQ), None)

    def asks(self, ev: Evidence) -> bool:
        """A software-support question: a support issue ("not supported", "doesn't work on"); else, unless it weighs
        cards, asks for a pick or names a spec, a library, stack or CUDA target named with a support word ("vllm on
        a 3090?", "does pytorch run on..."), or a bare "support" about a card ("Tesla P40 support?")."""
        quantising = ev.has("quantisation") and (ev.has("support_words") or ev.has("support_verbs"))
        if ev.formats_asked and "compute_capability" not in ev.fields and not quantising:
            return False  # "does the 5090 support fp4": the tensor formats of its architecture
        fields = [f for f in ev.fields if f != "compute_capability"]
        if len(ev.gpus) >= 2 and ev.has("claims") and not ev.has("software_topic"):
            return False  # "Support for the A10G: is it 2x faster than the T4?": a comparison under an issue's title
        if len(ev.gpus) + len(ev.match.ambiguous) >= 2 and ev.has("speed") and not ev.has("support_issues"):
            return False  # "with llama-cpp-python the 4080 is slower than the 3060, why?": the cards compared
        if ev.has("support_issues") or quantising:
            return True  # "... is not supported"; "does the V100 support 4-bit quantisation": bitsandbytes, GPTQ
        options = len(ev.gpus) + len(ev.match.ambiguous)
        if ev.has("software_choice") or (options >= 2 and ev.has("compare")) or fields:
            return False  # "7900 xtx or 4070 ti super for comfyui": a verdict; "rocm is a pain. 3090 bandwidth?"
        if self._library_on_card(ev):
            return True  # "I can't find a way to enable Optix with my GTX1080": the library's rule for the card
        if ev.has("software_topic") or ev.has("cuda_target"):
            return ev.has("support_verbs") or ev.has("support_nouns")
        return ev.has("support_nouns") and ev.model is None

    def _library_on_card(self, ev: Evidence) -> bool:
        """A library with its own support rules (``specs/libraries.yaml``) named with one card, nothing asked to fit
        or buy: whether and how it runs there."""
        one = len(ev.gpus) == 1 and not ev.match.ambiguous and not ev.has("advice") and ev.model is None
        return one and bool(named_libraries(self.catalog.libraries, ev.norm))

    def subjects(self, ev: Evidence) -> list[str] | None:
        """The GPUs a software question is about: those named, else the asker's own ("on my RX 7900 XTX"), and
        the candidates of an ambiguous name when they all run the same software ("the RX 7900 series", "a V100").
        None when an ambiguous name's candidates would get different answers: the bot asks which."""
        named = list(ev.gpus) or [m.gpu for m in ev.context if m.gpu]
        extra: list[str] = []
        for mention in ev.match.ambiguous:
            candidates = list(mention.candidates)
            if set(candidates) & set(named):
                continue  # "a 5060 Ti 16GB ... a 5060 Ti": the card already named
            if not self.same_answer(candidates):
                return None
            extra += candidates
        return list(dict.fromkeys([*named, *extra]))

    def same_answer(self, gpu_ids: list[str]) -> bool:
        """Whether these GPUs get the same software answer: one stack and one compute capability."""
        gpus = [self.catalog.gpus[g] for g in gpu_ids]
        keys = {(getattr(self.catalog.software_for(g), "id", None), g.get("compute_capability")) for g in gpus}
        return len(keys) == 1

    def on_platform(self, ev: Evidence) -> bool:
        """ "how to use stable diffusion on amd in windows?", "ollama on intel arc?", "can I run llama on an amd gpu":
        whether something runs on a vendor's GPUs, with no card, memory size, budget or pick asked."""
        if ev.vendor not in ("AMD", "Intel") or ev.gpus or ev.match.mentions:
            return False
        if ev.faq is not None and ev.faq.id != SOFTWARE_FAQ:
            return False  # "is rocm good enough for deep learning these days?": that topic's own answer
        if (ev.bare_size is not None and ev.model is None) or ev.sizes or ev.budget_usd is not None or ev.limits:
            return False  # "a 13b model on amd 16gb?": whether it fits
        if ev.rank_word:
            return False
        if ev.has("advice") or ev.has("named_choice") or ev.formats_asked:
            return False  # "which amd card for stable diffusion": a pick; "do amd gpus support fp8": formats
        subject = ev.model or ev.family or ev.workload or ev.has("software_topic") or ev.has("fit_subjects")
        asks = ev.has("support_verbs") or ev.has("works_asked") or ev.has("faq_asks")
        return bool(subject) and asks

    def general_vendor(self, ev: Evidence) -> str | None:
        """The vendor a general software answer keeps to: the one something is asked to run on ("stable diffusion on
        amd in windows?"); none otherwise ("cuda vs rocm?", "bitsandbytes on amd?": every vendor's stacks)."""
        return ev.vendor if self.on_platform(ev) else None

    def general(self, ev: Evidence) -> bool:
        """No GPU named, but a stack or vendor is, with a support word: "bitsandbytes on AMD?", "will cuda 13 drop
        pascal?" (not a pick: "good first gpu for pytorch")."""
        if self.on_platform(ev):
            return True
        topic = ev.has("software_topic") or ev.has("cuda_target")
        if ev.gpus or ev.match.mentions or not topic or ev.has("software_choice"):
            return False
        about = bool(ev.vendor) or ev.has("other_stacks") or ev.has("gpu_topic")
        if ev.has("support_issues"):  # an error message: "bitsandbytes is not supported for the current GPU"
            return about
        shopping = ev.budget_usd is not None or ev.limits or ev.rank_word or ev.has("advice")
        return about and ev.has("support_verbs") and not shopping
