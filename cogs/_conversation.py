"""Conversations on Discord: which conversation a message belongs to, what it replies to, the asker's saved rig.

A conversation is one user in one channel; threads and DMs are channels of their own, so each thread keeps
its own context and the bot answers in the thread it was asked in (a reply goes to the message's channel).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from typing import TYPE_CHECKING

import discord

from bot.conversation import conversation_key

if TYPE_CHECKING:
    from bot.client import GpuBot
    from bot.rigs import Rig

__all__ = ["conversation_key", "replied_question", "rig_for"]

log = logging.getLogger(__name__)


def replied_question(message: discord.Message) -> int | None:
    """The question behind the bot answer ``message`` replies to (the bot's answers reply to their question), else
    the id of the message it replies to; None for a message that replies to nothing."""
    ref = message.reference
    if ref is None or ref.message_id is None:
        return None
    answered = ref.resolved
    if isinstance(answered, discord.Message) and answered.reference is not None and answered.reference.message_id:
        return answered.reference.message_id
    return ref.message_id


async def rig_for(bot: GpuBot, user_id: int, question: str) -> Rig | None:
    """The user's saved rig when the question could use it (read off the event loop); None otherwise."""
    if not bot.conversations.may_use_rig(question):
        return None
    try:
        return await asyncio.to_thread(bot.rigs.get, user_id)
    except sqlite3.Error as exc:
        log.warning("saved rigs unavailable: %s", exc)
        return None
