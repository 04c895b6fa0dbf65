"""What a question asks when its words say more than one thing (registered in :class:`bot.rules.RuleBook`'s table).

- hardware outside the catalog asked about, with catalog cards only as where something already runs ("it works on
  an A10G; would it work on a Jetson?"): the outside device is the question;
- NVLink asked to pool memory ("2x 2080 Ti with NVLink, 22 GB?"): the NVLink answer for those cards, not a fit;
- a yes/no on one card's feature ("does the RTX 3090 support P2P? the 4090 does not"): a look-up of that card;
- a choice between a GPU and none ("the 13600k and no gpu, or a 3060?"): a verdict on the card;
- the rest of the machine around a GPU ("what CPU and RAM for a 30xx?", "does a faster CPU help"): a general answer;
- a cloud instance asked which variant of its GPU it has ("azure ND H100 v5: SXM or PCIe?"): its GPU looked up;
- a card the catalog lacks in a choice ("a Quadro M4000 over a GTX 1080?"): the known card answered, the other named;
- a choice for a workload argued with specs and money ("fewer CUDA cores ... $3000 more"): a verdict, not a property;
- figures quoted for named cards ("the 3090 costs $1,300 and has 24 GB ..."): a comparison.

:class:`AskRules` reads only the evidence; the requests come from the table's builders passed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.catalog import Catalog
from bot.evidence import Evidence
from bot.lexicon import PhraseSet
from bot.matcher import GpuMention
from bot.matcher_words import model_number, one_slip
from bot.request import MAX_COMPARE, Kind, Query
from bot.text import normalize

__all__ = ["AskRules", "compiler_error", "listed_in_rig"]

NVLINK_FAQ = "nvlink"  # the FAQ entry, and the field it is about
SYSTEM_FAQ = "rest-of-system"
# Words before a card that make the sentence a yes/no about that card: "does the 3090 support p2p".
_YES_NO_LEADS = frozenset(["does", "do", "is", "can", "will", "has", "have"])
_LEAD_FILLERS = frozenset(["the", "a", "an", "my", "your", "nvidia", "geforce", "amd"])
# Word classes that ask for a choice or a verdict rather than the figures.
_CHOICE_CLASSES = ("named_choice", "choice_asked", "advice", "verdict_asked", "worth", "purchase")
# The workload the question's words name when they name no particular one ("compute", "ai"): no purpose by itself.
_GENERAL = "general"


def compiler_error(ev: Evidence) -> bool:
    """An error that a card's compute capability is too old ("bfloat16 is only supported on compute capability
    8.0 ... your T4 has 7.5"): a software answer even when a model is named, unless it ran out of memory."""
    return ev.has("support_issues") and ev.has("cuda_target") and not ev.has("oom")


def _said_last(ev: Evidence) -> bool:
    """The outside device is named after every catalog card: the question ends on it."""
    assert ev.outside is not None  # noqa: S101 - checked by the caller
    found = ev.outside.pattern.search(ev.norm)
    last = max((ev.norm.rfind(m.text) for m in ev.match.mentions if m.gpu), default=-1)
    return found is not None and found.start() > last


# The raw question's sentences: a dot between digits ("4.65 bits", "8.6") ends none.
_SENTENCE = re.compile(r"(?:[^.!?;\n]|(?<=\d)\.(?=\d))+[.!?;\n]*")


def listed_in_rig(ev: Evidence, listing: PhraseSet) -> bool:
    """The outside device is listed beside a catalog card in a sentence that lists the asker's machine and asks
    nothing ("I have 2 RTX 3090s, 128 GB of RAM and a Ryzen 9 5950x. Will I be able to run ...?"): part of the
    asker's rig, not the hardware asked about."""
    assert ev.outside is not None  # noqa: S101 - checked by the caller
    cards = [m.text for m in ev.match.mentions if m.gpu or m.candidates]
    for sentence in _SENTENCE.findall(ev.text):
        if sentence.rstrip().endswith("?"):
            continue
        norm = normalize(sentence)
        if ev.outside.pattern.search(norm) and any(card in norm for card in cards) and listing.found(norm):
            return True
    return False


