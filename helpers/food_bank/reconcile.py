"""A coherent network: the sites' forecasts reconciled so that they add up to the network total's.

Each site and the network total are forecast on their own, so the sites' forecasts need not add
up to the total's (on the sample network they fell 1-2% short in every week). A coordinator
ordering central stock from the total and the sites ordering from their own numbers would then
disagree. Reconciliation (Wickramasuriya, Athanasopoulos and Hyndman's MinTrace, 2019) finds the
site forecasts that add up exactly and move each forecast least, weighting each by how far off its
own forecasts were in the backtest and by how the misses of different series went together:

    sites = (S' W^-1 S)^-1 S' W^-1 [total, site 1, ..., site n]

where ``S`` stacks a row of ones (the total) on the identity (the sites), and ``W`` is the
covariance of the backtest misses, shrunk towards its diagonal (Schäfer and Strimmer, 2005)
because a network has more sites than a backtest has weeks to estimate every pair from. This is
hierarchicalforecast's ``MinTrace(method="mint_shrink")``, written out in numpy so that the
kit needs no extra package. A site whose backtest windows are not the total's (a site with a
shorter history, tested on other weeks) keeps its own forecast (bottom-up) and the rest are
reconciled to what the total leaves for them.

Each series' ranges move with its forecast (their widths are kept). Once rounded to whole
parcels, the total is the sum of the rounded sites, so ``forecast.csv`` adds up in every week.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Fewest weeks of backtest misses shared by every reconciled series to estimate their
#: covariance from; with fewer, each series is weighted by its own variance only (WLS).
MIN_SHARED_WEEKS = 8
#: A site is reconciled when its backtest misses cover at least this share of the total's.
MIN_ALIGNED_SHARE = 0.8
BOUNDS = ("lower_80", "upper_80", "lower_95", "upper_95")


@dataclass(frozen=True)
class Reconciliation:
    """How a network's forecasts were reconciled.

    Attributes:
        method: "mint_shrink" (MinTrace with a shrunk covariance), "wls" (variances only),
            or "bottom_up" (the total is the sites' sum).
        reconciled: Sites whose forecasts were reconciled with the total.
        bottom_up: Sites that kept their own forecast (too little shared backtest).
        shrinkage: The shrinkage intensity used (0: the sample covariance, 1: its diagonal).
        change: The largest change to the total's weekly forecast, as a share of it.
    """

    method: str
    reconciled: tuple[str, ...]
    bottom_up: tuple[str, ...]
    shrinkage: float = float("nan")
    change: float = 0.0


def shrunk_covariance(residuals: np.ndarray) -> tuple[np.ndarray, float]:
    """The covariance of ``residuals`` (rows: weeks, columns: series), shrunk towards its diagonal.

    The correlations are shrunk by Schäfer and Strimmer's estimate of the best intensity, so the
    matrix is well conditioned even with fewer weeks than series.

    Returns:
        ``(covariance, intensity)``.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> common = rng.normal(size=(40, 1))
        >>> cov, intensity = shrunk_covariance(np.hstack([common + rng.normal(size=(40, 1)) for _ in range(3)]))
        >>> cov.shape, 0 <= intensity <= 1, bool(np.all(np.linalg.eigvalsh(cov) > 0))
        ((3, 3), True, True)
    """
    e = np.asarray(residuals, dtype="float64")
    n = e.shape[0]
    sd = e.std(axis=0, ddof=1)
    sd = np.where(sd > 0, sd, 1e-9)
    xs = (e - e.mean(axis=0)) / sd
    products = xs[:, :, None] * xs[:, None, :]
    correlation = products.sum(axis=0) / (n - 1)
    variance = n / (n - 1) ** 3 * ((products - products.mean(axis=0)) ** 2).sum(axis=0)
    off = ~np.eye(e.shape[1], dtype=bool)
    denominator = float((correlation[off] ** 2).sum())
    intensity = 1.0 if denominator == 0 else float(np.clip(variance[off].sum() / denominator, 0.0, 1.0))
    shrunk = np.where(off, (1 - intensity) * correlation, 1.0)
    return shrunk * np.outer(sd, sd), intensity


def mint_weights(covariance: np.ndarray) -> np.ndarray:
    """The matrix ``P`` taking ``[total, site 1..n]`` to coherent sites: ``(S'W^-1S)^-1 S'W^-1``.

    Example:
        >>> P = mint_weights(np.eye(3))  # equal weights: the total's gap is shared out equally
        >>> np.round(P @ np.array([12.0, 5.0, 5.0]), 3).tolist()
        [5.667, 5.667]
    """
    n_sites = covariance.shape[0] - 1
    summing = np.vstack([np.ones((1, n_sites)), np.eye(n_sites)])
    inverse_w = np.linalg.pinv(covariance)
    return np.linalg.pinv(summing.T @ inverse_w @ summing) @ summing.T @ inverse_w


def _aligned_misses(misses: pd.DataFrame | None, total: str, sites: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    """The backtest misses as a table (rows: window and week, columns: series) and the sites that share them."""
    if misses is None or misses.empty or total not in set(misses["unique_id"]):
        return pd.DataFrame(), []
    table = misses.pivot_table(index=["cutoff", "week_start"], columns="unique_id", values="miss", aggfunc="first")
    table = table[table[total].notna()]
    aligned = [s for s in sites if s in table and table[s].notna().mean() >= MIN_ALIGNED_SHARE]
    return table[[total, *aligned]], aligned


def reconcile_forecasts(forecasts: pd.DataFrame, misses: pd.DataFrame | None, total: str,
                        sites: Sequence[str]) -> tuple[pd.DataFrame, Reconciliation]:
    """Reconcile the sites' weekly forecasts with the total's (MinTrace with shrinkage).

    Args:
        forecasts: ``unique_id``, ``week_start``, ``forecast`` and the four bounds, for the
            total and every site (as :func:`helpers.food_bank.backtest.forecast_many` gives).
        misses: The backtest misses (:attr:`helpers.food_bank.backtest.ManyForecasts.misses`).
        total: The total's ``unique_id``.
        sites: The sites' ``unique_id`` values.

    Returns:
        ``(forecasts, how)``: the same rows with reconciled ``forecast`` (sites summing to the
        total every week, floats) and bounds moved with them; and a :class:`Reconciliation`.

    Example:
        >>> weeks = pd.date_range("2025-01-06", periods=2, freq="W-MON")
        >>> rows = [(uid, w, f) for uid, f in (("T", 30.0), ("a", 10.0), ("b", 10.0)) for w in weeks]
        >>> frame = pd.DataFrame(rows, columns=["unique_id", "week_start", "forecast"])
        >>> for bound in BOUNDS:
        ...     frame[bound] = frame["forecast"]
        >>> out, how = reconcile_forecasts(frame, None, "T", ["a", "b"])
        >>> how.method, out.groupby("unique_id")["forecast"].first().to_dict()
        ('bottom_up', {'T': 20.0, 'a': 10.0, 'b': 10.0})
    """
    sites = list(sites)
    wide = forecasts.pivot(index="week_start", columns="unique_id", values="forecast")
    table, aligned = _aligned_misses(misses, total, sites)
    fixed = [s for s in sites if s not in aligned]
    new = wide.copy()
    shrinkage = float("nan")
    if aligned:
        shared = table.dropna()
        if len(shared) >= MIN_SHARED_WEEKS:
            covariance, shrinkage = shrunk_covariance(shared.to_numpy())
            method = "mint_shrink"
        else:
            variances = table.pow(2).mean().to_numpy()
            covariance, method = np.diag(np.where(variances > 0, variances, 1e-9)), "wls"
        # What the total leaves for the reconciled sites once the bottom-up sites are taken off.
        stacked = np.column_stack([wide[total].to_numpy() - wide[fixed].sum(axis=1).to_numpy(),
                                   wide[aligned].to_numpy()])
        new[aligned] = stacked @ mint_weights(covariance).T
    else:
        method = "bottom_up"
    new[total] = new[sites].sum(axis=1)
    change = float(((new[total] - wide[total]).abs() / wide[total].where(wide[total] > 0)).max(skipna=True) or 0.0)
    shift = (new - wide).stack().rename("shift").reset_index()
    out = forecasts.merge(shift, on=["unique_id", "week_start"], how="left")
    for column in ("forecast", *BOUNDS):
        if column in out:
            out[column] = out[column] + out["shift"].fillna(0.0)
    out = out.drop(columns="shift")
    out["forecast"] = out["forecast"].clip(lower=0)
    for bound in BOUNDS:
        if bound in out:
            out[bound] = out[bound].clip(lower=0)
    out["lower_80"] = np.minimum(out["lower_80"], out["forecast"])
    out["upper_80"] = np.maximum(out["upper_80"], out["forecast"])
    return out, Reconciliation(method, tuple(aligned), tuple(fixed), shrinkage,
                               0.0 if np.isnan(change) else change)


def coherent_rounding(site_forecasts: dict[str, pd.DataFrame], total_forecast: pd.DataFrame) -> pd.DataFrame:
    """The total's forecast table made the sum of the sites' rounded forecasts, week by week.

    Rounding each reconciled figure to whole parcels could leave the total a parcel or two off
    the sites' sum; the total takes the sum, and its bounds move with it.

    Example:
        >>> weeks = pd.date_range("2025-01-06", periods=1, freq="W-MON")
        >>> site = pd.DataFrame({"week_start": weeks, "forecast": [3], **{b: [3] for b in BOUNDS}})
        >>> total = pd.DataFrame({"week_start": weeks, "forecast": [7], **{b: [7] for b in BOUNDS}})
        >>> coherent_rounding({"a": site, "b": site}, total)["forecast"].tolist()
        [6]
    """
    summed = sum(f.set_index("week_start")["forecast"] for f in site_forecasts.values())
    out = total_forecast.copy()
    wanted = summed.reindex(out["week_start"]).to_numpy()
    shift = np.where(np.isnan(wanted), 0, wanted - out["forecast"].to_numpy()).astype("int64")
    out["forecast"] = out["forecast"] + shift
    for bound in BOUNDS:
        out[bound] = (out[bound] + shift).clip(lower=0)
    out["lower_80"] = np.minimum(out["lower_80"], out["forecast"])
    out["lower_95"] = np.minimum(out["lower_95"], out["lower_80"])
    out["upper_80"] = np.maximum(out["upper_80"], out["forecast"])
    out["upper_95"] = np.maximum(out["upper_95"], out["upper_80"])
    return out
