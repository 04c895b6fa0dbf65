"""llama.cpp's I-quants and K-quant _S/_L mixes: understood by name, weighed like the published files.

The bits per weight of each mix come from one model's files (Llama-3.1-70B-Instruct, bot/estimator.py); here the
formula meets the published files of other models (each listing's URL beside it): dense and MoE, 7B to 72B, with
and without tied embeddings. Qwen2.5-72B is weighed without its recorded sizes, so that its FFN width (no multiple of
256: ffn_down in llama.cpp's fallback type) is checked too.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from bot.engine import Engine
from bot.estimator import BYTES_PER_PARAM, PRECISION_NAMES
from bot.estimator_weights import GGUF_MIXES, weights_bytes

#: Published file sizes in GB (decimal, as Hugging Face lists them; exact bytes / 1e9 where the listing had them).
PUBLISHED: dict[str, dict[str, float]] = {
    # qwen2.5-72b:
    #   https://huggingface.co/ThomasBaruzier/Qwen2.5-72B-Instruct-GGUF/tree/f865ba036f8e9f50db25120ce476ca0997dca487
    #   https://huggingface.co/bartowski/Qwen2.5-72B-Instruct-GGUF/blob/main/README.md
    #   https://huggingface.co/mradermacher/Qwen2.5-72B-i1-GGUF/tree/b16b88bc512839dad5756edb48436e763d726390
    "qwen2.5-72b": {
        "iq4_xs": 39.71,
        "q3_k_l": 39.51,
        "iq3_m": 35.5,
        "q3_k_s": 34.49,
        "iq3_xxs": 31.85,
        "iq2_m": 29.34,
        "iq2_xs": 27.06,
        "iq2_xxs": 25.49,
        "iq1_m": 23.74,
        "iq1_s": 22.7,
        "iq2_s": 27.9,
        "q4_k_s": 43.9,
    },
    # qwen2.5-32b:
    #   https://huggingface.co/bartowski/Qwen2.5-32B-Instruct-GGUF/blob/main/README.md
    #   https://huggingface.co/mradermacher/Qwen2.5-32B-i1-GGUF/tree/2b937553736f9fea0f27c345f50aeef5bd323ac0
    "qwen2.5-32b": {
        "q5_k_s": 22.64,
        "q4_k_s": 18.78,
        "iq4_xs": 17.69,
        "q3_k_l": 17.25,
        "iq3_m": 14.81,
        "q3_k_s": 14.39,
        "iq3_xs": 13.71,
        "iq2_m": 11.26,
        "iq2_s": 10.39,
        "iq2_xs": 9.96,
        "iq2_xxs": 9.03,
        "iq1_m": 7.93,
        "iq1_s": 7.27,
        "iq3_xxs": 12.8,
    },
    # deepseek-r1-distill-qwen-32b:
    #   https://huggingface.co/bartowski/DeepSeek-R1-Distill-Qwen-32B-GGUF/blob/main/README.md
    "deepseek-r1-distill-qwen-32b": {
        "q5_k_s": 22.64,
        "q4_k_s": 18.78,
        "iq4_nl": 18.68,
        "iq4_xs": 17.69,
        "q3_k_l": 17.25,
        "iq3_m": 14.81,
        "q3_k_s": 14.39,
        "iq3_xs": 13.71,
        "iq2_m": 11.26,
        "iq2_s": 10.39,
        "iq2_xs": 9.96,
        "iq2_xxs": 9.03,
    },
    # qwen2.5-14b:
    #   https://huggingface.co/ThomasBaruzier/Qwen2.5-14B-Instruct-GGUF/tree/626764e83bcab8f5b114f26b2b347107559544e1
    #   https://huggingface.co/bartowski/Qwen2.5-14B-Instruct-GGUF/tree/3123eb58af0f324e250e520adf266ad976928c0b
    #   https://huggingface.co/bartowski/Qwen2.5-14B-Instruct-GGUF/tree/fd8477e12616e5d31bc1ad797fa7bccb36cd565b
    "qwen2.5-14b": {
        "iq2_m": 5.36,
        "iq3_m": 6.92,
        "iq3_xs": 6.38,
        "iq4_xs": 8.12,
        "q3_k_l": 7.92,
        "q4_k_s": 8.57,
        "iq1_m": 3.87,
        "iq2_s": 5,
        "iq2_xs": 4.7,
        "iq2_xxs": 4.31,
        "iq3_xxs": 5.95,
        "iq1_s": 3.61,
        "q3_k_s": 6.66,
    },
    # qwen2.5-7b:
    #   https://huggingface.co/bartowski/Qwen2.5-7B-Instruct-GGUF/blob/8911e8a47f92bac19d6f5c64a2e2095bd2f7d031/Qwen2.5-7B-Instruct-IQ2_M.gguf
    #   https://huggingface.co/bartowski/Qwen2.5-7B-Instruct-GGUF/tree/067b657abca4e05ed5ce885d18b574d0106ec0a6
    #   https://huggingface.co/mradermacher/Qwen2.5-7B-i1-GGUF/tree/6c2aa075622ffcaa48ba1f7687f5a262451af4c4
    "qwen2.5-7b": {
        "iq3_m": 3.57,
        "iq4_xs": 4.22,
        "q3_k_l": 4.09,
        "q3_k_s": 3.49,
        "iq2_m": 2.78,
        "iq3_xs": 3.35,
        "iq1_m": 2.04,
        "iq1_s": 1.9,
        "iq2_s": 2.6,
        "iq2_xs": 2.47,
        "iq2_xxs": 2.27,
        "iq3_xxs": 3.11,
        "q4_k_s": 4.46,
    },
    # llama-3.1-8b:
    #   https://huggingface.co/bartowski/Meta-Llama-3.1-8B-Instruct-GGUF/tree/bf5b95e96dac0462e2a09145ec66cae9a3f12067
    #   https://huggingface.co/mradermacher/Meta-Llama-3.1-8B-Instruct-i1-GGUF/tree/main
    "llama-3.1-8b": {
        "iq2_m": 2.948,
        "iq3_m": 3.785,
        "iq3_xs": 3.519,
        "iq4_nl": 4.678,
        "iq4_xs": 4.448,
        "q3_k_l": 4.322,
        "q3_k_s": 3.665,
        "q4_k_s": 4.693,
        "q5_k_s": 5.599,
        "iq1_m": 2.16,
        "iq1_s": 2.02,
        "iq2_s": 2.76,
        "iq2_xs": 2.61,
        "iq2_xxs": 2.4,
        "iq3_xxs": 3.27,
    },
    # mistral-small-3:
    #   https://huggingface.co/bartowski/Mistral-Small-24B-Instruct-2501-GGUF/tree/b1ac6b321fde62389df753f3be9649d08f05544b
    #   https://huggingface.co/bartowski/Mistral-Small-24B-Instruct-2501-GGUF/tree/c0ff4679bbb7162aee7feb284e8fd363223a9873
    #   https://huggingface.co/bartowski/mistralai_Mistral-Small-24B-Base-2501-GGUF/tree/43e3e07c0ea11c57165dba5995e734c6b8955863
    "mistral-small-3": {
        "iq3_m": 10.7,
        "iq4_nl": 13.5,
        "iq4_xs": 12.8,
        "q3_k_l": 12.4,
        "q5_k_s": 16.3,
        "q4_k_s": 13.5,
        "q3_k_s": 10.4,
        "iq3_xs": 9.91,
    },
    # gemma-2-27b:
    #   https://huggingface.co/duyntnet/gemma-2-27b-it-imatrix-GGUF/commits/main
    #   https://huggingface.co/duyntnet/gemma-2-27b-it-imatrix-GGUF/tree/079cbab5a654cbfa46de8bceefe109ecfdde2c47
    "gemma-2-27b": {
        "iq1_m": 6.69,
        "iq1_s": 6.13,
        "iq2_m": 9.4,
        "iq2_s": 8.65,
        "iq2_xs": 8.4,
        "iq2_xxs": 7.63,
        "iq3_m": 12.5,
        "iq3_xs": 11.6,
        "iq3_xxs": 10.8,
        "iq4_nl": 15.6,
        "iq4_xs": 14.8,
        "q3_k_l": 14.5,
        "q3_k_s": 12.169,
        "q5_k_s": 18.884,
    },
    # qwen3-30b-a3b:
    #   https://huggingface.co/unsloth/Qwen3-30B-A3B-GGUF/tree/d5b1d57bd0b504ac62ae6c725904e96ef228dc74
    "qwen3-30b-a3b": {"iq4_nl": 17.311, "iq4_xs": 16.378, "q3_k_s": 13.292, "q4_k_s": 17.456, "q5_k_s": 21.081},
    # qwen3-32b:
    #   https://huggingface.co/bartowski/Qwen_Qwen3-32B-GGUF/blob/main/README.md
    "qwen3-32b": {
        "q5_k_s": 22.64,
        "q4_k_s": 18.77,
        "iq4_nl": 18.68,
        "iq4_xs": 17.69,
        "q3_k_l": 17.33,
        "iq3_m": 14.93,
        "q3_k_s": 14.39,
        "iq3_xs": 13.7,
        "iq3_xxs": 12.82,
        "iq2_m": 11.36,
        "iq2_s": 10.51,
    },
    # mixtral-8x7b:
    #   https://huggingface.co/mradermacher/Mixtral-8x7B-Instruct-v0.1-i1-GGUF/tree/2ab74ce96e16124c1972f4682a478b0dac6a7669
    #   https://huggingface.co/mradermacher/Mixtral-8x7B-Instruct-v0.1-i1-GGUF/tree/563a3d964a19f82310f5d4b26211a50cfe1a23e5
    #   https://huggingface.co/mradermacher/Mixtral-8x7B-v0.1-GGUF/tree/main
    "mixtral-8x7b": {
        "iq1_s": 9.71,
        "iq2_m": 15.7,
        "iq2_s": 14.3,
        "iq2_xs": 13.8,
        "iq2_xxs": 12.5,
        "iq3_m": 21.6,
        "iq3_xs": 19.4,
        "iq3_xxs": 18.5,
        "iq4_nl": 26.7,
        "iq4_xs": 25.2,
        "q3_k_l": 24.3,
        "q3_k_s": 20.6,
        "q4_k_s": 26.9,
        "q5_k_s": 32.2,
    },
}
#: How close the formula comes: within 4.5% for every file (IQ1 files of 8-14B models run about 4% over it), and
#: within 2% for most.
WITHIN = 0.045


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize("model_id", sorted(PUBLISHED))
def test_the_formula_weighs_the_published_files(engine: Engine, model_id: str) -> None:
    shape = dataclasses.replace(engine.models[model_id].shape, file_gb=())  # the formula, not a recorded size
    errors = {}
    for precision, published in PUBLISHED[model_id].items():
        estimated = weights_bytes(shape, precision, BYTES_PER_PARAM, PRECISION_NAMES)[0] / 1e9
        errors[precision] = estimated / published - 1
    assert all(abs(e) <= WITHIN for e in errors.values()), {p: f"{e:+.1%}" for p, e in errors.items()}


def test_most_files_are_within_two_percent(engine: Engine) -> None:
    errors: list[float] = []
    for model_id, sizes in PUBLISHED.items():
        shape = dataclasses.replace(engine.models[model_id].shape, file_gb=())
        errors += [
            weights_bytes(shape, p, BYTES_PER_PARAM, PRECISION_NAMES)[0] / 1e9 / gb - 1 for p, gb in sizes.items()
        ]
    assert sum(abs(e) <= 0.02 for e in errors) >= 0.75 * len(errors)


def test_a_wide_ffn_is_stored_in_the_fallback_type(engine: Engine) -> None:
    """Qwen2.5-72B's 29,568-wide FFN: without the fallback its IQ2_XXS file would weigh 19.7 GB, not 25.5."""
    shape = dataclasses.replace(engine.models["qwen2.5-72b"].shape, file_gb=())
    gb, how = weights_bytes(shape, "iq2_xxs", BYTES_PER_PARAM, PRECISION_NAMES)
    assert gb / 1e9 == pytest.approx(25.49, rel=0.01) and "fallback" in how
    dense = dataclasses.replace(engine.models["qwen2.5-32b"].shape, file_gb=())  # 27,648 = 108 x 256
    assert "fallback" not in weights_bytes(dense, "iq2_xxs", BYTES_PER_PARAM, PRECISION_NAMES)[1]


