"""Follow-ups that ask beyond the card the last answer settled on (:attr:`~bot.request.Query.about`):

* an alternative to a pick: "anything cheaper?", "something with more vram?", "one that draws less power?" — the
  pick made again, within a budget under the card's price or with a limit past its value;
* the card set against another: "why not the 3090?" after a pick — a verdict between the two for the same work;
* the card's power supply: "what psu do I need for it?";
* a ratio to the cards before: "how much faster is the 4090?" after "3090 vs 4090 for training" or a pick.

Pure functions of the last request, what the follow-up states and the catalog: no text is rewritten.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from bot.request import INTENT_OF, MAX_COMPARE, Query

if TYPE_CHECKING:
    from bot.catalog import Catalog
    from bot.lexicon import Property

__all__ = ["alternative", "others", "psu_for", "ratio_to", "why_not"]

#: Requests that pick a card: what "anything cheaper?" asks for again.
PICKS = frozenset({"pick", "fit_pick", "verdict"})
_PRICE = "launch_price_usd"


def alternative(catalog: Catalog, previous: Query, card: str, properties: list[Property], fresh: Query) -> Query | None:
    """The pick made again past ``card`` in each comparative property said ("cheaper": under its price; "more
    vram": more memory than it has); None when the last request picked nothing or no property has a value."""
    gpu = catalog.gpus.get(card)
    if previous.kind not in PICKS or gpu is None:
        return None
    q = dataclasses.replace(previous, kind="pick", intent=INTENT_OF["pick"], gpus=[], match=fresh.match)
    q.limits = {key: dict(bounds) for key, bounds in previous.limits.items()}
    changed = False
    for prop in properties:
        value = gpu.number(prop.field)
        if value is None:
            continue
        changed = True
        if prop.field == _PRICE and not prop.more:  # "anything cheaper?": the catalog's prices are US dollars
            q.budget_usd, q.budget_currency = value - 1, None
        else:  # strictly past the card: the next whole unit for whole-number fields
            step = 1 if float(value).is_integer() else abs(value) * 0.01
            bound, past = ("min", value + step) if prop.more else ("max", value - step)
            q.limits.setdefault(prop.field, {})[bound] = past
    if previous.kind == "verdict":  # a verdict on the card becomes a pick among the others, for the same work
        q.workload = previous.workload or "general"
    return q if changed else None


def why_not(previous: Query, card: str, named: list[str], fresh: Query) -> Query | None:
    """ "why not the 3090?" after a pick: a verdict between the card picked and the one named, for the same work
    within the same budget."""
    if previous.kind not in PICKS or not named or card in named:
        return None
    q = dataclasses.replace(previous, kind="verdict", intent=INTENT_OF["verdict"], match=fresh.match)
    q.gpus = [card, *named][:MAX_COMPARE]
    q.workload = previous.workload or "general"
    q.counts = {}
    return q


def psu_for(catalog: Catalog, cards: list[str], fresh: Query) -> Query:
    """ "what psu do I need for it?": the power supply for the card the last answer settled on."""
    q = dataclasses.replace(fresh, kind="psu", intent=INTENT_OF["psu"], gpus=cards[:1], faq=None, general=False)
    q.fields = [k for k in ("tdp_w", "power_connectors") if k in catalog.fields]
    q.counts = dict.fromkeys(q.gpus, 1)
    return q


def others(previous: Query, named: list[str]) -> list[str]:
    """The cards of the last answer a card named now is set against: the ones asked about, else the one settled on."""
    return [g for g in (previous.gpus if len(previous.gpus) >= 2 else previous.about) if g not in named]


def ratio_to(previous: Query, named: str, against: str, fresh: Query) -> Query:
    """ "how much faster is the 4090?": the card named against the other, led by the ratio for the work asked about
    before (a verdict), or as a comparison when no work was named."""
    gpus = [named, against]
    if previous.workload is None:
        q = dataclasses.replace(fresh, kind="compare", intent=INTENT_OF["compare"], gpus=gpus, fields=[])
        q.counts = {}
        return q
    q = dataclasses.replace(previous, kind="verdict", intent=INTENT_OF["verdict"], gpus=gpus, match=fresh.match)
    q.ratio_asked, q.counts, q.about = True, {}, []
    return q
