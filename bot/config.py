"""Settings from the environment (and a ``.env`` file, loaded by the entry point)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settings", "default_db_path"]

APP_NAME = "gpubot"


def default_db_path() -> Path:
    """``queries.sqlite3`` under the user's data directory (XDG on Linux, AppData on Windows)."""
    import platformdirs  # imported here: only the entry points need it

    return Path(platformdirs.user_data_path(APP_NAME)) / "queries.sqlite3"


def default_history_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_path(APP_NAME)) / "chat_history"


@dataclass(frozen=True, slots=True)
class Settings:
    specs_dir: Path | None = None  # None: find specs/ next to the package
    db_path: Path | None = None  # None: default_db_path()
    log_level: str = "WARNING"
    query_log: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        specs = env.get("GPUBOT_SPECS") or None
        db = env.get("GPUBOT_DB") or None
        return cls(
            specs_dir=Path(specs) if specs else None,
            db_path=Path(db) if db else None,
            log_level=(env.get("GPUBOT_LOG_LEVEL") or "WARNING").upper(),
            query_log=(env.get("GPUBOT_QUERY_LOG", "1").strip().lower() not in {"0", "false", "no", "off"}),
        )

    @property
    def database(self) -> Path:
        return self.db_path or default_db_path()
