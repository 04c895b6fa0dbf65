"""How the cards of a multi-GPU fit talk to each other: said as it is, never an NVLink the asker may not have."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.render import answer_json

LINKS = [
    ("can I run llama 3 70b on two 3090s", "NVLink if the cards are bridged, else PCIe"),  # a bridge is optional
    ("llama 3 70b in 4 bit on 2x rtx a6000", "NVLink if the cards are bridged, else PCIe"),
    ("llama 3.1 405b fp8 on 8x h100 sxm", "goes over NVLink."),  # built into the baseboard
    ("llama 3 70b in 4 bit on 2x 4090", "PCIe only (no NVLink)"),
]


@pytest.mark.parametrize(("question", "said"), LINKS)
def test_the_link_between_cards_is_what_the_cards_have(engine: Engine, question: str, said: str) -> None:
    text = answer_json(engine.ask(question))["text"]
    split = [line for line in text.splitlines() if line.startswith("- Split across")]
    assert split and said in split[0], split
