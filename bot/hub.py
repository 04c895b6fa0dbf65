"""Looking models up on the Hugging Face Hub, with an on-disk cache.

``huggingface_hub`` is imported only when a lookup reaches the network, so starting ``gpubot`` costs nothing. It
honours ``HF_ENDPOINT`` (tests point it at a fake Hub on loopback). A lookup makes two or three requests:

* ``GET /api/models/{repo}?blobs=true`` (``HfApi.model_info(files_metadata=True)``): the safetensors metadata's
  parameter count per dtype, whether the repository is gated, its base model, and every file with its size;
* ``GET /{repo}/resolve/main/config.json``: the architecture;
* for a GGUF repository, which has no config.json, the same two for its base model.

Results are kept as JSON in the user cache directory (``$GPUBOT_CACHE/hub``; ``GPUBOT_CACHE=0`` turns it off) for
``GPUBOT_HUB_TTL`` seconds (a week); a stale entry still answers when the Hub cannot be reached, and says its date.
A read-only cache is used as it is. ``HF_TOKEN`` is sent to the Hub only, never logged or stored.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from bot.config import user_dir
from bot.hub_model import HubRecord

__all__ = ["Failure", "HubClient", "HubResult", "HubSettings", "RedactToken"]

log = logging.getLogger(__name__)

Failure = Literal["unreachable", "not_found", "gated", "not_a_model"]
DEFAULT_TTL = 7 * 24 * 3600
DOWN_SECONDS = 60.0  # how long an unreachable Hub is not asked again
_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")


class RedactToken(logging.Filter):
    """Replaces the Hub token in every log record, whatever logged it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token and self.token in message:
            record.msg, record.args = message.replace(self.token, "[HF_TOKEN]"), None
        return True


