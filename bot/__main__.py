"""``python -m bot``: the same as the ``gpubot`` command."""

from bot.cli import entry

entry()
