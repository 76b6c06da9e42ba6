"""Next quarter: this run's headline figures next to the last bundle's.

A playbook may name its headline figures in ``summary.json`` under ``headline``
(key to a plain label, e.g. ``{"records": "contacts in the list"}``); otherwise
every top-level number is compared under its key.
"""

from __future__ import annotations

from dataclasses import dataclass

_NOT_FIGURES = {"provenance", "input", "headline", "error", "compared_with_previous"}


@dataclass(frozen=True)
class Change:
    """One headline figure, then and now."""

    key: str
    label: str
    previous: float
    now: float

    @property
    def difference(self) -> float:
        return self.now - self.previous

    @property
    def percent(self) -> float | None:
        return None if self.previous == 0 else 100.0 * self.difference / abs(self.previous)


def headline_figures(summary: dict) -> dict[str, tuple[str, float]]:
    """The numbers worth comparing, with their labels (a label that is not text is skipped).

    Example:
        >>> headline_figures({"rows": 3, "headline": ["rows"]})
        {'rows': ('rows', 3)}
    """
    labels = summary.get("headline")
    if not isinstance(labels, dict) or not labels:  # missing, or edited into something else: every number
        labels = {
            key: key.replace("_", " ") for key, value in summary.items()
            if key not in _NOT_FIGURES and isinstance(value, (int, float)) and not isinstance(value, bool)
        }
    return {
        key: (label, summary[key]) for key, label in labels.items()
        if isinstance(label, str) and isinstance(summary.get(key), (int, float))
        and not isinstance(summary.get(key), bool)
    }


def compare_summaries(previous: dict, current: dict) -> list[Change]:
    """Pair the figures both runs have, in the current run's order.

    Example:
        >>> [c.percent for c in compare_summaries({"rows": 378}, {"rows": 412})]
        [8.994708994708995]
    """
    before = headline_figures(previous)
    return [
        Change(key, label, before[key][1], value)
        for key, (label, value) in headline_figures(current).items()
        if key in before
    ]


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def describe_change(change: Change) -> str:
    """One line in words.

    Example:
        >>> describe_change(Change("rows", "clients seen", 378, 412))
        "clients seen: 412, up 9% on last time's 378"
        >>> describe_change(Change("rows", "clients seen", 0, 5))
        "clients seen: 5, up from last time's 0"
    """
    now, before = _number(change.now), _number(change.previous)
    if change.difference == 0:
        return f"{change.label}: {now}, the same as last time"
    direction = "up" if change.difference > 0 else "down"
    if change.percent is None:
        return f"{change.label}: {now}, {direction} from last time's {before}"
    return f"{change.label}: {now}, {direction} {abs(change.percent):.0f}% on last time's {before}"


def comparison_markdown(changes: list[Change], previous_date: str | None) -> str:
    """The report section that opens a re-run's report.

    Labels and the date come from ``summary.json`` files, which anyone can edit, so they
    are written as literal text (see :func:`helpers.writing.narrative.md_text`).

    Example:
        >>> print(comparison_markdown([Change("rows", "<b>clients</b>", 1, 1)], "2026-01-05").splitlines()[-1])
        - \\<b\\>clients\\</b\\>: 1, the same as last time
    """
    from helpers.writing.narrative import md_text

    when = f" (the report of {md_text(previous_date)})" if previous_date else ""
    if not changes:
        return f"## Compared with last time\n\nThe last report{when} has no figures to compare with this one."
    lines = "\n".join(f"- {md_text(describe_change(change))}" for change in changes)
    return (
        f"## Compared with last time\n\nThis report uses the same settings as the last one{when}, "
        f"on new data. Here is how the main figures moved:\n\n{lines}"
    )
