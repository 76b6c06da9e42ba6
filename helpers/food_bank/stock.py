"""From a parcel forecast to a stock list: items needed each week, and how long stock lasts.

A parcel contents table lists, for each item, how many units go in one parcel for
each household size band (columns such as "1 person", "2 people", "3-4 people",
"5+ people"). The kit ships a typical three-day parcel list as the default
(``datasets/parcel-contents.csv``); a food bank can bring its own in the same shape.

Parcels are split between the bands by the household sizes in the visit log's
people column when there is one; otherwise by :data:`ASSUMED_HOUSEHOLD_MIX`, which
the report states as an assumption. Needs are given at the central forecast and at
the upper end of the 80% range (a cautious plan), rounded up to whole units.
"""

from __future__ import annotations

import math
import pathlib
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.errors import InputProblem
from helpers.reading.loader import describe_rows
from helpers.writing.narrative import list_in_words, plural
from helpers.reading.parsing import parse_numbers
from helpers.reading.roles import fold_header
from helpers.writing.playbook import DATASETS_DIR
from helpers.writing.workbooks import write_frames

DEFAULT_PARCEL_CONTENTS = DATASETS_DIR / "parcel-contents.csv"

#: Share of parcels by people in the household, used when the data has no people
#: column. An assumption for a typical food bank, to be replaced by the charity's own.
ASSUMED_HOUSEHOLD_MIX: dict[int, float] = {1: 0.45, 2: 0.20, 3: 0.13, 4: 0.12, 5: 0.10}

_BAND = re.compile(
    r"^\s*(?P<low>\d+)\s*(?:(?P<plus>\+)|(?:-|–|to)\s*(?P<high>\d+))?\s*(?:people|persons?|adults?)?"
    r"(?:\s*\+)?\s*$", re.IGNORECASE)
_ITEM_HEADERS = ("item", "items", "product", "food", "description", "name")
_QUANTITY_HEADERS = ("quantity", "qty", "on hand", "stock", "in stock", "stock on hand", "count", "units",
                     "number")


@dataclass(frozen=True)
class SizeBand:
    """A household size band from a contents table header, such as "3-4 people"."""

    label: str
    low: int
    high: float  # math.inf for "5+"

    def holds(self, people: int) -> bool:
        return self.low <= people <= self.high


def read_size_band(header: str) -> SizeBand | None:
    """Read a contents table header as a household size band; None when it is not one.

    Example:
        >>> read_size_band("3-4 people"), read_size_band("5+ people").high, read_size_band("Unit")
        (SizeBand(label='3-4 people', low=3, high=4), inf, None)
    """
    match = _BAND.match(str(header))
    if not match:
        return None
    low = int(match["low"])
    if match["high"]:
        high: float = int(match["high"])
    elif match["plus"] or str(header).strip().endswith("+"):
        high = math.inf
    else:
        high = low
    return SizeBand(str(header).strip(), low, high)


def _find_column(frame: pd.DataFrame, spellings: tuple[str, ...]) -> str | None:
    folded = {fold_header(c): c for c in frame.columns}
    return next((folded[s] for s in spellings if s in folded), None)


@dataclass
class ParcelContents:
    """A parcel contents table, read.

    Attributes:
        items: One row per item: ``item``, ``unit`` and one column per band
            (units per parcel, floats).
        bands: The household size bands, in table order.
        source: Where it came from, for the report.
    """

    items: pd.DataFrame
    bands: list[SizeBand]
    source: str = ""


