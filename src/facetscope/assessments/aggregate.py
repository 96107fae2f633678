"""Aggregation maths for campaign results: summaries, spread and scale reliability.

Plain numbers in, plain dicts out; no Django. Which groups may be shown is
decided elsewhere, by ``assessments.anonymity``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

ALPHA_WEAK = 0.7
ITEM_TOTAL_WEAK = 0.3


def flatten(result: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    """Numeric leaves of a nested result as dotted paths: {"capability.score": 59.0, …}."""
    flat: dict[str, float] = {}
    for key, value in result.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{path}."))
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int | float):
            flat[path] = float(value)
    return flat


def _quantile(sorted_values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (as numpy's default)."""
    position = (len(sorted_values) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def summarise(values: Iterable[float]) -> dict[str, float | int]:
    """n, mean, standard deviation (sample), min, quartiles and max."""
    data = sorted(float(v) for v in values)
    n = len(data)
    if n == 0:
        return {"n": 0}
    mean = math.fsum(data) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in data) / (n - 1)) if n > 1 else 0.0
    return {
        "n": n,
        "mean": mean,
        "sd": sd,
        "min": data[0],
        "p25": _quantile(data, 0.25),
        "median": _quantile(data, 0.5),
        "p75": _quantile(data, 0.75),
        "max": data[-1],
    }


def column_summaries(matrix: np.ndarray, paths: Sequence[str]) -> dict[str, dict]:
    """``summarise`` of every column of a (respondents × paths) matrix; NaN is missing."""
    out: dict[str, dict] = {}
    if matrix.shape[0] == 0 or matrix.shape[1] == 0:
        return {path: {"n": 0} for path in paths}
    counts = np.sum(~np.isnan(matrix), axis=0)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(matrix, axis=0)
        sd = np.nanstd(matrix, axis=0, ddof=1)
        low, p25, median, p75, high = np.nanpercentile(matrix, [0, 25, 50, 75, 100], axis=0)
    for j, path in enumerate(paths):
        n = int(counts[j])
        if n == 0:
            out[path] = {"n": 0}
            continue
        out[path] = {
            "n": n,
            "mean": float(mean[j]),
            "sd": float(sd[j]) if n > 1 else 0.0,
            "min": float(low[j]),
            "p25": float(p25[j]),
            "median": float(median[j]),
            "p75": float(p75[j]),
            "max": float(high[j]),
        }
    return out


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = math.fsum(xs) / n, math.fsum(ys) / n
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / math.sqrt(
        sxx * syy
    )


def reliability(rows: Iterable[Sequence[float | None]]) -> dict[str, Any]:
    """Cronbach's alpha and corrected item–total correlations of one scale.

    ``rows`` holds one respondent's item answers each (reverse items already
    reversed); respondents with a missing item are left out (listwise).
    """
    complete = [list(map(float, row)) for row in rows if all(v is not None for v in row)]
    n = len(complete)
    k = len(complete[0]) if complete else 0
    out: dict[str, Any] = {"n": n, "items": k, "alpha": None, "item_total": []}
    if n < 3 or k < 2:
        return out
    columns = list(zip(*complete, strict=True))
    item_vars = [summarise(col)["sd"] ** 2 for col in columns]
    totals = [math.fsum(row) for row in complete]
    total_var = summarise(totals)["sd"] ** 2
    if total_var > 0:
        out["alpha"] = (k / (k - 1)) * (1 - math.fsum(item_vars) / total_var)
    out["item_total"] = [
        _pearson(col, [t - v for t, v in zip(totals, col, strict=True)]) for col in columns
    ]
    out["weak"] = out["alpha"] is None or out["alpha"] < ALPHA_WEAK
    out["weak_items"] = [
        i for i, r in enumerate(out["item_total"]) if r is None or r < ITEM_TOTAL_WEAK
    ]
    return out
