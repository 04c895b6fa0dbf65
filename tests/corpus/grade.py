"""Grade the engine's answers against the labelled understanding corpus (``understanding.yaml``).

Used by ``tests/test_corpus.py`` (a floor on the pass rate, per class) and by
``benchmarks/bench_understanding.py`` (the pass rate per class, and every miss with its reason).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.engine import Engine
from bot.render import answer_json

CORPUS = Path(__file__).resolve().parent / "understanding.yaml"


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["questions"])


@dataclass(frozen=True, slots=True)
class Graded:
    entry: Mapping[str, Any]
    answer: Mapping[str, Any]
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def wrong_gpu(self) -> bool:
        """The answer names a GPU the question did not mean."""
        return any(p.startswith("names ") for p in self.problems)


def _gpu_problems(entry: Mapping[str, Any], answer: Mapping[str, Any]) -> list[str]:
    if "gpus" not in entry:
        return []
    want, also = set(entry["gpus"]), set(entry.get("also") or ())
    if entry["intent"] == "clarify":
        offered = set(answer["choices"])
        return [f"does not offer {sorted(want - offered)}"] if not want <= offered else []
    got = set(answer["gpus"])
    problems = []
    if answer["intent"] != "recommend" and got - want - also:
        problems.append(f"names {sorted(got - want - also)}")
    need_all = len(want) >= 2 and entry["intent"] in ("compare", "recommend")
    if need_all and not want <= got:
        problems.append(f"misses {sorted(want - got)}")
    elif want and not want & got and not (also & got):
        problems.append(f"misses {sorted(want)}")
    return problems


def _fit_problems(entry: Mapping[str, Any], answer: Mapping[str, Any]) -> list[str]:
    fit = answer.get("fit") or {}
    problems = []
    for key, fit_key in (("model", "model"), ("count", "gpus_count"), ("precision", "precision"), ("mode", "mode")):
        if key in entry and fit.get(fit_key) != entry[key]:
            problems.append(f"{key} {fit.get(fit_key)!r}, not {entry[key]!r}")
    if "capacity_gb" in entry and fit.get("available_gb") is None:
        problems.append(f"no answer for {entry['capacity_gb']} GB")
    return problems


def _pick_problems(entry: Mapping[str, Any], answer: Mapping[str, Any], engine: Engine) -> list[str]:
    pick = answer.get("recommendation")
    gpu = engine.catalog.gpus.get(pick) if pick else None
    problems = []
    if "min_memory_gb" in entry and (gpu is None or (gpu.number("memory_gb") or 0) < entry["min_memory_gb"]):
        problems.append(f"pick {pick} has under {entry['min_memory_gb']} GB")
    if entry.get("buyable") and (gpu is None or gpu.get("market_segment") == "data center"):
        problems.append(f"pick {pick} is not a card people buy for a workstation")
    return problems


def grade(engine: Engine, entry: Mapping[str, Any]) -> Graded:
    answer = answer_json(engine.ask(str(entry["q"])))
    problems: list[str] = []
    if answer["intent"] != entry["intent"]:
        problems.append(f"intent {answer['intent']}, not {entry['intent']}")
    problems += _gpu_problems(entry, answer)
    missing = set(entry.get("fields") or ()) - set(answer["fields"])
    if missing and answer["intent"] == entry["intent"]:
        problems.append(f"does not cite {sorted(missing)}")
    if entry["intent"] == "fits" and answer["intent"] == "fits":
        problems += _fit_problems(entry, answer)
    if entry["intent"] == "recommend":
        problems += _pick_problems(entry, answer, engine)
    return Graded(entry, answer, tuple(problems))


def grade_all(engine: Engine, entries: Iterable[Mapping[str, Any]]) -> list[Graded]:
    return [grade(engine, e) for e in entries]


def rates(graded: Iterable[Graded]) -> dict[str, tuple[int, int]]:
    """class -> (passed, total), plus "all"."""
    total: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    for g in graded:
        for key in (str(g.entry["class"]), "all"):
            total[key] += 1
            passed[key] += g.passed
    return {k: (passed[k], total[k]) for k in sorted(total, key=lambda k: (k == "all", k))}
