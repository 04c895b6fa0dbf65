"""Decode-time terms of how a runtime launches its kernels: MoE expert dispatch and eager (no CUDA graph) launches.

A decode step at batch 1 moves little data per kernel, so beside the bytes read (``bot.estimator_speed``) its time is
set by how many kernels run and how each is launched:

- **MoE expert dispatch** (every MoE layer, every runtime): a mixture-of-experts layer runs, besides what a dense
  MLP runs, a router GEMM, a top-k over the router's logits, the alignment of the (token, expert) pairs to the expert
  blocks and a weighted sum of the experts' outputs, and its expert GEMMs are grouped kernels indexed by the chosen
  experts: vLLM's ``vllm/model_executor/layers/fused_moe/fused_moe.py`` (``fused_topk``, ``moe_align_block_size``,
  ``invoke_fused_moe_kernel`` for the gate-up and the down projections, ``moe_sum``), which SGLang's
  ``python/sglang/srt/layers/moe/fused_moe_triton/fused_moe.py`` adapts from vLLM commit a6221a14; llama.cpp's
  ``build_moe_ffn`` (``src/llama-graph.cpp``: ``ggml_soft_max``, ``ggml_top_k``, ``ggml_mul_mat_id``). At batch 1
  these kernels read only the chosen experts' weights (one block of rows per chosen expert), so the bytes stay the
  active parameters; :data:`MOE_DISPATCH_US` is the extra time per MoE layer. Fitted on the calibration MoE cases it
  comes out at 3 µs: those kernels run inside a CUDA graph (or llama.cpp's), and what makes DeepSeek V3/R1 under
  tensor parallel 3-7× slower than its bytes in the reports is not a per-layer MoE cost (the same fit must hold
  SGLang's Qwen3-30B-A3B and 235B-A22B on H20s, which decode faster than the estimate).
- **Eager launches** (no CUDA graphs: Hugging Face ``generate``, vLLM ``--enforce-eager`` and vLLM before 0.2.6):
  every kernel goes through PyTorch's Python dispatch and a CPU-side launch, so a layer costs its kernels' launch
  time, not their run time (PyTorch's "GPT, Fast" post: plain eager Llama-7B decodes at 25.5 tokens/s on an A100,
  CPU-bound, https://pytorch.org/blog/accelerating-generative-ai-2/). :data:`EAGER_LAYER_US` per layer.
- **Expert loops** (Hugging Face transformers' MoE blocks): ``Qwen3MoeSparseMoeBlock.forward`` and Mixtral's run
  ``for expert_idx in range(self.num_experts)`` with a ``torch.where`` on each expert's routing mask, a device-to-host
  sync, whether or not the token chose that expert (transformers v4.51.3,
  ``src/transformers/models/qwen3_moe/modeling_qwen3_moe.py`` lines 275-277; the same loop in
  ``models/mixtral/modeling_mixtral.py``): :data:`EAGER_EXPERT_US` per expert per MoE layer, 128 experts × 48 layers
  for Qwen3-30B-A3B.

The three constants are fitted by ``python benchmarks/fit_speed.py`` on the calibration reports only
(``tests/estimates/reports.yaml``), after the bandwidth and per-layer constants of each memory class: the MoE
dispatch on the MoE cases run with CUDA graphs (or llama.cpp), the eager per-layer time on the eager cases, the
expert loop on the transformers MoE case; ``tests/test_estimator_speed.py`` checks the module's constants are that
fit.
"""

from __future__ import annotations

from bot.estimator_shapes import ModelShape

__all__ = [
    "EAGER_EXPERT_US",
    "EAGER_LAYER_US",
    "EXPERT_LOOP_RUNTIMES",
    "FIRST_VLLM_WITH_GRAPHS",
    "MOE_DISPATCH_US",
    "dispatch_terms",
    "moe_layers",
    "runs_eager",
]

#: Fitted by ``python benchmarks/fit_speed.py`` (see the module docstring), microseconds. MoE dispatch per MoE layer
#: on 10 calibration cases (Mixtral TensorRT-LLM, gpt-oss-20b LM Studio, Qwen3-30B-A3B SGLang on 4× A10 and an H20,
#: Qwen3-235B-A22B SGLang on 4 and 8 H20s, DeepSeek V3/R1 SGLang and vLLM on 8-16 H100/H200s, ik_llama.cpp R1);
#: eager time per layer on 6 cases (five dense Qwen3 under transformers on an H20, Qwen3-30B-A3B under vLLM
#: --enforce-eager on 4× A10); the expert loop on 1 (Qwen3-30B-A3B under transformers, 1.89 tokens/s).
MOE_DISPATCH_US = 3.1
EAGER_LAYER_US = 327.2
EAGER_EXPERT_US = 82.0

#: Runtimes whose MoE block loops over every expert in Python (Hugging Face transformers; see the module docstring).
EXPERT_LOOP_RUNTIMES = frozenset({"transformers"})
#: Runtimes that decode without CUDA graphs by default (Hugging Face ``generate``: a static cache and
#: ``torch.compile`` are opt-in).
EAGER_RUNTIMES = frozenset({"transformers"})
#: vLLM captures CUDA graphs for decode from v0.2.6, the first release with ``capture_model`` and ``enforce_eager``
#: (v0.2.5 has neither: specs/runtimes.yaml ``cuda_graphs_after_kv_pool``, read from the releases' worker.py); before
#: it, every release ran eagerly.
FIRST_VLLM_WITH_GRAPHS = (0, 2, 6)


def runs_eager(runtime: str | None, *, enforce_eager: bool = False, version: str = "") -> bool:
    """Whether ``runtime`` decodes without CUDA graphs: Hugging Face transformers, vLLM with ``--enforce-eager`` or a
    vLLM release before :data:`FIRST_VLLM_WITH_GRAPHS`."""
    if (runtime or "") in EAGER_RUNTIMES:
        return True
    if runtime != "vllm":
        return False
    return enforce_eager or (bool(version) and _version(version) < FIRST_VLLM_WITH_GRAPHS)


def _version(text: str) -> tuple[int, ...]:
    parts = [int(p) for p in text.split(".")[:3] if p.isdigit()]
    return tuple(parts + [0] * (3 - len(parts)))


def moe_layers(model: ModelShape) -> int:
    """The layers with routed experts: ``moe_layers`` where the catalog records it (DeepSeek's first dense layers,
    Llama 4 Maverick's alternate layers), else every layer of a MoE model (``active_params_b`` set), else 0."""
    if not model.active_params_b or not model.layers:
        return 0
    return model.moe_layers or model.layers


def dispatch_terms(model: ModelShape, runtime: str | None, *, eager: bool) -> dict[str, float]:
    """The time per token (ms) of MoE expert dispatch and, without CUDA graphs, of eager launches and expert loops;
    only the terms that apply (an empty dict for a dense model run with graphs)."""
    terms: dict[str, float] = {}
    moe = moe_layers(model)
    if moe and MOE_DISPATCH_US:
        terms["MoE expert dispatch"] = moe * MOE_DISPATCH_US / 1000
    if eager and model.layers and EAGER_LAYER_US:
        terms["eager kernel launches"] = model.layers * EAGER_LAYER_US / 1000
    if eager and moe and model.experts and (runtime or "") in EXPERT_LOOP_RUNTIMES and EAGER_EXPERT_US:
        terms["expert loop"] = moe * model.experts * EAGER_EXPERT_US / 1000
    return terms
