"""``gpubot chat``: questions in a loop, one conversation (follow-ups, the saved rig), numbered choices, the Hub
asked in a worker thread; and what the one-shot ``gpubot ask`` shares with it (the log row, when to search the Hub)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings, default_history_path
from bot.logstore import LogEntry

if TYPE_CHECKING:
    from bot.answer import Answer
    from bot.engine import Engine
    from bot.hub_ask import HubAsk

__all__ = ["CHAT_COMMANDS", "log_entry", "may_search", "run_chat"]

EXIT_OK = 0


def log_entry(question: str, answer: Answer, latency_ms: float) -> LogEntry:
    return LogEntry(
        question=question,
        intent=answer.intent,
        source="cli",
        gpus=answer.gpus or [c.gpu for c in answer.choices],
        fields=answer.fields,
        answered=answer.answered,
        latency_ms=latency_ms,
        summary=answer.summary_line,
        kind=answer.kind,
        rule=answer.rule,
    )


def may_search(question: str, answer: Answer) -> bool:
    if answer.intent not in ("fits", "lookup"):
        return False
    from bot.hub_ask import may_name_a_model

    return may_name_a_model(question, answer)


def _readline_setup() -> Path | None:
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return None
    path = default_history_path()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            readline.read_history_file(path)
    readline.set_history_length(1000)
    return path


def _readline_save(path: Path | None) -> None:
    if path is None:
        return
    import readline

    with contextlib.suppress(OSError):
        readline.write_history_file(path)


def _render_text(answer: Answer) -> str:
    from bot.render import render_text

    return render_text(answer, numbered=True)


#: What the chat adds to the bot's own help ("help", "what can you do?").
CHAT_COMMANDS = "In this chat: type a number to pick from a list of choices; 'quit' (or Ctrl-D) leaves."


def _pick(
    choose: Callable[[str, str, str], Answer], last: Answer | None, typed: str
) -> tuple[Answer, float, str] | str | None:
    """A number typed after a list of choices: the answer for that choice (``choose(conversation, question, gpu)``,
    which continues the conversation), or a hint when the number is out of range (the list stays open); None when
    no list is open or ``typed`` is not a number."""
    if last is None or not last.choices or not typed.isdigit():
        return None
    number = int(typed)
    if not 1 <= number <= len(last.choices):
        return f"Pick a number from 1 to {len(last.choices)}, or ask something else."
    picked = last.choices[number - 1].gpu
    return choose("chat", last.question, picked), 0.0, f"{last.question} [{picked}]"


class _LazyHub:
    """The Hub for the chat, made (and ``huggingface_hub`` imported) on the first question that needs it; every
    lookup in a worker thread, so the loop stays responsive."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._hub: HubAsk | None = None

    @property
    def hub(self) -> HubAsk:
        if self._hub is None:
            from bot.hub_ask import HubAsk

            self._hub = HubAsk(self.engine)
        return self._hub

    async def prepare(self, question: str) -> list[str]:
        """A Hub repository the question names, looked up before the question is answered; the answer's notes."""
        import asyncio

        return await asyncio.to_thread(self.hub.prepare, question) if "/" in question else []

    async def finish(self, question: str, answer: Answer, notes: list[str]) -> Answer:
        """The answer with the lookup's notes; or, for a model the catalog lacks by name, the Hub's search."""
        import asyncio

        if notes:
            from bot.hub_ask import annotate

            return annotate(answer, notes, self.engine.models)
        if not may_search(question, answer) or (name := self.hub.unplaced_name(question, answer)) is None:
            return answer
        return await asyncio.to_thread(self.hub.by_name, question, name, answer)


async def run_chat(engine: Engine, settings: Settings, explain: bool = False) -> int:
    import asyncio

    history = _readline_setup()
    from bot.cli_rig import profile_store
    from bot.conversation import Conversations, ConversationStore
    from bot.render import render_explain
    from bot.storage import QueryLog  # the async log (and its thread) only for chat

    talk = Conversations(engine, ConversationStore(ttl_s=settings.followup_seconds))  # the session: one conversation
    rig = profile_store(engine).get()

    qlog = await QueryLog.open(settings.database) if settings.query_log else None
    print(f"GPU Advisor: {len(engine.catalog)} GPUs. Ask anything; 'help' for examples, 'quit' to leave.")
    last: Answer | None = None
    hub: _LazyHub | None = None
    try:
        while True:
            try:
                line = await asyncio.to_thread(input, "gpu> ")
            except (EOFError, KeyboardInterrupt):
                print()
                break
            question = line.strip()
            if question.lower() in {"quit", "exit", ":q", "bye"}:
                break
            turn = _pick(talk.choose, last, question) if question else None
            if isinstance(turn, str):
                print(turn + "\n")
                continue
            if turn is None and not question:
                continue
            if turn is None:
                if explain:
                    print(render_explain(talk.explain("chat", question, rig=rig)) + "\n")
                hub = hub or _LazyHub(engine)
                notes = await hub.prepare(question)
                reply = talk.ask("chat", question, rig=rig)
                answer = await hub.finish(question, reply.answer, notes)
                turn = (answer, reply.latency_ms, question)
            answer, latency, asked = turn
            text = _render_text(answer)
            print(text + (f"\n\n{CHAT_COMMANDS}" if answer.rule == "empty" else "") + "\n")
            last = answer
            if qlog is not None:
                qlog.submit(log_entry(asked, answer, latency))
    finally:
        _readline_save(history)
        if qlog is not None:
            await qlog.close()
    return EXIT_OK
