"""Summaries of timed samples: median, 95th percentile, floor and ratio."""

from __future__ import annotations

import math
import statistics


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``fraction`` of the values at
    or below it (the 95th of 20 values is the 19th smallest)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = math.ceil(round(fraction * len(ordered), 9))
    return ordered[max(0, min(len(ordered) - 1, rank - 1))]


def summary(samples_ms: list[float], floor_ms: list[float] | None = None) -> dict:
    """The figure of one scenario; ``floor_ms`` are the same run's samples of its lower bound
    (the raw SQL of the same page). Ratios compare medians and 95th percentiles."""
    result = {
        "n": len(samples_ms),
        "median_ms": round(statistics.median(samples_ms), 3),
        "p95_ms": round(percentile(samples_ms, 0.95), 3),
        "min_ms": round(min(samples_ms), 3),
    }
    if floor_ms:
        floor_median = statistics.median(floor_ms)
        floor_p95 = percentile(floor_ms, 0.95)
        result.update(
            floor_ms=round(floor_median, 3),
            floor_p95_ms=round(floor_p95, 3),
            ratio=round(result["median_ms"] / floor_median, 2) if floor_median else None,
            ratio_p95=round(result["p95_ms"] / floor_p95, 2) if floor_p95 else None,
        )
    return result
