"""Follow-ups about the cards the last answer settled on (Query.about, bot/followup.py): "and its bandwidth?" after
a pick or a verdict is a look-up of that card, "can it run llama 3 70b?" a fit on it, "can they run it?" after two
cards their setups side by side; complete questions still read on their own."""

from __future__ import annotations

import pytest

from bot.conversation import Conversations, ConversationStore, led_by
from bot.engine import Engine
from bot.request import Query


@pytest.fixture
def talk(engine: Engine) -> Conversations:
    return Conversations(engine, ConversationStore(ttl_s=900))


def _first_then(talk: Conversations, first: str, *then: str) -> tuple[str | None, Query]:
    """The card the first answer settled on (its pick, or the card it judged), and the last request."""
    reply = talk.ask("k", first)
    judged = reply.query.kind == "verdict" and len(reply.query.gpus) == 1
    settled = reply.query.gpus[0] if judged else reply.answer.recommendation
    query = reply.query
    for question in then:
        query = talk.ask("k", question).query
    return settled, query


# -- a property of the card an advice answer settled on: a look-up of that card ----------------------------------


@pytest.mark.parametrize(
    ("first", "follow_up", "field"),
    [
        ("is the 4090 good for training?", "and its bandwidth?", "memory_bandwidth_gbs"),
        ("is the 4090 good for training?", "how about power draw", "tdp_w"),
        ("is a p40 worth it for local llms?", "what's its memory bandwidth", "memory_bandwidth_gbs"),
        ("is the 3090 good for stable diffusion?", "and its tdp?", "tdp_w"),
        ("A4000 or A6000 for training?", "and its bandwidth?", "memory_bandwidth_gbs"),
        ("best card for training under $2000", "and its bandwidth?", "memory_bandwidth_gbs"),
        ("best card for training under $2000", "what about its power draw?", "tdp_w"),
        ("which gpu has the most memory?", "what is its bandwidth", "memory_bandwidth_gbs"),
        ("which gpu has the most memory?", "and what's its launch price?", "launch_price_usd"),
        ("best gpu to run llama 3 70b", "how much power does it draw", "tdp_w"),
        ("best single-slot card under $1500", "and its memory bandwidth?", "memory_bandwidth_gbs"),
        ("cheapest nvidia card with at least 24gb", "what about its tdp", "tdp_w"),
    ],
)
def test_a_property_of_the_card_settled_on(talk: Conversations, first: str, follow_up: str, field: str) -> None:
    settled, q = _first_then(talk, first, follow_up)
    assert settled is not None
    assert (q.kind, q.gpus, q.rule.startswith("follow-up")) == ("lookup", [settled], True), (follow_up, q.rule)
    assert field in q.fields
    answer = talk.engine.answer(q)
    assert any(f.gpu == settled and f.field == field for f in answer.facts)


def test_a_pick_among_named_cards_points_to_the_card_picked(talk: Conversations) -> None:
    reply = talk.ask("k", "A4000 or A6000 for training?")
    assert reply.answer.recommendation == "rtx-a6000"
    assert reply.query.about == ["rtx-a6000"]
    assert talk.ask("k", "and its bandwidth?").query.gpus == ["rtx-a6000"]


# -- a model after a card: that model on that card ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "follow_up", "model"),
    [
        ("is the 4090 good for llms?", "can it run llama 3 70b?", "llama-3-70b"),
        ("is the 4090 good for llms?", "and mixtral?", "mixtral-8x7b"),
        ("is the 3090 worth it for ai?", "could it handle qwen 2.5 32b?", "qwen2.5-32b"),
        ("rtx 3090 specs", "can it run llama 3 70b?", "llama-3-70b"),
        ("rtx 3090 specs", "and llama 3 70b?", "llama-3-70b"),
        ("a6000 vram", "will it fit mixtral in 4 bit?", "mixtral-8x7b"),
        ("A4000 or A6000 for training?", "can it fine-tune llama 3 8b with qlora?", "llama-3-8b"),
        ("best card under $1000 for inference", "could it run llama 3 8b at 32k?", "llama-3-8b"),
        ("which gpu has the most memory?", "can it run llama 3 70b in fp16?", "llama-3-70b"),
    ],
)
def test_a_model_on_the_card_settled_on(talk: Conversations, first: str, follow_up: str, model: str) -> None:
    settled, q = _first_then(talk, first, follow_up)
    if settled is None:  # a look-up: the card asked about
        settled = talk.engine.parser.parse(first).gpus[0]
    assert (q.kind, q.gpus, q.rule.startswith("follow-up")) == ("fit", [settled], True), (follow_up, q.rule)
    assert q.fit is not None and q.fit.model_id == model and q.fit.gpus_count == 1


