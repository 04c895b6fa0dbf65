"""Draw an answer's chart (:class:`bot.answer.Chart`) as a PNG, with matplotlib.

matplotlib is imported here, inside :func:`render_png`, only when a picture is drawn: ``gpubot ask`` without
``--chart`` and the rest of the core never load it. Each call draws on its own ``Figure`` with the Agg canvas
(no pyplot, no global state), so renders may run in worker threads side by side.

One style for every chart, readable on Discord's dark and light themes: an opaque light-grey card with dark
text (a transparent picture would lose its labels on one theme or the other), the Okabe-Ito colour-blind-safe
palette, and every bar labelled with its value as the answer prints it; the winner of a spec is marked ★.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.answer import Answer, Chart

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["BACKGROUND", "PALETTE", "chart_path", "render_png", "warm", "write_chart"]

#: Okabe & Ito's colour-blind-safe palette (https://jfly.uni-koeln.de/color/), blue first.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
BACKGROUND = "#F2F3F5"  # Discord's light-theme panel grey: a card on the dark theme, near-invisible on the light
INK = "#23272A"
MUTED = "#6D6F78"
OVER = "#D55E00"  # vermillion: what does not fit
WIDTH_IN = 8.0
DPI = 110
STAR = "★"
TITLE_WIDTH = 64  # characters per title line (three lines at most), across the whole picture


def _t(text: str) -> str:
    """Text as written: a "$" in a price is not the start of matplotlib's math mode."""
    return text.replace("$", r"\$")


def warm() -> None:
    """Import the plotting library now (a chart worker at start), so the first chart does not wait for it."""
    import matplotlib.backends.backend_agg
    import matplotlib.figure  # noqa: F401


