"""The plan a fit answer is about: the model, how it is run or trained, under which runtime, and the estimate.

Shared by the single-card answer (:mod:`bot.handlers.fits`), the longest context and decode speed
(:mod:`bot.handlers.fit_context`) and the setups (:mod:`bot.handlers.setups`, :mod:`bot.handlers.setup_verdict`).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any

from bot.catalog import GPU
from bot.estimator import Estimate, ModelShape, decode_speed, estimate
from bot.estimator_dispatch import runs_eager
from bot.estimator_media import MEDIA_KINDS
from bot.estimator_runtime import (
    DEFAULT_INFERENCE,
    DEFAULT_MEDIA,
    DEFAULT_TRAINING,
    Budget,
    default_context,
    with_version,
)
from bot.estimator_speed import TENSOR_PARALLEL_RUNTIMES, DecodeSpeed
from bot.estimator_strategy import STRATEGY_SHORT
from bot.handlers.context import HandlerContext
from bot.handlers.fit_options import MODE_VERBS
from bot.handlers.fit_precision import BELOW_Q4, best_precision, native_precision, precision_label, precision_ladder
from bot.parser import FitRequest

__all__ = [
    "FitPlan",
    "best_fit",
    "card_speed",
    "decodes_tokens",
    "fit_plan",
    "fit_slots",
    "linked_by_nvlink",
    "speed_on",
]


@dataclass(frozen=True, slots=True)
class FitPlan:
    """The model, how it is run or trained, and the estimate for it."""

    req: FitRequest
    model: ModelShape
    model_id: str | None
    mode: str
    precision: str
    context: int
    count: int
    est: Estimate
    full: Estimate | None = None  # no precision asked and a lower one answered: the estimate in the model's own
    budget: Budget = DEFAULT_INFERENCE
    context_why: str = ""  # how the context was chosen when the question states none
    vram_gib: float | None = None  # the total GPU memory, for a runtime whose default context depends on it
    borderline: str | None = None  # a better precision passed over: it fits only within the estimate's margin

    @property
    def verb(self) -> str:
        """ "run", "fully fine-tune", ..."""
        return MODE_VERBS[self.mode]

    @property
    def what(self) -> str:
        """ "Llama 3 70B in 4-bit (Q4_K_M)": the model, with its precision when run."""
        precision = precision_label(self.model, self.precision)
        return f"{self.model.name}" + (f" in {precision}" if self.mode == "inference" else "")

    @property
    def doing(self) -> str:
        """ "run Llama 3 70B in FP16"; with the precision chosen for the asker (the lead names it), the model."""
        return self.model.name if self.full is not None else f"{self.verb} {self.what}"

    @property
    def chosen(self) -> str:
        """ "Yes, in Q4_K_M (4-bit GGUF)": the verdict's lead when the precision was chosen, not asked."""
        return precision_label(self.model, self.precision)

    @property
    def terms(self) -> str:
        """ "weights 35.0 GB; KV cache 1.3 GB; ..."."""
        return "; ".join(f"{name} {gb:,.1f} GB" for name, gb in self.est.terms.items())


def fit_plan(
    req: FitRequest,
    model: ModelShape,
    model_id: str | None,
    count: int,
    *,
    budget: Budget | None = None,
    vram_gib: float | None = None,
) -> FitPlan:
    """The precision and context the request implies (defaults filled in, the runtime's own where it has them),
    and the estimate under the runtime's budget (the assumed runtime's when none is given)."""
    inference = req.mode == "inference"
    precision = (req.precision or native_precision(model)) if inference else _training_precision(req)
    budget = budget or default_budget(model, req.mode)
    if req.flash_attention is not None and budget.compute_buffer:
        budget = dataclasses.replace(budget, flash_attention=req.flash_attention, flash_attention_why="as asked")
    budget = _server_settings(req, budget)
    context, why = (req.context, "") if req.context else default_context(budget, model, req.mode, vram_gib)
    why = "" if model.kind in MEDIA_KINDS else why  # an image or speech model has no token context to state
    batch, checkpointing, strategy, defaults = _training_defaults(req, budget, count)
    est = estimate(
        model,
        mode=req.mode,  # type: ignore[arg-type]
        precision=precision,
        context=context,
        batch=batch,
        gpus_count=count,
        kv_precision=req.kv_precision or "fp16",
        checkpointing=checkpointing,
        lora_rank=req.lora_rank or 16,
        lora_targets=("q", "k", "v", "o", "gate", "up", "down") if req.lora_all_linear else ("q", "k", "v", "o"),
        runtime=budget,
        strategy=strategy,
        context_stated=bool(req.context),
    )
    named = "" if req.runtime else " (no runtime named: assumed)"
    est.assumptions.insert(0, f"runtime {budget.name}{named}")
    for i, said in enumerate(filter(None, (why, defaults)), 1):
        est.assumptions.insert(i, said)
    return FitPlan(req, model, model_id, req.mode, precision, context, count, est, None, budget, why, vram_gib)


