"""The benchmark's summaries: nearest-rank percentiles, floors and ratios."""

import pytest

from bench.stats import machine_speed, percentile, speed_note, summary


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


def test_speed_note_warns_only_when_the_machine_slowed_down_during_the_run():
    steady = {"search": 100.0, "pages": 125.0, "end": 104.0}
    slowed = {"search": 240.0, "pages": 110.0, "end": 100.0}

    assert speed_note(steady) is None
    assert speed_note({"search": 100.0}) is None
    note = speed_note(slowed)
    assert note is not None
    assert "240 ms (search)" in note and "100 ms" in note and "2.40×" in note


def test_machine_speed_times_the_same_work():
    first, second = machine_speed(rounds=2), machine_speed(rounds=2)
    assert first > 0 and second > 0
    assert max(first, second) < 20 * min(first, second)  # the same work, not another


def test_the_report_shows_the_speeds_and_the_warning():
    from bench.report import _speed_lines

    lines = _speed_lines({"search": 240.0, "end": 100.0})

    assert lines[0].startswith("Machine speed") and "search 240, end 100." in lines[0]
    assert any("slowed down" in line for line in lines)
    assert _speed_lines({}) == []
