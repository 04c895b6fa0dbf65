"""Model names as people write them: the words around a model mention, checked against the model found.

A mention such as "deepseek r1" or "qwen2.5 ... 32b" is found by :class:`bot.models.ModelIndex`; the words that run on
from it ("deepseek r1 **distill 32b**", "qwen2.5 **vl** 72b instruct", "mistral 7b instruct **v0.2** q5 k m",
"qwen **qwen1.5** 72b chat", "phi 3 mini **128k** instruct") often say which model it is. The *name run* is the mention
and the words after it that can belong to a model name: sizes ("32b", "8x7b"), versions ("3.1", "v0.2"), release codes
("2503"), context tags ("128k"), the family's own words ("distill", "coder", "mini"), words that name another model of
a family ("vl", "vision"), and words that keep the weights' shapes (fine-tunes and packaging: "instruct",
"abliterated", "qat", "gguf", quantisation tags).

Every word of the run that changes which model it is must be spelled by the model found (its name or an alias). When
one is not, the model is read again among its family: the one sibling the whole run spells, or none (a model the
catalog lacks: never another size or version silently), or several (not read: the question is asked about).

Pure: no I/O; built once per catalog from the models' names and aliases (``ModelIndex.__init__``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.text import compact, normalize

__all__ = ["NameCheck", "NameRuns"]

#: Words that keep a model's weights and shapes: instruction and chat tunes, fine-tunes that change behaviour only
#: ("abliterated", "uncensored", "dpo"), quantisation-aware training ("qat"), packaging and file formats, and the
#: pieces of quantisation tags as normalised ("Q4_K_M" -> "q4 k m", "IQ4_XS" -> "iq4 xs", "UD-Q2_K_XL" -> "ud q2 k xl").
#: Seen in the labelled mentions of tests/corpus/model_mentions.yaml (e.g. "Qwen3-8B-abliterated-Q4_K_M.gguf",
#: "gemma-3-4b-it-qat-q4_0-gguf", "unsloth/llama-3-8b-bnb-4bit", "Nous-Hermes-2-Mixtral-8x7B-DPO").
SAME_WEIGHTS = frozenset(
    [
        "lora",  # an adapter rides on the model's own weights: "sd 1.5 lora", "llama 3 8b lora"
        "loras",
        "qlora",
        "adapter",
        "checkpoint",
        "checkpoints",
        "merge",
        "merged",
        "finetune",
        "finetuned",
        "instruct",
        "instruction",
        "chat",
        "it",
        "pt",
        "base",
        "hf",
        "dpo",
        "sft",
        "orpo",
        "rlhf",
        "abliterated",
        "uncensored",
        "qat",
        "gguf",
        "ggml",
        "ggmlv3",
        "awq",
        "gptq",
        "exl2",
        "bnb",
        "4bit",
        "8bit",
        "16bit",
        "mlx",
        "imat",
        "imatrix",
        "ud",
        "llamafile",
        "safetensors",
        "dynamic",
        "unsloth",
        "fp8",
        "fp16",
        "bf16",
        "fp32",
        "int4",
        "int8",
        "mxfp4",
        "nvfp4",
        "nf4",
        "latest",
        "k",
        "m",
        "s",
        "l",
        "xs",
        "xxs",
        "xl",
        "0",
        "1",
        "act",
        "order",
        "128g",
        "32g",
    ]
)
#: Words that name another model of a family when the model found lacks them: vision-language and vision models
#: ("Qwen2.5-VL-72B-Instruct", "llama3.2-vision:90b"), code models ("qwen2.5-coder:14b", "CodeLlama"), maths, audio,
#: omni and embedding models, safety classifiers, distilled reasoning models ("DeepSeek R1 distill"), and FLUX.1
#: [schnell] beside [dev]. Sources: the mentions labelled "not in catalog" in tests/corpus/model_mentions.yaml.
VARIANTS = frozenset(
    [
        "turbo",  # "whisper large-v3-turbo": 4 decoder layers, not large-v3's 32
        "vl",
        "vision",
        "coder",
        "code",
        "math",
        "audio",
        "omni",
        "embed",
        "embedding",
        "guard",
        "reward",
        "distill",
        "schnell",
    ]
)

_QUANT = re.compile(r"^(?:i?q\d(?:_\w+)?|\d+bpw|\d+(?:\.\d+)?bit)$")  # "q4", "iq4", "6bpw"
_SIZE = re.compile(r"^(?:(\d+)x)?(\d+(?:\.\d+)?)b$")  # "32b", "8x7b"
_ACTIVE = re.compile(r"^[ae]\d+(?:\.\d+)?b$")  # "a3b", "e2b": active / effective parameters
_VERSION = re.compile(r"^v\d+(?:\.\d+)*$")  # "v0.2", "v3": a version anywhere in a name
_NUMBER = re.compile(r"^\d{1,2}(?:\.\d+)*$")  # "3", "3.1", "2.5": a version before the size
_RELEASE = re.compile(r"^2[3-9](?:0[1-9]|1[0-2])$")  # "2501", "2407": a release code (YYMM)
_CONTEXT = re.compile(r"^\d+k$")  # "128k", "4k"
_GLUED = re.compile(r"^([a-z]+)\d+(?:\.\d+)*$")  # "qwen1.5", "llama2", "phi3": a family's word and its version
_DIGITS = "0123456789."
_MAX_RUN = 12  # words after a mention's start that are read as its name, at most
_SIZE_SLACK = 0.1  # a size said as "8b" names a model of 7.2-8.8 B parameters


class Named(Protocol):
    """What is read of a catalog model: :class:`bot.models.ModelSpec` (named here, not imported: it imports us)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def family(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def params_b(self) -> float: ...


@dataclass(frozen=True, slots=True)
class NameCheck:
    """What the name run says of the model found: ``model_id`` (the one found, or the sibling the run names), or
    None with ``unlisted`` (the run as written: a model the catalog lacks) or ``ambiguous`` (several siblings)."""

    model_id: str | None
    text: str
    unlisted: str | None = None
    ambiguous: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Spelling:
    """The words of one model's name and aliases, as normalised, with the classes a run is checked on."""

    words: frozenset[str]
    glued: tuple[str, ...]  # the name and aliases without spaces or punctuation, as mentions are matched
    params_b: float
    sized: bool  # the name says its size ("Qwen2.5 7B"): a size said must be one it states, not merely near it
    releases: bool  # the name pins a release code ("2501"): a run's release code must match
    contexts: bool  # the name pins a context variant ("4K"): a run's context tag must match


def _unversioned(word: str) -> str:
    return word[1:] if _VERSION.match(word) else word


def _spelling(model: Named) -> _Spelling:
    words: set[str] = set()
    for text in (model.id, model.name, *model.aliases):
        words.update(normalize(text).split())
    words |= {_unversioned(w) for w in words}
    return _Spelling(
        frozenset(words),
        tuple(compact(t) for t in (model.id, model.name, *model.aliases)),
        model.params_b,
        any(_SIZE.match(w) for w in normalize(model.name).split()),
        any(_RELEASE.match(w) for w in words),
        any(_CONTEXT.match(w) for w in words),
    )


class NameRuns:
    """Checks the words after a model mention against the model found (see the module's docstring)."""

    def __init__(self, models: Mapping[str, Named]) -> None:
        self._spellings = {mid: _spelling(m) for mid, m in models.items()}
        self._family = {mid: m.family for mid, m in models.items()}
        members: dict[str, list[str]] = {}
        for mid, m in models.items():
            members.setdefault(m.family, []).append(mid)
        self._members = {f: tuple(ids) for f, ids in members.items()}
        self._family_words = {
            f: frozenset().union(*(self._spellings[mid].words for mid in ids)) for f, ids in members.items()
        }
        # families whose names carry "v" versions ("Mistral 7B v0.3", "Whisper large-v3"); elsewhere a "v10" after a
        # name is a file's own version ("flux1Dev_v10.safetensors"), not a model's
        self._versioned = {f: any(_VERSION.match(w) for w in ws) for f, ws in self._family_words.items()}
        # a family's one-word name ("llama", "qwen", "phi"): where a name of the family starts
        self._by_word = {f: f for f in members if f.isalpha() and len(f) >= 3}

    def check(self, words: Sequence[str], start: int, end: int, model_id: str) -> NameCheck:
        """The model the run of words from ``start`` (the mention is ``words[start:end]``) names."""
        family = self._family.get(model_id)
        if family is None:
            return NameCheck(model_id, " ".join(words[start:end]))
        run = self._run(words, start, end, family)
        text = " ".join(run)
        said = self._said(run[end - start :], family)  # the mention itself spells the model found
        if start and words[start - 1] in VARIANTS and words[start - 1] not in self._spellings[model_id].words:
            said, text = [words[start - 1], *said], f"{words[start - 1]} {text}"  # "code llama 7b", "distill llama 70b"
        if not said or self._spells(model_id, said):
            return NameCheck(model_id, text)
        mention = compact(" ".join(words[start:end]))
        named = [
            mid
            for mid in self._members[family]
            if any(mention in g for g in self._spellings[mid].glued) and self._spells(mid, said)
        ]
        if len(named) == 1:
            return NameCheck(named[0], text)
        if named:
            return NameCheck(None, text, ambiguous=tuple(named))
        last = max(k for k, w in enumerate(run) if k < end - start or _unversioned(w) in said)
        return NameCheck(None, text, unlisted=" ".join(run[: last + 1]))  # without the tune and packaging words

    def unlisted(self, words: Sequence[str]) -> str | None:
        """A model name of a catalog family that names no catalog model ("qwen1.5 32b", "llama3.2 vision 11b", "phi3
        14b", "flux1 schnell"), for a question where no model was found; None when there is none."""
        i = 0
        while i < len(words):
            family = self._by_word.get(words[i].rstrip(_DIGITS))  # "qwen", and "qwen1.5" glued to its version
            if family is None:
                i += 1
                continue
            run = self._run(words, i, i + 1, family)
            i += len(run)  # a later start inside this run would read a part of it: bounded work per question
            said = self._said(run, family)
            if len(run) > 1 and any(
                _SIZE.match(w) or w in VARIANTS or w not in self._family_words[family] for w in said
            ):
                return " ".join(run[: max(k for k, w in enumerate(run) if k == 0 or _unversioned(w) in said) + 1])
        return None

    def _run(self, words: Sequence[str], start: int, end: int, family: str) -> list[str]:
        """The mention's words and those after it that can belong to a model name of ``family``."""
        vocabulary = self._family_words[family]
        run = list(words[start:end])
        sized = any(_SIZE.match(w) for w in run)
        for k in range(end, min(len(words), start + _MAX_RUN)):
            word = words[k]
            if _SIZE.match(word):
                if sized:
                    break  # "gemma3 4b, 12b, 27b", "llama2 7b, llama2 13b": a list of models, each its own name
                sized = True
            elif _NUMBER.match(word):
                if sized or not _versions(words[k + 1 : k + 2], vocabulary):
                    break  # "llama 3 70b 2 gpus", "mixtral 4 bit": a count, not a version
            elif not _name_like(word, vocabulary) or (sized and _describes(word)):
                break
            run.append(word)
        return run

    def _said(self, run: Sequence[str], family: str) -> list[str]:
        """The run's words that decide which model it is (not the packaging, tune or quantisation, nor a version
        the family's names never carry)."""
        vocabulary, versioned = self._family_words[family], self._versioned[family]
        return [
            _unversioned(w)
            for w in run
            if w not in SAME_WEIGHTS
            and not _QUANT.match(w)
            and not (_VERSION.match(w) and not versioned and _unversioned(w) not in vocabulary)
        ]

    def _spells(self, model_id: str, said: Iterable[str]) -> bool:
        spelling = self._spellings[model_id]
        return all(_spelled(spelling, w) for w in said)


def _name_like(word: str, vocabulary: frozenset[str]) -> bool:
    glued = _GLUED.match(word)
    return (
        word in vocabulary
        or (glued is not None and glued.group(1) in vocabulary)
        or word in SAME_WEIGHTS
        or word in VARIANTS
        or bool(_QUANT.match(word) or _ACTIVE.match(word) or _VERSION.match(word) or _CONTEXT.match(word))
        or bool(_RELEASE.match(word))
    )


def _describes(word: str) -> bool:
    """A plain word after the size that describes rather than names ("qwen2.5 7b flash attention", "mistral 7b large
    context"): after a size only variants ("11b vision"), tunes and tags are read as the name."""
    return word.isalpha() and word not in VARIANTS and word not in SAME_WEIGHTS


def _versions(following: Sequence[str], vocabulary: frozenset[str]) -> bool:
    """Whether a bare number before the size is a version: followed by a size ("qwen 1.5 72b") or by another word of
    the name ("llama 3 instruct"), not by a unit or a count's noun ("4 bit", "8 gpus")."""
    word = following[0] if following else ""
    return bool(_SIZE.match(word)) or (not _NUMBER.match(word) and bool(word) and _name_like(word, vocabulary))


def _spelled(spelling: _Spelling, word: str) -> bool:
    """Whether a model spells ``word`` of a run: its own word, its size, or a class its name does not pin."""
    if word in spelling.words:
        return True
    size = _SIZE.match(word)
    if size is not None:
        if size.group(1) or spelling.sized:  # "8x7b", or a name with its size: only the sizes it states
            return False
        said = float(size.group(2))
        return abs(said - spelling.params_b) <= _SIZE_SLACK * spelling.params_b
    if _RELEASE.match(word):
        return not spelling.releases
    if _CONTEXT.match(word):
        return not spelling.contexts
    return False
