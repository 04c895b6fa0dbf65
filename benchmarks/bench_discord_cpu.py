"""CPU per answer on Discord: GPU Advisor against a *rich echo* bot, for mentions and slash commands.

The rich echo sends, for each question, the very embeds and buttons GPU Advisor would send for it
(built before the clock starts) and computes nothing: the difference between the two is what GPU
Advisor's own work costs (understanding, composing, rendering, the query log). Both run in this process
through unmodified discord.py against the fake Discord server (tests/fake_discord.py), which runs
in its own process with the load driver, as in bench_discord.py: it keeps ``--batch`` questions in
flight and reports when every one is answered. The figure is the CPU time of this process
(``time.process_time``: every thread, so the query log's writer too) from the first question of the
measured run to the last answer, divided by the number of answers. CPU time is steadier than wall
time on a shared machine; the runs alternate echo and GPU Advisor, and the medians are printed.

    python benchmarks/bench_discord_cpu.py [--questions 600] [--rounds 3] [--mode mention|slash|both]
    python benchmarks/bench_discord_cpu.py --profile slash   # cProfile of GPU Advisor's process

Goal (issue 12): rich echo CPU / GPU Advisor CPU per answer >= 0.67 for mentions and for slash commands.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging
import pstats
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.bench_discord import TEMPLATES  # noqa: E402
from bot.answer import Answer  # noqa: E402
from bot.button_store import ButtonStore  # noqa: E402
from bot.client import GpuBot  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.discord_backlog import warm_up  # noqa: E402
from bot.discord_buttons import present  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.storage import QueryLog  # noqa: E402
from tests.fake_discord import FakeDiscord, Interaction, running_bot, running_fake  # noqa: E402

GOAL = 0.67
MODES = ("mention", "slash")


def questions(n: int) -> list[str]:
    """``n`` distinct questions: bench_discord.py's templates in turn (the same mix for any ``n``), each
    with catalog names, the pairs spread over the catalog."""
    names = [g.short_name for g in Engine.from_specs().catalog]
    out: list[str] = []
    seen: set[str] = set()
    i = 0
    while len(out) < n:
        template = TEMPLATES[i % len(TEMPLATES)]
        a, b = names[(i * 5) % len(names)], names[(i * 11 + 3) % len(names)]
        q = template.format(a=a, b=b)
        while q in seen:
            q += " please"
        seen.add(q)
        out.append(q)
        i += 1
    return out


# -- the server process: the fake and the load driver ------------------------------------------------


@dataclass
class Driver:
    """Sends questions as mentions or ``/ask`` interactions, ``batch`` unanswered at most."""

    fake: FakeDiscord
    mode: str
    batch: int
    pending: dict[str, Interaction] = field(default_factory=dict)  # interaction token -> handle
    deferred: set[str] = field(default_factory=set)

    async def send(self, question: str) -> None:
        if self.mode == "mention":
            await self.fake.message(question, mentions_bot=True)
        else:
            handle = await self.fake.slash("ask", {"question": question})
            self.pending[handle.token] = handle

    def answered(self, recs: list[Any]) -> int:
        """How many questions the requests ``recs`` completed (one per question, extra messages aside)."""
        done = 0
        for r in recs:
            if not (r.method == "POST" and r.ok):
                continue
            if self.mode == "mention":
                done += bool(r.path.endswith("/messages") and (r.json or {}).get("message_reference"))
            elif r.path.endswith("/callback"):
                token = r.path.split("/")[3]
                if int((r.json or {}).get("type", 0)) == 5:
                    self.deferred.add(token)  # a deferral: the answer is the first follow-up
                elif self.pending.pop(token, None) is not None:
                    done += 1
            elif r.path.startswith("/webhooks/"):
                token = r.path.split("/")[3]
                if token in self.deferred and self.pending.pop(token, None) is not None:
                    self.deferred.discard(token)
                    done += 1
        return done

    async def drive(self, qs: list[str]) -> None:
        seen = self.fake.mark()
        answered = sent = 0
        while answered < len(qs):
            while sent < len(qs) and sent - answered < self.batch:
                await self.send(qs[sent])
                sent += 1
            await self.fake.changed(timeout=60)
            answered += self.answered(self.fake.requests[seen:])
            seen = len(self.fake.requests)


async def serve(mode: str, n: int, batch: int) -> None:
    qs = questions(n + batch)
    async with running_fake(echo_bot_messages=False, interaction_timeout=None) as fake:
        print(json.dumps({"api_base": fake.api_base, "gateway_url": fake.gateway_url}), flush=True)
        await fake.wait_ready(timeout=60)
        await asyncio.sleep(0.5)  # the bot's guild_ready_timeout
        driver = Driver(fake, mode, batch)
        await driver.drive(qs[:batch])  # warm-up
        await asyncio.sleep(0.3)
        print(json.dumps({"event": "start"}), flush=True)
        t0 = time.perf_counter()
        await driver.drive(qs[batch:])
        wall = time.perf_counter() - t0
        await asyncio.sleep(0.3)  # what an answer does after it is sent (the log row) is counted too
        print(json.dumps({"event": "done", "wall": wall}), flush=True)
        await asyncio.sleep(0.3)


# -- the bot process -------------------------------------------------------------------------------


class _EchoHost:
    """What :func:`~bot.discord_buttons.present` needs to build an answer's buttons (never clicked here)."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings, self.engine = settings, engine
        self.buttons = ButtonStore(None)


