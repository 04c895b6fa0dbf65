"""What a serving runtime allocates at start-up besides weights, KV pool and the profiling peak, counted from its
source (specs/runtimes.yaml cites each: repository, path, commit):

- **SGLang's request-to-token table** (``ReqToTokenPool``): one int32 row of ``context_len + 4`` entries per running
  request, ``max_running_requests + 1`` rows (row 0 is a dummy for padded CUDA-graph batches), where
  ``max_running_requests`` defaults to ``pool tokens / context_len x 512`` clamped to 2,048-4,096. Every GPU holds the
  whole table, and it is allocated after the KV pool has filled ``mem_fraction_static``: it lives in the share the
  fraction leaves (:attr:`bot.estimator_shapes.Estimate.outside_terms`). At a long context it is gigabytes: Llama 4
  Scout's 10,485,760-token default takes 80.04 GiB, which is what SGLang tried to allocate in issue 5755.
- **TGI's warm-up prefill**: before sizing its KV blocks TGI runs one prefill of ``max_batch_prefill_tokens`` whose
  requests ask for prefill log-probabilities, so the logits of every prefill token over the whole vocabulary are
  materialised (each GPU's vocabulary shard, then the gathered whole, in the model's 16-bit dtype; the log-softmax
  is taken in place). The blocks are sized from what is free after it, so the peak stays out of the pool.

Pure functions over a :class:`~bot.estimator_runtime.Budget`'s numbers; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.estimator_shapes import GB, ModelShape

__all__ = [
    "REQ_TABLE",
    "WARMUP_LOGITS",
    "ReqTable",
    "StartupTerms",
    "req_to_token_bytes",
    "running_requests",
    "startup_terms",
    "warmup_logits_bytes",
]

#: The names the terms carry in an answer.
REQ_TABLE = "request-to-token table (outside mem_fraction_static)"
WARMUP_LOGITS = "warm-up prefill logits"
#: 16-bit logits: TGI computes the LM head in the model's dtype (fp16/bf16).
LOGIT_BYTES = 2


@dataclass(frozen=True, slots=True)
class ReqTable:
    """SGLang's ``ReqToTokenPool`` sizing rule (specs/runtimes.yaml ``req_to_token_table``): running requests
    between ``min_requests`` and ``max_requests`` (``requests_per_context`` per pool-sized context), ``extra_rows``
    dummy rows, ``extra_columns`` past the context, ``entry_bytes`` per entry."""

    min_requests: int
    max_requests: int
    extra_rows: int
    extra_columns: int
    entry_bytes: int
    requests_per_context: int = 512


@dataclass(frozen=True, slots=True)
class StartupTerms:
    """Terms (GB, whole job), the assumptions behind them, and which terms live outside the runtime's share."""

    terms: dict[str, float]
    notes: list[str]
    outside: tuple[str, ...] = ()


def running_requests(rule: ReqTable, context: int, pool_tokens: int | None = None) -> int:
    """SGLang's default ``max_running_requests``: ``pool_tokens / context x 512``, clamped to the rule's bounds;
    with the pool unknown, the lower bound (what a long context gets: the pool holds under four contexts)."""
    if pool_tokens is None or context <= 0:
        return rule.min_requests
    wanted = int(pool_tokens / context * rule.requests_per_context)
    return min(max(wanted, rule.min_requests), rule.max_requests)


def req_to_token_bytes(rule: ReqTable, context: int, requests: int) -> int:
    """Bytes of one GPU's request-to-token table for ``requests`` running requests of ``context`` tokens."""
    return (requests + rule.extra_rows) * (context + rule.extra_columns) * rule.entry_bytes


def warmup_logits_bytes(model: ModelShape, prefill_tokens: int, gpus: int) -> float:
    """Bytes on each GPU of TGI's warm-up logits: every prefill token's row over the vocabulary, the GPU's own shard
    and the gathered whole (one copy when on one GPU)."""
    if not model.vocab_size or prefill_tokens <= 0:
        return 0.0
    shard = 1 / gpus if gpus > 1 else 0.0
    return prefill_tokens * model.vocab_size * LOGIT_BYTES * (1 + shard)


def startup_terms(
    model: ModelShape,
    *,
    name: str,
    context: int,
    gpus: int,
    req_table: ReqTable | None,
    warmup_tokens: int,
) -> StartupTerms:
    """The start-up allocations of the runtime ``name`` for the whole job (each GPU holds its own); ``context`` is
    the context length the runtime is configured with (its request-to-token table's width)."""
    terms: dict[str, float] = {}
    notes: list[str] = []
    outside: tuple[str, ...] = ()
    if req_table is not None and context > 0:
        requests = running_requests(req_table, context)
        per_gpu = req_to_token_bytes(req_table, context, requests)
        terms[REQ_TABLE] = gpus * per_gpu / GB
        outside = (REQ_TABLE,)
        notes.append(
            f"{name} allocates its request-to-token table after the KV pool, in the memory mem_fraction_static leaves: "
            f"{requests + req_table.extra_rows:,} rows (max_running_requests {requests:,}, its default at a "
            f"long context) x {context + req_table.extra_columns:,} int32 entries = {per_gpu / GB:.2f} GB per GPU"
        )
    prefill = min(warmup_tokens, model.max_context or warmup_tokens)
    logits = warmup_logits_bytes(model, prefill, gpus)
    if logits:
        terms[WARMUP_LOGITS] = gpus * logits / GB
        notes.append(
            f"{name}'s warm-up prefill of {prefill:,} tokens (max_batch_prefill_tokens) with prefill "
            f"log-probabilities: {prefill:,} x {model.vocab_size:,} logits in 16-bit ({logits / GB:.2f} GB per GPU) "
            "before the KV blocks are sized"
        )
    return StartupTerms(terms, notes, outside)
