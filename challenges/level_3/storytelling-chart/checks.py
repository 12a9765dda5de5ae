"""The storytelling chart: what a plain figure comparison cannot see.

The `figure` kind checks chart type, axis titles, that a title exists and the numbers drawn. A
chart that tells a story also needs the title to state the finding, one bar highlighted against
muted context, and an annotation at that bar with the number that matters. The bars must show
the reference's churn rates (one trace, or one trace per colour). The finding (the payment
method with the highest churn rate, and that rate) is recomputed here from the data of this
run (a data variant in clean verification), never typed in.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.grading import Fail


def _finding() -> tuple[str, float, frozenset[str]]:
    """The payment method with the highest churn rate, that rate in percent, all methods.

    Loaded afresh on every call, never cached: one judge compares on a data variant, then on
    the shipped data.
    """
    from sandbox import datasets

    churn = datasets.load("churn")
    rate = 100 * churn.groupby("payment_method")["churned"].mean()
    return str(rate.idxmax()), float(rate.max()), frozenset(map(str, rate.index))


def _text(obj: Any) -> str:
    title = getattr(obj, "title", None)
    return str(getattr(title, "text", None) or "")


def _bar_colours(name: str, fig: Any) -> dict[str, str]:
    """Bar label → colour over every bar of every trace (one trace, or one trace per colour)."""
    colours: dict[str, str] = {}
    for index, trace in enumerate(fig.data):
        horizontal = getattr(trace, "orientation", None) == "h"
        labels = trace.y if horizontal else trace.x
        if labels is None:
            raise Fail(
                f"`{name}` has a bar trace without labels; pass `x=` the payment method column."
            )
        labels = [str(label) for label in labels]
        colour = trace.marker.color
        if colour is None or isinstance(colour, str):
            per_bar = [str(colour or f"default colour {index}")] * len(labels)
        else:
            per_bar = [str(c) for c in colour]
            if len(per_bar) != len(labels):
                raise Fail(
                    f"`{name}` gives {len(per_bar)} colours for {len(labels)} bars: "
                    "pass exactly one colour per bar."
                )
        for label, c in zip(labels, per_bar, strict=True):
            colours[label] = c.strip().lower().replace(" ", "")
    return colours


def _bar_heights(fig: Any) -> dict[str, float]:
    """Bar label → height over every bar of every trace."""
    heights: dict[str, float] = {}
    for trace in fig.data:
        horizontal = getattr(trace, "orientation", None) == "h"
        labels, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
        for label, value in zip(list(labels or ()), list(values or ()), strict=False):
            heights[str(label)] = heights.get(str(label), 0.0) + float(value)
    return heights


def check_story(answer: dict, expected: dict, ctx: Any) -> None:
    name = "story"
    fig = answer[name]
    if not (type(fig).__module__.startswith("plotly") and hasattr(fig, "data")):
        raise Fail(f"`{name}` is {type(fig).__name__}; expected a plotly Figure.")
    kinds = sorted({trace.type for trace in fig.data})
    if kinds != ["bar"]:
        raise Fail(
            f"`{name}` draws {', '.join(kinds) or 'nothing'}; comparing groups calls for bars."
        )
    reference = expected[name]
    for axis in ("xaxis", "yaxis"):
        want, have = _text(getattr(reference.layout, axis)), _text(getattr(fig.layout, axis))
        if have.strip().lower() != want.strip().lower():
            raise Fail(f"`{name}` {axis[0]}-axis title is {have!r}; expected {want!r}.")

    top, rate, methods = _finding()
    colours = _bar_colours(name, fig)
    if set(colours) != methods:
        raise Fail(
            f"`{name}` should have exactly one bar per payment method ({len(methods)} bars)."
        )
    want_heights = _bar_heights(reference)
    for method, height in _bar_heights(fig).items():
        if abs(height - want_heights.get(method, float("nan"))) > 1e-6 * max(1.0, abs(height)):
            raise Fail(
                f"`{name}`'s bar for {method!r} is {height:.4g} high, which is not its churn rate: "
                "draw the bars from `churn_rate`."
            )
    if len(set(colours.values())) == 1:
        raise Fail(
            f"`{name}`: all bars share one colour, so nothing stands out. Give the bar of the "
            "finding a strong colour and every other bar one muted colour (a list of colours, "
            "one per bar, in `marker_color`)."
        )
    others = {colours[m] for m in methods if m != top}
    if colours[top] in others or len(others) != 1:
        unique = sorted(m for m in methods if list(colours.values()).count(colours[m]) == 1)
        which = f" (it highlights {', '.join(unique)})" if unique else ""
        raise Fail(
            f"`{name}` does not highlight the right bar{which}: the finding is about the payment "
            "method with the highest churn rate. Colour that bar alone, and every other bar the "
            "same muted colour."
        )

    title = _text(fig.layout)
    if not title:
        raise Fail(f"`{name}` has no title; write one that states the finding.")
    if top.lower() not in title.lower():
        raise Fail(
            f"`{name}` title {title!r} describes the chart but does not state the finding: "
            "name the payment method whose customers churn most."
        )

    texts = [str(a.text or "") for a in (fig.layout.annotations or ())]
    if not texts:
        raise Fail(
            f"`{name}` has no annotation. Add one at the highlighted bar with "
            "`story.add_annotation(...)`, showing its churn rate."
        )
    at_top = [
        str(a.text or "")
        for a in fig.layout.annotations
        if str(a.x) == top or (str(a.y) == top and getattr(fig.data[0], "orientation", None) == "h")
    ]
    if not at_top:
        raise Fail(
            f"`{name}`'s annotation is not at the highlighted bar: place it with "
            f"`x={top!r}` (and `y=` that bar's rate)."
        )
    rates = [float(m) for t in at_top for m in re.findall(r"(\d+(?:\.\d+)?)\s*%", t)]
    if not any(abs(r - rate) <= 0.5 for r in rates):
        raise Fail(
            f"`{name}`'s annotation does not show the highlighted bar's churn rate as a "
            'percentage (for example `f"{rate:.0f}% churn"`).'
        )
