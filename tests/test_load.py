"""Two planning screens on one file while another process writes 10 notes a second: nothing lost, nothing locked,
every note on every screen without a key press. How soon each note shows (the 1 s target) is measured by
tests/benchmarks/bench_load.py, not here."""

from __future__ import annotations

from pathlib import Path

from benchmarks.load import run_load


def test_two_screens_see_every_note_of_a_steady_writer(demo: Path) -> None:
    report = run_load(demo / "data" / "demo.db", demo / "run", screens=2, rate=10, seconds=5)

    assert report.attempted == 50
    assert report.lost == 0 and report.committed == report.in_database == 50, report.summary()
    assert report.writer_errors == [] and report.locked == [], report.summary()
    for screen in report.screens:
        assert screen.problems == [], report.summary()
        assert screen.missing == [], report.summary()
        assert len(screen.latencies) == 50, report.summary()
