"""Which variant an ambiguous GPU name means when the question says where the GPU runs.

"p100 on colab pro": the variant the hosted notebook offers (``hosted:`` in ``specs/cloud.yaml``).
"azure nd h100 v5": the "h100" inside an instance's name is that instance's GPU, not every H100; and
"gcp a2-highgpu-1g": the "a2" there is the instance's family, not the NVIDIA A2.
Both replace the ambiguous mention by the resolved one, in place, before the rules read the evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.cloud import CloudMention
from bot.cloud_hosted import Hosted
from bot.mentions import GpuMention, MatchResult

__all__ = ["hosted_variants", "instance_variants"]


def hosted_variants(match: MatchResult, services: Sequence[Hosted]) -> None:
    """An ambiguous name beside a hosted notebook that offers exactly one of its candidates means that one."""
    if not services:
        return
    for k, m in enumerate(match.mentions):
        variant = next((v for h in services if m.ambiguous and (v := h.variant(m.candidates))), None)
        if variant is not None:
            match.mentions[k] = replace(m, gpu=variant, candidates=())


def instance_variants(match: MatchResult, cloud: Sequence[CloudMention]) -> None:
    """A GPU name inside a named instance's name means the instance's GPU: "nd h100 v5" (ambiguous "h100")
    is its H100 SXM, and "a2 highgpu 1g" (the NVIDIA A2 by name) is its A100."""
    for k, m in enumerate(match.mentions):
        if m.ambiguous:
            inside = next((c.instance.gpu for c in cloud if c.instance.gpu in m.candidates and m.text in c.text), None)
        else:
            inside = next((c.instance.gpu for c in cloud if m.gpu and _within(match.words, m, c.text)), None)
        if inside is not None and inside != m.gpu:
            match.mentions[k] = replace(m, gpu=inside, candidates=())


def _within(words: Sequence[str], m: GpuMention, name: str) -> bool:
    """Whether the mention's words lie inside an occurrence of the instance's name in the question's words."""
    span = name.split()
    if len(span) <= m.end - m.start:
        return False  # the name is the instance's whole name ("a2" alone): a GPU by that name stays one
    for i in range(max(0, m.end - len(span)), min(m.start, len(words) - len(span)) + 1):
        if list(words[i : i + len(span)]) == span:
            return True
    return False