def read_parcel_contents(frame: pd.DataFrame, source: str = "") -> ParcelContents:
    """Check and read a parcel contents table.

    Args:
        frame: The table: an item column ("Item"), an optional "Unit" column and
            one column per household size band ("1 person", "3-4 people",
            "5+ people"...). Index = spreadsheet row numbers.
        source: A name for the report (file name only).

    Returns:
        A :class:`ParcelContents`.

    Raises:
        InputProblem: No item column, no band columns, or a quantity that is not a
            number of zero or more (naming the column and rows).

    Example:
        >>> table = pd.DataFrame({"Item": ["Soup"], "Unit": ["tin"], "1 person": [2], "2+ people": [3]})
        >>> read_parcel_contents(table).items.to_dict("records")
        [{'item': 'Soup', 'unit': 'tin', '1 person': 2.0, '2+ people': 3.0}]
    """
    item_column = _find_column(frame, _ITEM_HEADERS)
    bands = [band for band in map(read_size_band, frame.columns) if band is not None]
    if item_column is None or not bands:
        raise InputProblem(
            f"The parcel contents table{f' {source}' if source else ''} needs an 'Item' column and one column per "
            "household size, headed like '1 person', '2 people', '3-4 people', '5+ people'. "
            f"Its columns are: {list_in_words(frame.columns, limit=12)}."
        )
    unit_column = _find_column(frame, ("unit", "units", "pack", "size"))
    items = pd.DataFrame({
        "item": frame[item_column].astype("str").str.strip(),
        "unit": frame[unit_column].astype("str").str.strip() if unit_column else "unit",
    }, index=frame.index)
    for band in bands:
        values, failed = parse_numbers(frame[band.label])
        bad = frame.index[(failed | (values < 0)).to_numpy()]
        if len(bad):
            raise InputProblem(
                f"The parcel contents column '{band.label}' has values that are not a number of zero or more in "
                f"{describe_rows(bad)}. Write how many units of the item go in one parcel."
            )
        items[band.label] = values.fillna(0.0).to_numpy()
    items = items[frame[item_column].notna().to_numpy() & (items["item"] != "")]
    repeated = items["item"][items["item"].str.casefold().duplicated()]  # one row per item, else counted twice
    if len(repeated):
        raise InputProblem(f"The parcel contents table lists the item '{repeated.iloc[0]}' more than once. Give each "
                           "item one row, with its quantity for each household size.")
    return ParcelContents(items.reset_index(drop=True), bands, source)


def load_default_parcel_contents() -> ParcelContents:
    """The kit's typical three-day parcel list (``datasets/parcel-contents.csv``)."""
    frame = pd.read_csv(DEFAULT_PARCEL_CONTENTS, dtype="str")
    frame.index = frame.index + 2  # spreadsheet row numbers: the header is row 1
    return read_parcel_contents(frame, DEFAULT_PARCEL_CONTENTS.name)


def band_shares(bands: list[SizeBand], household_sizes: pd.Series | None = None) -> pd.Series:
    """Share of parcels going to each household size band.

    Args:
        bands: The contents table's bands.
        household_sizes: Parcels by people in the household (index: people,
            values: parcels), as :attr:`helpers.food_bank.weekly.WeeklyDemand.household_sizes`.
            None uses :data:`ASSUMED_HOUSEHOLD_MIX`.

    Returns:
        Shares indexed by band label, summing to 1. A size no band holds goes to
        the nearest band.

    Example:
        >>> bands = [read_size_band(h) for h in ("1 person", "2 people", "3+ people")]
        >>> band_shares(bands, pd.Series({1: 50, 2: 30, 4: 15, 6: 5})).to_dict()
        {'1 person': 0.5, '2 people': 0.3, '3+ people': 0.2}
    """
    sizes = (pd.Series(ASSUMED_HOUSEHOLD_MIX, dtype="float64") if household_sizes is None or
             household_sizes.sum() == 0 else household_sizes.astype("float64"))
    shares = pd.Series(0.0, index=[band.label for band in bands])
    for people, parcels in sizes.items():
        holding = [band for band in bands if band.holds(int(people))]
        band = holding[0] if holding else min(
            bands, key=lambda b: min(abs(b.low - people), abs(b.high - people)))
        shares[band.label] += parcels
    return shares / shares.sum()


