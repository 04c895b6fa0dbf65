"""Hugging Face Hub model ids (``org/name``) and Hub URLs in a question: found in one linear pass over the raw
text, before it is normalised (normalising turns ``Qwen/Qwen3-8B`` into ``qwen qwen3 8b``).

Pure: no I/O. :func:`find_hub_refs` tells a front end which repositories to look up; :func:`hub_mention` lets the
evidence read a repository that was looked up (it is in the engine's models) as the model asked about.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.models import ModelMention, ModelSpec

__all__ = ["HubRef", "find_hub_refs", "gguf_quant", "hub_mention"]

#: How many repositories one question may name for a lookup (each is a network round trip).
MAX_REFS = 2

_PART = r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?"  # a trailing "." or "-" is punctuation


# A Hub URL: the repository, then anything after it (``/blob/main/x-Q5_K_M.gguf``, ``/tree/main``).
_URL_RE = rf"https?://(?:www\.)?(?:huggingface\.co|hf\.co)/(?!datasets/|spaces/)({_PART})/({_PART})(/[^\s)>\]]*)?"
# A bare id: not inside a path or a URL, and not followed by more of a path ("tokens/s/gpu").
_BARE_RE = rf"(?<![\w/.:@-])({_PART})/({_PART})(?![\w/])"
# GPU-like or unit-like owners ("rtx-4090/rtx-3090", "24gb/48gb") are comparisons, not repositories.
_NOT_OWNER_RE = (
    r"^(?:(?:rtx|gtx|rx|mi|arc|quadro|tesla|radeon|geforce|a|h|l|t|v|p|b|i?q|fp|bf|int|nf)[-_.]?\d"
    r"|\d+(?:\.\d+)?(?:gb|g|b|k|x)?$)"
)
_GGUF_QUANT_RE = r"(?<![A-Za-z0-9])((?:UD-)?(?:I?Q\d(?:_[A-Z0-9]+)*|BF16|F16|F32|MXFP4(?:_MOE)?))(?=[-.]|/|$)"


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """URL, bare id, not-an-owner, GGUF quantisation; compiled on first use: most questions have no '/' and never
    need them, so start-up stays as it was."""
    return (
        re.compile(_URL_RE),
        re.compile(_BARE_RE),
        re.compile(_NOT_OWNER_RE, re.I),
        re.compile(_GGUF_QUANT_RE, re.I),
    )


@dataclass(frozen=True, slots=True)
class HubRef:
    """One repository a question names: its id as typed, a GGUF quantisation named in a URL, and where it stands."""

    repo_id: str
    quant: str | None
    start: int
    end: int


def gguf_quant(filename: str) -> str | None:
    """ "gemma-3-27b-it-Q5_K_M.gguf" -> "q5_k_m"; "Q4_K_M/x-00001-of-00002.gguf" -> "q4_k_m"; else None."""
    found = _patterns()[3].findall(filename)
    return found[-1].lower().removeprefix("ud-") if found else None


def _plausible(owner: str, name: str) -> bool:
    """A bare ``owner/name`` that reads as a repository: the name is hyphenated, dotted or versioned like model names
    are ("Qwen3-8B", "gpt-oss-20b", "phi-2"), and the owner is not a GPU or a unit ("a4000/a6000", "24gb/48gb")."""
    if _patterns()[2].match(owner) or not re.search(r"[A-Za-z]", owner):
        return False
    return bool(re.search(r"[-_.]", name)) and bool(re.search(r"[A-Za-z]", name)) and not name.endswith(".")


def find_hub_refs(text: str) -> list[HubRef]:
    """The repositories ``text`` names, in order, at most :data:`MAX_REFS` (URLs first where they overlap)."""
    if "/" not in text:
        return []
    url, bare, _, _ = _patterns()
    refs: list[HubRef] = []
    taken: list[tuple[int, int]] = []
    for m in url.finditer(text):
        rest = m.group(3) or ""
        quant = gguf_quant(rest) if rest else None
        refs.append(HubRef(f"{m.group(1)}/{m.group(2).removesuffix('.git')}", quant, m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in bare.finditer(text):
        if any(a <= m.start() < b for a, b in taken) or not _plausible(m.group(1), m.group(2)):
            continue
        refs.append(HubRef(f"{m.group(1)}/{m.group(2)}", None, m.start(), m.end()))
    refs.sort(key=lambda r: r.start)
    unique = {r.repo_id.lower(): r for r in reversed(refs)}  # the first mention of each repository
    return sorted(unique.values(), key=lambda r: r.start)[:MAX_REFS]


def hub_mention(text: str, models: Mapping[str, ModelSpec]) -> tuple[ModelMention | None, str]:
    """The first repository of ``text`` that was looked up (a model of ``models`` under its id), and the text with
    that id replaced by the quantisation its URL names (or by nothing), so that its words are not read again as GPUs
    ("...-Instruct-2507") or as another model. Repositories not looked up leave the text as it is."""
    for ref in find_hub_refs(text):
        spec = models.get(ref.repo_id)
        if spec is not None:
            rest = f"{text[: ref.start]} {ref.quant or ''} {text[ref.end :]}"
            return ModelMention(ref.repo_id, spec), rest
    return None, text
