"""Two cards the asker has, one said to be no faster than the other: "my 4080 is slower than my 3060 in
llama_cpp_python, why?", "I changed the card from a 3060 12gb to a 5060 ti 16gb ... I get no speedup at all".

What an expert answers first is how the two should compare for the work named: the speed-up the specs that set its
speed give (decode speed from the estimator for language models, which follows memory bandwidth; dense FP16 tensor
throughput for training and image generation; both when the work is not named; :mod:`bot.handlers.speed_ratio`), then
why a card that should be faster may not be. When the card said slower is the one its specs make slower, the answer
says so instead. The side-by-side table follows as for any comparison.
"""

from __future__ import annotations

from bot.answer import Answer
from bot.catalog import GPU
from bot.handlers.context import HandlerContext, value
from bot.handlers.speed_ratio import speed_ratio_lead
from bot.parser import Query

__all__ = ["slower_lead"]

#: The spec that sets the speed of each kind of work, and the work whose ratio stands for it.
_MEASURE = {"llm": "memory_bandwidth_gbs", "image_generation": "fp16_tensor_tflops"}
_TENSOR_WORK = frozenset({"training", "fine_tuning", "image_generation", "computer_vision"})
_NEAR = 1.1  # a ratio under this: about as fast
_FAR = 2.0  # a measured slowdown over this many times the specs' ratio is not the card's


def slower_lead(ctx: HandlerContext, q: Query, a: Answer, gpus: list[GPU]) -> None:
    """Lead ``a`` (the two cards compared) with the speeds expected and the usual reasons a faster card is not."""
    first, second = gpus[0], gpus[1]
    works = ["llm"] if q.workload == "llm" else ["image_generation"] if q.workload in _TENSOR_WORK else [*_MEASURE]
    leads = [lead for w in works if (lead := speed_ratio_lead(ctx, a, w, first, second)) is not None]
    if not leads:
        return
    verdicts = [v for w in works if (v := _faster(ctx, first, second, _MEASURE[w])) is not None]
    if len({gpu.id for gpu, _ in verdicts}) != 1:  # "the l4 is slower than the t4": the two measures disagree
        said = "Which of the two is faster depends on the work: token generation follows memory bandwidth, "
        a.summary = " ".join([*leads, said + "compute-bound work tensor throughput.", _causes(ctx, a, None), a.summary])
        return
    fast, ratio = max(verdicts, key=lambda v: v[1])  # the larger speed-up when both measures name the same card
    if ratio < _NEAR:
        a.summary = " ".join([*leads, "The two should be about as fast.", _causes(ctx, a, None), a.summary])
    elif q.slower_said is not None and q.slower_said != fast.id:  # "the a6000 is slower than the 4090": as expected
        slow = second if fast is first else first
        said = f"So the {slow.short_name} being the slower is what its specs say"
        if q.slower_factor is not None and q.slower_factor > _FAR * ratio:  # "30x slower": far more than the specs
            said += f", but not by {q.slower_factor:g}×, far more than they explain. " + _causes(ctx, a, slow)
        a.summary = " ".join([*leads, said if said.endswith(".") else said + ".", a.summary])
    else:
        a.summary = " ".join([*leads, _causes(ctx, a, fast), a.summary])


def _causes(ctx: HandlerContext, a: Answer, fast: GPU | None) -> str:
    """Why a card runs slower than its specs say; about ``fast`` when one card should be the faster."""
    card, build = "one card is", "a build for each card's architecture"
    if fast is not None:
        card = f"the {fast.short_name} is"
        build = (
            f"a build for its architecture ({_architecture(ctx, a, fast)}; a build that predates the card falls back "
            "to slow paths or the CPU)"
        )
    return (
        f"When {card} slower than its specs say, the card is rarely the cause: check that the whole model fits in its "
        f"memory (layers spilled to system RAM run many times slower), that the runtime is {build} with a current "
        "driver, that the card sits in a full-speed PCIe slot at its full power limit, and that both ran the same "
        "model, precision and settings."
    )


def _architecture(ctx: HandlerContext, a: Answer, gpu: GPU) -> str:
    """ "Ada Lovelace, compute capability 8.9", or the architecture alone where no compute capability is known."""
    arch = value(ctx, a, gpu, "architecture")
    capability = gpu.get("compute_capability")
    return f"{arch}, compute capability {value(ctx, a, gpu, 'compute_capability')}" if capability else arch


def _faster(ctx: HandlerContext, first: GPU, second: GPU, key: str) -> tuple[GPU, float] | None:
    """The card with more of ``key``, and by how much; None when a figure is unknown."""
    mine, theirs = ctx.catalog.comparable(first, key), ctx.catalog.comparable(second, key)
    if not mine or not theirs:
        return None
    return (first, mine / theirs) if mine >= theirs else (second, theirs / mine)
