"""Image and audio models (issue 11, item 9): their own terms (denoiser, text encoders, VAE, working memory by
resolution and batch; Whisper's small decoder KV cache), the usual offload options, and no language-model terms."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.catalog import CatalogError
from bot.engine import Engine
from bot.estimator import estimate
from bot.estimator_media import Plan, working_memory_gb
from bot.handlers.fit_media import media_fixes, media_ladder
from bot.models import load_models
from bot.render import render_text

SPECS = Path(__file__).resolve().parent.parent / "specs"
MODELS = dict(load_models(SPECS))
IMAGE = sorted(m for m, spec in MODELS.items() if spec.kind == "diffusion")
GIB = 2**30


def test_every_image_model_has_its_parts() -> None:
    assert {"flux.1-dev", "sdxl-1.0", "stable-diffusion-1.5", "sd-3.5-large"} <= set(IMAGE)
    for model_id in IMAGE:
        shape = MODELS[model_id].shape
        roles = [c.role for c in shape.components]
        assert roles.count("denoiser") == 1 and roles.count("vae") == 1 and "text_encoder" in roles
        assert sum(c.params_b for c in shape.components) == pytest.approx(shape.params_b, rel=0.02)
        assert shape.resolution in (512, 1024)


def test_flux_weights_match_the_published_load_figure() -> None:
    """Diffusers' quantization post (https://huggingface.co/blog/diffusers-quantization): loading FLUX.1-dev in BF16
    takes ~31.447 GB (GiB, as torch reports it): transformer + T5-XXL + CLIP-L + VAE."""
    est = estimate(MODELS["flux.1-dev"].shape, precision="bf16")
    weights = sum(gb for name, gb in est.terms.items() if name in ("transformer weights", "text encoders", "VAE"))
    assert weights * 1e9 / GIB == pytest.approx(31.447, rel=0.02)


@pytest.mark.parametrize("model_id", ["flux.1-dev", "sdxl-1.0", "stable-diffusion-1.5", "sd-3.5-large"])
def test_no_language_model_terms(model_id: str) -> None:
    est = estimate(MODELS[model_id].shape, precision="fp16")
    assert "KV cache" not in est.terms and "weights" not in est.terms
    assert not any("token" in a for a in est.assumptions)
    assert any("1024×1024" in a or "512×512" in a for a in est.assumptions)


def test_working_memory_grows_with_resolution_and_batch() -> None:
    """InvokeAI's estimators: VAE decode 2,200 bytes x 2 per output pixel; denoise linear in latent area."""
    flux = MODELS["flux.1-dev"].shape
    denoise, decode = working_memory_gb(flux, 1024, 1)
    assert decode == pytest.approx(1024 * 1024 * 2 * 2200 / 1e9)
    denoise2, decode2 = working_memory_gb(flux, 2048, 1)
    assert decode2 == pytest.approx(4 * decode) and denoise2 > 3.5 * denoise
    _, batch4 = working_memory_gb(flux, 1024, 4)
    assert batch4 == pytest.approx(4 * decode)
    assert estimate(flux, batch=4).per_gpu_gb > estimate(flux, batch=1).per_gpu_gb


@pytest.mark.parametrize(
    ("capacity", "bf16_resident", "offload_bf16", "fp8", "nf4"),
    [
        (12.0, False, False, False, True),
        (16.0, False, False, True, True),
        (24.0, False, False, True, True),
        (48.0, True, True, True, True),
    ],
)
def test_flux_dev_by_card(capacity: float, bf16_resident: bool, offload_bf16: bool, fp8: bool, nf4: bool) -> None:
    shape = MODELS["flux.1-dev"].shape
    assert (estimate(shape, precision="bf16").verdict(capacity) != "does not fit") is bf16_resident
    ladder = {o.label.split(",")[0]: o.est.verdict(capacity) != "does not fit" for o in media_ladder(shape, "bf16")}
    assert ladder["parts taking turns on the GPU (ComfyUI's low-memory mode"] is offload_bf16
    assert ladder["FP8 transformer"] is fp8
    assert ladder["NF4 transformer (bitsandbytes 4-bit)"] is nf4


