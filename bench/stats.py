"""Summaries of timed samples: median, 95th percentile, floor and ratio."""

from __future__ import annotations

import math
import statistics
import time


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


def machine_speed(rounds: int = 5) -> float:
    """Milliseconds a fixed piece of pure Python takes, the best of ``rounds``: the machine's
    speed at this moment. Timed before each scenario, so a report shows when the machine
    slowed down during a run (a virtual machine's neighbours: the same code has measured
    twice as slow in one run as in the next, issue 7)."""
    best = math.inf
    for _ in range(rounds):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i % 7
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def speed_note(speeds: dict[str, float], tolerance: float = 1.3) -> str | None:
    """A warning when the slowest of the speeds measured during a run is more than
    ``tolerance`` times the fastest; None when the machine kept its speed. The same machine
    at rest varies by up to a fifth between the scenarios of a run (37–46 ms); the slowed
    run measured twice as slow."""
    if len(speeds) < 2:
        return None
    fastest, slowest = min(speeds.values()), max(speeds.values())
    if slowest <= fastest * tolerance:
        return None
    at = max(speeds, key=speeds.get)
    return (
        f"The machine slowed down during this run: the same fixed work took {slowest:g} ms "
        f"({at}) against {fastest:g} ms at best, {slowest / fastest:.2f}×. Figures measured "
        "meanwhile are slower for that reason; compare them with care."
    )
