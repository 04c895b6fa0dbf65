"""Which variant an ambiguous GPU name means when the question says where the GPU runs.

"p100 on colab pro": the variant the hosted notebook offers (``hosted:`` in ``specs/cloud.yaml``).
"azure nd h100 v5": the "h100" inside an instance's name is that instance's GPU, not every H100.
Both replace the ambiguous mention by the resolved one, in place, before the rules read the evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.cloud import CloudMention
from bot.cloud_hosted import Hosted
from bot.mentions import MatchResult

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
    """An ambiguous name inside a named instance's name ("nd h100 v5") means the instance's GPU."""
    for k, m in enumerate(match.mentions):
        if not m.ambiguous:
            continue
        inside = next((c.instance.gpu for c in cloud if c.instance.gpu in m.candidates and m.text in c.text), None)
        if inside is not None:
            match.mentions[k] = replace(m, gpu=inside, candidates=())
