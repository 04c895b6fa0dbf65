"""Ranking by one number: "most memory", "lowest power", "cheapest card with nvlink" (moved out of bot/rules.py)."""

from __future__ import annotations

from bot.catalog import Catalog
from bot.evidence import Evidence, Reader
from bot.evidence_sizes import stated_fields
from bot.request import Query

__all__ = ["set_rank"]


def set_rank(catalog: Catalog, reader: Reader, q: Query, ev: Evidence, word: str) -> None:
    """ "most memory", "lowest power", "cheapest card with nvlink": rank by one number; yes/no
    fields named alongside become filters."""
    if word in ("best", "top") and (q.workload or q.modifiers):
        return  # "best single-slot card", "best gpu for training": a recommendation, not a ranking
    types = {k: catalog.fields[k].type for k in q.fields}
    stated = stated_fields(ev.limits, ev.norm)  # "4070 Ti Super (VRAM 16GB)": a description, not a ranking
    numeric = [k for k in q.fields if types[k] in ("int", "float") and k not in stated]
    q.require_true = [k for k in q.fields if types[k] == "bool"]
    words = reader.lexicon.words
    if word == "cheapest":
        q.rank_field, q.rank_lowest = "launch_price_usd", True
    elif word in words["rank_newer"] or word in words["rank_older"]:
        q.rank_field, q.rank_lowest = "release_date", word in words["rank_older"]
    elif numeric and word in ("best", "top"):
        q.rank_field = numeric[0]  # "best fp64", "best tdp": the field's own better direction
        q.rank_lowest = catalog.fields[numeric[0]].better == "lower"
    elif numeric:
        q.rank_field, q.rank_lowest = numeric[0], word in words["rank_low"]
    per = reader.per_field(ev.norm)
    if q.rank_field and per and per != q.rank_field:
        q.rank_per = per
