"""The benchmark's summaries: nearest-rank percentiles, floors and ratios."""

import pytest

from bench.stats import percentile, summary


def test_percentile_is_nearest_rank():
    values = list(range(1, 21))  # 1..20
    assert percentile(values, 0.95) == 19
    assert percentile(values, 0.5) == 10
    assert percentile(values, 1.0) == 20
    assert percentile([7.0], 0.95) == 7.0


def test_percentile_ignores_input_order():
    assert percentile([5, 1, 4, 2, 3], 0.8) == 4


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_summary_compares_with_the_floor():
    figure = summary([10.0, 12.0, 14.0, 30.0], floor_ms=[4.0, 5.0, 6.0, 6.0])
    assert figure["n"] == 4
    assert figure["median_ms"] == 13.0
    assert figure["p95_ms"] == 30.0
    assert figure["min_ms"] == 10.0
    assert figure["floor_ms"] == 5.5
    assert figure["ratio"] == round(13.0 / 5.5, 2)
    assert figure["ratio_p95"] == 5.0


def test_summary_without_floor_has_no_ratio():
    assert "ratio" not in summary([1.0, 2.0])