def read_stock_on_hand(frame: pd.DataFrame, contents: ParcelContents) -> tuple[pd.Series, list[str]]:
    """Read a stock-on-hand table: units in stock per item of the contents table.

    Args:
        frame: A table with an item column ("Item") and a quantity column
            ("Quantity", "Stock", "On hand"...). Index = spreadsheet row numbers.
        contents: The parcel contents, whose item names the stock is matched to
            (ignoring case, spaces and punctuation). Repeated items are added up.

    Returns:
        ``(stock, notes)``: units per contents item (missing items are absent),
        and plain-English notes on items that did not match.

    Raises:
        InputProblem: No item or quantity column, or quantities that are not numbers.

    Example:
        >>> contents = read_parcel_contents(pd.DataFrame({"Item": ["Soup", "Tea"], "1 person": [2, 1]}))
        >>> stock, notes = read_stock_on_hand(pd.DataFrame({"Item": ["soup", "Jam"], "Qty": [40, 3]}), contents)
        >>> stock.to_dict(), notes
        ({'Soup': 40.0}, ["1 item in the stock file is not in the parcel list and was left out: 'Jam'.", "1 parcel item has no stock figure: 'Tea'."])
    """
    item_column = _find_column(frame, _ITEM_HEADERS)
    quantity_column = _find_column(frame, _QUANTITY_HEADERS)
    if item_column is None or quantity_column is None:
        raise InputProblem(
            "The stock-on-hand file needs an 'Item' column (named as in the parcel list) and a 'Quantity' "
            f"column (units in stock). Its columns are: {list_in_words(frame.columns, limit=12)}."
        )
    values, failed = parse_numbers(frame[quantity_column])
    if failed.any():
        raise InputProblem(
            f"The stock-on-hand column '{quantity_column}' has text that is not a number in "
            f"{describe_rows(frame.index[failed.to_numpy()])}. Write the units in stock as a number."
        )
    by_fold = {fold_header(item): item for item in contents.items["item"]}
    matched = frame[item_column].map(lambda name: by_fold.get(fold_header(name)))
    stock = values.groupby(matched.to_numpy()).sum()
    stock = stock.reindex([i for i in contents.items["item"] if i in stock.index])
    notes = []
    unknown = frame.loc[matched.isna().to_numpy() & frame[item_column].notna().to_numpy(), item_column]
    if len(unknown):
        notes.append(f"{plural(len(unknown), 'item')} in the stock file {'is' if len(unknown) == 1 else 'are'} "
                     f"not in the parcel list and {'was' if len(unknown) == 1 else 'were'} left out: "
                     f"{list_in_words(repr(str(u)) for u in unknown)}.")
    absent = [i for i in contents.items["item"] if i not in stock.index]
    if absent:
        notes.append(f"{plural(len(absent), 'parcel item')} {'has' if len(absent) == 1 else 'have'} no stock "
                     f"figure: {list_in_words(repr(a) for a in absent)}.")
    return stock.astype("float64"), notes


@dataclass
class StockPlan:
    """Items needed for the forecast weeks.

    Attributes:
        per_parcel: ``item``, ``unit``, ``per_parcel`` (average units per parcel
            with this household mix).
        weekly: One row per week and item: ``week_start``, ``item``, ``unit``,
            ``at_forecast`` and ``at_upper_80`` (whole units, rounded up).
        totals: One row per item: ``item``, ``unit``, ``per_parcel``,
            ``total_at_forecast``, ``total_at_upper_80``; with stock on hand also
            ``on_hand``, ``weeks_of_cover`` (at the central forecast, whole weeks
            plus a fraction, capped at the horizon), ``weeks_of_cover_upper_80``
            and ``runs_out`` (words).
        shares: Share of parcels per household size band.
        notes: Plain-English notes (assumed mix, unmatched stock items).
    """

    per_parcel: pd.DataFrame
    weekly: pd.DataFrame
    totals: pd.DataFrame
    shares: pd.Series
    notes: list[str] = field(default_factory=list)


def _weeks_of_cover(on_hand: float, needs: np.ndarray) -> float:
    """Whole weeks the stock covers plus the covered share of the next week."""
    if not np.isfinite(on_hand):
        return math.nan
    used = np.concatenate([[0.0], np.cumsum(needs)])
    full = int(np.searchsorted(used, on_hand, side="right")) - 1
    if full >= len(needs):
        return float(len(needs))
    return full + (on_hand - used[full]) / needs[full] if needs[full] > 0 else float(full)


