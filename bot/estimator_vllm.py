"""vLLM's memory outside its ``gpu_memory_utilization`` share, by version, from its worker code (specs/runtimes.yaml
``vllm_share_eras``, ``profile_peak``, ``cuda_graphs_after_kv_pool``, ``cuda_graph_memory_stated``, each citing the
release's own file).

vLLM sizes its KV pool to fill ``gpu_memory_utilization x total`` less what its profiling pass measured; whatever that
pass does not count must fit in the rest of the card, ``(1 - u) x total``. What it counts changed:

- **until v0.2.4** (``torch_peak``): PyTorch's allocator peak only, so the CUDA context lies outside the share (NCCL's
  buffers too; no size of theirs is recorded, so only the context is counted);
- **v0.2.5** (``device_used``): the device memory in use after the profiling run, everything this process holds;
- **v0.2.6 to v0.20** (``graphs_after_pool``): the same, and CUDA graphs, captured after the KV pool has filled the
  share, in what it leaves; their size is vLLM's own stated 1-3 GiB per GPU, its lower end (V1 of v0.8.5 captures 67
  token counts up to 512 into one shared pool, whatever ``max_num_seqs``);
- **since v0.21.0** (``graphs_profiled``): the graphs' memory is estimated during profiling and taken out of the share
  before the KV pool, so nothing of theirs lies outside it.

``--enforce-eager`` captures no graphs at all. With no version named, the current release is assumed and said.
Pure functions over numbers; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.estimator_shapes import GB

__all__ = [
    "CONTEXT_TERM",
    "DEVICE_USED",
    "GRAPHS_AFTER_POOL",
    "GRAPHS_OUTSIDE",
    "GRAPHS_PROFILED",
    "TORCH_PEAK",
    "VllmShare",
    "VllmTerms",
    "era_of",
    "parse_version",
    "vllm_terms",
]

GIB = 2**30
TORCH_PEAK = "torch_peak"
DEVICE_USED = "device_used"
GRAPHS_AFTER_POOL = "graphs_after_pool"
GRAPHS_PROFILED = "graphs_profiled"
ERAS = (TORCH_PEAK, DEVICE_USED, GRAPHS_AFTER_POOL, GRAPHS_PROFILED)
#: The term the CUDA graphs take when they lie outside the share, and the runtime's CUDA context term (outside the
#: share when the profile counted PyTorch's allocator only).
GRAPHS_OUTSIDE = "CUDA graphs (outside gpu_memory_utilization)"
CONTEXT_TERM = "CUDA context"
_VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?")


def parse_version(text: str) -> tuple[int, int, int] | None:
    """``"0.8.5"``, ``"v0.2.7"``, ``"0.21"`` as a comparable triple; None when it is no version."""
    match = _VERSION_RE.match(text.strip())
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


@dataclass(frozen=True, slots=True)
class VllmShare:
    """vLLM's eras (first version, what its profile counts), the graphs' stated size per GPU (GiB, the lower end),
    and the release assumed when none is named."""

    eras: tuple[tuple[tuple[int, int, int], str], ...]
    graph_gib: float
    current: str

    @classmethod
    def from_rows(cls, rows: list[list[str]], graph_gib: float, current: str) -> VllmShare:
        eras = []
        for first, name in rows:
            version = parse_version(str(first))
            if version is None or name not in ERAS:
                raise ValueError(f"vllm_share_eras: {first!r} {name!r} is no version and era")
            eras.append((version, str(name)))
        return cls(tuple(sorted(eras)), graph_gib, current)


@dataclass(frozen=True, slots=True)
class VllmTerms:
    """Terms (GB, whole job) vLLM keeps outside its share, the terms that live there, whether the graphs are counted
    inside the share (the observed figure of the profiling peak), and the sentences saying so."""

    terms: dict[str, float] = field(default_factory=dict)
    outside: tuple[str, ...] = ()
    graphs_inside: bool = True
    notes: list[str] = field(default_factory=list)


def era_of(share: VllmShare, version: str) -> str:
    """What the profile of vLLM ``version`` counts ("" or unreadable: the current release's)."""
    wanted = parse_version(version) or parse_version(share.current) or (0, 0, 0)
    found = share.eras[0][1]
    for first, name in share.eras:
        if wanted >= first:
            found = name
    return found


def vllm_terms(share: VllmShare, *, version: str, eager: bool, gpus: int, context_gb: float) -> VllmTerms:
    """What vLLM ``version`` (``""``: the current release, said so) keeps outside its share on each of ``gpus`` GPUs,
    with ``eager`` (``--enforce-eager``: no graphs); ``context_gb`` is the CUDA context per GPU."""
    named = version or share.current
    era = era_of(share, version)
    who = f"vLLM {named}" + ("" if version else " (the current release; no version named)")
    notes = []
    if eager:
        notes.append(f"{who} with --enforce-eager: no CUDA graphs are captured")
    if era == TORCH_PEAK:
        notes.append(
            f"{who} profiles PyTorch's allocator peak only: the CUDA context ({context_gb:.2f} GB per GPU) lies "
            "outside gpu_memory_utilization, in the share it leaves (NCCL buffers too, not counted)"
        )
        return VllmTerms(outside=(CONTEXT_TERM,), graphs_inside=False, notes=notes)
    if era == DEVICE_USED:
        notes.append(f"{who} profiles the device memory in use and captures no CUDA graphs")
        return VllmTerms(graphs_inside=False, notes=notes)
    if era == GRAPHS_PROFILED:
        if not eager:
            notes.append(f"{who} estimates the CUDA graphs' memory while profiling: inside gpu_memory_utilization")
        return VllmTerms(graphs_inside=not eager, notes=notes)
    if eager:
        return VllmTerms(graphs_inside=False, notes=notes)
    per_gpu = share.graph_gib * GIB / GB
    notes.append(
        f"{who} captures its CUDA graphs after the KV pool has filled gpu_memory_utilization: they take "
        f"{share.graph_gib:g} GiB per GPU (the lower end of vLLM's own '1~3 GiB') of the share it leaves"
    )
    return VllmTerms({GRAPHS_OUTSIDE: gpus * per_gpu}, (GRAPHS_OUTSIDE,), graphs_inside=False, notes=notes)
