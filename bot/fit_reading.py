"""The slots of a "will it fit" question, read off its evidence: model, mode, precision, context, batch, KV-cache
precision, memory size, count, checkpointing, LoRA rank, models held together, training strategy, speed asked."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

from bot.dimensions import batch_size, context_tokens, counted_size
from bot.estimator_strategy import strategy_named
from bot.request import FitRequest

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.lexicon import Lexicon
    from bot.matcher import MatchResult
    from bot.models import ModelIndex, ModelMention

__all__ = ["asks_card_count", "fit_request"]


class Evidence(Protocol):
    """What a fit request is read from: :class:`bot.evidence.Evidence` (named here, not imported: it calls us)."""

    @property
    def text(self) -> str: ...
    @property
    def norm(self) -> str: ...
    @property
    def model(self) -> ModelMention | None: ...
    @property
    def model_unlisted(self) -> str | None: ...
    @property
    def bare_size(self) -> float | None: ...
    @property
    def sizes(self) -> Sequence[float]: ...
    @property
    def need(self) -> tuple[float, str] | None: ...
    @property
    def gpus(self) -> Sequence[str]: ...
    @property
    def match(self) -> MatchResult: ...

    def has(self, word_class: str) -> bool: ...


_KV_RE = re.compile(r"\b(fp8|int8|q8|fp16|bf16|q4)\s+kv\b|\bkv(?: cache)?\s+(?:in\s+)?(fp8|int8|q8|fp16|bf16|q4)\b")
# The computer's memory ("32gb of ram", "64gb ddr5", "128 gb system ram"), not the GPU's.
_SYSTEM_RAM = re.compile(r"\b(\d{1,4}(?:\.\d+)?) ?gb (?:of )?(?:system |cpu |pc )?(?:ram|ddr\d?|dram)\b")
_SIZE_WORD = re.compile(r"(?<!\d)(\d+(?:\.\d+)?)gb")  # fullmatch on one word; a search would start at a run
_RANK_RE = re.compile(r"\b(?:rank|r)\s*=?\s*(\d{1,4})\b")


def fit_request(lexicon: Lexicon, models: ModelIndex | None, ev: Evidence) -> FitRequest:
    """The slots of a "will it fit" question."""
    norm = ev.norm
    req = FitRequest(model_id=ev.model.model.id if ev.model else None)
    if req.model_id is None:
        req.params_b, req.unlisted = ev.bare_size, ev.model_unlisted
    req.mode = _mode(lexicon, ev)
    req.precision = _first_precision(lexicon, norm)
    if req.mode in ("lora", "full") and req.precision in ("int4", "nf4"):
        req.mode = "qlora"  # "4bit lora", "finetuning unsloth/...-bnb-4bit": LoRA on a 4-bit base
    elif req.mode == "qlora" and req.precision in ("int8", "fp8", "q8_0"):
        req.mode = "lora"  # "8 bit qlora": LoRA on an 8-bit base, not the 4-bit QLoRA
    req.context, req.batch = context_tokens(norm), batch_size(norm)
    req.max_context = ev.has("max_context")
    req.oom_reported = ev.has("oom")
    if kv := _KV_RE.search(norm):
        name = kv.group(1) or kv.group(2)
        req.kv_precision = lexicon.kv_precisions.get(name, name)
        if req.precision is not None and re.search(rf"\b{name}\b", norm) and norm.count(name) == 1:
            req.precision = None  # the only mention of that precision was the KV cache's
    if ev.sizes:
        req.capacity_gb = _capacity(lexicon, ev)
    req.need = ev.need  # "it needs more than 12gb": the model's need as said, not the memory held against it
    counted = counted_size(norm) if not ev.gpus else None
    if counted is not None:
        req.gpus_count, req.capacity_gb = counted  # "2x 24gb": two GPUs of 24 GB each
    req.checkpointing = False if ev.has("no_checkpointing") else None
    req.flash_attention = False if ev.has("no_flash_attention") else None
    if rank := _RANK_RE.search(norm):
        req.lora_rank = int(rank.group(1))
    req.lora_all_linear = ev.has("all_linear")
    if models is not None and (ev.has("held_together") or "+" in ev.text):
        req.held_with = tuple(m.id for m in models.all_named(ev.match.words) if m.id != req.model_id)
    req.strategy = strategy_named(ev.has)
    req.speed_asked = ev.has("speed_asked")
    req.count_asked = asks_card_count(lexicon, ev)
    if ram := _SYSTEM_RAM.search(norm):
        req.ram_gb = float(ram.group(1))
    _server_settings(req, ev)
    return req


#: A server's share of each card as the flag names it ("gpu memory utilization 0.95", "mem fraction static 0.8"),
#: and the vLLM or TGI release named ("vllm 0.8.5", "vllm v0.2.7", "tgi 2.2.0").
_SHARE_RE = re.compile(
    r"\b(?:gpu memory utili[sz]ation|mem fraction static)\s*(?:of |at |to |is )?(0?\.\d+|1(?:\.0+)?)\b"
)
_RUNTIME_VERSION_RE = re.compile(r"\b(?:vllm|tgi|text generation inference)\s*v?(\d+\.\d+(?:\.\d+)?)\b")


def _server_settings(req: FitRequest, ev: Evidence) -> None:
    """The serving settings a question states: --enforce-eager, the share of each card, the vLLM or TGI release."""
    req.enforce_eager = ev.has("enforce_eager")
    if share := _SHARE_RE.search(ev.norm):
        req.memory_share = float(share.group(1))
    if version := _RUNTIME_VERSION_RE.search(ev.norm):
        req.runtime_version = version.group(1)


def _capacity(lexicon: Lexicon, ev: Evidence) -> float:
    """The memory the asker has: the first size named, unless a need word leads it and another size is named ("the 7B
    model just needs 8.5G VRAM, but it runs out of memory on a 24G card": 24, not the 8.5 it was said to need)."""
    sizes = list(ev.sizes)
    if len(set(sizes)) < 2:
        return sizes[0]
    needs = lexicon.words["need_verbs"]
    words = ev.norm.split()
    led = set()
    for k, word in enumerate(words):
        size = _SIZE_WORD.fullmatch(word)
        if size is not None and needs.found(" ".join(words[max(0, k - 2) : k])):
            led.add(float(size.group(1)))
    return next((size for size in sizes if size not in led), sizes[0])


def _mode(lexicon: Lexicon, ev: Evidence) -> str:
    """The first mode named in earnest; "inference" when none is. A training word that only describes the model run
    ("run the pre-trained model", "OA_SFT_Llama_30B on 3x 3090") names none."""
    norm = ev.norm
    ruled_out = ("lora", "qlora") if ev.has("not_lora") else ()
    run = ev.has("run_verbs")
    for mode, phrases in lexicon.modes.items():
        if mode in ruled_out:
            continue
        hits = list(phrases.finditer(norm)) if run else [None] if phrases.found(norm) else []
        if any(hit is None or not _describes_model(lexicon, ev, hit.end) for hit in hits):
            return mode
    return "inference"


def _describes_model(lexicon: Lexicon, ev: Evidence, end: int) -> bool:
    """The training word ending at ``end`` is followed by a noun for a model ("pre trained model") or by the model
    named ("sft llama 30b"): it says what the model is, not what to do with it."""
    rest = ev.norm[end:].lstrip()
    first = rest.split(" ", 1)[0]
    if lexicon.words["model_nouns"].found(first):
        return True
    named = ev.model.text if ev.model is not None else ev.model_unlisted
    return named is not None and named != "" and rest.startswith(named)


def asks_card_count(lexicon: Lexicon, ev: Evidence) -> bool:
    """ "how many 4090s do i need", "how many gpus for ...": a count cue followed, within two words, by a card named
    or a word for cards ("how many tokens/s on a 4090" asks a speed, not a count)."""
    cues = lexicon.words.get("count_asked")
    if cues is None or not cues.found(ev.norm):
        return False
    nouns = lexicon.words["card_nouns"]
    named = {w.rstrip("s") for m in ev.match.mentions if m.gpu or m.candidates for w in m.text.split()[:1]}
    for hit in cues.finditer(ev.norm):
        after = ev.norm[hit.end :].split()[:2]
        if nouns.found(" ".join(after)) or any(w.rstrip("s") in named for w in after):
            return True
    return False


def _first_precision(lexicon: Lexicon, norm: str) -> str | None:
    """The precision named: in the lexicon's order of precisions (GGUF names before generic bit counts)."""
    named = set(lexicon.precisions.values(norm))
    if not named:
        return None  # most questions name none
    order = list(dict.fromkeys(lexicon.precisions.meaning.values()))
    return next((p for p in order if p in named), None)