def test_the_fit_on_the_card_then_takes_more_follow_ups(talk: Conversations) -> None:
    _, q = _first_then(talk, "is the 4090 good for llms?", "can it run llama 3 70b?", "what if I had two of them")
    assert (q.kind, q.gpus) == ("fit", ["rtx-4090"]) and q.fit is not None and q.fit.gpus_count == 2
    q = talk.ask("k", "and in 8 bit?").query
    assert q.fit is not None and q.fit.gpus_count == 2 and q.fit.precision in ("int8", "q8_0")
    answer = talk.engine.answer(q)
    assert "2× GeForce RTX 4090" in answer.summary


@pytest.mark.parametrize(
    "follow_up", ["can they run llama 3 70b?", "could either of them run llama 3 70b", "and llama 3 70b?"]
)
def test_a_model_after_two_cards_sets_them_side_by_side(talk: Conversations, follow_up: str) -> None:
    _, q = _first_then(talk, "rtx 4090 vs 5090", follow_up)
    assert (q.kind, q.gpus) == ("setup", ["rtx-4090", "rtx-5090"]), q.rule
    assert q.fit is not None and q.fit.model_id == "llama-3-70b"
    q = talk.ask("k", "and in 8 bit?").query
    assert q.kind == "setup" and q.fit is not None and q.fit.precision in ("int8", "q8_0")
    q = talk.ask("k", "what about two of each").query
    assert q.kind == "setup" and q.counts == {"rtx-4090": 2, "rtx-5090": 2}


# -- complete questions read on their own ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "question", "kind"),
    [
        ("is the 4090 good for training?", "what is memory bandwidth?", "faq"),
        ("is the 4090 good for training?", "why does bandwidth matter so much for llms", "faq"),
        ("best card for training under $2000", "can I run llama 3 70b on a 3090?", "fit"),
        ("is the 4090 good for llms?", "how much vram does llama 3 70b need?", "fit"),
        ("which gpu has the most memory?", "which gpu has the most bandwidth?", "rank"),
        ("rtx 3090 specs", "gddr6 vs hbm, why does it matter for llms", "faq"),
    ],
)
def test_complete_questions_after_an_answer_read_on_their_own(
    talk: Conversations, engine: Engine, first: str, question: str, kind: str
) -> None:
    talk.ask("k", first)
    q = talk.ask("k", question).query
    alone = engine.parser.parse(question)
    assert not q.rule.startswith("follow-up"), q.rule
    assert (q.kind, q.gpus) == (alone.kind, alone.gpus) and q.kind == kind


def test_how_much_vram_for_a_model_after_a_verdict_is_on_no_card(talk: Conversations) -> None:
    q = _first_then(talk, "is the 4090 good for llms?", "how much vram does llama 3 70b need?")[1]
    assert q.gpus == []


# -- what was carried, said once -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead", "summary", "said"),
    [
        (
            "GeForce RTX 4090 — Memory bandwidth:",
            "GeForce RTX 4090 — Memory bandwidth: 1,008 GB/s.",
            "GeForce RTX 4090 — Memory bandwidth: 1,008 GB/s.",
        ),
        (
            "RTX A4000 vs RTX A6000 — TDP / board power:",
            "TDP / board power: 140 W (RTX A4000) vs 300 W (RTX A6000).",
            "RTX A4000 vs RTX A6000 — TDP / board power: 140 W (RTX A4000) vs 300 W (RTX A6000).",
        ),
        (
            "Llama 3 70B — on 2× GeForce RTX 4090:",
            "Yes, in Q4_K_M.",
            "Llama 3 70B — on 2× GeForce RTX 4090: Yes, in Q4_K_M.",
        ),
        ("Llama 3 70B:", "", "Llama 3 70B:"),
    ],
)
def test_the_lead_never_says_a_part_twice(lead: str, summary: str, said: str) -> None:
    assert led_by(lead, summary) == said


