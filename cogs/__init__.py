"""discord.py extensions (cogs): thin glue between Discord interactions and the core in ``bot/``."""