def render_png(chart: Chart) -> bytes:
    """``chart`` as PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    height = {"bars": _bars_height, "ranking": _ranking_height, "memory": _memory_height}[chart.kind](chart)
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_facecolor(BACKGROUND)
    {"bars": _draw_bars, "ranking": _draw_ranking, "memory": _draw_memory}[chart.kind](ax, chart)
    title = "\n".join(textwrap.wrap(chart.title, TITLE_WIDTH)[:3])
    fig.suptitle(_t(title), x=0.015, ha="left", color=INK, fontsize=13, fontweight="bold")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(MUTED)
    ax.tick_params(colors=INK, labelsize=10, length=0)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", facecolor=BACKGROUND, metadata={"Software": None})
    return out.getvalue()


# -- relative bars per spec -------------------------------------------------------------------


def _bars_height(chart: Chart) -> float:
    return 1.4 + len(chart.series) * (0.34 * len(chart.items) + 0.35)


def _draw_bars(ax: Axes, chart: Chart) -> None:
    """A group of bars per spec, one colour per GPU, each bar's length relative to the group's largest value."""
    n = len(chart.items)
    step = n * 0.34 + 0.35
    ticks: list[float] = []
    for s_index, series in enumerate(chart.series):
        top = max(v for v in series.values if v is not None) or 1.0
        base = s_index * step
        ticks.append(base + (n - 1) * 0.17)
        for i, (value, text) in enumerate(zip(series.values, series.texts, strict=True)):
            y = base + i * 0.34
            width = (value or 0.0) / top
            ax.barh(
                y,
                width,
                height=0.3,
                color=PALETTE[i % len(PALETTE)],
                label=_t(chart.items[i]) if s_index == 0 else None,
            )
            won = series.winner == i
            ax.text(
                width + 0.01,
                y,
                _t(f"{text} {STAR}" if won else text),
                va="center",
                fontsize=9.5,
                color=INK if value is not None else MUTED,
                fontweight="bold" if won else "normal",
            )
    ax.set_yticks(ticks, [_t(_spec_label(s.label, s.better)) for s in chart.series], fontsize=10.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.32)
    ax.set_xticks([])
    ax.set_xlabel(f"bars relative to the largest value · {STAR} better", color=MUTED, fontsize=9)
    _legend(ax, chart.items)


def _spec_label(label: str, better: str | None) -> str:
    return label + ("\n(lower is better)" if better == "lower" else "")


def _legend(ax: Axes, names: tuple[str, ...]) -> None:
    """One entry per GPU below the bars: in one row when the names fit, else two per row."""
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.04),
        ncols=len(names) if sum(len(n) for n in names) <= 64 else 2,
        frameon=False,
        fontsize=10,
        labelcolor=INK,
    )


# -- a ranking --------------------------------------------------------------------------------


def _ranking_height(chart: Chart) -> float:
    return 1.2 + 0.36 * len(chart.items)


def _draw_ranking(ax: Axes, chart: Chart) -> None:
    series = chart.series[0]
    top = max((v for v in series.values if v is not None), default=1.0) or 1.0
    ys = range(len(chart.items))
    colours = [PALETTE[0] if i == chart.winner else PALETTE[4] for i in ys]
    widths = [(v or 0.0) / top for v in series.values]
    ax.barh(list(ys), widths, height=0.7, color=colours)
    for y, width, text in zip(ys, widths, series.texts, strict=True):
        ax.text(
            width + 0.01, y, _t(text), va="center", fontsize=9.5, color=INK, fontweight="bold" if y == 0 else "normal"
        )
    ax.set_yticks(list(ys), [_t(item) for item in chart.items], fontsize=10)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.3)
    ax.set_xticks([])
    ax.set_xlabel("bars relative to the first", color=MUTED, fontsize=9)


# -- a memory estimate ------------------------------------------------------------------------


def _memory_height(chart: Chart) -> float:
    return 2.6 + 0.22 * ((len(chart.items) + 2) // 3)


def _draw_memory(ax: Axes, chart: Chart) -> None:
    """The estimate's terms stacked in one bar, against a line at the usable memory; a negative term (memory
    kept off the GPU) is hatched, taken back from the end of the bar."""
    series = chart.series[0]
    capacity = chart.capacity or 0.0
    left = 0.0
    terms = list(zip(chart.items, series.values, series.texts, strict=True))
    for i, (name, value, text) in enumerate(terms):
        size = value or 0.0
        if size > 0:
            ax.barh(0, size, left=left, height=0.5, color=PALETTE[i % len(PALETTE)], label=_t(f"{name} {text}"))
            left += size
    end = left
    for name, value, text in terms:
        size = value or 0.0
        if size < 0:
            end += size
            off: dict[str, Any] = {"color": BACKGROUND, "hatch": "///", "edgecolor": MUTED}
            ax.barh(0, -size, left=end, height=0.5, label=_t(f"{name} {text}"), **off)
    total = end
    ax.axvline(capacity, color=INK, linewidth=2, linestyle="--")
    ax.text(
        capacity, 0.42, _t(f" {chart.capacity_label}"), color=INK, fontsize=9.5, va="bottom", ha=_side(capacity, total)
    )
    verdict: dict[str, Any] = {"color": OVER if total > capacity else INK, "fontsize": 10.5, "fontweight": "bold"}
    ax.text(total, -0.42, f"needs {total:,.1f} GB ", va="top", ha="right", **verdict)
    ax.set_xlim(0, max(left, capacity) * 1.08)
    ax.set_ylim(-0.9, 0.9)
    ax.set_yticks([])
    ax.set_xlabel("GB", color=MUTED, fontsize=9)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=3, frameon=False, fontsize=9.5, labelcolor=INK)


def _side(capacity: float, total: float) -> str:
    """Put the capacity's label where it does not run off the picture."""
    return "right" if capacity > 0.6 * max(total, capacity) else "left"


def chart_path(path: str, index: int | None) -> Path:
    """``out.png``, or for the ``index``-th answer of a batch ``out-3.png``."""
    target = Path(path)
    return target if index is None else target.with_name(f"{target.stem}-{index}{target.suffix or '.png'}")


def write_chart(answer: Answer, path: str, index: int | None, err: TextIO) -> Path | None:
    """Draw ``answer``'s chart to ``path`` (:func:`chart_path`); say so on ``err`` when it has none."""
    if answer.chart is None:
        err.write(f"no chart for this answer ({answer.intent}): comparisons, rankings and fits have one\n")
        return None
    target = chart_path(path, index)
    target.write_bytes(render_png(answer.chart))
    return target
