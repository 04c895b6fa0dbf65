"""Which cloud instance for a model: "What size EC2 instance do I need? What is the smallest / cheapest instance size
that I need? (GPT-J 6B)", "which sagemaker instance type for llama 3 8b?".

No card and no instance named, a model (or a size) and words that ask for an instance (``instance_asked`` in
``specs/lexicon.yaml``): a pick among the instances of ``specs/cloud.yaml`` (of the provider named, or every provider),
each size with whole GPUs of the catalog, carried in the request (:attr:`bot.request.FitRequest.instances`) so that
the handler (:mod:`bot.handlers.cloud_pick`) answers from the request alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.evidence import Evidence, Reader
from bot.request import Kind, Query

__all__ = ["InstanceRules"]


class InstanceRules:
    def __init__(self, reader: Reader, make: Callable[[Evidence, Kind], Query]) -> None:
        cloud = reader.cloud
        self.make, self.fit_request, self.words = make, reader.fit_request, reader.lexicon.words["instance_asked"]
        self.instances: dict[str, tuple[tuple[str, str, int], ...]] = {}
        self.providers: list[tuple[str, re.Pattern[str]]] = []
        for provider in cloud.providers.values() if cloud is not None else ():
            words = "|".join(re.escape(w) for w in sorted(provider.words, key=len, reverse=True))
            self.providers.append((provider.id, re.compile(rf"\b(?:{words})\b")))
            self.instances[provider.id] = tuple(
                (i.names[0], i.gpu, i.count)
                for i in (cloud or ())
                if i.provider == provider.id and not i.is_family and i.gpu and i.count and i.fraction is None
            )

    def asked(self, ev: Evidence) -> Query | None:
        if ev.gpus or ev.match.ambiguous or ev.cloud or (ev.model is None and ev.bare_size is None):
            return None
        if not self.words.found(ev.norm):
            return None
        named = [pid for pid, pattern in self.providers if pattern.search(ev.norm)]
        q = self.make(ev, "fit_pick")
        q.fit = self.fit_request(ev)
        q.fit.instances = tuple(i for pid in (named or self.instances) for i in self.instances.get(pid, ()))
        q.fields = []  # "what size ... instance": the instance's size, not the card's form factor
        return q if q.fit.instances else None
