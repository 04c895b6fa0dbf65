"""What the cloud instances named add to the evidence: their GPU counts, and an accelerator the catalog lacks."""

from __future__ import annotations

import re

from bot.catalog import Outside
from bot.cloud import CloudMention

__all__ = ["cloud_counts", "cloud_gpus", "cloud_outside", "first_cloud_count"]


def cloud_counts(cloud: list[CloudMention]) -> dict[str, int]:
    """ "p4d.24xlarge": 8 of its GPU."""
    return {c.instance.gpu: c.instance.count or 1 for c in cloud if c.instance.gpu and (c.instance.count or 0) > 1}


def first_cloud_count(cloud: list[CloudMention]) -> int:
    return next((c.instance.count for c in cloud if c.instance.gpu and c.instance.count), 1)


def cloud_gpus(c: CloudMention) -> str:
    if c.instance.gpu is None:
        return "a GPU outside the catalog"
    return f"{c.instance.count or '?'}x {c.instance.gpu}"


def cloud_outside(cloud: list[CloudMention]) -> Outside | None:
    """An instance whose accelerator the catalog lacks (Trainium, K80...): its reply, like other outside hardware."""
    bare = next((c.instance for c in cloud if c.instance.gpu is None and c.instance.reply), None)
    return Outside(bare.id, re.compile(re.escape(bare.id)), bare.reply) if bare is not None else None
