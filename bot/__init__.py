"""GPU Advisor: the discord-free core (catalog, matcher, parser, advisor, composer, storage) and the
entry points. Front ends import from here; nothing in the core imports discord."""

__version__ = "0.1.0"
