"""The parts of an image or audio model (``specs/models.yaml``): ``components``, ``resolution``, ``encoder_positions``.

Image pipelines are costed by their parts (:mod:`bot.estimator_media`): the denoiser (UNet or diffusion
transformer), the text encoders (CLIP-L, OpenCLIP bigG, T5-XXL) and the VAE, each with its parameter count from the
model card or config. Validated at load: every part has a known role and a positive size, a diffusion model has
exactly one denoiser and a VAE, and the parts add up to the model's ``params_b`` (within 2%). Errors name file,
entry and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.catalog import CatalogError
from bot.estimator_shapes import Component

__all__ = ["ARCHS", "FIELDS", "ROLES", "media_fields"]

ROLES = ("denoiser", "text_encoder", "vae")
ARCHS = ("unet", "sd3", "dit")
FIELDS = ("components", "resolution", "encoder_positions")
_SUM_TOLERANCE = 0.02


def _component(raw: Any, path: Path, name: str, i: int) -> Component:
    where = f"components[{i}]"
    if not isinstance(raw, dict) or set(raw) - {"name", "role", "params_b", "width", "arch"}:
        raise CatalogError(
            path, "each component is a mapping of name, role, params_b (width, arch)", entry=name, field=where
        )
    role, size, label = raw.get("role"), raw.get("params_b"), raw.get("name")
    width, arch = raw.get("width"), raw.get("arch")
    if role == "denoiser" and (
        arch not in ARCHS or isinstance(width, bool) or not isinstance(width, int) or width <= 0
    ):
        raise CatalogError(
            path, f"a denoiser needs `width` (a positive whole number) and `arch` in {ARCHS}", entry=name, field=where
        )
    if role not in ROLES:
        raise CatalogError(path, f"`role` must be one of {ROLES}, got {role!r}", entry=name, field=where)
    if isinstance(size, bool) or not isinstance(size, int | float) or size <= 0:
        raise CatalogError(path, f"`params_b` must be a positive number, got {size!r}", entry=name, field=where)
    if not isinstance(label, str) or not label.strip():
        raise CatalogError(path, "`name` must be a non-empty string", entry=name, field=where)
    return Component(label.strip(), str(role), float(size), width, arch)


def _components(raw: dict[str, Any], path: Path, name: str, params_b: float) -> tuple[Component, ...]:
    items = raw.get("components")
    if items is None:
        if raw.get("kind") == "diffusion":
            raise CatalogError(path, "an image model needs its `components`", entry=name, field="components")
        return ()
    if not isinstance(items, list) or not items:
        raise CatalogError(path, "must be a non-empty list", entry=name, field="components")
    parts = tuple(_component(item, path, name, i) for i, item in enumerate(items))
    roles = [p.role for p in parts]
    if roles.count("denoiser") != 1 or roles.count("vae") != 1:
        raise CatalogError(path, "needs exactly one denoiser and one vae", entry=name, field="components")
    total = sum(p.params_b for p in parts)
    if abs(total - params_b) > _SUM_TOLERANCE * params_b:
        raise CatalogError(
            path, f"components add up to {total:g}B, not params_b {params_b:g}B", entry=name, field="components"
        )
    return parts


def _positive_int(raw: dict[str, Any], key: str, path: Path, name: str) -> int | None:
    value = raw.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise CatalogError(path, f"expected a positive whole number, got {value!r}", entry=name, field=key)
    return value


def media_fields(raw: dict[str, Any], path: Path, name: str, params_b: float) -> dict[str, Any]:
    """``components``, ``resolution`` and ``encoder_positions`` of one model entry, validated, as
    :class:`~bot.estimator_shapes.ModelShape` keyword arguments."""
    resolution = _positive_int(raw, "resolution", path, name)
    if raw.get("kind") == "diffusion" and resolution is None:
        raise CatalogError(path, "an image model needs its native `resolution`", entry=name, field="resolution")
    return {
        "kind": str(raw.get("kind") or "llm"),
        "components": _components(raw, path, name, params_b),
        "resolution": resolution,
        "encoder_positions": _positive_int(raw, "encoder_positions", path, name),
    }