def _server_settings(req: FitRequest, budget: Budget) -> Budget:
    """The budget with the serving settings the question states: the share of each card a pool runtime takes
    (gpu_memory_utilization, mem_fraction_static), vLLM's release and --enforce-eager, and TGI's release."""
    if req.memory_share is not None and budget.allocation == "pool":
        budget = dataclasses.replace(budget, fraction=req.memory_share, sglang_tiers=())
    if budget.vllm_share is not None and (req.enforce_eager or req.runtime_version):
        budget = dataclasses.replace(
            budget, enforce_eager=req.enforce_eager or budget.enforce_eager, version=req.runtime_version or ""
        )
    if budget.tgi_share is not None and req.runtime_version:
        budget = with_version(budget, req.runtime_version)
    return budget


def _training_defaults(req: FitRequest, budget: Budget, count: int) -> tuple[int, bool, str | None, str]:
    """A fine-tune's micro-batch, checkpointing and strategy: the question's, else the training runtime's defaults
    (specs/runtimes.yaml: LitGPT's micro-batch 4, no activation checkpointing on one GPU, FSDP with checkpointing on
    several), else micro-batch 1 with checkpointing on; and the sentence naming the runtime's defaults used."""
    if req.mode == "inference":
        return 1, True, req.strategy, ""
    said = []
    batch = req.batch or budget.train_micro_batch or 1
    if not req.batch and budget.train_micro_batch:
        said.append(f"micro-batch {batch}")
    strategy = req.strategy or (budget.train_strategy if count > 1 else None)
    if not req.strategy and strategy:
        said.append(f"{STRATEGY_SHORT.get(strategy, strategy)} with activation checkpointing on {count} GPUs")
    checkpointing = req.checkpointing
    if checkpointing is None:
        checkpointing = count > 1 or budget.train_checkpointing is not False
        if not checkpointing:
            said.append("no activation checkpointing on one GPU")
    defaults = f"{budget.name}'s defaults: {', '.join(said)}" if said else ""
    return batch, checkpointing, strategy, defaults


def _training_precision(req: FitRequest) -> str:
    """The precision a fine-tune is costed at: QLoRA's NF4 base, LoRA on an 8-bit (LLM.int8) base when asked,
    else 16-bit (mixed precision in bf16 takes the bytes of fp16; the answer keeps the one asked)."""
    if req.mode == "qlora":
        return "nf4"
    if req.mode == "lora" and req.precision == "int8":
        return "int8"
    return "bf16" if req.precision == "bf16" else "fp16"


def default_budget(model: ModelShape, mode: str) -> Budget:
    """The budget assumed with no runtime named: llama.cpp for a language model, PyTorch for an image or speech
    model, transformers for training."""
    if mode != "inference":
        return DEFAULT_TRAINING
    return DEFAULT_MEDIA if model.kind in MEDIA_KINDS else DEFAULT_INFERENCE


def best_fit(s: FitPlan, capacity: float) -> FitPlan:
    """No precision asked: the plan in the best precision that fits GPUs of ``capacity`` GB (what the runtime may
    use of each card: the model's own, then 8-bit down to Q4_K_M, below that only when nothing else fits), keeping
    the estimate in the model's own precision to say what it would need (the longest context is then given in that
    precision too). An asked precision or a fine-tune is answered as asked; so is a runtime that sizes its cache for
    the model's whole context when none is stated (vLLM's max_model_len): a shorter context, not a lower precision,
    is its nearest setting."""
    if s.req.precision or s.mode != "inference" or _ran_as_released(s):
        return s
    if s.budget.model_max_context and not s.req.context:
        return s

    def plan_at(precision: str) -> FitPlan:
        req = dataclasses.replace(s.req, precision=precision)
        return fit_plan(req, s.model, s.model_id, s.count, budget=s.budget, vram_gib=s.vram_gib)

    verdict = functools.cache(lambda p: plan_at(p).est.verdict(capacity))
    # Room to spare at 4-bit or better before a borderline fit: Q6_K with 1.7 GB free, not Q8_0 with 0.7 MB
    server = s.budget.id in TENSOR_PARALLEL_RUNTIMES  # AWQ/GPTQ and 8-bit checkpoints, not GGUF files
    precision, clear = best_precision(s.model, lambda p: p not in BELOW_Q4 and verdict(p) == "fits", server)
    if not clear:
        precision, _ = best_precision(s.model, lambda p: verdict(p) != "does not fit", server)
    ladder = precision_ladder(s.model, server)
    higher = ladder[: ladder.index(precision)] if clear and precision in ladder else []
    borderline = next((p for p in higher if verdict(p) == "tight"), None)  # evaluated already: no new estimate
    if precision == s.precision:
        return dataclasses.replace(s, borderline=borderline) if borderline else s
    return dataclasses.replace(plan_at(precision), req=s.req, full=s.est, borderline=borderline)