@dataclass
class Prepared:
    messages: list[list[discord.Embed]]
    view: discord.ui.View


def prepare(engine: Engine, settings: Settings, qs: list[str]) -> dict[str, Prepared]:
    """What GPU Advisor sends for each question, built now so that the echo computes nothing."""
    host: Any = _EchoHost(settings, engine)
    out: dict[str, Prepared] = {}
    for q in qs:
        answer: Answer = engine.ask(q)
        messages, view, _ = present(host, answer, author_id=FakeDiscord.MEMBER_ID)
        out[q] = Prepared(messages, view)
    return out


class RichEcho(discord.Client):
    """Replies to a mention or ``/ask`` with the prepared embeds and buttons, and nothing else."""

    def __init__(self, prepared: dict[str, Prepared], **options: Any) -> None:
        super().__init__(
            intents=discord.Intents.default() | discord.Intents(message_content=True),
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.prepared = prepared
        self.by_content: dict[str, Prepared] = {}
        self.tree = app_commands.CommandTree(self)

        @self.tree.command(name="ask", description="Ask anything about GPUs in plain English.")
        async def ask(interaction: discord.Interaction[Any], question: str) -> None:
            reply = self.prepared[question]
            await interaction.response.send_message(embeds=reply.messages[0], view=reply.view)
            for extra in reply.messages[1:]:
                await interaction.followup.send(embeds=extra)

    async def setup_hook(self) -> None:
        me = self.user.id if self.user is not None else FakeDiscord.BOT_USER_ID
        self.by_content = {f"<@{me}> {q}": p for q, p in self.prepared.items()}

    async def on_message(self, message: discord.Message) -> None:
        reply = self.by_content.get(message.content)
        if reply is None:
            return
        await message.reply(embeds=reply.messages[0], view=reply.view, mention_author=False)
        for extra in reply.messages[1:]:
            await message.channel.send(embeds=extra)


async def measure(
    kind: str, mode: str, n: int, batch: int, tmp: Path, profile: cProfile.Profile | None
) -> tuple[float, int]:
    """Run one server process and one bot; return the bot's CPU milliseconds per answer, and how many
    slash answers GPU Advisor deferred (it does when interactions reach it late: a backlog)."""
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve",
        mode,
        "--questions",
        str(n),
        "--batch",
        str(batch),
        stdout=asyncio.subprocess.PIPE,
    )
    if server.stdout is None:
        raise RuntimeError("no pipe to the server process")
    endpoints = json.loads(await server.stdout.readline())
    discord.http.Route.BASE = endpoints["api_base"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = discord.gateway.yarl.URL(endpoints["gateway_url"])
    settings = Settings(
        db_path=tmp / f"q-{kind}-{mode}.sqlite3",
        discord_token=FakeDiscord.TOKEN,
        api_base=endpoints["api_base"],
        gateway_url=endpoints["gateway_url"],
        cooldown_rate=10**9,
        cooldown_per=1.0,
    )
    engine = Engine.from_specs()
    client: discord.Client
    if kind == "echo":
        client = RichEcho(prepare(engine, settings, questions(n + batch)), guild_ready_timeout=0.05)
    else:
        qlog = await QueryLog.open(settings.database)
        client = GpuBot(settings=settings, engine=engine, query_log=qlog, guild_ready_timeout=0.05)
    async with running_bot(FakeDiscord(), client, timeout=60):
        line = json.loads(await server.stdout.readline())
        if line.get("event") != "start":
            raise RuntimeError(f"unexpected line from the server process: {line}")
        if profile is not None:
            profile.enable()
        cpu = time.process_time()
        line = json.loads(await server.stdout.readline())
        cpu = time.process_time() - cpu
        if profile is not None:
            profile.disable()
    await server.wait()
    return cpu * 1000 / n, client.gate.deferred if isinstance(client, GpuBot) else 0


async def main(modes: tuple[str, ...], n: int, rounds: int, batch: int) -> None:
    warm_up(Engine.from_specs())  # as `gpubot run` does at start (the heap frozen: for both bots alike)
    results: dict[tuple[str, str], list[float]] = {}
    deferred = 0
    with tempfile.TemporaryDirectory() as tmp:
        for mode in modes:
            for _ in range(rounds):
                for kind in ("echo", "gpubot"):  # alternated: drift on a shared machine hits both
                    ms, late = await measure(kind, mode, n, batch, Path(tmp), None)
                    results.setdefault((kind, mode), []).append(ms)
                    deferred += late
    print(f"CPU per answer of the bot's process, {n} distinct questions, {batch} in flight, median of {rounds} runs:")
    for mode in modes:
        echo = statistics.median(results[("echo", mode)])
        gpu = statistics.median(results[("gpubot", mode)])
        pairs = zip(results[("echo", mode)], results[("gpubot", mode)], strict=True)
        runs = ", ".join(f"{e:.2f}/{g:.2f}" for e, g in pairs)
        verdict = "ok" if echo / gpu >= GOAL else "BELOW GOAL"
        print(
            f"  {mode:8} rich echo {echo:5.2f} ms   GPU Advisor {gpu:5.2f} ms   "
            f"echo / GPU Advisor {echo / gpu:4.2f} (goal >= {GOAL}: {verdict})   runs echo/gpu: {runs}"
        )
    if "slash" in modes:
        print(f"  slash answers GPU Advisor deferred (interactions that reached it late): {deferred}")


async def profile_run(mode: str, n: int, batch: int, top: int, kind: str = "gpubot") -> None:
    profile = cProfile.Profile(time.process_time)  # CPU time: waits for the other process do not count
    with tempfile.TemporaryDirectory() as tmp:
        ms, _ = await measure(kind, mode, n, batch, Path(tmp), profile)
    print(f"{kind}, {mode}: {ms:.2f} ms CPU per answer (with the profiler on)")
    pstats.Stats(profile).sort_stats("tottime").print_stats(top)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--questions", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch", type=int, default=16, help="questions in flight (default 16)")
    ap.add_argument("--mode", choices=(*MODES, "both"), default="both")
    ap.add_argument("--profile", choices=MODES, help="profile GPU Advisor's process in this mode instead")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--serve", choices=MODES, help=argparse.SUPPRESS)
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    if args.serve:
        asyncio.run(serve(args.serve, args.questions, args.batch))
    elif args.profile:
        asyncio.run(profile_run(args.profile, args.questions, args.batch, args.top))
    else:
        selected = MODES if args.mode == "both" else (args.mode,)
        asyncio.run(main(selected, args.questions, args.rounds, args.batch))