@pytest.mark.parametrize(
    ("question", "precision"),
    [
        ("can I run llama 3 70b IQ4_XS on a 3090 and a 3060 12gb?", "iq4_xs"),
        ("qwen2.5 72b iq2_xxs on a 24gb card?", "iq2_xxs"),
        ("llama 3.3 70b iq2_xs on a 3090", "iq2_xs"),
        ("will the IQ2_M of llama 3.1 70b fit in 24gb vram", "iq2_m"),
        ("mistral small 24b q4_k_s on a 16gb card", "q4_k_s"),
        ("gemma 2 27b IQ3_M on a 4080", "iq3_m"),
        ("qwen2.5 32b Q3_K_L, 4090?", "q3_k_l"),
        ("is qwen2.5-14b-instruct-IQ4_NL.gguf ok for a 12gb 3060", "iq4_nl"),
        ("deepseek r1 distill qwen 32b iq3_xxs on my 16gb 4060 ti", "iq3_xxs"),
        ("llama 3.1 8b Q5_K_S on a 3060 8gb", "q5_k_s"),
    ],
)
def test_the_mix_named_is_the_one_answered(engine: Engine, question: str, precision: str) -> None:
    answer = engine.ask(question)
    assert answer.fit is not None and answer.fit["precision"] == precision, (question, answer.fit)
    assert PRECISION_NAMES[precision] in answer.summary, answer.summary
    assert "No precision was asked" not in " ".join(answer.bullets), answer.bullets


