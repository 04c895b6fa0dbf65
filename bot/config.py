"""Settings from the environment (and a ``.env`` file, loaded by the entry point)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

__all__ = ["Settings", "default_db_path"]

APP_NAME = "gpubot"


def user_dir(kind: Literal["data", "cache"]) -> Path:
    """gpubot's folder in the user's data or cache directory. On Linux the XDG folders, as platformdirs
    gives them, without importing it (a one-shot ``gpubot ask`` starts faster); platformdirs elsewhere."""
    if sys.platform.startswith("linux") and "ANDROID_DATA" not in os.environ:
        var, default = ("XDG_DATA_HOME", "~/.local/share") if kind == "data" else ("XDG_CACHE_HOME", "~/.cache")
        return Path(os.environ.get(var, "").strip() or os.path.expanduser(default)) / APP_NAME
    import platformdirs

    return Path(platformdirs.user_data_path(APP_NAME) if kind == "data" else platformdirs.user_cache_path(APP_NAME))


def default_db_path() -> Path:
    """``queries.sqlite3`` under the user's data directory (XDG on Linux, AppData on Windows)."""
    return user_dir("data") / "queries.sqlite3"


def default_history_path() -> Path:
    return user_dir("data") / "chat_history"


def _ids(raw: str | None) -> frozenset[int]:
    """``"123, 456"`` -> {123, 456}; anything that is not a number is ignored with the rest kept."""
    out = set()
    for part in (raw or "").replace(";", ",").split(","):
        part = part.strip()
        if part.isdigit():
            out.add(int(part))
    return frozenset(out)


def _flag(raw: str | None, *, default: bool) -> bool:
    if raw is None or not raw.strip():
        return default
    return raw.strip().lower() not in {"0", "false", "no", "off"}


def _int(raw: str | None, default: int | None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else default
    except ValueError:
        return default


def _float(raw: str | None, default: float) -> float:
    try:
        return float(raw) if raw not in (None, "") else default
    except ValueError:
        return default


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, read once in the entry point. The token never appears in ``repr``."""

    specs_dir: Path | None = None  # None: find specs/ next to the package
    prices_path: Path | None = None  # an operator's current prices (see bot/prices.py)
    db_path: Path | None = None  # None: default_db_path()
    log_level: str = "WARNING"
    query_log: bool = True
    # Discord
    discord_token: str = field(default="", repr=False)
    api_base: str | None = None  # None: Discord's own v10 API
    gateway_url: str | None = None  # None: Discord's, or what api_base's GET /gateway/bot says
    answer_channels: frozenset[int] = frozenset()  # channels where un-mentioned messages are answered
    cooldown_rate: int = 5  # questions ...
    cooldown_per: float = 30.0  # ... per this many seconds, per user
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    message_content: bool = True  # ask for the privileged Message Content intent
    drain_seconds: float = 10.0  # on SIGTERM, how long answers in flight may take to finish
    charts: bool = True  # attach a PNG chart to comparisons, rankings and fits (GPUBOT_CHARTS=0: none)
    followup_seconds: float = 900.0  # a conversation's last question is continued by follow-ups this long
    button_days: float = 180.0  # answers' button state is kept this many days (0: for ever); older buttons say so

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        specs = env.get("GPUBOT_SPECS") or None
        db = env.get("GPUBOT_DB") or None
        shard_ids = sorted(_ids(env.get("DISCORD_SHARD_IDS")))
        return cls(
            specs_dir=Path(specs) if specs else None,
            prices_path=Path(env["GPUBOT_PRICES"]) if env.get("GPUBOT_PRICES") else None,
            db_path=Path(db) if db else None,
            log_level=(env.get("GPUBOT_LOG_LEVEL") or "WARNING").upper(),
            query_log=_flag(env.get("GPUBOT_QUERY_LOG"), default=True),
            discord_token=(env.get("DISCORD_TOKEN") or "").strip(),
            api_base=(env.get("DISCORD_API_BASE") or "").strip().rstrip("/") or None,
            gateway_url=(env.get("DISCORD_GATEWAY_URL") or "").strip() or None,
            answer_channels=_ids(env.get("GPUBOT_CHANNELS")),
            cooldown_rate=max(1, _int(env.get("GPUBOT_COOLDOWN_RATE"), 5) or 5),
            cooldown_per=max(0.0, _float(env.get("GPUBOT_COOLDOWN_SECONDS"), 30.0)),
            shard_count=_int(env.get("DISCORD_SHARD_COUNT"), None),
            shard_ids=tuple(shard_ids) or None,
            message_content=_flag(env.get("GPUBOT_MESSAGE_CONTENT"), default=True),
            drain_seconds=max(0.0, _float(env.get("GPUBOT_DRAIN_SECONDS"), 10.0)),
            charts=_flag(env.get("GPUBOT_CHARTS"), default=True),
            followup_seconds=max(0.0, _float(env.get("GPUBOT_FOLLOWUP_SECONDS"), 900.0)),
            button_days=max(0.0, _float(env.get("GPUBOT_BUTTON_DAYS"), 180.0)),
        )

    @property
    def database(self) -> Path:
        return self.db_path or default_db_path()