class AskRules:
    """The rules; ``make`` builds a request with every slot the evidence fills, ``verdict`` and ``compare`` are the
    table's rules for a verdict among named cards and for a comparison."""

    def __init__(
        self,
        catalog: Catalog,
        make: Callable[[Evidence, Kind], Query],
        verdict: Callable[[Evidence], Query | None],
        compare: Callable[[Evidence], Query | None],
        cues: PhraseSet,
        listing: PhraseSet,
    ) -> None:
        self.catalog = catalog
        self.make = make
        self.verdict = verdict
        self.compare = compare
        self.cues = cues  # "you mean", "i meant": the card after them is the one asked about
        self.listing = listing  # "i have", "my rig", "hardware": a sentence that lists the asker's machine
        self.nvlink = next((f for f in catalog.faqs if f.id == NVLINK_FAQ), None)

    def _choice(self, ev: Evidence) -> bool:
        return any(ev.has(c) for c in _CHOICE_CLASSES)

    def _sized(self, ev: Evidence) -> bool:
        return ev.model is not None or ev.bare_size is not None

    def outside_alone(self, ev: Evidence) -> Query | None:
        """ "m3 max for llm?": say it isn't covered rather than answer about something else. Beside a card the
        catalog has ("m4 max vs 4090"), that card is answered with a note naming what is left out."""
        if ev.outside is None or ev.gpus or (ev.match.ambiguous and listed_in_rig(ev, self.listing)):
            return None  # "EPYC 7763, 8x A100 80GB. Can I run ...?": the card (which one, if it matters) is asked
        q = self.make(ev, "outside")
        q.limits, q.vendor = {}, None
        return q

    def outside_asked(self, ev: Evidence) -> Query | None:
        """ "it works on an A10G; would it work on a Jetson Orin?": the catalog cards are where it already runs, the
        question is whether it works on the outside device. Not when they are weighed ("m4 max vs 4090", "which")."""
        weighed = (
            "compare",
            "weighs",
            "which_what",
            "named_choice",
            "advice",
        )  # "v100, t4 or tpu: which should I use?"
        if ev.outside is None or not ev.gpus or any(ev.has(c) for c in weighed):
            return None
        if not (ev.has("support_verbs") or ev.has("fit_verbs")) or not _said_last(ev):
            return None  # "I've got an M2 Max, would a 4090 run it?": the outside device is the asker's, the card asked
        if listed_in_rig(ev, self.listing):
            return None  # "I have 2 3090s and a Ryzen 9. Will llama 70b run?": the CPU is part of the rig
        q = self.make(ev, "outside")
        q.limits, q.vendor = {}, None
        return q

    def nvlink_pooling(self, ev: Evidence) -> Query | None:
        """ "2x 2080 Ti with NVLink, do I get 22 GB?", "two 3090s with nvlink and 48gb pooled instead of an A100?":
        whether NVLink pools memory, answered for the linked cards; not a fit of an unnamed model."""
        faq = self.nvlink
        if faq is None or faq.one is None or NVLINK_FAQ not in ev.fields or not ev.gpus or self._sized(ev):
            return None
        several = any(n >= 2 for n in ev.counts.values())
        if not (ev.has("memory_pooling") or (several and (ev.has("memory_words") or ev.sizes))):
            return None
        q = self.make(ev, "faq")
        q.faq, q.ambiguous = faq, []
        q.gpus = ([g for g in ev.gpus if g in ev.counts] or list(ev.gpus))[:MAX_COMPARE]
        return q

    def feature_of_one(self, ev: Evidence) -> Query | None:
        """ "does the RTX 3090 support P2P? the 4090 does not": a yes/no field (NVLink, ECC...) of the card the
        question asks about, not a software question or a comparison with the card it cites."""
        if not ev.gpus or (ev.has("compare") and not ev.has("support_verbs")) or self._sized(ev):
            return None  # "is the a6000 or the 3090 better with nvlink?": a choice
        if ev.has("worth") or ev.has("verdict_asked") or ev.has("faq_asks"):
            return None  # "does the 3090 support nvlink and is it worth it?": the topic, beyond the value
        flags = [k for k in ev.fields if self.catalog.fields[k].type == "bool"]
        subject = self._yes_no_subject(ev)
        if not flags or subject is None:
            return None
        q = self.make(ev, "lookup")
        q.gpus, q.fields, q.counts, q.workload = [subject], flags, {}, None
        return q

    @staticmethod
    def _yes_no_subject(ev: Evidence) -> str | None:
        """The card right after "does/is/can (the)": "does the rtx 3090 support p2p"."""
        words = ev.match.words
        for m in sorted([*ev.match.mentions, *ev.context], key=lambda m: m.start):  # "I run 8 3090s. Does the 3090..."
            k = m.start - 1
            while k >= 0 and words[k] in _LEAD_FILLERS:
                k -= 1
            if m.gpu and k >= 0 and words[k] in _YES_NO_LEADS:
                return m.gpu
        return None

    def gpu_or_none(self, ev: Evidence) -> Query | None:
        """ "should I get the 13600k and no gpu, or a bad cpu and a 3060 12gb?": a verdict on the card named against
        going without one, not a fit of an unnamed model."""
        if not ev.has("no_gpu_option") or not ev.gpus or self._sized(ev):
            return None
        if not (self._choice(ev) or ev.has("compare")):
            return None
        q = self.make(ev, "verdict")
        q.gpus, q.dropped = q.gpus[:MAX_COMPARE], q.gpus[MAX_COMPARE:]
        q.workload = q.workload or _GENERAL
        q.fields, q.ambiguous = [], []
        return q

    def rest_of_system(self, ev: Evidence) -> Query | None:
        """ "with a 20xx or 30xx, what CPU and RAM for the rest of the hardware?", "does a faster CPU boost inference
        if the model fits in vram?": the general answer on the machine around the GPU."""
        faq = ev.faq
        if faq is None or faq.id != SYSTEM_FAQ or self._sized(ev) or ev.has("no_gpu_option"):
            return None
        q = self.make(ev, "faq")
        q.faq, q.gpus, q.general, q.ambiguous, q.fields = faq, [], True, [], []
        return q

    def cloud_variant(self, ev: Evidence) -> Query | None:
        """ "azure ND H100 v5: is that the SXM or the PCIe H100?": the instance's GPU looked up, which says the
        variant; the other cards named are variants of it (the same chip), not setups to weigh."""
        gpu = ev.cloud[0].instance.gpu if len(ev.cloud) == 1 and len(ev.gpus) >= 2 else None
        if gpu is None or gpu not in ev.gpus or ev.has("compare_strict") or ev.properties or ev.has("speed"):
            return None
        chip = self.catalog.gpus[gpu].get("code_name")
        if chip is None or any(self.catalog.gpus[g].get("code_name") != chip for g in ev.gpus):
            return None
        q = self.make(ev, "lookup")
        q.gpus, q.ambiguous = [gpu], []
        return q

    def unknown_name(self, ev: Evidence) -> Query | None:
        """ "m40 vs 3090": comparing with a card the catalog lacks; ask which one was meant rather than answer about
        the 3090 alone. A choice for the asker ("should I get a Quadro M4000 over a GTX 1080?") is answered for the
        known card, and the answer names the one the catalog lacks."""
        unknown = ev.match.unknown
        if not unknown or not (not ev.gpus or ev.has("compare")):
            return None
        near = any(self._near_miss(m) for m in unknown)
        if ev.gpus and not near and self._choice(ev) and ev.has("recommend"):
            return None
        return self.make(ev, "clarify" if near else "unknown")

    def _near_miss(self, mention: GpuMention) -> bool:
        """A name one slip away from a catalog card ("rtx a600", "rx 7800" for the 7800 XT): ask "did you mean".
        A different number or letter ("m40", "h300", "quadro m4000") is another card the catalog lacks."""
        said = model_number(mention.text)
        for gid in mention.suggestions[:3]:
            known = model_number(self.catalog.gpus[gid].short_name)
            if said and known and (said.startswith(known) or known.startswith(said) or one_slip(said, known)):
                return True
        return False

    def argued_choice(self, ev: Evidence) -> Query | None:
        """ "for 3d rendering cuda cores matter more than vram ... I couldn't justify $3000 more": a choice for a
        workload argued with specs and money, not "which has more cuda cores"."""
        main = ev.workload is not None and not self.catalog.workloads[ev.workload].get("modifier")
        money = ev.budget_usd is not None or ev.has("price_stated")  # "spending $3000 more", "it costs $3000 more"
        if len(ev.gpus) < 2 or not main or not money or not ev.properties or ev.has("which_what"):
            return None
        return self.verdict(ev)

    def claim_for_workload(self, ev: Evidence) -> Query | None:
        """ "on the p100 I got half the speed of the t4 for stable diffusion, will it ever catch up?": a comparative
        stated about named cards for a workload, with no choice asked, is how they compare, not which to pick."""
        if len(ev.gpus) < 2 or not ev.has("claims") or self._choice(ev) or self._sized(ev):
            return None
        return self.compare(ev) if ev.budget_usd is None else None

    def corrected(self, ev: Evidence) -> Query | None:
        """ "W7800 benchmarks? You mean the W7900, the 3-slot card with 48GB, right?": the card the question corrects
        to is the one asked about."""
        words = ev.match.words
        cues = self.cues
        meant = [
            m.gpu for m in ev.match.mentions if m.gpu and cues.found(" ".join(words[max(0, m.start - 3) : m.start]))
        ]
        if len(ev.gpus) < 2 or len(set(meant)) != 1 or ev.has("compare_strict"):
            return None
        q = self.make(ev, "lookup")
        q.gpus, q.limits = [str(meant[0])], {}
        if ev.sizes and "memory_gb" not in q.fields:  # "the card with 48GB, right?": the memory is checked too
            q.fields.append("memory_gb")
        return q

    def quoted_figures(self, ev: Evidence) -> Query | None:
        """ "the 3090 costs $1,300 and features 24 GB ... the A6000 costs $4,800 with 48 GB": figures stated for
        the cards and questioned, a comparison; not a pick within a budget, unless a choice is asked."""
        if len(ev.gpus) < 2 or not ev.has("price_stated") or self._choice(ev) or self._sized(ev):
            return None
        if ev.workload not in (None, _GENERAL):
            return None
        return self.compare(ev)
