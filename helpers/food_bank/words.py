"""The food-bank-demand report's sentences, written from the numbers.

Each function returns Markdown for :func:`helpers.writing.narrative.say`. They live here, not in
the notebook, so that the notebook stays a few lines a step and the wording (one week or
several, a flat forecast, a method that did no better than the baseline) is tested.
"""

from __future__ import annotations

import pandas as pd

from helpers.food_bank.weekly import WeeklyDemand, date_words
from helpers.food_bank.forecast import MODEL_LABELS, DemandForecast, compared_with_baseline
from helpers.writing.narrative import list_in_words, plural
from helpers.food_bank.stock import StockPlan


def is_flat(result: DemandForecast) -> bool:
    """Whether the forecast is the same every week (a method that follows the recent level)."""
    return result.forecast["forecast"].nunique() == 1


def gaps_in_words(demand: WeeklyDemand) -> str:
    """One or two sentences on weeks without data, or "" when there were none.

    Example:
        >>> log = pd.DataFrame({"Date": pd.to_datetime(["2025-03-03", "2025-03-17"])})
        >>> from helpers.food_bank.weekly import weekly_demand
        >>> gaps_in_words(weekly_demand(log, "Date"))
        '1 week had no data. It was left as a gap, not counted as zero.'
    """
    gaps = len(demand.missing_weeks) + len(demand.closed_weeks)
    if not gaps:
        return ""
    one = gaps == 1
    return (f"{plural(gaps, 'week')} had no data. {'It was' if one else 'They were'} left as "
            f"{'a gap' if one else 'gaps'}, not counted as zero.")


def backtest_in_words(result: DemandForecast, who: str) -> str:
    """How the chosen method did on the past, next to the baseline, in plain words.

    The comparison is the ratio of average misses on the same past weeks ("misses
    30% smaller than repeating last year"), not a score read against 1.
    """
    miss = result.score(result.model, "mae")
    baseline = MODEL_LABELS[result.baseline]
    if result.model == result.baseline:
        return (f"No method did clearly better on {who}'s own past weeks than the simplest one, {baseline}, so "
                f"the forecast uses it. It was off by about {miss:,.0f} parcels a week.")
    relative = compared_with_baseline(result.score(result.model, "relative_mae"))
    return (f"We tested the forecast on {who}'s own past weeks. It was off by about {miss:,.0f} parcels a week, "
            f"{relative.replace('misses', 'misses about')} than using {baseline} "
            f"(off by about {result.score(result.baseline, 'mae'):,.0f}).")


def week_words(result: DemandForecast, week, year: bool = False) -> str:
    """A forecast week as the charity names it: "the week ending 30 March" or "the week of 24 March"."""
    week = pd.Timestamp(week)
    if result.label == "end":
        return f"the week ending {date_words(week + pd.Timedelta(days=6), year=year)}"
    return f"the week of {date_words(week, year=year)}"


def join_in_words(demand: WeeklyDemand, result: DemandForecast) -> str:
    """One sentence on the step where the forecast line meets the last counted week, if there is one.

    A step bigger than half the likely range is explained: the method follows the
    usual level and the time of year, not one week's number.
    """
    history = demand.history
    counted = history["parcels"].where(history["status"] == "counted").dropna()
    if counted.empty:
        return ""
    last_week, last = counted.index[-1], float(counted.iloc[-1])
    ahead = result.open_weeks
    if ahead.empty:
        return ""
    first = ahead.iloc[0]
    half_range = max((first["upper_80"] - first["lower_80"]) / 2, 1)
    step = first["forecast"] - last
    named = week_words(result, last_week)
    if abs(step) <= half_range:
        return (f"The forecast line carries on from the last full week ({named}, {last:,.0f} parcels) without a "
                "jump.")
    direction = "higher" if step > 0 else "lower"
    return (f"The forecast starts {abs(step):,.0f} parcels {direction} than the last full week ({named}, "
            f"{last:,.0f} parcels). That step is expected: the forecast follows the usual level and the time of "
            "year, not one week's number, which is partly chance. The dashed line joins the two.")


def partial_week_in_words(result: DemandForecast) -> str:
    """What the kit did with the partly recorded week the data ends in, or "" when there is none."""
    if result.partial is None:
        return ""
    week, so_far = result.partial
    row = result.forecast.set_index("week_start").loc[week]
    return (f"The data stops part-way through {week_words(result, week)}: {so_far:,.0f} parcels are recorded so "
            f"far. That week was left out when learning from the past, because a part week would look too "
            f"quiet. The forecast for the whole week is about {int(row['forecast']):,}.")


def closures_in_words(result: DemandForecast) -> str:
    """Where the demand of weeks the food bank will be shut is likely to go, or "" when none are."""
    if result.closed.empty:
        return ""
    weeks = [week_words(result, w) for w in result.closed["week_start"]]
    need = int(result.closed["if_open"].sum())
    forecast = result.forecast.set_index("week_start")
    around = []
    for week in result.closed["week_start"]:
        for side in (week - pd.Timedelta(weeks=1), week + pd.Timedelta(weeks=1)):
            if side in forecast.index and forecast.loc[side, "status"] != "closed" and side not in around:
                around.append(side)
    where = (f"Most of it is likely to come in the weeks either side ({list_in_words(week_words(result, w) for w in around)}), "
             "so plan extra parcels and volunteers for those weeks, and tell clients where else to go while "
             "the food bank is shut.") if around else "Tell clients where else to go while the food bank is shut."
    return (f"The food bank will be shut in {list_in_words(weeks)}, so the forecast there is none, and those "
            f"weeks are left out of the stock plan. People will still need food: about {need:,} parcels, if the "
            f"food bank were open. {where}")


