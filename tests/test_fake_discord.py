"""End-to-end checks that the fake Discord in ``tests/fake_discord.py`` drives a real discord.py bot."""

from __future__ import annotations

import asyncio
import gc
import io
import warnings
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fake_discord import FakeDiscord, running_bot, running_fake

GPU_MODELS = ["RTX 4090", "RTX 4080", "RTX 3090", "A100", "H100"]


class MoreView(discord.ui.View):
    """A view with a button that edits the message (callback 7) and one that only acks (callback 6)."""

    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="More", custom_id="gpu:more", style=discord.ButtonStyle.primary)
    async def more(self, interaction: discord.Interaction, _button: discord.ui.Button[MoreView]) -> None:
        await interaction.response.edit_message(content="more details", view=None)

    @discord.ui.button(label="Ack", custom_id="gpu:ack")
    async def ack(self, interaction: discord.Interaction, _button: discord.ui.Button[MoreView]) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content="acknowledged")


def make_bot(*, message_content: bool = True) -> commands.Bot:
    """A minimal bot: replies to "hello", and has /gpu (autocomplete + view), /admin, /slow and /file."""
    intents = discord.Intents.default()
    intents.message_content = message_content
    bot = commands.Bot(
        command_prefix="!",
        intents=intents,
        guild_ready_timeout=0.05,
        allowed_mentions=discord.AllowedMentions(everyone=False, roles=False, users=True),
    )

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot:
            return
        if message.content.startswith("hello"):
            await message.reply(f"hi {message.author.display_name}", mention_author=False)

    @app_commands.command(name="gpu", description="Look up a GPU")
    @app_commands.describe(model="GPU model", count="How many")
    async def gpu(interaction: discord.Interaction, model: str, count: int = 1) -> None:
        await interaction.response.send_message(f"{count}x {model}", view=MoreView())

    @gpu.autocomplete("model")
    async def gpu_model(_interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=m, value=m) for m in GPU_MODELS if current.lower() in m.lower()]

    @app_commands.command(name="admin", description="Admins only")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def admin(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("admin ok", ephemeral=True)

    @admin.error
    async def admin_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await interaction.response.send_message(f"denied: {type(error).__name__}", ephemeral=True)

    @app_commands.command(name="slow", description="Defers, then follows up")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("first")
        await interaction.followup.send("second", ephemeral=True)
        await interaction.edit_original_response(content="edited")

    @app_commands.command(name="file", description="Uploads a file")
    async def upload(interaction: discord.Interaction) -> None:
        spec = discord.File(io.BytesIO(b"spec data"), filename="spec.txt")
        await interaction.response.send_message("here", file=spec)

    bot.tree.add_command(gpu)
    bot.tree.add_command(admin)
    bot.tree.add_command(slow)
    bot.tree.add_command(upload)
    return bot


@pytest.fixture(autouse=True)
async def _no_leaks() -> AsyncIterator[None]:
    """Fail on "Unclosed client session" & co: ResourceWarnings and loop exception-handler reports."""
    loop = asyncio.get_running_loop()
    reports: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: reports.append(context))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        yield
        gc.collect()
    loop.set_exception_handler(previous)
    problems = [str(c.get("message")) for c in reports]
    problems += [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert not problems, problems


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with running_fake() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[commands.Bot]:
    client = make_bot()
    async with running_bot(fake, client):
        yield client


async def test_identify_ready_and_sync(fake: FakeDiscord, bot: commands.Bot) -> None:
    identify = fake.identify_payloads[-1]
    assert identify["intents"] == bot.intents.value
    assert fake.gateway_connections[-1]["compress"] == "zlib-stream"  # answered with zlib-compressed frames
    assert bot.user is not None
    assert bot.user.id == FakeDiscord.BOT_USER_ID
    assert bot.application_id == FakeDiscord.APP_ID
    guild = bot.get_guild(FakeDiscord.GUILD_ID)
    assert guild is not None
    assert guild.get_channel(FakeDiscord.CHANNEL_ID) is not None
    assert guild.me.guild_permissions.send_messages

    synced = await bot.tree.sync()
    put = await fake.wait_for(lambda r: r.method == "PUT")
    assert put.path == f"/applications/{FakeDiscord.APP_ID}/commands"
    assert {c["name"] for c in put.json} == {"gpu", "admin", "slow", "file"}
    assert {c.name: c.id for c in synced}["gpu"] == fake.command_id("gpu")
    gpu = next(c for c in put.json if c["name"] == "gpu")
    assert next(o for o in gpu["options"] if o["name"] == "model")["autocomplete"] is True


async def test_reply_to_message(fake: FakeDiscord, bot: commands.Bot) -> None:
    mark = fake.mark()
    message_id = await fake.message("hello there")
    sent = await fake.next_message(after=mark, channel_id=FakeDiscord.CHANNEL_ID)
    assert sent.ok
    assert sent.json["content"] == "hi Member"
    assert sent.json["message_reference"] == {
        "message_id": message_id,
        "channel_id": FakeDiscord.CHANNEL_ID,
        "guild_id": FakeDiscord.GUILD_ID,
    }
    assert sent.json["allowed_mentions"] == {"parse": ["users"], "replied_user": False}
    assert sent.response["type"] == 19
    assert sent.response["referenced_message"]["id"] == str(message_id)
    assert sent.response["mentions"] == []  # replied_user=False: the author is not pinged

    # The bot's own reply is echoed back over the gateway (as Discord does) and must not be answered:
    # the next message the bot sends is the reply to the *second* user message.
    mark = fake.mark()
    second = await fake.message("hello again", author_id=FakeDiscord.ADMIN_ID)
    sent = await fake.next_message(after=mark)
    assert sent.json["message_reference"]["message_id"] == second
    assert sent.json["content"] == "hi Admin"
    assert len(fake.sent_messages()) == 2


async def test_slash_command_autocomplete_and_buttons(fake: FakeDiscord, bot: commands.Bot) -> None:
    await bot.tree.sync()

    interaction = await fake.slash("gpu", {"model": "RTX 4090", "count": 2})
    assert interaction.payload["data"]["id"] == str(fake.command_id("gpu"))
    callback = await interaction.response()
    assert callback.query == {"with_response": "1"}
    assert callback.json["type"] == 4
    assert callback.json["data"]["content"] == "2x RTX 4090"
    buttons = callback.json["data"]["components"][0]["components"]
    assert [b["custom_id"] for b in buttons] == ["gpu:more", "gpu:ack"]
    message_id = int(callback.response["interaction"]["response_message_id"])

    completion = await fake.autocomplete("gpu", {"model": "rtx"}, focused="model")
    choices = (await completion.response()).json
    assert choices["type"] == 8
    assert [c["name"] for c in choices["data"]["choices"]] == ["RTX 4090", "RTX 4080", "RTX 3090"]

    click = await fake.click(message_id, "gpu:ack")
    assert (await click.response()).json == {"type": 6}
    edit = await click.wait_edit()
    assert edit.json["content"] == "acknowledged"
    assert fake.messages[message_id]["content"] == "acknowledged"

    click = await fake.click(message_id, "gpu:more")
    update = await click.response()
    assert update.json["type"] == 7
    assert update.json["data"]["content"] == "more details"
    assert update.json["data"]["components"] == []
    assert fake.messages[message_id]["components"] == []


async def test_permissions_follow_the_member(fake: FakeDiscord, bot: commands.Bot) -> None:
    denied = await (await fake.slash("admin", user_id=FakeDiscord.MEMBER_ID)).response()
    assert denied.json["data"]["content"] == "denied: MissingPermissions"
    assert denied.json["data"]["flags"] == 64
    allowed = await (await fake.slash("admin", user_id=FakeDiscord.ADMIN_ID)).response()
    assert allowed.json["data"]["content"] == "admin ok"
    assert allowed.response["interaction"]["response_message_ephemeral"] is True


async def test_deferred_response_followups_and_edit(fake: FakeDiscord, bot: commands.Bot) -> None:
    interaction = await fake.slash("slow")
    deferred = await interaction.response()
    assert deferred.json["type"] == 5
    assert deferred.response["interaction"]["response_message_loading"] is True
    followups = await interaction.followups(count=2)
    assert [f.json["content"] for f in followups] == ["first", "second"]
    assert followups[0].query["wait"] == "1"  # discord.py sends wait=1; the fake returns the message
    assert followups[1].json["flags"] == 64
    edit = await interaction.wait_edit()
    assert edit.json["content"] == "edited"
    original = interaction.original()
    assert original is not None
    assert original["content"] == "edited"  # the first follow-up replaced the "thinking" message
    assert fake.sent_messages() == [f.json for f in followups]


async def test_file_upload_is_multipart(fake: FakeDiscord, bot: commands.Bot) -> None:
    callback = await (await fake.slash("file")).response()
    assert callback.files == [("spec.txt", b"spec data")]
    assert callback.json["data"]["attachments"] == [{"id": 0, "filename": "spec.txt"}]
    attachment = callback.response["resource"]["message"]["attachments"][0]
    async with aiohttp.ClientSession() as session, session.get(attachment["url"]) as got:
        assert await got.read() == b"spec data"


async def test_discord_side_validation(fake: FakeDiscord, bot: commands.Bot) -> None:
    channel = bot.get_channel(FakeDiscord.CHANNEL_ID)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as too_long:
        await channel.send("x" * 2001)
    assert too_long.value.code == 50035
    assert "content" in too_long.value.text
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/definitely/not/a/route"))
    assert fake.unknown_routes[-1].path == "/definitely/not/a/route"
    fake.unknown_routes.clear()


async def test_message_content_intent_and_dm(fake: FakeDiscord) -> None:
    async with running_bot(fake, make_bot(message_content=False)) as client:
        waiter = asyncio.ensure_future(client.wait_for("message", timeout=5))
        await fake.message("hello secret")
        seen = await waiter
        assert seen.content == ""  # no MESSAGE_CONTENT intent: Discord blanks guild messages
        waiter = asyncio.ensure_future(client.wait_for("message", timeout=5))
        await fake.message("hello", mentions_bot=True)
        mentioned = await waiter
        assert mentioned.content == f"<@{FakeDiscord.BOT_USER_ID}> hello"
        waiter = asyncio.ensure_future(client.wait_for("message", timeout=5))
        mark = fake.mark()
        await fake.message("hello in private", guild=False)
        dm = await waiter
        assert isinstance(dm.channel, discord.DMChannel)
        assert dm.content == "hello in private"
        sent = await fake.next_message(after=mark, channel_id=FakeDiscord.DM_CHANNEL_ID)
        assert "guild_id" not in sent.json["message_reference"]


async def test_disallowed_privileged_intent() -> None:
    async with running_fake(intents_message_content=False) as server:
        # discord.py only turns close code 4014 into PrivilegedIntentsRequired when reconnect=True;
        # with reconnect=False it raises the bare ConnectionClosed(code=4014).
        with pytest.raises(discord.PrivilegedIntentsRequired):
            async with running_bot(server, make_bot(), reconnect=True):
                pass
        with pytest.raises(discord.ConnectionClosed) as closed:
            async with running_bot(server, make_bot(), reconnect=False):
                pass
        assert closed.value.code == 4014


async def test_gateway_resume_after_server_close(fake: FakeDiscord, bot: commands.Bot) -> None:
    session_id = bot.ws.session_id
    resumed = asyncio.ensure_future(bot.wait_for("resumed", timeout=5))
    await fake.close_gateway(4000)
    resume = await fake.wait_gateway(lambda frame: frame["op"] == 6)
    assert resume["d"]["session_id"] == session_id
    await resumed
    assert len(fake.identify_payloads) == 1  # resumed, not re-identified
    mark = fake.mark()
    await fake.message("hello after resume")
    assert (await fake.next_message(after=mark)).json["content"] == "hi Member"


async def test_content_type_is_exactly_json(fake: FakeDiscord) -> None:
    headers = {"Authorization": f"Bot {FakeDiscord.TOKEN}"}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{fake.api_base}/users/@me", headers=headers) as got,
    ):
        assert got.headers["Content-Type"] == "application/json"
        assert (await got.json())["id"] == str(FakeDiscord.BOT_USER_ID)
