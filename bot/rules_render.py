"""Which device or backend renders a Blender Cycles scene ("Blender CPU vs GPU rendering?", "cuda or optix on my
3080 in blender?", "Should I render with the CPU or GPU? ... CUDA, OptiX, OpenCL ... RTX 2060"): the rendering FAQ
(``specs/faq.yaml``, render-devices), for the cards named when there are any, rather than their spec card, a
clarification of a name whose cards render alike, or a verdict on the card. A support question about one backend
("does the 3060 support optix") stays the software answer, with the library's own line per card.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.evidence import Evidence
from bot.request import MAX_COMPARE, Kind, Query

__all__ = ["RENDER_FAQ", "render_devices"]

RENDER_FAQ = "render-devices"
_SUPPORT = frozenset({"support", "supports", "supported", "compatible", "compatibility"})
_CPU_ASKED = re.compile(r"\b(?:what|which)\s+(?:cpu|cpus|processor)\b")  # "what cpu for blender": a CPU, not a device
# A device or backend named as one, not the "cuda" of a core count ("the a6000 has fewer cuda cores"): the FAQ's
# second keyword group (specs/faq.yaml render-devices) without the spec field's words.
_DEVICE_NAMED = re.compile(
    r"\b(?:optix|cpus?|processor|cuda(?!\s+cores?\b)|hip|oneapi|metal|opencl|render devices?|compute devices?)\b"
)
_PICKS = frozenset({"best", "recommend", "buy", "cheapest", "suggest", "top", "upgrade"})


def render_devices(ev: Evidence, make: Callable[[Evidence, Kind], Query]) -> Query | None:
    """The render-devices FAQ, about the cards named (an ambiguous name's cards, which share an architecture)."""
    if ev.faq is None or ev.faq.id != RENDER_FAQ or ev.wordset & _SUPPORT or ev.budget_usd is not None:
        return None
    if ev.wordset & _PICKS or _CPU_ASKED.search(ev.norm) or ev.model is not None or ev.bare_size is not None:
        return None  # "best gpu for rendering with cuda": a pick
    if not _DEVICE_NAMED.search(ev.norm):
        return None  # "fewer cuda cores than the 4090": specs argued, not a device asked about
    named = list(ev.gpus) or [c for m in ev.match.ambiguous for c in m.candidates[:1]]
    q = make(ev, "faq")
    q.faq, q.gpus, q.ambiguous, q.fields = ev.faq, named[:MAX_COMPARE], [], []
    q.general = not q.gpus
    return q