def summary_in_words(demand: WeeklyDemand, result: DemandForecast, peaks: pd.DataFrame, who: str) -> str:
    """The report's opening summary: the total and its 80% range, the busiest week, the test, the gaps."""
    forecast = result.forecast
    total = result.total
    first, last = forecast["week_start"].iloc[0], forecast["week_start"].iloc[-1]
    if is_flat(result) or peaks.empty:
        busiest = "The forecast is the same each week: it follows the recent level."
    else:
        busiest = (f"The busiest week is likely to be {week_words(result, peaks['week_start'].iloc[0])}, with "
                   f"about {peaks['forecast'].iloc[0]:,} parcels.")
    open_weeks = len(result.open_weeks)
    return (
        f"Over the {plural(len(forecast), 'week')} from {date_words(first, year=False)} to "
        f"{date_words(last + pd.Timedelta(days=6))}, {who} should plan for about **{total['central']:,} parcels**. "
        f"That is about {round(total['central'] / max(open_weeks, 1)):,} a week. The total is likely to be "
        f"between **{total['lower_80']:,} and {total['upper_80']:,}** (a range that should hold the real total "
        f"8 times out of 10).\n\n{busiest}\n\n{backtest_in_words(result, who)} {gaps_in_words(demand)}".rstrip()
    )


def ranges_in_words(result: DemandForecast) -> str:
    """What to expect each week, and how the ranges were checked against the past."""
    forecast = result.forecast
    chosen = result.backtest.set_index("model").loc[result.model]
    low, high = forecast["forecast"].min(), forecast["forecast"].max()
    text = f"Expect about {low if low == high else f'{low} to {high}'} parcels a week."
    widen = float(chosen["widen_80"])
    if abs(widen - 1) > 0.05:
        text += (f" In the test, the method's own likely range held the real number in "
                 f"{100 * chosen['coverage_80']:.0f}% of weeks. So the kit made it "
                 f"{'wider' if widen > 1 else 'narrower'} ({widen:.1f} times the width), to hold it in 8 weeks "
                 "out of 10.")
    return text


def bank_holidays_in_words(result: DemandForecast, markers: pd.DataFrame) -> str:
    """Which forecast weeks hold a bank holiday, or "" when none do."""
    ahead = markers.loc[result.forecast["week_start"]]
    named = ahead[ahead["bank_holidays"] != ""]
    if named.empty:
        return ""
    weeks = [f"{row.bank_holidays} (week of {date_words(week, year=False)})" for week, row in named.iterrows()]
    return (f"{plural(len(named), 'week')} in the forecast {'has' if len(named) == 1 else 'have'} a bank holiday: "
            f"{list_in_words(weeks, limit=8)}. If the food bank shuts that day, visits move to other days, so "
            "check the rota for those weeks.")


def stock_in_words(plan: StockPlan, demand: WeeklyDemand, horizon_weeks: int) -> list[str]:
    """Sentences on the household mix and, with a stock count, what runs out first."""
    mix = ", ".join(f"{share:.0%} for {band}" for band, share in plan.shares.items())
    source = ("These shares come from the people column in the file." if demand.household_sizes is not None
              else "No people column was found, so this split is an assumption: change it if yours differs.")
    sentences = [f"Parcels were split by household size as {mix}. {source}"]
    if "weeks_of_cover" not in plan.totals:
        sentences.append("No stock count was given. Bring one (item and quantity) to see how many weeks "
                         "the shelves will last.")
        return sentences
    short = plan.totals[plan.totals["weeks_of_cover"] < horizon_weeks].sort_values("weeks_of_cover", kind="stable")
    if short.empty:
        sentences.append("The stock on hand lasts the whole forecast for every item counted.")
    else:
        first = [f"{row.item.lower()} ({row.runs_out.removeprefix('runs out ')})" for row in short.head(3).itertuples()]
        sentences.append(f"{plural(len(short), 'item')} will run out within the forecast if nothing new comes in. "
                         f"The first to run out: {list_in_words(first)}.")
    return sentences


def next_steps(demand: WeeklyDemand, result: DemandForecast, plan: StockPlan, peaks: pd.DataFrame) -> list[str]:
    """Practical actions for the charity, from the findings."""
    forecast = result.forecast
    total = result.total
    most_used = plan.totals.sort_values("total_at_upper_80", ascending=False, kind="stable").head(3)
    steps = [
        f"Share the forecast with trustees: about {total['central']:,} parcels in "
        f"{plural(len(forecast), 'week')}, likely between {total['lower_80']:,} and {total['upper_80']:,}. "
        "Order stock for the top of that range.",
        f"Plan volunteers for about {forecast['forecast'].iloc[0]} parcels a week." if is_flat(result) else
        f"Plan volunteers for the busiest weeks first, starting with "
        f"{week_words(result, peaks['week_start'].iloc[0])}." if not peaks.empty else
        "Plan volunteers week by week as the forecast shows.",
        f"The items needed most are {list_in_words(most_used['item'].str.lower())}. Put them at the top of appeals.",
        "Order or appeal for the items that run out within the forecast." if "weeks_of_cover" in plan.totals
        else "Bring a stock count next time to see how long the shelves will last.",
    ]
    if demand.missing_weeks:
        steps.append("Find out why some weeks have no data. If the food bank was shut, tell the volunteer the "
                     "dates next time, so those weeks count as closed.")
    steps.append("Run this again each month with new data. The forecast gets better as the history grows.")
    return steps