@pytest.mark.parametrize(
    "questions",
    [
        ["rtx 4090 specs", "and its bandwidth?", "how about power draw"],
        ["A4000 vs A6000", "and the power?"],
        ["is the 4090 good for training?", "and its bandwidth?"],
    ],
)
def test_a_follow_up_answer_says_the_card_once(talk: Conversations, questions: list[str]) -> None:
    for question in questions:
        reply = talk.ask("k", question)
    head = reply.answer.summary.split(":")[0]
    assert reply.answer.summary.count(head) == 1, reply.answer.summary


# -- a plain amount after a pick made within a budget; a count said alone after a fit ---------------------------


@pytest.mark.parametrize(
    ("first", "follow_up", "budget", "currency"),
    [
        ("best gpu for llms under $1000", "and if I can stretch to 1500?", 1500.0, None),
        ("best gpu for llms under $1000", "what about 2000?", 2000.0, None),
        ("best gpu for llms under $1000", "what about 2k?", 2000.0, None),
        ("best gpu for llms under $1000", "and 1.5k?", 1500.0, None),
        ("best card for blender under 800 euros", "what about 1200?", 1200.0, "eur"),
        ("cheapest card for stable diffusion under $600", "how about 900", 900.0, None),
        ("A4000 or A6000 for training under $3000?", "and 5000?", 5000.0, None),
    ],
)
def test_a_plain_amount_after_a_budgeted_pick_is_the_new_budget(
    talk: Conversations, first: str, follow_up: str, budget: float, currency: str | None
) -> None:
    before = talk.ask("k", first).query
    q = talk.ask("k", follow_up).query
    assert q.rule.startswith("follow-up") and q.kind == before.kind, q.rule
    assert q.budget_usd == budget and q.budget_currency == (currency or before.budget_currency)
    assert not q.gpus or q.gpus == before.gpus  # never a card nobody named ("1500" is no Quadro FX 1500)


def test_a_budget_in_another_currency_is_said_in_it(talk: Conversations) -> None:
    talk.ask("k", "best card for blender under 800 euros")
    talk.ask("k", "what about 1200?")
    answer = talk.ask("k", "and for llms?").answer
    assert "1,200 EUR" in answer.summary and "$1,200" not in answer.summary


@pytest.mark.parametrize("question", ["what about 1500?", "is the 1500 good?", "and 9800?"])
def test_a_bare_number_is_never_an_old_card_nobody_named(engine: Engine, question: str) -> None:
    q = engine.parser.parse(question)
    assert not [g for g in q.gpus if g.startswith("tpu-")], q.gpus


@pytest.mark.parametrize(
    ("first", "follow_up", "count"),
    [
        ("can I run llama 3 70b on a 3090?", "what about with 2?", 2),
        ("can I run llama 3 70b on a 3090?", "and with 4?", 4),
        ("can I run llama 3 70b on a 3090?", "using three", 3),
        ("llama 3 70b on 2x 3090", "and with 1?", 1),
        ("mixtral on a 4090", "what about 2?", 2),
    ],
)
def test_a_count_said_alone_after_a_fit_on_named_cards(
    talk: Conversations, first: str, follow_up: str, count: int
) -> None:
    before = talk.ask("k", first).query
    q = talk.ask("k", follow_up).query
    assert (q.kind, q.gpus) == ("fit", before.gpus) and q.fit is not None and q.fit.gpus_count == count, q.rule


def test_a_bare_number_after_a_fit_without_cards_is_no_count(talk: Conversations) -> None:
    talk.ask("k", "how much vram does llama 3 70b need?")
    q = talk.ask("k", "what about with 2?").query
    assert q.fit is None or q.fit.gpus_count == 1 or q.gpus == []


