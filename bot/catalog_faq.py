"""``specs/faq.yaml``: FAQ entries, their general answers and the placeholders those may use.

A seed-article entry (``gpus: [rtx-a4000, rtx-a6000]``) answers with ``{a}``/``{b}`` templates about its own
GPUs; its ``general:`` answer (a ``question`` and an ``answer``) is for questions that name no GPU ("what is
nvlink"), so it names no card of the article and draws its examples from the whole catalog through the
placeholders in :data:`GENERAL_PLACEHOLDER`. Glossary entries (no ``gpus``) may use them too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.catalog_arch import TENSOR_FORMATS
from bot.catalog_files import check_keys, expect, read_yaml, str_list
from bot.catalog_model import GPU, FaqEntry, FieldDef, GeneralAnswer

__all__ = ["GENERAL_PLACEHOLDER", "PRICE", "load_faqs"]

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL_RE = re.compile(r"^https?://\S+$")
#: Placeholders of a general answer, filled from the whole catalog at answer time:
#:   {segments.FIELD}       a yes/no field per market segment: how many cards have it, the newest that does
#:   {top.FIELD}            the three cards best in a numeric field, with their values
#:   {range.FIELD}          a numeric field's lowest and highest card per market segment
#:   {by_arch.FIELD}        a field's distinct values per architecture ("Ampere 8.0, 8.6")
#:   {formats.FORMAT}       the architectures whose tensor/matrix units compute FORMAT (architectures.yaml);
#:   {formats.FORMAT.VENDOR}  the same, one vendor's ("AMD")
#:   {card.GPU_ID}          a card's short name;  {card.GPU_ID.FIELD}  its value with unit
GENERAL_PLACEHOLDER = re.compile(r"\{(segments|top|range|by_arch|formats|card)\.([\w-]+)(?:\.(\w+))?\}")
#: Not a catalog field: the price answers judge by (the operator's current price where listed, else the launch
#: MSRP), usable as ``{a.price}``, ``{ratio.price}``, ``{a.fp32_tflops/price}`` and in ``order_by``.
PRICE = "price"
#: The fields an article placeholder names: ``{a.key}``, ``{a.key/other}``, ``{ratio.key}``.
_ARTICLE_KEYS = re.compile(r"\{(?:a|b|ratio|diff)\.(\w+)(?:[*/](\w+(?:\.\d+)?))?")
_ANY_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_ARTICLE_PLACEHOLDER = re.compile(r"\{(?:a|b|ratio|diff)\b")
_ALLOWED = {"id", "question", "answer", "keywords", "gpus", "order_by", "intent", "workload", "fields", "general"}
_ALLOWED |= {"sources", "one", "generic"}
#: A one-card template names only ``{a}``: no second card, ratio or difference.
_PAIR_PLACEHOLDER = re.compile(r"\{(?:b|ratio|diff)\b")


def _check_general_template(
    text: str, fields: Mapping[str, FieldDef], gpus: Mapping[str, GPU], path: Path, name: str, fld: str
) -> None:
    """Every placeholder in ``text`` is a general one, naming a real field, format or GPU of the right kind."""
    for m in _ANY_PLACEHOLDER.finditer(text):
        found = GENERAL_PLACEHOLDER.fullmatch(m.group(0))
        expect(found is not None, path, f"unknown placeholder {m.group(0)}: a general answer names no GPU", name, fld)
        assert found is not None  # noqa: S101 - for mypy; checked just above
        kind, key, sub = found.groups()
        takes_third = kind in ("card", "formats")
        expect(sub is None or takes_third, path, f"{m.group(0)}: only card and formats take a third part", name, fld)
        if kind == "formats":
            expect(key in TENSOR_FORMATS, path, f"{m.group(0)}: unknown tensor format {key!r}", name, fld)
            vendors = {g.vendor for g in gpus.values()}
            expect(sub is None or sub in vendors, path, f"{m.group(0)}: unknown vendor {sub!r}", name, fld)
        elif kind == "card":
            expect(key in gpus, path, f"{m.group(0)}: unknown GPU id {key!r}", name, fld)
            expect(sub is None or sub in fields, path, f"{m.group(0)}: unknown field {sub!r}", name, fld)
        else:
            expect(key in fields, path, f"{m.group(0)}: unknown field {key!r}", name, fld)
            ftype = fields[key].type
            want_bool = kind == "segments"
            ok = ftype == "bool" if want_bool else (ftype in ("int", "float") or kind == "by_arch")
            expect(ok, path, f"{m.group(0)}: {key} is not a {'yes/no' if want_bool else 'numeric'} field", name, fld)


def _general(
    raw: Any, fields: Mapping[str, FieldDef], gpus: Mapping[str, GPU], path: Path, name: str
) -> GeneralAnswer | None:
    if raw is None:
        return None
    expect(isinstance(raw, dict), path, "must be a mapping with `question` and `answer`", name, "general")
    check_keys(raw, {"question", "answer"}, ("question", "answer"), path, f"{name}: general")
    _check_general_template(str(raw["answer"]), fields, gpus, path, name, "general")
    return GeneralAnswer(question=raw["question"].strip(), answer=" ".join(raw["answer"].split()))


def _one(raw: Any, intent: str, fields: Mapping[str, FieldDef], path: Path, name: str) -> GeneralAnswer | None:
    """The question and answer about any one named card: ``{a}`` placeholders naming real fields, no second card."""
    if raw is None:
        return None
    expect(isinstance(raw, dict), path, "must be a mapping with `question` and `answer`", name, "one")
    check_keys(raw, {"question", "answer"}, ("question", "answer"), path, f"{name}: one")
    expect(intent == "faq", path, "only an entry with intent faq takes a `one:` answer", name, "one")
    question, text = " ".join(str(raw["question"]).split()), " ".join(str(raw["answer"]).split())
    for part in (question, text):
        expect(not _PAIR_PLACEHOLDER.search(part), path, "a one-card answer names only {a}", name, "one")
        expect(
            not GENERAL_PLACEHOLDER.search(part), path, "a one-card answer takes no general placeholders", name, "one"
        )
        for m in re.finditer(r"\{a\.(\w+)", part):
            expect(m.group(1) in fields, path, f"unknown field {m.group(1)!r}", name, "one")
    return GeneralAnswer(question=question, answer=text)


def _entry(raw: Any, i: int, fields: Mapping[str, FieldDef], gpus: Mapping[str, GPU], path: Path) -> FaqEntry:
    faq_id = raw.get("id") if isinstance(raw, dict) else None
    name = str(faq_id or f"FAQ #{i + 1}")
    expect(isinstance(raw, dict), path, "each FAQ must be a mapping", name)
    expect(isinstance(faq_id, str) and bool(_ID_RE.match(faq_id)), path, "`id` must be lowercase-dashed", name, "id")
    check_keys(raw, _ALLOWED, ("question", "answer"), path, name)
    faq_gpus = str_list(raw.get("gpus"), path, name, "gpus")
    for gid in faq_gpus:
        expect(gid in gpus, path, f"unknown GPU id {gid!r}", name, "gpus")
    order_by = raw.get("order_by")
    ok = order_by is None or order_by in fields or order_by == PRICE
    expect(ok, path, f"unknown field {order_by!r}", name, "order_by")
    answer = str(raw["answer"])
    expect(
        bool(faq_gpus) or not _ARTICLE_PLACEHOLDER.search(answer),
        path,
        "an answer with placeholders needs `gpus`",
        name,
        "answer",
    )
    if not faq_gpus:
        _check_general_template(answer, fields, gpus, path, name, "answer")
    for m in _ARTICLE_KEYS.finditer(answer):
        for key in filter(None, m.groups()):
            ok = key in fields or key == PRICE or key.replace(".", "", 1).isdigit()
            expect(ok, path, f"{m.group(0)}}}: unknown field {key!r}", name, "answer")
    faq_fields = str_list(raw.get("fields"), path, name, "fields")
    for key in faq_fields:
        expect(key in fields, path, f"unknown field {key!r}", name, "fields")
    intent = raw.get("intent", "faq")
    expect(intent in ("faq", "recommend"), path, "`intent` must be faq or recommend", name, "intent")
    general = _general(raw.get("general"), fields, gpus, path, name)
    needs_general = bool(faq_gpus) and intent == "faq"
    expect(
        general is not None or not needs_general,
        path,
        "an entry about its own GPUs needs a `general:` answer for questions that name none",
        name,
        "general",
    )
    expect(
        general is None or needs_general,
        path,
        "only an FAQ entry with `gpus` takes a `general:` answer",
        name,
        "general",
    )
    one = _one(raw.get("one"), intent, fields, path, name)
    generic = raw.get("generic", False)
    expect(isinstance(generic, bool), path, "`generic` must be true or false", name, "generic")
    sources = str_list(raw.get("sources"), path, name, "sources")
    for url in sources:
        expect(bool(_URL_RE.match(url)), path, f"not a URL: {url!r}", name, "sources")
    return FaqEntry(
        id=name,
        question=raw["question"].strip(),
        answer=answer.strip(),
        keywords=tuple(k.lower() for k in str_list(raw.get("keywords"), path, name, "keywords")),
        gpus=faq_gpus,
        order_by=order_by,
        intent=intent,
        workload=raw.get("workload"),
        fields=faq_fields,
        general=general,
        sources=sources,
        one=one,
        generic=generic,
    )


def load_faqs(path: Path, fields: Mapping[str, FieldDef], gpus: Mapping[str, GPU]) -> tuple[FaqEntry, ...]:
    """The FAQ entries of ``path`` (none when it does not exist), validated."""
    if not path.exists():
        return ()
    data = read_yaml(path)
    expect(isinstance(data, dict) and isinstance(data.get("faqs"), list), path, "needs a `faqs:` list")
    out: list[FaqEntry] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["faqs"]):
        entry = _entry(raw, i, fields, gpus, path)
        expect(entry.id not in seen, path, "duplicate FAQ id", entry.id, "id")
        seen.add(entry.id)
        out.append(entry)
    return tuple(out)
