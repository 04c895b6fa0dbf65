"""TGI's KV blocks and CUDA graphs at start-up, by version, from its warm-up code (specs/runtimes.yaml
``tgi_kv_eras``, ``max_batch_total_tokens``, ``kv_share_of_free_memory``, ``kv_reserve_of_total_memory``,
``cuda_graphs``, each citing the release's own file at its tag's commit).

TGI's warm-up runs one prefill of ``max_batch_prefill_tokens`` (its logits: :mod:`bot.estimator_startup`), then sizes
its KV blocks, then (since v2.0.0, by default) captures decode CUDA graphs for batch sizes 1-32 in what the blocks
leave. How the blocks are sized changed:

- **v0.9.0 to v0.9.3** (``fixed``): nothing is inferred; ``max_batch_total_tokens`` (default 16,000, and at least
  ``max_total_tokens``) is allocated as ``ceil(tokens / 16) + 10`` blocks of 16 before the prefill, whatever the card;
- **v0.9.4 to v2.4.x** (``of_free``): a share of the memory still free after the prefill becomes blocks (all of it
  until v1.4.0, 95% from v1.4.1, 90% in v2.4.x); the graphs must fit in the rest of that free memory;
- **since v3.0.0** (``of_total``): the blocks take what is free less ``1 - TGI_WIGGLE_ROOM`` of the card's total
  memory (5%, 7% from v3.1.0, 10% from v3.3.0): the runtime's share of the card is ``TGI_WIGGLE_ROOM``, and the graphs
  live in the part it leaves.

The graphs' size is one published figure (222 MB per GPU for the six default sizes), the only one TGI's own logs
have given; the decode tensors themselves are a few MB by shape. With no version named, the current release is
assumed and said. Pure functions over numbers; no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bot.estimator_shapes import GB
from bot.estimator_vllm import parse_version
from bot.runtimes import Runtime, usable_fraction

__all__ = [
    "FIXED",
    "GRAPHS_AFTER_BLOCKS",
    "GRAPHS_OUTSIDE",
    "KV_BLOCKS",
    "KV_HEADROOM",
    "OF_FREE",
    "OF_TOTAL",
    "TgiEra",
    "TgiShare",
    "TgiTerms",
    "fixed_tokens",
    "tgi_share_of",
    "tgi_terms",
]

FIXED = "fixed"
OF_FREE = "of_free"
OF_TOTAL = "of_total"
RULES = (FIXED, OF_FREE, OF_TOTAL)
#: v0.9.3's CacheManager: blocks of 16 tokens, ``ceil(max_total_tokens / BLOCK_SIZE) + 10`` of them.
BLOCK_SIZE = 16
EXTRA_BLOCKS = 10
#: The terms' names in an answer.
KV_BLOCKS = "KV blocks past the context (max_batch_total_tokens)"
KV_HEADROOM = "KV headroom"
GRAPHS_AFTER_BLOCKS = "CUDA graphs (after the KV blocks)"
GRAPHS_OUTSIDE = "CUDA graphs (outside TGI_WIGGLE_ROOM)"


@dataclass(frozen=True, slots=True)
class TgiEra:
    """From version ``first``: how the KV blocks are sized (``rule``), its figure (``fixed``: max_batch_total_tokens;
    ``of_free``: the share of free memory; ``of_total``: TGI_WIGGLE_ROOM) and whether CUDA graphs are captured."""

    first: tuple[int, int, int]
    rule: str
    value: float
    graphs: bool


@dataclass(frozen=True, slots=True)
class TgiShare:
    """TGI's eras, the CUDA graphs' size per GPU (GB), the release assumed when none is named and the launcher's
    ``cuda_memory_fraction``."""

    eras: tuple[TgiEra, ...]
    graph_gb: float
    current: str
    memory_fraction: float = 1.0

    @classmethod
    def from_rows(cls, rows: list[list[object]], graph_gb: float, current: str, memory_fraction: float) -> TgiShare:
        eras = []
        for first, rule, value, graphs in rows:
            version = parse_version(str(first))
            if version is None or rule not in RULES or not isinstance(value, int | float):
                raise ValueError(f"tgi_kv_eras: {first!r} {rule!r} {value!r} is no version, rule and figure")
            eras.append(TgiEra(version, str(rule), float(value), graphs is True))
        return cls(tuple(sorted(eras, key=lambda e: e.first)), graph_gb, current, memory_fraction)

    def era(self, version: str) -> TgiEra:
        """The era of TGI ``version`` ("" or unreadable: the current release's)."""
        wanted = parse_version(version) or parse_version(self.current) or (0, 0, 0)
        found = self.eras[0]
        for era in self.eras:
            if wanted >= era.first:
                found = era
        return found

    def fraction_name(self, version: str) -> str:
        """What the answer calls TGI ``version``'s share of the card."""
        return (
            "cuda_memory_fraction x TGI_WIGGLE_ROOM" if self.era(version).rule == OF_TOTAL else "cuda_memory_fraction"
        )

    def fraction(self, version: str) -> float:
        """The share of each card TGI ``version`` fills with weights, warm-up and KV blocks."""
        era = self.era(version)
        return self.memory_fraction * (era.value if era.rule == OF_TOTAL else 1.0)


@dataclass(frozen=True, slots=True)
class TgiTerms:
    """Terms (GB, whole job), those living outside the runtime's share, and the sentences saying so."""

    terms: dict[str, float] = field(default_factory=dict)
    outside: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


def tgi_share_of(rt: Runtime) -> TgiShare | None:
    """TGI's eras of KV-block sizing, its CUDA graphs' published size (MB) and the current release, from its params;
    None for a runtime without them."""
    eras, graphs, current = (rt.param(n) for n in ("tgi_kv_eras", "observed_tgi_cuda_graph_memory", "current_version"))
    if eras is None or graphs is None or current is None:
        return None
    fraction = usable_fraction(rt, 0.0) or 1.0
    return TgiShare.from_rows(eras.value, float(graphs.value) * 1e6 / GB, str(current.value), fraction)


def fixed_tokens(max_batch_total_tokens: int, context: int) -> int:
    """Tokens of KV blocks v0.9.0-v0.9.3 allocate: max_batch_total_tokens (at least the context, which it must hold)
    in blocks of 16, plus 10 blocks."""
    wanted = max(max_batch_total_tokens, context)
    return (math.ceil(wanted / BLOCK_SIZE) + EXTRA_BLOCKS) * BLOCK_SIZE


def tgi_terms(share: TgiShare, *, version: str, kv_gb: float, context: int, gpus: int) -> TgiTerms:
    """What TGI ``version`` (``""``: the current release, said so) allocates besides the context's own KV cache
    (``kv_gb`` for ``context`` tokens, whole job) on ``gpus`` GPUs."""
    era = share.era(version)
    who = f"TGI {version or share.current}" + ("" if version else " (the current release; no version named)")
    if era.rule == FIXED:
        total = int(era.value)
        tokens = fixed_tokens(total, context)
        extra = kv_gb * (tokens / context - 1) if context > 0 else 0.0
        note = (
            f"{who} allocates KV blocks for max_batch_total_tokens {max(total, context):,} (its default "
            f"{total:,}, at least the context) before the warm-up, {tokens:,} tokens in blocks of {BLOCK_SIZE}, and "
            "infers nothing from the free memory; no CUDA graphs"
        )
        return TgiTerms({KV_BLOCKS: extra} if extra > 0 else {}, notes=[note])
    graphs = gpus * share.graph_gb if era.graphs else 0.0
    captured = f"CUDA graphs for batch sizes 1-32 ({share.graph_gb:.2f} GB per GPU, a published TGI log's figure)"
    if era.rule == OF_TOTAL:
        note = (
            f"{who}: the KV blocks fill each card up to TGI_WIGGLE_ROOM {era.value:g} of its memory after the "
            f"warm-up; the {captured} are captured after them, in the {1 - era.value:.0%} left"
        )
        return TgiTerms({GRAPHS_OUTSIDE: graphs}, (GRAPHS_OUTSIDE,), [note])
    s = era.value
    needed_free = max(kv_gb / s, graphs / (1 - s)) if s < 1 else kv_gb
    headroom = max(needed_free - kv_gb - graphs, 0.0)
    terms = {GRAPHS_AFTER_BLOCKS: graphs} if graphs else {}
    if headroom > 0:
        terms[KV_HEADROOM] = headroom
    if s >= 1:
        note = f"{who}: all the memory free after the warm-up prefill becomes KV blocks; no CUDA graphs"
    elif graphs:
        note = (
            f"{who}: {s:.0%} of the memory free after the warm-up prefill becomes KV blocks; the {captured} are "
            f"captured after them, in the {1 - s:.0%} left"
        )
    else:
        note = f"{who}: {s:.0%} of the memory free after the warm-up prefill becomes KV blocks; no graphs by default"
    return TgiTerms(terms, notes=[note])