# -- "how long": a card's length, or the time a job takes ---------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "how long is the 4090?",
        "how long is the rtx 5090",
        "is the 5090 too long for a meshify c",
        "4090 card length",
    ],
)
def test_how_long_is_a_card(engine: Engine, question: str) -> None:
    assert "length_mm" in engine.parser.parse(question).fields


@pytest.mark.parametrize(
    "question",
    [
        "how long per image on a 3060 12gb with sdxl?",
        "how long does it take to generate an image with flux on a 4090",
        "how long will it take llama 3 8b to answer on a 3060 12gb",
        "seconds per image for sdxl on a 4070",
        "llama 3 8b long context on a 4090",
    ],
)
def test_how_long_a_job_takes_is_no_card_length(engine: Engine, question: str) -> None:
    q = engine.parser.parse(question)
    assert "length_mm" not in q.fields and q.kind == "fit"


# -- a budget alone, a verdict on "it", a sibling size, formats kept, "will a 3060 work?" ---------------------------


@pytest.mark.parametrize(
    ("first", "follow_up", "workload", "budget"),
    [
        ("what gpu should i get for local llms", "my budget is 800", "llm", 800.0),
        ("best gpu for stable diffusion", "i can spend up to $1200", "image_generation", 1200.0),
        ("what is the best card for blender?", "budget is around $700", "rendering", 700.0),
        ("best gpu for training", "under $2500 though", "training", 2500.0),
    ],
)
def test_a_budget_said_alone_keeps_the_work_asked_about(
    talk: Conversations, first: str, follow_up: str, workload: str, budget: float
) -> None:
    before = talk.ask("k", first).query
    q = talk.ask("k", follow_up).query
    assert before.workload == workload, before.workload
    assert (q.kind, q.workload, q.budget_usd) == (before.kind, workload, budget), q.rule


@pytest.mark.parametrize(
    ("first", "follow_up", "card", "workload"),
    [
        ("rtx 3090 specs", "is it still worth it?", "rtx-3090", "general"),
        ("is the 3090 good for blender?", "is it still worth it?", "rtx-3090", "rendering"),
        ("best card for training under $2000", "is that card any good?", None, "training"),
        ("which gpu has the most memory?", "is it worth buying?", None, "general"),
        ("a6000 vram", "is it any good for llms?", "rtx-a6000", "llm"),
    ],
)
def test_is_it_worth_it_judges_the_card_settled_on(
    talk: Conversations, first: str, follow_up: str, card: str | None, workload: str
) -> None:
    settled, q = _first_then(talk, first, follow_up)
    card = card or settled
    assert (q.kind, q.gpus, q.workload) == ("verdict", [card], workload), q.rule
    assert q.faq is None and "worth the price over" not in talk.engine.answer(q).title


@pytest.mark.parametrize(
    ("first", "follow_up", "model"),
    [
        ("can I run llama 3 70b on a 3090?", "what about the 8b?", "llama-3-8b"),
        ("llama 3.1 8b on a 4090", "and the 70b?", "llama-3.1-70b"),
        ("I have a 4070 ti, can I run deepseek r1?", "what about the 14b distill?", "deepseek-r1-distill-qwen-14b"),
        ("qwen 2.5 7b on a 3060 12gb", "and the 32b?", "qwen2.5-32b"),
        ("qwen 2.5 7b on a 3060 12gb", "how about 14b", "qwen2.5-14b"),
    ],
)
def test_a_size_after_a_model_is_that_model_s_sibling(
    talk: Conversations, first: str, follow_up: str, model: str
) -> None:
    before = talk.ask("k", first).query
    q = talk.ask("k", follow_up).query
    assert q.kind == "fit" and q.fit is not None and q.fit.model_id == model and q.gpus == before.gpus, q.rule


def test_a_size_no_sibling_has_stays_a_model_of_that_size(talk: Conversations) -> None:
    talk.ask("k", "mixtral 8x7b on a 4090")
    q = talk.ask("k", "what about a 13b?").query
    assert q.fit is not None and q.fit.model_id is None and q.fit.params_b == 13


