"""Training an image model (an SDXL or FLUX LoRA): its activations depend on the resolution, the batch and gradient
checkpointing, which the estimator does not size. The estimate leaves the term out rather than showing 0.0 GB, says
so, and the answer does not claim more than the weights' fit; a language model's activations are still estimated."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.estimator import estimate


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(("model_id", "mode"), [("sdxl-1.0", "lora"), ("flux.1-dev", "qlora"), ("flux.1-dev", "full")])
def test_an_image_model_training_estimate_is_a_floor(engine: Engine, model_id: str, mode: str) -> None:
    est = estimate(engine.models[model_id].shape, mode=mode)  # type: ignore[arg-type]
    assert "activations" not in est.terms and est.floor
    assert any(a.startswith("activations not estimated") for a in est.assumptions)


def test_a_language_model_training_estimate_counts_its_activations(engine: Engine) -> None:
    est = estimate(engine.models["llama-3-8b"].shape, mode="qlora")
    assert est.terms["activations"] > 0 and not est.floor


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("can i train sdxl lora on 8gb", "Yes for all but the activations"),
        ("can i train an sdxl lora on a 4090", "Yes for all but the activations"),
        ("flux dev lora training on a 12gb 3060?", "No"),
    ],
)
def test_the_answer_claims_no_more_than_it_sized(engine: Engine, question: str, lead: str) -> None:
    answer = engine.ask(question)
    assert answer.summary.startswith(lead), answer.summary
    assert "activations 0.0 GB" not in answer.summary
