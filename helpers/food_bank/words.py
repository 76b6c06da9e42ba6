"""The food-bank-demand report's sentences, written from the numbers.

Each function returns Markdown for :func:`helpers.writing.narrative.say`. They live here, not in
the notebook, so that the notebook stays a few lines a step and the wording (one week or
several, a flat forecast, a method that did no better than the baseline) is tested.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.food_bank.forecast import AHEAD, MODEL_LABELS, DemandForecast, compared_with_baseline
from helpers.food_bank.stock import StockPlan
from helpers.food_bank.weekly import COUNTED, WeeklyDemand, date_words
from helpers.writing.claims import Claim
from helpers.writing.narrative import list_in_words, plural

#: The rule behind naming one busiest week, as summary.json gives it.
BUSIEST_RULE = ("One week is named the busiest only when its forecast is higher than every other week's by more "
                "than the overlap of their likely (80%) ranges; otherwise the weeks whose ranges allow them to be "
                "the busiest are named as a period, or none when that is every week.")
#: The rule behind "without a jump".
JOIN_RULE = ("The forecast carries on 'without a jump' only when its first open week differs from the last "
             "counted week by no more than the median week-to-week change of the counted weeks the chart shows "
             "(the last 52); otherwise the report names the step and its size.")
#: Weeks of history the forecast chart shows, and so the weeks a step at the join is compared with.
CHART_WEEKS = 52


def is_flat(result: DemandForecast) -> bool:
    """Whether the forecast is the same every week (a method that follows the recent level)."""
    return result.forecast["forecast"].nunique() == 1


def gaps_in_words(demand: WeeklyDemand) -> str:
    """One or two sentences on weeks without data, or "" when there were none.

    Example:
        >>> log = pd.DataFrame({"Date": pd.to_datetime(["2025-03-03", "2025-03-17"])})
        >>> from helpers.food_bank.weekly import weekly_demand
        >>> gaps_in_words(weekly_demand(log, "Date"))
        '1 week had no data. It is shown as a gap, never counted as zero; only to fit the forecast was it estimated from the weeks around it.'
    """
    gaps = len(demand.missing_weeks) + len(demand.closed_weeks)
    if not gaps:
        return ""
    one = gaps == 1
    return (f"{plural(gaps, 'week')} had no data. {'It is' if one else 'They are'} shown as "
            f"{'a gap' if one else 'gaps'}, never counted as zero; only to fit the forecast "
            f"{'was it' if one else 'were they'} estimated from the weeks around {'it' if one else 'them'}.")


def limitations(demand: WeeklyDemand) -> list[str]:
    """What the analysis cannot tell the charity, as bullet points (the gaps' one only when there were gaps).

    The note on filled-in weeks agrees with :func:`gaps_in_words`: the weeks with no data stay gaps
    in every count and chart, and are estimated only for fitting the method.
    """
    points = [
        "A forecast only knows the past. It cannot know about a new referral partner, a change in benefits, a "
        "school closing, or a cold snap.",
        "The ranges show normal ups and downs. A sudden change can push demand outside them.",
    ]
    gaps = len(demand.missing_weeks)
    if gaps:
        points.append(f"To fit the method, the {plural(gaps, 'week')} with no data "
                      f"{'was' if gaps == 1 else 'were'} estimated from the weeks around "
                      f"{'it' if gaps == 1 else 'them'} (the charts and counts still show "
                      f"{'it as a gap' if gaps == 1 else 'them as gaps'}). If many weeks are missing, treat the "
                      "forecast with care.")
    points += [
        "A bank holiday falls on a different week each year at Easter, so weeks near Easter are less certain.",
        "The stock list assumes every parcel follows the parcel list. Swaps and extras are not counted.",
    ]
    return points


def backtest_in_words(result: DemandForecast, who: str) -> str:
    """How the chosen method did on the past, next to the baseline, in plain words.

    The comparison is the ratio of average misses on the same past weeks ("misses
    30% smaller than repeating last year"), not a score read against 1.
    """
    miss = result.score(result.model, "mae")
    baseline = MODEL_LABELS[result.baseline]
    if result.model == result.baseline:
        return (f"No method did clearly better on {who}'s own past weeks than the simplest one, {baseline}, so "
                f"the forecast uses it. It was off by about {plural(round(miss), 'parcel')} a week.")
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


def join_claim(demand: WeeklyDemand, result: DemandForecast) -> Claim | None:
    """The sentence on where the forecast line meets the last counted week, decided by :data:`JOIN_RULE`.

    The chart draws a dashed line from the last counted week to the first forecast week, so the
    sentence must describe that step as a reader sees it: "without a jump" (decision ``no_jump``)
    only when the step is no bigger than an ordinary week-to-week change among the weeks drawn;
    otherwise (decision ``step``) it gives the step and says why a forecast need not start where
    the last week ended. None when there is no counted week or no open week ahead.

    Example:
        >>> from helpers.food_bank.weekly import weekly_demand
        >>> from helpers.food_bank.forecast import FORECAST_COLUMNS
        >>> weeks = pd.DataFrame({"week_start": pd.date_range("2025-01-06", periods=20, freq="W-MON"),
        ...                       "parcels": [100, 110] * 10})
        >>> demand = weekly_demand(weeks, "week_start", "parcels")
        >>> ahead = pd.DataFrame([[pd.Timestamp("2025-05-26"), pd.Timestamp("2025-06-01"), 140, 120, 160, 110, 170,
        ...                        "forecast"]], columns=FORECAST_COLUMNS)
        >>> claim = join_claim(demand, DemandForecast(ahead, pd.DataFrame(), "Naive", "Naive", None, []))
        >>> claim.decision, claim.numbers["step"], claim.numbers["usual_change"]
        ('step', 30, 10)
    """
    history = demand.history
    counted = history["parcels"].where(history["status"] == COUNTED).dropna()
    ahead = result.open_weeks
    if counted.empty or ahead.empty:
        return None
    last_week, last = counted.index[-1], float(counted.iloc[-1])
    first = ahead.iloc[0]
    shown = history["parcels"].where(history["status"] == COUNTED).iloc[-CHART_WEEKS:]
    changes = shown.diff().abs().dropna()
    usual = float(changes.median()) if len(changes) else 0.0
    step = float(first["forecast"]) - last
    named = week_words(result, last_week)
    numbers = {"last_counted": round(last), "first_forecast": int(first["forecast"]), "step": round(step),
               "usual_change": round(usual)}
    if abs(step) <= usual:
        sentence = (f"The forecast line carries on from the last full week ({named}, {last:,.0f} parcels) without "
                    f"a jump: its first week is {plural(round(abs(step)), 'parcel')} {'up' if step >= 0 else 'down'}, no more "
                    f"than a usual week-to-week change (about {usual:,.0f}).")
        return Claim("join", "no_jump", sentence, numbers, JOIN_RULE)
    direction = "higher" if step > 0 else "lower"
    sentence = (f"The forecast starts {plural(round(abs(step)), 'parcel')} {direction} than the last full week ({named}, "
                f"{last:,.0f} parcels), more than a usual week-to-week change (about {usual:,.0f}). That step is "
                "expected: the forecast follows the usual level and the time of year, not one week's number, which "
                "is partly chance. The dashed line joins the two.")
    return Claim("join", "step", sentence, numbers, JOIN_RULE)


def join_in_words(demand: WeeklyDemand, result: DemandForecast) -> str:
    """The join sentence of :func:`join_claim`, or "" when there is none."""
    claim = join_claim(demand, result)
    return claim.sentence if claim else ""


def ranges_overlap(a, b) -> float:
    """How many parcels two weeks' likely (80%) ranges share (0 when they do not meet).

    Example:
        >>> ranges_overlap({"lower_80": 144, "upper_80": 198}, {"lower_80": 150, "upper_80": 210})
        48
    """
    return max(0, min(a["upper_80"], b["upper_80"]) - max(a["lower_80"], b["lower_80"]))


def busiest_contenders(weeks: pd.DataFrame) -> pd.DataFrame:
    """The weeks that could be the busiest: the highest forecast and every week it does not clear.

    A week stays a contender when the highest forecast beats it by no more than the overlap of
    their likely ranges (:func:`ranges_overlap`): within that overlap, either could turn out the
    busier. Ties are always contenders.

    Args:
        weeks: Whole open weeks ahead: ``week_start``, ``forecast``, ``lower_80``, ``upper_80``.

    Returns:
        The contenders, highest forecast first.

    Example:
        >>> weeks = pd.DataFrame({"week_start": pd.date_range("2025-05-05", periods=3, freq="W-MON"),
        ...     "forecast": [171, 170, 120], "lower_80": [144, 143, 100], "upper_80": [198, 198, 140]})
        >>> busiest_contenders(weeks)["forecast"].tolist()
        [171, 170]
    """
    ordered = weeks.sort_values(["forecast", "week_start"], ascending=[False, True], kind="stable")
    if ordered.empty:
        return ordered
    top = ordered.iloc[0]
    keep = [top["forecast"] - row["forecast"] <= ranges_overlap(top, row) for _, row in ordered.iterrows()]
    return ordered[np.asarray(keep, dtype=bool)]


def busiest_claim(result: DemandForecast) -> Claim:
    """Whether one week ahead can be named the busiest, by :data:`BUSIEST_RULE`.

    Decisions: ``busiest_week`` (one week clears every other by more than their ranges overlap),
    ``busy_period`` (several weeks could be the busiest: the period from the first to the last of
    them is named), ``level`` (every week could be) or ``flat`` (the same forecast every week).
    Only whole open weeks ahead count, never the partly recorded week nor a closed one.

    Example:
        >>> from helpers.food_bank.forecast import FORECAST_COLUMNS
        >>> weeks = pd.date_range("2025-05-05", periods=3, freq="W-MON")
        >>> f = pd.DataFrame({"week_start": weeks, "week_ending": weeks + pd.Timedelta(days=6),
        ...     "forecast": [171, 170, 120], "lower_80": [144, 143, 100], "upper_80": [198, 198, 140],
        ...     "lower_95": 0, "upper_95": 300, "status": "forecast"})[FORECAST_COLUMNS]
        >>> busiest_claim(DemandForecast(f, pd.DataFrame(), "Naive", "Naive", None, [])).decision
        'busy_period'
    """
    f = result.forecast
    ahead = f[f["status"] == AHEAD] if "status" in f else f
    if ahead.empty or ahead["forecast"].nunique() == 1:
        return Claim("busiest_week", "flat", "The forecast is the same each week: it follows the recent level.",
                     {"weeks": int(len(ahead))}, BUSIEST_RULE)
    contenders = busiest_contenders(ahead)
    top = contenders.iloc[0]
    others = ahead[ahead["week_start"] != top["week_start"]]
    runner = others.sort_values(["forecast", "week_start"], ascending=[False, True]).iloc[0]
    numbers = {"top_week": f"{top['week_start']:%Y-%m-%d}", "top": int(top["forecast"]),
               "next": int(runner["forecast"]), "overlap": int(ranges_overlap(top, runner)),
               "contenders": int(len(contenders))}
    if len(contenders) == 1:
        sentence = (f"The busiest week is likely to be {week_words(result, top['week_start'])}, with about "
                    f"{int(top['forecast']):,} parcels: {int(top['forecast'] - runner['forecast']):,} more than the "
                    f"next, more than the {int(ranges_overlap(top, runner)):,} parcels their likely ranges share.")
        return Claim("busiest_week", "busiest_week", sentence, numbers, BUSIEST_RULE)
    if len(contenders) == len(ahead):
        sentence = (f"No single week stands out: the forecasts for the {plural(len(ahead), 'week')} ahead "
                    f"(about {int(ahead['forecast'].min()):,} to {int(ahead['forecast'].max()):,} parcels) are closer "
                    "together than their likely ranges, so plan for a steady load.")
        return Claim("busiest_week", "level", sentence, numbers, BUSIEST_RULE)
    first, last = contenders["week_start"].min(), contenders["week_start"].max()
    numbers.update(period_first=f"{first:%Y-%m-%d}", period_last=f"{last:%Y-%m-%d}")
    sentence = (f"The busy period is likely to run from {week_words(result, first)} to {week_words(result, last)}: "
                f"{plural(len(contenders), 'week')} there have forecasts (about "
                f"{int(contenders['forecast'].min()):,} to {int(contenders['forecast'].max()):,} parcels) too close "
                "together, given their likely ranges, to pick one.")
    return Claim("busiest_week", "busy_period", sentence, numbers, BUSIEST_RULE)


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


@dataclass(frozen=True)
class ForecastFacts:
    """The forecast's findings, worked out once; the text, the Main points, the charts' titles and
    alt text and ``summary.json`` are all written from these.

    Attributes:
        first_week: The first forecast week's start.
        last_day: The last day of the last forecast week.
        weeks: Weeks forecast; ``open_weeks`` of them open.
        total: The total and its 80% range (:attr:`DemandForecast.total`).
        typical_week: The total over the open weeks, per open week, in whole parcels.
        likely_low, likely_high: The lowest and highest bounds of the open weeks' likely (80%) ranges.
        busiest: :func:`busiest_claim`.
        join: :func:`join_claim` (None when there is no join).
    """

    first_week: pd.Timestamp
    last_day: pd.Timestamp
    weeks: int
    open_weeks: int
    total: dict
    typical_week: int
    likely_low: int
    likely_high: int
    busiest: Claim
    join: Claim | None

    @property
    def period(self) -> str:
        """The forecast period in words, as the text and the alt text both give it."""
        both_years = self.first_week.year != self.last_day.year
        return (f"the {plural(self.weeks, 'week')} from {date_words(self.first_week, year=both_years)} to "
                f"{date_words(self.last_day)}")

    def total_claim(self, who: str) -> Claim:
        total = self.total
        sentence = (f"Over {self.period}, {who} should plan for about {total['central']:,} parcels. That is about "
                    f"{self.typical_week:,} a week. The total is likely to be between {total['lower_80']:,} and "
                    f"{total['upper_80']:,} (a range that should hold the real total 8 times out of 10).")
        return Claim("total_parcels", "forecast_total", sentence,
                     {"central": total["central"], "lower_80": total["lower_80"], "upper_80": total["upper_80"],
                      "typical_week": self.typical_week, "weeks": self.weeks},
                     "The total's 80% range is read from the backtest windows' summed misses (t quantile), "
                     "whose coverage is measured in benchmarks/bench_calibration.py.")

    def range_claim(self) -> Claim:
        sentence = (f"Expect about {self.typical_week:,} parcels a week. In any one week the real number is likely "
                    f"to be between {self.likely_low:,} and {self.likely_high:,} (the likely ranges, which should "
                    "hold it 8 weeks in 10).")
        return Claim("weekly_range", "likely_range", sentence,
                     {"typical_week": self.typical_week, "likely_low": self.likely_low,
                      "likely_high": self.likely_high},
                     "The weekly range is the lowest and highest bound of the open weeks' 80% ranges, not the spread "
                     "of their central forecasts.")

    def claims(self, who: str) -> list[Claim]:
        """Every conclusion the report draws from the forecast, in the order it draws them."""
        return [self.total_claim(who), self.busiest, self.range_claim(), *([self.join] if self.join else [])]


def forecast_facts(demand: WeeklyDemand, result: DemandForecast) -> ForecastFacts:
    """Work out :class:`ForecastFacts` once, for every rendering of the forecast."""
    forecast = result.forecast
    open_weeks = result.open_weeks
    total = result.total
    return ForecastFacts(
        first_week=forecast["week_start"].iloc[0], last_day=forecast["week_start"].iloc[-1] + pd.Timedelta(days=6),
        weeks=len(forecast), open_weeks=len(open_weeks), total=total,
        typical_week=round(total["central"] / max(len(open_weeks), 1)),
        likely_low=int(open_weeks["lower_80"].min()) if len(open_weeks) else 0,
        likely_high=int(open_weeks["upper_80"].max()) if len(open_weeks) else 0,
        busiest=busiest_claim(result), join=join_claim(demand, result))


def summary_in_words(demand: WeeklyDemand, result: DemandForecast, facts: ForecastFacts, who: str) -> list[str]:
    """The report's opening summary as paragraphs: the total and its 80% range, the busiest week or
    period, the test, the gaps."""
    return [facts.total_claim(who).sentence, facts.busiest.sentence,
            f"{backtest_in_words(result, who)} {gaps_in_words(demand)}".rstrip()]


def busiest_figure(facts: ForecastFacts, result: DemandForecast, label_words: str) -> tuple[str, str]:
    """The Main points' third figure, from the busiest-week decision."""
    decision = facts.busiest.decision
    if decision == "busiest_week":
        week = pd.Timestamp(facts.busiest.numbers["top_week"])
        shown = week + pd.Timedelta(days=6) if result.label == "end" else week
        return date_words(shown, year=False), f"busiest {label_words.lower()}"
    if decision == "busy_period":
        first, last = (pd.Timestamp(facts.busiest.numbers[k]) for k in ("period_first", "period_last"))
        if result.label == "end":
            first, last = first + pd.Timedelta(days=6), last + pd.Timedelta(days=6)
        return (f"{date_words(first, year=False, short=True)} to {date_words(last, year=False, short=True)}",
                f"busy period ({label_words.lower()}); no single week stands out")
    return f"{facts.typical_week:,}", "parcels in a typical week ahead; no week stands out"


def peaks_in_words(facts: ForecastFacts, result: DemandForecast) -> str:
    """The sentence under the table of the weeks with the highest forecasts."""
    decision = facts.busiest.decision
    if decision == "flat":
        return "**What this means.** The forecast is the same each week, so no week stands out."
    average = float(result.open_weeks["forecast"].mean())
    top = facts.busiest.numbers["top"]
    if decision == "busiest_week":
        return (f"**What this means.** {facts.busiest.sentence} It is about {top - average:,.0f} parcels above an "
                "average week.")
    if decision == "level":
        return f"**What this means.** {facts.busiest.sentence}"
    return (f"**What this means.** {facts.busiest.sentence} Plan for the whole period rather than one week.")


def ranges_in_words(result: DemandForecast, facts: ForecastFacts) -> str:
    """What to expect each week (the likely ranges, not the spread of the central forecasts), and how
    the ranges were checked against the past."""
    chosen = result.backtest.set_index("model").loc[result.model]
    text = facts.range_claim().sentence
    widen = float(chosen["widen_80"])
    if abs(widen - 1) > 0.05:
        text += (f" In the test, the method's own likely range held the real number in "
                 f"{100 * chosen['coverage_80']:.0f}% of weeks. So the kit made it "
                 f"{'wider' if widen > 1 else 'narrower'} ({widen:.1f} times the width), to hold it in 8 weeks "
                 "out of 10.")
    return text


def yearly_in_words(profile: pd.Series) -> str:
    """The yearly pattern in words: when demand usually peaks and dips (no single week is named)."""
    if profile.empty:
        return "**What this means.** There is less than a year of data, so the kit cannot see a yearly pattern yet."

    def around(week):
        return date_words(pd.Timestamp(2001, 1, 1) + pd.Timedelta(weeks=int(week) - 1), year=False)

    busy, quiet = profile.idxmax(), profile.idxmin()
    return (f"**What this means.** Demand usually peaks around {around(busy)}, about "
            f"{100 * (profile[busy] - 1):.0f}% above the usual level. It is usually lowest around {around(quiet)}, "
            f"about {100 * (1 - profile[quiet]):.0f}% below.")


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


def next_steps(demand: WeeklyDemand, result: DemandForecast, plan: StockPlan, facts: ForecastFacts) -> list[str]:
    """Practical actions for the charity, from the findings."""
    forecast = result.forecast
    total = facts.total
    most_used = plan.totals.sort_values("total_at_upper_80", ascending=False, kind="stable").head(3)
    busiest = facts.busiest
    if busiest.decision == "busiest_week":
        volunteers = (f"Plan volunteers for {week_words(result, pd.Timestamp(busiest.numbers['top_week']))} first: "
                      "it is likely to be the busiest week.")
    elif busiest.decision == "busy_period":
        volunteers = (f"Plan volunteers for the busy period first, from "
                      f"{week_words(result, pd.Timestamp(busiest.numbers['period_first']))} to "
                      f"{week_words(result, pd.Timestamp(busiest.numbers['period_last']))}.")
    else:
        volunteers = f"Plan volunteers for about {facts.typical_week:,} parcels a week: no week stands out."
    steps = [
        f"Share the forecast with trustees: about {total['central']:,} parcels in "
        f"{plural(len(forecast), 'week')}, likely between {total['lower_80']:,} and {total['upper_80']:,}. "
        "Order stock for the top of that range.",
        volunteers,
        f"The items needed most are {list_in_words(most_used['item'].str.lower())}. Put them at the top of appeals.",
        "Order or appeal for the items that run out within the forecast." if "weeks_of_cover" in plan.totals
        else "Bring a stock count next time to see how long the shelves will last.",
    ]
    if demand.missing_weeks:
        steps.append("Find out why some weeks have no data. If the food bank was shut, tell the volunteer the "
                     "dates next time, so those weeks count as closed.")
    steps.append("Run this again each month with new data. The forecast gets better as the history grows.")
    return steps