@pytest.mark.parametrize(
    ("first", "follow_up", "card"),
    [
        ("does the 5090 support fp4?", "and the 4090?", "rtx-4090"),
        ("does the h100 support fp8?", "what about the l40s?", "l40s"),
    ],
)
def test_a_format_question_carries_to_the_next_card(talk: Conversations, first: str, follow_up: str, card: str) -> None:
    before = talk.ask("k", first).query
    q = talk.ask("k", follow_up).query
    assert (q.kind, q.formats) == ("formats", before.formats) and q.gpus[0].startswith(card.split("-")[0]), q.gpus


@pytest.mark.parametrize(
    ("follow_up", "gpus", "count"),
    [
        ("will a 3060 12gb work?", ["rtx-3060"], 1),
        ("would a 4090 do the job?", ["rtx-4090"], 1),
        ("would two 3090s be enough?", ["rtx-3090"], 2),
        ("is a 4070 ti super enough?", ["rtx-4070-ti-super"], 1),
    ],
)
def test_will_a_card_work_for_the_model_asked_about(
    talk: Conversations, follow_up: str, gpus: list[str], count: int
) -> None:
    talk.ask("k", "how much vram does flux need")
    q = talk.ask("k", follow_up).query
    assert (q.kind, q.gpus) == ("fit", gpus) and q.fit is not None and q.fit.model_id == "flux.1-dev", q.rule
    assert q.fit.gpus_count == count


# -- beyond the card settled on: alternatives, "why not X?", its power supply ------------------------------------


@pytest.mark.parametrize(
    ("first", "follow_up", "check"),
    [
        ("best gpu for llms under $2000", "anything cheaper?", "price"),
        ("best gpu for llms under $2000", "a cheaper alternative?", "price"),
        ("is the 4090 good for llms?", "anything cheaper?", "price"),
        ("best card for stable diffusion", "something with more vram?", "memory_gb"),
        ("best gpu for training under $3000", "one that draws less power?", "tdp_w"),
        ("is the 3090 good for blender?", "something cheaper?", "price"),
    ],
)
def test_an_alternative_is_picked_past_the_card_settled_on(
    talk: Conversations, engine: Engine, first: str, follow_up: str, check: str
) -> None:
    settled, q = _first_then(talk, first, follow_up)
    assert settled is not None
    card = engine.catalog.gpus[settled]
    assert q.kind == "pick" and q.rule.startswith("follow-up"), q.rule
    answer = talk.engine.answer(q)
    picked = answer.recommendation
    assert picked != settled
    if check == "price":
        assert q.budget_usd is not None and q.budget_usd < (card.number("launch_price_usd") or 0)
        if picked is not None:
            assert (engine.catalog.gpus[picked].number("launch_price_usd") or 0) < (
                card.number("launch_price_usd") or 0
            )
    else:
        more = check == "memory_gb"
        assert q.limits[check] == (
            {"min": (card.number(check) or 0) + 1} if more else {"max": (card.number(check) or 0) - 1}
        )
        if picked is not None:
            value, base = engine.catalog.gpus[picked].number(check) or 0, card.number(check) or 0
            assert value > base if more else value < base


@pytest.mark.parametrize(
    ("first", "follow_up", "named"),
    [
        ("best gpu for llms under $1500", "why not the 3090?", "rtx-3090"),
        ("best card for training", "what's wrong with the a6000?", "rtx-a6000"),
        ("is the 4090 good for llms?", "why not a 5090?", "rtx-5090"),
        ("best gpu for stable diffusion under $1000", "why didn't you pick the 4070 super?", "rtx-4070-super"),
    ],
)
def test_why_not_sets_the_card_named_against_the_one_settled_on(
    talk: Conversations, first: str, follow_up: str, named: str
) -> None:
    settled, q = _first_then(talk, first, follow_up)
    assert (q.kind, q.gpus) == ("verdict", [settled, named]), q.rule


