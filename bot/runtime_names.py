"""The runtime a question names ("llama 3 8b on a 4090 with vllm", "in lm studio", "exl2"): every id and alias of
``specs/runtimes.yaml``, normalised, found as whole words in the normalised question."""

from __future__ import annotations

import re

from bot.catalog import Catalog

__all__ = ["RuntimeNames"]


class RuntimeNames:
    """Finds runtime names in normalised questions; built once per catalog (no names without the data file)."""

    def __init__(self, catalog: Catalog) -> None:
        from bot.runtimes import FILE, load_runtimes  # building only: a cached engine keeps the names alone

        path = catalog.root / FILE
        self._of = load_runtimes(catalog.root).names() if path.exists() else {}
        alternatives = "|".join(re.escape(n) for n in sorted(self._of, key=len, reverse=True)) or r"(?!x)x"
        self._re = re.compile(rf"(?<= )({alternatives})(?= )")

    def find(self, norm: str) -> tuple[str, str | None]:
        """(the words, the runtime id) of the first runtime ``norm`` names, or ("", None)."""
        found = self._re.search(f" {norm} ")
        return (found.group(1), self._of[found.group(1)]) if found else ("", None)