def test_is_a_16gb_card_enough_for_flux_dev(engine: Engine) -> None:
    """No in full 16-bit; yes with an FP8 or NF4 transformer and its parts taking turns: said so."""
    answer = engine.ask("is a 16 GB card enough for flux dev")
    text = render_text(answer)
    assert answer.summary.startswith("No") and "It fits with FP8 transformer" in answer.summary
    assert "NF4 transformer" in text and "Sequential CPU offload" in text
    assert "KV cache" not in text and "token" not in text.lower()


@pytest.mark.parametrize(("capacity", "fits"), [(10.0, True), (8.0, True), (5.5, False)])
def test_sdxl_fits_smaller_cards_with_its_parts_taking_turns(capacity: float, fits: bool) -> None:
    shape = MODELS["sdxl-1.0"].shape
    assert estimate(shape).verdict(capacity) == "does not fit"  # not with every part on the GPU
    _, _, offload = media_fixes(shape, "fp16", capacity)
    assert (offload is not None) is fits


def test_model_offload_peak_is_the_largest_phase() -> None:
    shape = MODELS["flux.1-dev"].shape
    est = estimate(shape, precision="fp8", media=Plan(1.0, 2.0, offload=True))
    (phase,) = (k for k in est.terms if k.startswith("peak phase"))
    assert "transformer" in phase and est.terms[phase] == pytest.approx(11.9 + working_memory_gb(shape, 1024, 1)[0])


def test_text_encoders_on_the_cpu_leave_the_gpu() -> None:
    shape = MODELS["sd-3.5-large"].shape
    resident = estimate(shape, media=Plan(2.0))
    off = estimate(shape, media=Plan(2.0, text_bpp=0.0))
    assert "text encoders" in resident.terms and "text encoders" not in off.terms
    assert any("on the CPU" in a for a in off.assumptions)


def test_whisper_is_an_encoder_decoder_with_a_small_kv_cache() -> None:
    """config.json: 32 decoder layers, d_model 1280, 448 target positions, 1500 source positions."""
    shape = MODELS["whisper-large-v3"].shape
    est = estimate(shape, precision="fp16")
    assert est.terms["KV cache"] == pytest.approx(2 * 32 * 1280 * (448 + 1500) * 2 / 1e9)
    assert est.terms["KV cache"] < 0.5
    assert estimate(shape, precision="fp16", batch=8).terms["KV cache"] == pytest.approx(8 * est.terms["KV cache"])


def _broken(specs: Path, model_id: str, change: dict[str, object]) -> None:
    path = specs / "models.yaml"
    data = yaml.safe_load(path.read_text())
    for entry in data["models"]:
        if entry["id"] == model_id:
            entry.update(change)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"components": [{"name": "UNet", "role": "denoiser", "params_b": 0.86, "width": 320, "arch": "unet"}]},
            "components",
        ),
        ({"components": [{"name": "x", "role": "refiner", "params_b": 1.07}]}, "components[0]"),
        (
            {
                "components": [
                    {"name": "UNet", "role": "denoiser", "params_b": 0.5, "width": 320, "arch": "unet"},
                    {"name": "VAE", "role": "vae", "params_b": 0.084},
                ]
            },
            "components",
        ),
        ({"resolution": None}, "resolution"),
        ({"components": None}, "components"),
    ],
)
def test_component_errors_name_the_entry_and_field(specs_copy: Path, change: dict[str, object], field: str) -> None:
    _broken(specs_copy, "stable-diffusion-1.5", change)
    with pytest.raises(CatalogError) as err:
        load_models(specs_copy)
    assert "stable-diffusion-1.5" in str(err.value) and field in str(err.value)