def stock_plan(forecast: pd.DataFrame, contents: ParcelContents, household_sizes: pd.Series | None = None,
               stock_on_hand: pd.Series | None = None, total_upper_80: float | None = None) -> StockPlan:
    """Turn the parcel forecast into items needed per week, and weeks of cover.

    Args:
        forecast: ``week_start``, ``forecast`` and ``upper_80`` per future week
            (and ``status``: "closed" weeks are left out).
        contents: From :func:`read_parcel_contents` or :func:`load_default_parcel_contents`.
        household_sizes: Parcels by household size (see :func:`band_shares`).
        stock_on_hand: Units in stock per item (from :func:`read_stock_on_hand`).
        total_upper_80: The top of the 80% range for the total parcels over the
            forecast (:func:`helpers.food_bank.forecast.total_range`). With it, the
            cautious totals are that many parcels' items; without, the sum of each
            week's cautious need (which is far more cautious than 80% for a total).

    Returns:
        A :class:`StockPlan`.

    Example:
        >>> contents = read_parcel_contents(pd.DataFrame({"Item": ["Soup"], "1 person": [2], "2+ people": [4]}))
        >>> weeks = pd.DataFrame({"week_start": pd.date_range("2025-01-06", periods=2, freq="W-MON"),
        ...                       "forecast": [10, 10], "upper_80": [12, 12]})
        >>> plan = stock_plan(weeks, contents, pd.Series({1: 1, 2: 1}), pd.Series({"Soup": 45.0}))
        >>> plan.totals[["total_at_forecast", "weeks_of_cover"]].to_dict("records")
        [{'total_at_forecast': 60, 'weeks_of_cover': 1.5}]
    """
    if "status" in forecast:
        # A week the food bank is shut gives out no parcels, so it needs no stock.
        forecast = forecast[forecast["status"] != "closed"]
    shares = band_shares(contents.bands, household_sizes)
    items = contents.items
    per_parcel = items[["item", "unit"]].assign(
        per_parcel=items[list(shares.index)].to_numpy() @ shares.to_numpy())
    weeks = forecast[["week_start", "forecast", "upper_80"]].reset_index(drop=True)
    grid = weeks.merge(per_parcel, how="cross")
    weekly = grid[["week_start", "item", "unit"]].assign(
        at_forecast=np.ceil(grid["forecast"] * grid["per_parcel"] - 1e-9).astype("int64"),
        at_upper_80=np.ceil(grid["upper_80"] * grid["per_parcel"] - 1e-9).astype("int64"),
    )
    sums = weekly.groupby("item", sort=False)[["at_forecast", "at_upper_80"]].sum()
    cautious = (sums["at_upper_80"].reindex(per_parcel["item"]).to_numpy() if total_upper_80 is None else
                np.ceil(per_parcel["per_parcel"].to_numpy() * float(total_upper_80) - 1e-9).astype("int64"))
    totals = per_parcel.assign(
        total_at_forecast=sums["at_forecast"].reindex(per_parcel["item"]).to_numpy(),
        total_at_upper_80=cautious,
    )
    notes = []
    if household_sizes is None:
        notes.append("The data has no household sizes, so parcels were split by an assumed mix: "
                     + ", ".join(f"{share:.0%} for {band}" for band, share in shares.items()) + ".")
    if stock_on_hand is not None:
        on_hand = stock_on_hand.reindex(totals["item"]).to_numpy()
        need = weekly.pivot(index="item", columns="week_start", values="at_forecast").reindex(totals["item"])
        need_high = weekly.pivot(index="item", columns="week_start", values="at_upper_80").reindex(totals["item"])
        cover = [_weeks_of_cover(s, n) for s, n in zip(on_hand, need.to_numpy(), strict=True)]
        cover_high = [_weeks_of_cover(s, n) for s, n in zip(on_hand, need_high.to_numpy(), strict=True)]
        horizon = len(weeks)
        last = weeks["week_start"].iloc[-1]
        runs_out = [
            "no stock figure" if math.isnan(c) else
            f"lasts beyond the week of {last:%d %B %Y}" if c >= horizon else
            f"runs out in the week of {weeks['week_start'].iloc[int(c)]:%d %B %Y}"
            for c in cover
        ]
        totals = totals.assign(on_hand=on_hand, weeks_of_cover=np.round(cover, 1),
                               weeks_of_cover_upper_80=np.round(cover_high, 1), runs_out=runs_out)
    return StockPlan(per_parcel, weekly, totals.reset_index(drop=True), shares, notes)


