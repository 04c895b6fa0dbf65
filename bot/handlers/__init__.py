"""One handler per kind of answer: each turns a parsed :class:`~bot.parser.Query` into an
:class:`~bot.answer.Answer`, using only the shared :class:`~bot.handlers.context.HandlerContext`.

``bot.composer`` dispatches to them through one table; the modules import ``context`` (and, for
shared pieces, each other without cycles), never the composer.
"""