@dataclass(frozen=True, slots=True)
class HubSettings:
    endpoint: str = "https://huggingface.co"
    token: str | None = None
    offline: bool = False
    cache: Path | None = None
    ttl: float = DEFAULT_TTL
    timeout: float = 10.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> HubSettings:
        env = dict(os.environ) if env is None else env
        configured = env.get("GPUBOT_CACHE")
        if configured is not None:
            cache = Path(configured) / "hub" if configured.strip() not in ("", "0") else None
        else:
            cache = user_dir("cache") / "hub"
        try:
            ttl = float(env.get("GPUBOT_HUB_TTL", DEFAULT_TTL))
        except ValueError:
            ttl = DEFAULT_TTL
        token = (env.get("HF_TOKEN") or env.get("HUGGING_FACE_HUB_TOKEN") or "").strip() or None
        return cls(
            endpoint=(env.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/"),
            token=token,
            offline=env.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"),
            cache=cache,
            ttl=ttl,
        )


@dataclass(frozen=True, slots=True)
class HubResult:
    """A lookup: the record (fresh or cached), or why there is none; ``saved`` is when a cached record was fetched."""

    repo_id: str
    record: HubRecord | None = None
    failure: Failure | None = None
    detail: str = ""
    saved: float | None = None
    stale: bool = False


class HubClient:
    """Looks repositories up (blocking: front ends call :meth:`lookup` off their event loop)."""

    def __init__(self, settings: HubSettings | None = None, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings or HubSettings.from_env()
        self.clock = clock
        self._down_until = 0.0  # after the Hub could not be reached, further lookups fail at once for a while
        self._down_why = ""
        if self.settings.token:
            for handler in logging.getLogger().handlers:
                handler.addFilter(RedactToken(self.settings.token))

    # -- the cache ---------------------------------------------------------------------------

    def _path(self, kind: str, key: str) -> Path | None:
        folder = self.settings.cache
        return folder / f"{kind}-{re.sub(r'[^A-Za-z0-9_.-]+', '--', key.lower())}.json" if folder else None

    def cached(self, kind: str, key: str) -> tuple[Any, float] | None:
        path = self._path(kind, key)
        if path is None:
            return None
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            raw = json.loads(path.read_text(encoding="utf-8"))
            return raw["value"], float(raw["saved"])
        return None

    def save(self, kind: str, key: str, value: Any) -> None:
        path = self._path(kind, key)
        if path is None:
            return
        try:  # a read-only or full cache is no failure: the next lookup asks the Hub again
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"saved": self.clock(), "value": value}), encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:
            log.debug("hub cache not written (%s)", type(exc).__name__)

    # -- lookups -----------------------------------------------------------------------------

    def lookup(self, repo_id: str) -> HubResult:
        """The repository's record: from the cache while fresh, else from the Hub, else a stale cached copy."""
        if not _REPO.match(repo_id):
            return HubResult(repo_id, failure="not_found", detail="not a repository id")
        hit = self.cached("model", repo_id)
        if hit is not None and self.clock() - hit[1] < self.settings.ttl:
            return HubResult(repo_id, HubRecord.from_json(hit[0]), saved=hit[1])
        if self.settings.offline:
            return self._stale(repo_id, hit, "HF_HUB_OFFLINE is set")
        try:
            record = self._fetch(repo_id)
        except _Failed as failed:
            if failed.kind == "unreachable":
                return self._stale(repo_id, hit, failed.detail)
            return HubResult(repo_id, failed.record, failure=failed.kind, detail=failed.detail)
        self.save("model", repo_id, record.to_json())
        return HubResult(repo_id, record)

    def _stale(self, repo_id: str, hit: tuple[Any, float] | None, why: str) -> HubResult:
        if hit is not None:
            return HubResult(repo_id, HubRecord.from_json(hit[0]), saved=hit[1], stale=True, detail=why)
        return HubResult(repo_id, failure="unreachable", detail=why)

    def _fetch(self, repo_id: str) -> HubRecord:
        info = self._call(lambda api: api.model_info(repo_id, files_metadata=True, timeout=self.settings.timeout))
        files = {s.rfilename: s.size for s in info.siblings or () if s.size is not None}
        names = {s.rfilename for s in info.siblings or ()}
        canonical = str(getattr(info, "id", None) or repo_id)
        st = info.safetensors
        if "config.json" in names or (not names and st is not None):
            record = HubRecord(
                canonical, info.sha, info.gated, None, dict(st.parameters) if st else {}, st.total if st else None
            )
            try:
                return replace(record, config=self._config(canonical))
            except _Failed as failed:
                failed.record = record  # a gated repository's metadata is public: its parameter count is known
                raise
        ggufs = {n: b for n, b in files.items() if n.lower().endswith(".gguf")}
        if not ggufs:
            raise _Failed("not_a_model", "it has neither config.json nor GGUF files")
        base = _base_model(info, canonical)
        if base is None:
            why = "its model card names no base model to read the architecture from"
            return HubRecord(canonical, info.sha, info.gated, None, {}, None, ggufs, note=why)
        try:
            base_info = self._call(lambda api: api.model_info(base, timeout=self.settings.timeout))
            config = self._config(base)
        except _Failed as failed:
            if failed.kind == "unreachable":
                raise
            why = "is gated (HF_TOKEN needs access to it)" if failed.kind == "gated" else "could not be read"
            note = f"its architecture comes from {base}, which {why}"
            return HubRecord(canonical, info.sha, info.gated, None, {}, None, ggufs, base, note=note)
        bst = base_info.safetensors
        params = dict(bst.parameters) if bst else {}
        return HubRecord(canonical, info.sha, info.gated, config, params, bst.total if bst else None, ggufs, base)

    def _config(self, repo_id: str) -> dict[str, Any]:
        from huggingface_hub import get_session, hf_hub_url, hf_raise_for_status

        def get() -> dict[str, Any]:
            url = hf_hub_url(repo_id, "config.json", endpoint=self.settings.endpoint)
            response = get_session().get(
                url, headers=self._headers(), timeout=self.settings.timeout, follow_redirects=True
            )
            hf_raise_for_status(response)
            data = response.json()
            if not isinstance(data, dict):
                raise _Failed("not_a_model", "its config.json is not a JSON object")
            return {str(k): v for k, v in data.items()}

        config: dict[str, Any] = self._call(lambda _api: get())
        return config

    def _headers(self) -> dict[str, str]:
        token = self.settings.token
        return {"authorization": f"Bearer {token}"} if token else {}

    def _call(self, do: Callable[[Any], Any]) -> Any:
        """Runs ``do(HfApi)``, turning the library's errors into the failures an answer explains."""
        if self.clock() < self._down_until:  # a batch of questions waits for one timeout, not one each
            raise _Failed("unreachable", self._down_why)
        from huggingface_hub import HfApi
        from huggingface_hub.errors import GatedRepoError, HfHubHTTPError, RepositoryNotFoundError

        api = HfApi(endpoint=self.settings.endpoint, token=self.settings.token or False)
        try:
            return do(api)
        except _Failed:
            raise
        except GatedRepoError as exc:
            raise _Failed("gated", "gated") from exc
        except RepositoryNotFoundError as exc:
            raise _Failed("not_found", "no such repository (or a private one)") from exc
        except HfHubHTTPError as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in (401, 403):
                raise _Failed("gated", f"HTTP {status}") from exc
            raise _Failed("unreachable", f"the Hub answered HTTP {status}") from exc
        except Exception as exc:  # connection refused, DNS, timeouts: the library's transport errors vary
            log.info("hub lookup failed: %s", type(exc).__name__)
            self._down_until, self._down_why = self.clock() + DOWN_SECONDS, type(exc).__name__
            raise _Failed("unreachable", type(exc).__name__) from exc

    def search(self, text: str, limit: int = 5) -> list[tuple[str, int]] | None:
        """Repositories whose id matches ``text``, most downloaded first: ``(repo id, downloads)``; None when the
        Hub cannot be reached (a cached search answers for its expiry)."""
        key = " ".join(text.lower().split())
        hit = self.cached("search", key)
        if hit is not None and (self.clock() - hit[1] < self.settings.ttl or self.settings.offline):
            return [(str(r), int(d)) for r, d in hit[0]]
        if self.settings.offline:
            return None

        def run(_api: Any) -> list[tuple[str, int]]:
            # GET /api/models?search=..., the request HfApi.list_models makes, sent once: list_models retries a
            # failed connection five times over some 20 s, too long for a question waiting for its answer.
            from huggingface_hub import get_session, hf_raise_for_status

            params = {"search": key, "sort": "downloads", "direction": "-1", "limit": str(limit)}
            response = get_session().get(
                f"{self.settings.endpoint}/api/models",
                params=params,
                headers=self._headers(),
                timeout=self.settings.timeout,
            )
            hf_raise_for_status(response)
            found = response.json()
            if not isinstance(found, list):
                return []
            return [(str(m["id"]), int(m.get("downloads") or 0)) for m in found if isinstance(m, dict) and "id" in m]

        try:
            results: list[tuple[str, int]] = self._call(run)
        except _Failed:
            return [(str(r), int(d)) for r, d in hit[0]] if hit is not None else None
        self.save("search", key, results)
        return results


class _Failed(Exception):
    def __init__(self, kind: Failure, detail: str) -> None:
        super().__init__(detail)
        self.kind: Failure = kind
        self.detail = detail
        self.record: HubRecord | None = None


def _base_model(info: Any, repo_id: str) -> str | None:
    """A GGUF repository's base model: its card's ``base_model``, else the same name without ``-GGUF``."""
    card = getattr(info, "card_data", None)
    base = card.get("base_model") if card is not None else None
    if isinstance(base, list):
        base = base[0] if base else None
    if isinstance(base, str) and _REPO.match(base):
        return base
    stripped = re.sub(r"[-_]gguf$", "", repo_id, flags=re.I)
    return stripped if stripped != repo_id else None