def write_stock_plan(plan: StockPlan, folder: pathlib.Path,
                     sites: dict[str, StockPlan] | None = None) -> pathlib.Path:
    """Write ``stock_plan.xlsx``: totals, needs per week (central and cautious), household mix.

    Args:
        plan: The stock plan (for a network, the network total's).
        folder: The output folder.
        sites: For a network, each site's plan: one more sheet per site with its
            totals, named safely from the site's name (see
            :func:`helpers.food_bank.network.sheet_names`).

    Returns:
        The path written.
    """
    path = pathlib.Path(folder) / "stock_plan.xlsx"
    headings = {"item": "Item", "unit": "Unit", "per_parcel": "Units per parcel (average)",
                "total_at_forecast": "Needed over the forecast (central)",
                "total_at_upper_80": "Needed over the forecast (cautious: top of the 80% range)",
                "on_hand": "In stock now", "weeks_of_cover": "Weeks of cover (central)",
                "weeks_of_cover_upper_80": "Weeks of cover (cautious)", "runs_out": "When it runs out (central)"}
    totals = plan.totals.assign(per_parcel=plan.totals["per_parcel"].round(2)).rename(columns=headings)
    sheets = {"Totals": totals}
    for column, title in (("at_forecast", "Per week (central)"), ("at_upper_80", "Per week (cautious)")):
        wide = plan.weekly.pivot(index=["item", "unit"], columns="week_start", values=column)
        wide = wide.reindex(pd.MultiIndex.from_frame(plan.per_parcel[["item", "unit"]]))
        wide.columns = [f"w/c {week:%d/%m/%Y}" for week in wide.columns]
        sheets[title] = wide.reset_index().rename(columns={"item": "Item", "unit": "Unit"})
    sheets["Household mix"] = pd.DataFrame({"Household size": plan.shares.index,
                                            "Share of parcels": plan.shares.round(3).to_numpy()})
    if sites:
        from helpers.food_bank.network import sheet_names

        names = sheet_names(sites, reserved=sheets)
        for site, site_plan in sites.items():
            sheets[names[site]] = site_plan.totals.assign(
                per_parcel=site_plan.totals["per_parcel"].round(2)).rename(columns=headings)
    return write_frames(path, sheets)


def stock_table(plan: StockPlan, horizon_weeks: int) -> pd.DataFrame:
    """The stock plan as the report shows it: one row per item, totals and any weeks of cover.

    Example:
        >>> contents = read_parcel_contents(pd.DataFrame({"Item": ["Soup"], "Unit": ["tin"], "1 person": [2]}))
        >>> weeks = pd.DataFrame({"week_start": pd.date_range("2025-01-06", periods=2, freq="W-MON"),
        ...                       "forecast": [10, 10], "upper_80": [12, 14]})
        >>> stock_table(stock_plan(weeks, contents), 2).to_dict("records")
        [{'Item': 'Soup', 'Unit': 'tin', 'A typical week': '20', 'Over 2 weeks': '40', 'Over 2 weeks (cautious)': '52'}]
    """
    t = plan.totals
    def words(numbers) -> list[str]:
        return [f"{int(n):,}" for n in numbers]

    table = pd.DataFrame({
        "Item": t["item"], "Unit": t["unit"],
        "A typical week": words(np.ceil(t["total_at_forecast"] / horizon_weeks - 1e-9)),
        f"Over {horizon_weeks} weeks": words(t["total_at_forecast"]),
        f"Over {horizon_weeks} weeks (cautious)": words(t["total_at_upper_80"]),
    })
    if "on_hand" in t:
        table["In stock now"] = t["on_hand"].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}")
        table["Weeks it lasts"] = [
            "not counted" if pd.isna(c) else f"{horizon_weeks}+" if c >= horizon_weeks else f"{c:.1f}"
            for c in t["weeks_of_cover"]]
    return table


def parcel_contents_for(parcel_contents_file: str = "") -> ParcelContents:
    """The playbook's ``parcel_contents_file`` parameter, read: the charity's table, or the kit's default.

    Example:
        >>> len(parcel_contents_for("").bands)
        4
    """
    if not parcel_contents_file or not str(parcel_contents_file).strip():
        return load_default_parcel_contents()
    from helpers.reading.loader import load_table
    from helpers.writing.playbook import resolve_data_path

    table = load_table(resolve_data_path(parcel_contents_file))
    return read_parcel_contents(table.frame, table.source_name)


def stock_on_hand_for(stock_on_hand_file: str, contents: ParcelContents) -> tuple[pd.Series | None, list[str]]:
    """The playbook's ``stock_on_hand_file`` parameter, read; ``(None, [])`` when it is blank."""
    if not stock_on_hand_file or not str(stock_on_hand_file).strip():
        return None, []
    from helpers.reading.loader import load_table
    from helpers.writing.playbook import resolve_data_path

    return read_stock_on_hand(load_table(resolve_data_path(stock_on_hand_file)).frame, contents)