@pytest.mark.parametrize(
    ("first", "follow_up"),
    [
        ("rtx 4090 specs", "what power supply for it?"),
        ("best card for stable diffusion", "what psu do I need for it?"),
        ("is the 3090 good for llms?", "and what psu would it need?"),
        ("which gpu has the most memory?", "how many watts psu for it"),
    ],
)
def test_the_power_supply_of_the_card_settled_on(talk: Conversations, first: str, follow_up: str) -> None:
    settled, q = _first_then(talk, first, follow_up)
    settled = settled or talk.engine.parser.parse(first).gpus[0]
    assert (q.kind, q.gpus) == ("psu", [settled]), q.rule
    answer = talk.engine.answer(q)
    assert "power supply" in answer.summary and "TDP / board power, Power connectors" not in answer.summary


@pytest.mark.parametrize(
    ("first", "follow_up", "gpus", "count"),
    [
        ("I have two 3090s", "what can I run?", ["rtx-3090"], 2),
        ("my gpu is a 4060 8gb", "what llm can I run", ["rtx-4060"], 1),
        ("is the 4090 good for training?", "what can it run?", ["rtx-4090"], 1),
        ("rtx a6000 specs", "what models can it run?", ["rtx-a6000"], 1),
        ("i have a 3060 12gb", "so what's the biggest model I can run?", ["rtx-3060"], 1),
    ],
)
def test_what_can_i_run_after_a_card_is_what_that_card_runs(
    talk: Conversations, first: str, follow_up: str, gpus: list[str], count: int
) -> None:
    _, q = _first_then(talk, first, follow_up)
    assert (q.kind, q.gpus) == ("fit", gpus) and q.fit is not None, q.rule
    assert q.fit.model_id is None and q.fit.params_b is None and q.fit.gpus_count == count
    assert "biggest model" in talk.engine.answer(q).summary


def test_what_can_i_run_then_a_model_is_that_model_on_the_card(talk: Conversations) -> None:
    _, q = _first_then(talk, "my gpu is a 4060 8gb", "what llm can I run", "is it good for sdxl?")
    assert (q.kind, q.gpus) == ("fit", ["rtx-4060"]) and q.fit is not None and q.fit.model_id == "sdxl-1.0"


@pytest.mark.parametrize(
    ("question", "asks_architecture"),
    [
        ("and for image generation?", False),
        ("4090 for video generation", False),
        ("text generation speed on a 3090", False),
        ("what generation is the a6000", True),
        ("which generation is the rtx 3090", True),
        ("a6000 arch", True),
    ],
)
def test_generation_is_the_architecture_only_when_asked(engine: Engine, question: str, asks_architecture: bool) -> None:
    assert ("architecture" in engine.parser.read(question).fields) is asks_architecture


def test_a_workload_after_a_card_is_a_verdict_for_it(talk: Conversations) -> None:
    _, q = _first_then(talk, "what can a 4090 do", "and for image generation?")
    assert (q.kind, q.gpus, q.workload, q.fields) == ("verdict", ["rtx-4090"], "image_generation", [])


@pytest.mark.parametrize(
    ("first", "follow_up", "kind", "gpus"),
    [
        ("3090 vs 4090 for training", "how much faster is the 4090?", "verdict", ["rtx-4090", "rtx-3090"]),
        ("3090 vs 4090", "how much faster is the 4090?", "compare", ["rtx-4090", "rtx-3090"]),
        ("is the 3090 good for llms?", "how much faster would a 4090 be?", "verdict", ["rtx-4090", "rtx-3090"]),
        ("A4000 or A6000 for training?", "how much slower is the a4000?", "verdict", ["rtx-a4000", "rtx-a6000"]),
    ],
)
def test_how_much_faster_is_set_against_the_last_cards(
    talk: Conversations, first: str, follow_up: str, kind: str, gpus: list[str]
) -> None:
    q = _first_then(talk, first, follow_up)[1]
    assert (q.kind, q.gpus) == (kind, gpus), q.rule
    assert q.ratio_asked is (kind == "verdict")


def test_how_much_faster_than_the_pick(talk: Conversations, engine: Engine) -> None:
    settled, q = _first_then(talk, "best gpu for llms under $1500", "how much faster is the 5090?")
    assert (q.kind, q.gpus, q.ratio_asked) == ("verdict", ["rtx-5090", settled], True)
    assert "as fast as" in engine.answer(q).summary