def _ran_as_released(s: FitPlan) -> bool:
    """An out-of-memory reported with no GGUF runtime named ("torch.cuda.OutOfMemoryError", "cuda out of memory"):
    PyTorch-based software loads the model as released, so that is what ran out (lower precisions are the options);
    with llama.cpp, Ollama or LM Studio named, a GGUF quantisation ran, so the best that fits is answered."""
    return s.req.oom_reported and not (s.req.runtime and s.budget.compute_buffer)


def decodes_tokens(ctx: HandlerContext, s: FitPlan) -> bool:
    """Inference with a language model (a bare size is shaped like one): a decode speed in tokens/s applies.
    A diffusion, vision or encoder model generates no tokens one by one."""
    return s.mode == "inference" and (s.model_id is None or ctx.models[s.model_id].kind == "llm")


def speed_on(s: FitPlan, gpu: GPU) -> DecodeSpeed | None:
    """The decode speed of one sequence for ``s`` on ``gpu`` (``s.count`` of it), at the context asked (else a
    short chat), with the runtime named (else llama.cpp's layer split on several cards)."""
    eager = runs_eager(s.req.runtime, enforce_eager=s.budget.enforce_eager, version=s.budget.version)
    return card_speed(s.model, s.est, gpu, s.count, runtime=s.req.runtime, context=s.req.context, eager=eager)


def card_speed(
    model: ModelShape,
    est: Estimate,
    gpu: GPU,
    count: int = 1,
    *,
    runtime: str | None = None,
    context: int | None = None,
    bridged: bool = False,
    eager: bool = False,
) -> DecodeSpeed | None:
    """:func:`bot.estimator_speed.decode_speed` on ``count`` of a catalog card: its bandwidth, memory type and link
    read from the card (:func:`linked_by_nvlink`; ``bridged``: the question says the cards are bridged; ``eager``: the
    runtime decodes without CUDA graphs, :func:`bot.estimator_dispatch.runs_eager`)."""
    return decode_speed(
        model,
        est,
        gpu.number("memory_bandwidth_gbs") or 0.0,
        count,
        memory_type=str(gpu.get("memory_type") or ""),
        nvlink=linked_by_nvlink(gpu, bridged=bridged),
        runtime=runtime,
        context=context,
        eager=eager,
    )


def linked_by_nvlink(gpu: GPU, *, bridged: bool = False) -> bool:
    """Whether several of ``gpu`` talk over NVLink: a module's baseboard (SXM, OAM) wires it in; a PCIe card that
    takes a bridge uses it only when the question says it is bridged, else the cards talk over PCIe."""
    if not gpu.get("nvlink"):
        return False
    return bridged or not str(gpu.get("form_factor") or "").lstrip().upper().startswith("PCIE")


def fit_slots(s: FitPlan) -> dict[str, Any]:
    """The answer's ``fit`` object, before the GPU it is held against fills ``available_gb``, ``fits``, the usable
    memory and the margin."""
    return {
        "model": s.model_id or s.model.name,
        "params_b": s.model.params_b,
        "mode": s.mode,
        "precision": s.precision,
        "gpus_count": s.count,
        "required_gb": round(s.est.total_gb, 1),
        "available_gb": None,
        "fits": None,
        "runtime": s.budget.id,
        "strategy": s.est.strategy,
        "usable_gb": None,
        "margin_gb": None,
        "terms": {name: round(gb, 2) for name, gb in s.est.terms.items()},
        "tokens_per_s": None,
        "assumptions": list(s.est.assumptions),
    }
