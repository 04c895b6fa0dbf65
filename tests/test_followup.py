"""Follow-up questions in a conversation (bot/followup.py, bot/conversation.py): many phrasings that continue the
last request, and many that must be read on their own."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.catalog_model import CatalogError
from bot.conversation import Conversations, ConversationStore
from bot.engine import Engine
from bot.followup_words import load_followup_words
from bot.render import render_text
from bot.request import Query

FIT_32K = "can I run llama 3.1 8b q4_k_m at 32k context on a 4090?"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def talk(engine: Engine, clock: Clock) -> Conversations:
    return Conversations(engine, ConversationStore(ttl_s=900, clock=clock))


def ask(talk: Conversations, *questions: str, key: object = "k") -> Query:
    query = None
    for q in questions:
        query = talk.ask(key, q).query
    assert query is not None
    return query


# -- after a fit question: each follow-up changes one slot ------------------------------------------------


@pytest.mark.parametrize(
    ("follow_up", "gpus", "changed"),
    [
        ("and the A5000?", ["rtx-a5000"], {}),
        ("what about the A5000?", ["rtx-a5000"], {}),
        ("how about an rtx a5000", ["rtx-a5000"], {}),
        ("a5000?", ["rtx-a5000"], {}),
        ("and on a 3090 then?", ["rtx-3090"], {}),
        ("the a6000 instead?", ["rtx-a6000"], {}),
        ("what about at 8k?", ["rtx-4090"], {"context": 8192}),
        ("and 128k context?", ["rtx-4090"], {"context": 131072}),
        ("at 16k?", ["rtx-4090"], {"context": 16384}),
        ("in 8-bit?", ["rtx-4090"], {"precision": "int8"}),
        ("what about fp16", ["rtx-4090"], {"precision": "fp16"}),
        ("and in q6_k?", ["rtx-4090"], {"precision": "q6_k"}),
        ("what about two of them?", ["rtx-4090"], {"gpus_count": 2}),
        ("and with 4 of those?", ["rtx-4090"], {"gpus_count": 4}),
        ("and for LoRA?", ["rtx-4090"], {"mode": "lora"}),
        ("what about a full fine tune?", ["rtx-4090"], {"mode": "full"}),
        ("and with vllm?", ["rtx-4090"], {"runtime": "vllm"}),
        ("what about qwen 2.5 14b?", ["rtx-4090"], {"model_id": "qwen2.5-14b"}),
        ("and llama 3 70b?", ["rtx-4090"], {"model_id": "llama-3-70b"}),
        ("and two A5000s?", ["rtx-a5000"], {"gpus_count": 2}),
        ("how about with 2 gpus?", ["rtx-4090"], {"gpus_count": 2}),
        ("and at 128k with vllm?", ["rtx-4090"], {"context": 131072, "runtime": "vllm"}),
        ("what if I use q8?", ["rtx-4090"], {"precision": "q8_0"}),
        ("ok and on a 5090", ["rtx-5090"], {}),
        ("same but for qwen 2.5 32b", ["rtx-4090"], {"model_id": "qwen2.5-32b"}),
        ("then what about 4 bit", ["rtx-4090"], {"precision": "int4"}),
        ("and training it?", ["rtx-4090"], {"mode": "full"}),
        ("what about bf16 at 8k", ["rtx-4090"], {"precision": "bf16", "context": 8192}),
        ("could a 3090 do it?", ["rtx-3090"], {}),
        ("qwen 2.5 14b?", ["rtx-4090"], {"model_id": "qwen2.5-14b"}),
    ],
)
def test_fit_follow_up_changes_one_slot(
    talk: Conversations, follow_up: str, gpus: list[str], changed: dict[str, object]
) -> None:
    first = ask(talk, FIT_32K)
    assert first.fit is not None
    q = ask(talk, follow_up)
    assert q.kind == "fit" and q.fit is not None, (follow_up, q.kind, q.rule)
    assert q.rule.startswith("follow-up"), q.rule
    assert q.gpus == gpus
    expected = {"model_id": "llama-3.1-8b", "precision": "q4_k_m", "context": 32768, "mode": "inference"}
    expected |= {"gpus_count": 1, "runtime": None} | changed
    assert {k: getattr(q.fit, k) for k in expected} == expected, follow_up
    assert q.carried  # something came from context, and the request says what


def test_the_answer_says_what_it_carried_over(talk: Conversations) -> None:
    ask(talk, FIT_32K)
    reply = talk.ask("k", "and the A5000?")
    assert reply.query.carried == {"model": "Llama 3.1 8B", "precision": "Q4_K_M", "context": "32k context"}
    assert reply.answer.summary.startswith("Llama 3.1 8B, Q4_K_M, 32k context — on the RTX A5000:")
    assert reply.answer.gpus == ["rtx-a5000"] and reply.answer.intent == "fits"
    text = render_text(reply.answer)
    assert "RTX A5000" in text and "Llama 3.1 8B" in text
    context = talk.ask("k", "what about at 8k?")
    assert context.answer.summary.startswith("Llama 3.1 8B, Q4_K_M, on the RTX A5000 — 8k context:")


def test_follow_ups_chain(talk: Conversations) -> None:
    q = ask(talk, "llama 3 70b in 4 bit on a 3090", "what about two of them?", "at 16k?", "and for qlora?")
    assert q.fit is not None
    assert (q.gpus, q.fit.gpus_count, q.fit.context, q.fit.mode) == (["rtx-3090"], 2, 16384, "qlora")
    assert q.fit.model_id == "llama-3-70b" and q.rule == "follow-up (will it fit)"


def test_lora_on_a_4_bit_base_is_qlora(talk: Conversations) -> None:
    q = ask(talk, "llama 3.1 8b in 4-bit on a 4090", "and for LoRA?")
    assert q.fit is not None and q.fit.mode == "qlora"


# -- after a look-up, a comparison, a property, a pick ----------------------------------------------------


@pytest.mark.parametrize(
    ("questions", "kind", "gpus", "fields"),
    [
        (["a6000 bandwidth", "and the A5000?"], "lookup", ["rtx-a5000"], ["memory_bandwidth_gbs"]),
        (["a6000 bandwidth", "what about the 4090"], "lookup", ["rtx-4090"], ["memory_bandwidth_gbs"]),
        (["a6000 bandwidth", "vs the 4090?"], "compare", ["rtx-a6000", "rtx-4090"], ["memory_bandwidth_gbs"]),
        (["a6000 bandwidth", "compared to the 3090"], "compare", ["rtx-a6000", "rtx-3090"], ["memory_bandwidth_gbs"]),
        (["a6000 bandwidth", "and the power?"], "lookup", ["rtx-a6000"], ["tdp_w"]),
        (["a6000 bandwidth", "what about vram"], "lookup", ["rtx-a6000"], ["memory_gb"]),
        (["A4000 vs A6000", "and the power?"], "compare", ["rtx-a4000", "rtx-a6000"], ["tdp_w"]),
        (["A4000 vs A6000", "and the A5000?"], "compare", ["rtx-a4000", "rtx-a6000", "rtx-a5000"], []),
        (["A4000 vs A6000", "which is cheaper?"], "property", ["rtx-a4000", "rtx-a6000"], ["launch_price_usd"]),
        (["A4000 vs A6000", "which draws less power?"], "property", ["rtx-a4000", "rtx-a6000"], ["tdp_w"]),
        (["3090 vs 4090 vram", "and the bandwidth?"], "compare", ["rtx-3090", "rtx-4090"], ["memory_bandwidth_gbs"]),
        (["A4000 vs A6000", "and the prices?"], "compare", ["rtx-a4000", "rtx-a6000"], ["launch_price_usd"]),
        (["A4000 vs A6000", "which one has more bandwidth?"], "property", ["rtx-a4000", "rtx-a6000"], []),
        (["A4000 vs A6000", "what about the rtx 4500 ada"], "compare", ["rtx-a4000", "rtx-a6000", "rtx-4500-ada"], []),
        (["A4000 vs A6000", "which one is better for training?"], "verdict", ["rtx-a4000", "rtx-a6000"], []),
        ([FIT_32K, "which draws less power?"], "lookup", ["rtx-4090"], ["tdp_w"]),
        (
            ["which draws less power, the A5000 or the A4500?", "and the A4000?"],
            "property",
            ["rtx-a5000", "rtx-a4500", "rtx-a4000"],
            ["tdp_w"],
        ),
    ],
)
def test_spec_follow_ups(
    talk: Conversations, questions: list[str], kind: str, gpus: list[str], fields: list[str]
) -> None:
    q = ask(talk, *questions)
    assert (q.kind, q.gpus, q.rule.startswith("follow-up")) == (kind, gpus, True), (questions, q.rule)
    if fields:
        assert q.fields[: len(fields)] == fields


def test_property_follow_up_keeps_its_direction(talk: Conversations) -> None:
    q = ask(talk, "which draws less power, the A5000 or the A4500?", "and the A4000?")
    assert q.property_more is False
    answer = talk.engine.answer(q)
    assert answer.recommendation == "rtx-a4000"  # 140 W, the least of the three


@pytest.mark.parametrize(
    ("questions", "budget", "workload"),
    [
        (["best gpu for inference under $2000", "what about under $1000?"], 1000.0, "inference"),
        (["best gpu for inference under $2000", "and for training?"], 2000.0, "training"),
        (["best gpu for inference under $2000", "and under 1500 euros?"], None, "inference"),
    ],
)
def test_advice_follow_ups(talk: Conversations, questions: list[str], budget: float | None, workload: str) -> None:
    q = ask(talk, *questions)
    assert q.kind == "pick" and q.workload == workload and q.rule.startswith("follow-up")
    if budget is not None:
        assert q.budget_usd == budget
    else:
        assert q.budget_currency == "eur"


# -- questions that are not follow-ups -------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "A4000 vs A6000",
        "what is nvlink",
        "what is vram",
        "best single-slot card under $1500",
        "can I run llama 3 70b in 4-bit on one A6000?",
        "is the 4090 good for training?",
        "A6000 specs",
        "3090 vram",
        "rtx 6000 specs",
        "does the 7900 xtx support pytorch?",
        "macbook m3 max for llm",
        "how much vram for qwen2.5 32b at 32k context?",
        "which gpu has the most memory?",
        "thanks!",
        "hello",
        "cuda vs rocm",
        "what psu for 2x 3090",
        "4x A4000 vs 1x A6000",
        "tell me about the 4090",
        "what's the best gpu for llms under $1000?",
        "which gpu is better for training?",
    ],
)
@pytest.mark.parametrize("before", [FIT_32K, "A4000 vs A6000", "a6000 bandwidth", "best gpu for inference under $2000"])
def test_complete_questions_start_afresh(talk: Conversations, engine: Engine, before: str, question: str) -> None:
    ask(talk, before)
    q = ask(talk, question)
    fresh = engine.parser.parse(question)
    assert not q.rule.startswith("follow-up") and not q.carried, (before, question, q.rule)
    assert (q.kind, q.gpus, q.rule) == (fresh.kind, fresh.gpus, fresh.rule)


def test_nothing_before_means_nothing_carried(talk: Conversations, engine: Engine) -> None:
    for question in ["and the A5000?", "what about at 32k?", "in 8-bit?", "what about two of them?"]:
        q = talk.read("new", question)
        assert not q.carried and q.rule == engine.parser.parse(question).rule


# -- the store: time, keys, replies, bounds ---------------------------------------------------------------


def test_follow_up_after_the_timeout_is_new(talk: Conversations, clock: Clock) -> None:
    ask(talk, FIT_32K)
    clock.now += 899
    assert ask(talk, "and the A5000?").rule.startswith("follow-up")
    clock.now += 901  # the last question (the follow-up) was 901 s ago
    q = ask(talk, "and the A5000?")
    assert q.kind == "lookup" and not q.carried


def test_conversations_are_separate(talk: Conversations) -> None:
    ask(talk, FIT_32K, key=("alice", 1))
    ask(talk, "A4000 vs A6000", key=("bob", 1))
    alice = ask(talk, "and the A5000?", key=("alice", 1))
    bob = ask(talk, "and the A5000?", key=("bob", 1))
    elsewhere = ask(talk, "and the A5000?", key=("alice", 2))
    assert alice.kind == "fit" and bob.kind == "compare" and elsewhere.kind == "lookup"


def test_a_reply_continues_the_answer_it_replies_to(talk: Conversations) -> None:
    first = talk.ask("k", FIT_32K)
    talk.remember_message(111, first.query)
    second = talk.ask("k", "A4000 vs A6000")
    talk.remember_message(222, second.query)
    replied = talk.read("k", "and the A5000?", reply_to=111)
    latest = talk.read("k", "and the A5000?")
    assert replied.kind == "fit" and replied.gpus == ["rtx-a5000"]
    assert latest.kind == "compare" and "rtx-a5000" in latest.gpus
    unknown = talk.read("k", "and the A5000?", reply_to=999)  # not a bot answer: the last question
    assert unknown.kind == "compare"


def test_store_is_bounded(clock: Clock) -> None:
    store = ConversationStore(ttl_s=60, max_keys=3, max_messages=2, clock=clock)
    q = Query(text="x", intent="lookup", kind="lookup")
    for k in range(5):
        store.remember(k, q)
        store.remember_message(k, q)
    assert store.size == (3, 2)
    assert store.last(0) is None and store.last(4) is q
    assert store.message(2) is None and store.message(4) is q
    store.last(2)  # used: kept over 3
    store.remember(9, q)
    assert store.last(2) is q and store.last(3) is None


def test_unanswerable_questions_keep_the_context(talk: Conversations) -> None:
    q = ask(talk, FIT_32K, "thanks!", "what is nvlink", "and the A5000?")
    assert q.kind == "fit" and q.gpus == ["rtx-a5000"]


def test_explain_shows_the_carried_slots(talk: Conversations) -> None:
    ask(talk, FIT_32K)
    explained = talk.explain("k", "in 8-bit?")
    assert explained["rule"] == "follow-up (will it fit)"
    assert explained["request"]["carried"] == {
        "model": "Llama 3.1 8B",
        "context": "32k context",
        "gpus": "on the GeForce RTX 4090",
    }
    assert explained["request"]["fit"]["precision"] == "int8"
    assert talk.store.last("k") is not None and talk.store.last("k").fit.precision == "q4_k_m"  # type: ignore[union-attr]


def test_one_shot_ask_stays_stateless(engine: Engine) -> None:
    engine.ask(FIT_32K)
    assert engine.ask("and the A5000?").intent == "lookup"


# -- the words are data, checked at load ------------------------------------------------------------------


def test_followup_words_load(catalog: object) -> None:
    words = load_followup_words(Path(__file__).resolve().parent.parent / "specs")
    assert words.opens("and the a5000") and words.opens("what about at 32k")
    assert not words.opens("band a5000") and not words.opens("the a5000 and the 4090")


@pytest.mark.parametrize(
    ("section", "field"),
    [({"leads": []}, "leads"), ({"refs": ["ok", 3]}, "refs"), ({"bogus": ["x"]}, "bogus"), ({}, "leads")],
)
def test_followup_words_errors_name_entry_and_field(specs_copy: Path, section: dict[str, object], field: str) -> None:
    path = specs_copy / "lexicon.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    good = raw["followups"]
    raw["followups"] = {k: v for k, v in good.items() if k not in section and section} | section
    if not section:
        raw["followups"] = {k: v for k, v in good.items() if k != "leads"}
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_followup_words(specs_copy)
    assert "lexicon.yaml" in str(err.value) and "followups" in str(err.value) and field in str(err.value)


# -- more slots: memory sizes, variants, vendors, a card after a pick, a workload after a card -------------------


def test_a_memory_size_instead_of_a_card(talk: Conversations) -> None:
    q = ask(talk, "llama 3 70b in 4 bit on a 3090", "is 48gb enough?")
    assert q.fit is not None and (q.gpus, q.fit.capacity_gb, q.fit.model_id) == ([], 48.0, "llama-3-70b")
    q = ask(talk, "and on an a6000?")
    assert q.fit is not None and (q.gpus, q.fit.capacity_gb) == (["rtx-a6000"], None)


def test_a_card_with_variants_is_answered_for_each_and_kept(talk: Conversations) -> None:
    q = ask(talk, "llama 3 70b in 4 bit on a 3090", "does it fit on a 3060?")
    assert q.kind == "fit" and q.gpus == [] and [m.text for m in q.ambiguous] == ["3060"]
    q = ask(talk, "and llama 3 8b?")
    assert q.fit is not None and q.fit.model_id == "llama-3-8b" and [m.text for m in q.ambiguous] == ["3060"]


@pytest.mark.parametrize(("follow_up", "vendor"), [("what about amd?", "AMD"), ("nvidia only?", "NVIDIA")])
def test_a_vendor_after_a_pick(talk: Conversations, follow_up: str, vendor: str) -> None:
    q = ask(talk, "best gpu for inference under $2000", follow_up)
    assert (q.kind, q.vendor, q.workload, q.budget_usd) == ("pick", vendor, "inference", 2000.0)
    assert talk.engine.catalog.gpus[talk.engine.answer(q).recommendation or ""].vendor == vendor


def test_a_card_after_a_pick_asks_for_a_verdict(talk: Conversations) -> None:
    q = ask(talk, "best gpu for training under $3000", "and the 4090?")
    assert (q.kind, q.gpus, q.workload, q.budget_usd) == ("verdict", ["rtx-4090"], "training", 3000.0)


def test_a_workload_after_one_card(talk: Conversations) -> None:
    q = ask(talk, "a6000 specs", "and for training?")
    assert (q.kind, q.gpus, q.workload) == ("verdict", ["rtx-a6000"], "training")


def test_my_rig_as_a_follow_up(talk: Conversations) -> None:
    from bot.rigs import rig_of

    ask(talk, FIT_32K)
    reply = talk.ask("k", "what about my rig?", rig=rig_of("rtx-3090", 2))
    q = reply.query
    assert q.fit is not None and (q.gpus, q.fit.gpus_count, q.fit.context) == (["rtx-3090"], 2, 32768)
    assert reply.answer.summary.startswith("Llama 3.1 8B, Q4_K_M, 32k context — on 2× GeForce RTX 3090:")


def test_a_pick_after_a_clarifying_follow_up_continues_it(talk: Conversations) -> None:
    ask(talk, FIT_32K)
    clarify = talk.ask("k", "and the rtx 6000?")
    assert clarify.query.kind == "clarify" and clarify.answer.choices
    answer = talk.choose("k", "and the rtx 6000?", "rtx-a6000")
    assert answer.intent == "fits" and answer.gpus == ["rtx-a6000"]
    assert answer.summary.startswith("Llama 3.1 8B, Q4_K_M, 32k context — on the RTX A6000:")


def test_real_questions_asked_in_a_row_are_rarely_read_as_follow_ups(engine: Engine) -> None:
    """The understanding corpus (489 questions people asked, each complete on its own), asked one after another in
    one conversation: only questions that really lean on a previous one ("does it work on the 3060?") may be read as
    follow-ups, never a listing, a ranking, a topic or hardware outside the catalog."""
    corpus = Path(__file__).resolve().parent / "corpus" / "understanding.yaml"
    questions = [item["q"] for item in yaml.safe_load(corpus.read_text(encoding="utf-8"))["questions"]]
    talk = Conversations(engine)
    followed = []
    for question in questions:
        fresh = engine.parser.parse(question)
        q = talk.ask("k", question).query
        if q.rule.startswith("follow-up"):
            followed.append((question, fresh.kind, q.rule))
    assert not [f for f in followed if f[1] in ("list", "rank", "faq", "software", "outside", "clarify")], followed
    assert len(followed) <= len(questions) // 100, followed


def test_a_question_asked_again_after_a_pick_is_read_afresh(talk: Conversations, engine: Engine) -> None:
    engine.choose("rtx 6000 specs", "rtx-a6000")  # the parser keeps the completed reading for a second pick
    assert talk.ask("other", "rtx 6000 specs").query.kind == "clarify"


def test_a_bot_answer_aliases_its_question(clock: Clock) -> None:
    store = ConversationStore(clock=clock)
    q = Query(text="x", intent="lookup", kind="lookup")
    store.alias_message(2, 1)  # nothing known about 1: nothing to alias
    assert store.message(2) is None
    store.remember_message(1, q)
    store.alias_message(2, 1)
    assert store.message(2) is q


def test_a_time_out_of_zero_turns_follow_ups_off(engine: Engine) -> None:
    talk = Conversations(engine, ConversationStore(ttl_s=0))
    first = talk.ask("k", FIT_32K)
    talk.remember_message(1, first.query)
    assert talk.read("k", "and the A5000?").kind == "lookup"
    assert talk.read("k", "and the A5000?", reply_to=1).kind == "lookup"


def test_a_speed_asked_as_a_follow_up_and_carried(talk: Conversations) -> None:
    q = ask(talk, "can I run llama 3.1 8b on a 4090?", "how fast would it be?")
    assert q.fit is not None and q.fit.speed_asked and q.gpus == ["rtx-4090"]
    answer = talk.engine.answer(q)
    assert "tokens/s" in answer.summary
    q = ask(talk, "and on a 3090?")
    assert q.fit is not None and q.fit.speed_asked and q.gpus == ["rtx-3090"]
