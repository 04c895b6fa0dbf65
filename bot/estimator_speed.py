"""Decode speed: how many tokens per second one sequence generates, a memory-bandwidth estimate.

Decode speed ≈ efficiency × memory bandwidth ÷ bytes read per generated token (the active weights plus
the KV cache), an estimate that ignores compute limits and batching.
"""

from __future__ import annotations

from bot.estimator_shapes import Estimate, ModelShape

__all__ = ["DECODE_EFFICIENCY", "decode_tokens_per_s"]

DECODE_EFFICIENCY = 0.6


def decode_tokens_per_s(model: ModelShape, est: Estimate, bandwidth_gbs: float, gpus_count: int = 1) -> float | None:
    """A rough decode speed: efficiency × bandwidth ÷ bytes read per token."""
    if est.mode != "inference" or bandwidth_gbs <= 0:
        return None
    active = (model.active_params_b or model.params_b) / model.params_b
    per_token_gb = est.terms.get("weights", 0.0) * active + est.terms.get("KV cache", 0.0)
    if per_token_gb <= 0:
        return None
    return DECODE_EFFICIENCY * bandwidth_gbs * gpus_count / per_token_gb
