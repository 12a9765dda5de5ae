"""Chart checks: the declarative `figure` comparison, then the heights of the bars.

The `figure` comparison checks trace types, the number of traces and the axis titles here;
its own data check is turned off because these checks compare what a reader sees with a
message that names the table to plot: the total height of each bar (stacked pieces added
up), per trace (colour) and x value. Expected heights come from the reference figure, never
from typed-in numbers.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.grading import Fail
from sandbox.grading.compare import compare_figure

FIGURE_OPTIONS = {"check_axis_titles": True, "check_title": True, "check_data": False}


def _bar_heights(figure: Any) -> dict[str, dict[str, float]]:
    """{trace name: {x value: summed height}}; stacked pieces of one bar are added up."""
    heights: dict[str, dict[str, float]] = {}
    for trace in figure.data:
        ys = [] if trace.y is None else list(trace.y)
        xs = list(range(len(ys))) if trace.x is None else list(trace.x)
        bars = heights.setdefault(str(trace.name or ""), {})
        for x, y in zip(xs, ys, strict=False):
            if y is None or (isinstance(y, float) and math.isnan(y)):
                continue
            bars[str(x)] = bars.get(str(x), 0.0) + float(y)
    return heights


def _check_bars(name: str, got: Any, expected: Any, shows: str) -> None:
    compare_figure(name, got, expected, FIGURE_OPTIONS)
    have, want = _bar_heights(got), _bar_heights(expected)
    if set(have) != set(want):
        names = ", ".join(repr(n) for n in sorted(have)) or "no names"
        raise Fail(
            f"`{name}` has traces named {names}, which are not the expected groups: "
            "check the column you pass as `color=`."
        )
    for trace, bars in want.items():
        label = f" ({trace})" if trace else ""
        for x, height in bars.items():
            if x not in have[trace]:
                raise Fail(
                    f"`{name}` has no bar for {x!r}{label}: check the column you pass as `x=`."
                )
            mine = have[trace][x]
            if not math.isclose(mine, height, rel_tol=1e-6, abs_tol=1e-6):
                direction = "too high" if mine > height else "too low"
                raise Fail(
                    f"`{name}`: the bar for {x!r}{label} is {mine:,.2f} high, which is {direction}. "
                    f"The bars should show {shows}."
                )
        extra = sorted(set(have[trace]) - set(bars))
        if extra:
            raise Fail(f"`{name}` has a bar for {extra[0]!r}{label} that should not be there.")


def check_category_chart(answer: dict, expected: dict, ctx: Any) -> None:
    _check_bars(
        "fig_category",
        answer["fig_category"],
        expected["fig_category"],
        "the total revenue of each category, as in `category_revenue`",
    )


def check_country_chart(answer: dict, expected: dict, ctx: Any) -> None:
    _check_bars(
        "fig_country",
        answer["fig_country"],
        expected["fig_country"],
        "the total revenue of each country and category, as in `country_category`",
    )
