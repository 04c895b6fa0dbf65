"""Libraries asked about by name (specs/libraries.yaml): the software answer leads with what the library says about
each card, from its own documentation, rather than only that CUDA (or ROCm) supports the card."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog import Catalog, CatalogError
from bot.catalog_extras import load_libraries
from bot.engine import Engine

FLASH = [
    ("support for Quadro RTX 8000? flash attention 2 not?", "does not support Turing"),
    ("FlashAttention only supports Ampere GPUs or newer. Can it work on 2080Ti?", "does not support Turing"),
    ("does flash-attn 2 work on a T4?", "does not support Turing"),
    ("flash attention on my rtx 3090?", "supported by FlashAttention-2"),
    ("is flashattention2 supported on the 4090", "supported by FlashAttention-2"),
    ("can the RTX A6000 use flash attention 2", "supported by FlashAttention-2"),
    ("flash attn on a V100 32gb?", "neither FlashAttention-2"),
    ("p40 flash attention support?", "neither FlashAttention-2"),
    ("does flash attention 2 run on an MI250?", "ROCm build for AMD Instinct"),
    ("flash attention on my 7900 xtx?", "targets Instinct"),
    ("flash attention on an arc a770?", "NVIDIA (CUDA) and AMD Instinct (ROCm) GPUs only"),
    ("FA2 not working on 2080 ti 22gb, is it supported?", "does not support Turing"),
]


@pytest.mark.parametrize(("question", "says"), FLASH)
def test_flash_attention_support_leads(engine: Engine, question: str, says: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "faq"
    assert says in answer.summary
    assert "https://github.com/Dao-AILab/flash-attention" in answer.sources


VLLM = [
    ("does vllm support the P100?", "below vLLM's minimum"),
    ("vllm on a tesla p40?", "below vLLM's minimum"),
    ("can I use vllm with a V100?", "use an older release"),
    ("vllm on a T4 supported?", "supported by vLLM"),
    ("does vllm run on the rtx 3090", "supported by vLLM"),
    ("vllm support for the 7900 xtx?", "ROCm build lists"),
    ("is the MI300X supported by vllm", "ROCm build lists"),
    ("does vllm work on an RX 6800?", "not among vLLM's ROCm GPUs"),
    ("vllm on intel arc b580?", "Intel Data Center GPU and Arc GPUs"),
    ("vLLM doesn't work on my 1080 ti, is it supported?", "below vLLM's minimum"),
]


@pytest.mark.parametrize(("question", "says"), VLLM)
def test_vllm_support_leads(engine: Engine, question: str, says: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "faq"
    assert says in answer.summary


def test_a_card_question_without_a_library_keeps_the_stack_answer(engine: Engine) -> None:
    answer = engine.ask("does pytorch support the 2080 ti?")
    assert "FlashAttention" not in answer.summary
    assert "compute capability 7.5" in answer.summary


def test_every_rule_fills_from_catalog_fields(catalog: Catalog, engine: Engine) -> None:
    for lib in catalog.libraries:
        for gpu in catalog.gpus.values():
            if lib.rule_for(gpu) is not None:
                answer = engine.ask(f"does {lib.name} run on the {gpu.name}?")
                assert "{" not in answer.summary, (lib.id, gpu.id, answer.summary)
                break


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "libraries: [{id: x, name: X, names: [x], support: [{vendor: NVIDIA, text: '{nope}'}], sources: [u]}]",
            "unknown placeholder",
        ),
        (
            "libraries: [{id: x, name: X, names: [x], support: [{vendor: NVIDIA, text: t, "
            "compute_capability_at_least: eight}], sources: [u]}]",
            "compute capability",
        ),
        ("libraries: [{id: x, name: X, names: [x], support: [{vendor: NVIDIA, text: t}]}]", "sources"),
        ("libraries: [{id: x, name: X, support: [{vendor: NVIDIA, text: t}], sources: [u]}]", "names"),
    ],
)
def test_a_bad_library_file_names_the_problem(catalog: Catalog, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "libraries.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        load_libraries(path, catalog.fields)


# -- a floating-point format named in a software question: whether the card's tensor units compute it ------------

FORMATS_IN_SOFTWARE = [
    (
        "bfloat16 is only supported on GPUs with compute capability of at least 8.0, so my V100 32gb should not "
        "support bfloat16? what is the situation",
        "BF16: no",
    ),
    (
        "I tested on the 3090 and found that FP8 quantization fails to accelerate the model, can you extend support?",
        "FP8: no",
    ),
    ("ValueError: Bfloat16 is only supported on compute capability 8.0, your Tesla T4 has 7.5", "BF16: no"),
    ("RuntimeError: current CUDA device does not support bfloat16 on my 2080 ti", "BF16: no"),
    ("fp8 not supported error with vllm on an A100 80gb sxm, is fp8 supported at all?", "FP8: no"),
    ("does transformer engine fp8 work on a 4090? getting not supported", "FP8: yes"),
    ("bf16 training not supported on my P100 16gb with pytorch, why?", "BF16: no"),
    ("nvfp4 models are not supported on my rtx 4090 in vllm?", "FP4: no"),
    ("tf32 is not supported on my V100 sxm2 32gb in pytorch?", "TF32: no"),
    ("fp8 kv cache not supported on an L40S with vllm?", "FP8: yes"),
]


@pytest.mark.parametrize(("question", "says"), FORMATS_IN_SOFTWARE)
def test_a_format_named_in_a_software_question_is_answered(engine: Engine, question: str, says: str) -> None:
    answer = engine.ask(question)
    assert answer.intent in ("faq", "lookup")  # the software answer leading with it, or the format look-up itself
    assert says in answer.summary


# -- something asked to run on a vendor's GPUs, no card named: that vendor's software -----------------------------

ON_PLATFORM = [
    ("how to use stable diffusion on amd in windows 10?", "AMD"),
    ("is there a way to run stable diffusion for AMD?", "AMD"),
    ("can I run llama on an amd gpu", "AMD"),
    ("ollama on intel arc?", "Intel"),
    ("does comfyui work on amd?", "AMD"),
    ("is there any way to use sdxl with amd gpus", "AMD"),
    ("can whisper run on intel arc gpus?", "Intel"),
    ("running mistral 7b on amd, how?", "AMD"),
    ("flux dev on an amd card, is it possible?", "AMD"),
    ("how do I run llms on intel arc", "Intel"),
]


@pytest.mark.parametrize(("question", "vendor"), ON_PLATFORM)
def test_run_on_a_vendor_is_that_vendors_software(engine: Engine, question: str, vendor: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "faq"
    assert answer.title == f"What AI software runs on {vendor} GPUs?"


@pytest.mark.parametrize(
    "question", ["cuda vs rocm?", "which amd card for stable diffusion", "best amd gpu under $600 for llms"]
)
def test_weighing_stacks_or_picking_a_card_is_not_one_vendors_software(engine: Engine, question: str) -> None:
    assert engine.ask(question).title not in ("What AI software runs on AMD GPUs?",)