def test_every_mix_has_a_name_a_size_and_a_spelling(engine: Engine) -> None:
    spelled = set(engine.parser.lexicon.precisions.meaning.values())
    for precision in GGUF_MIXES:
        assert precision in BYTES_PER_PARAM and precision in spelled
        assert PRECISION_NAMES[precision] == precision.upper()


_BELOW = re.compile(r"only below 3 bits: in (IQ2_\w+) it needs about ([\d.]+) GB")


@pytest.mark.parametrize(
    ("question", "offered"),
    [
        ("can I run llama 3 70b on my 3090?", "IQ2_XS"),
        ("llama 3.3 70b on a 4090", "IQ2_XS"),
        ("will llama 3.1 70b run on a 24gb card", "IQ2_XS"),
        ("qwen2.5 72b on a 4090", None),  # its IQ2_XXS file (25.5 GB) does not fit 24 GB either
        ("llama 3 70b q4_k_m on a 3090", None),  # a precision named is answered as asked
        ("llama 3 70b on a 3090 with vllm", None),  # vLLM loads no I-quants
        ("can i run llama 3 8b on a 3090", None),  # it fits
    ],
)
def test_a_2_bit_i_quant_is_offered_only_when_nothing_else_fits(engine: Engine, question: str, offered: str) -> None:
    answer = engine.ask(question)
    found = [m for line in answer.bullets if (m := _BELOW.search(line))]
    assert [m.group(1) for m in found] == ([offered] if offered else []), (question, answer.bullets)
    for m in found:
        assert answer.fit is not None and float(m.group(2)) <= answer.fit["usable_gb"], answer.fit
