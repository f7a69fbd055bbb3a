"""The batch driver: every core, per-file limits, a worker that dies, streamed and ordered results."""
from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import shared_path
from gongkai import batch, check
from gongkai.batch import LocalPool, check_files
from gongkai.limits import Limits



@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    shared_path("corpus", "truth")
    from generated_reports import write_text

    return write_text(tmp_path_factory.mktemp("gen"), 12)


def _burn_on(monkeypatch, victim_file: Path) -> None:
    """A check that spins in Python on one file's report (a matcher stuck on a pathological text): the
    forked workers inherit it. Python bytecode takes the CPU-time signal at once, so the test does not hang
    on how fast the real matcher is on some text."""
    r = check.check_path(victim_file).report
    victim = (r.agency, r.year)

    def burn(report):
        while (report.agency, report.year) == victim:
            pass
        return []

    monkeypatch.setattr(check, "EXTRA_CHECKS", [burn])


def test_a_file_over_its_cpu_budget_gets_a_time_error_and_the_batch_goes_on(generated, monkeypatch):
    files = [generated[0], generated[5], generated[1]]
    _burn_on(monkeypatch, generated[5])
    results = list(check_files(files, workers=2, limits=Limits(seconds=0.5, seconds_per_page=0), ordered=True))
    assert [r.path for r in results] == [str(f) for f in files]
    assert [r.status for r in results] == ["ok", "error", "ok"]
    assert results[1].error_code == "limit.time" and "超时" in results[1].error


def test_the_same_limits_apply_with_one_worker(generated, monkeypatch):
    _burn_on(monkeypatch, generated[6])
    results = list(check_files([generated[6], generated[2]], workers=1, limits=Limits(seconds=0.5, seconds_per_page=0)))
    assert {r.path: r.error_code for r in results} == {str(generated[6]): "limit.time", str(generated[2]): None}


def test_time_budget_grows_with_page_count():
    lim = Limits(seconds=5, seconds_per_page=3)
    assert lim.budget(1) == 8 and lim.budget(10) == 35


def test_a_file_over_the_memory_limit_gets_a_memory_error(generated, tmp_path):
    hog = tmp_path / "hog.txt"          # ≈ 15 MB of text: under the reader's 20 MB text limit, over 250 MB to match
    hog.write_text("\n".join(p.read_text(encoding="utf-8") for p in generated) * 270, encoding="utf-8")
    limits = Limits(seconds=120, memory_mb=250)     # beyond what the worker maps when it starts
    results = list(check_files([hog, generated[3]], workers=1, limits=limits, ordered=True))
    assert results[0].error_code == "limit.memory", results[0].error
    assert results[1].status == "ok"                        # the same worker goes on after the MemoryError


def test_a_file_that_kills_its_worker_is_reported_and_the_others_are_checked(generated, monkeypatch):
    # A check that takes the process down on one agency's report, as a segfault in a C reader would;
    # the worker processes are forked, so they inherit it.
    victim = check.check_path(generated[4]).report.agency, check.check_path(generated[4]).report.year

    def die(report):
        if (report.agency, report.year) == victim:
            os.kill(os.getpid(), signal.SIGKILL)
        return []

    monkeypatch.setattr(check, "EXTRA_CHECKS", [die])
    results = list(check_files(generated[:8], workers=2, limits=Limits(), ordered=True))
    assert [r.path for r in results] == [str(f) for f in generated[:8]]
    bad = results[4]
    assert bad.status == "error" and bad.error_code == "limit.crashed" and "终止" in bad.error
    assert all(r.status == "ok" for i, r in enumerate(results) if i != 4)


def test_a_file_over_the_size_limit_is_refused_without_being_read_or_hashed(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    hashed = []
    monkeypatch.setattr(batch, "file_sha256", lambda p: hashed.append(p) or "0" * 64)
    r = next(check_files([big], workers=1, limits=Limits(max_bytes=1000)))
    assert r.error_code == "read.too-large" and r.sha256 == "" and "上限" in r.error

    class NoStore:
        def known_hashes(self, hashes):
            return {}

    decided = list(batch.known_or_new(NoStore(), [big], Limits(max_bytes=1000)))
    assert decided[0][1].status == "error" and "read.too-large" in decided[0][1].reason
    assert hashed == []


def test_pool_holds_a_bounded_number_of_results(generated):
    # ordered output waits for a slow file with at most a window of finished results held back
    with LocalPool(2, Limits()) as pool:
        seen = 0
        for r in pool.imap(iter(generated), ordered=True):
            seen += 1
            assert r.status == "ok"
        assert seen == len(generated)


def test_cli_check_runs_on_workers_with_a_progress_summary_and_ordered_json(generated, tmp_path):
    from gongkai.cli import app

    missing = tmp_path / "missing[/x].txt"   # a name that is also rich markup
    out = tmp_path / "all.json"
    files = [str(p) for p in generated[:5]] + [str(missing)]
    r = CliRunner().invoke(app, ["check", *files, "--json", str(out), "-j", "2", "--brief"])
    assert r.exit_code == 1, r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["path"] for d in data] == files
    assert "missing[/x].txt" in r.output and "按原因" in r.output and "read.not-found" in r.output
    assert "t3." not in r.output                        # no per-file finding tables with --brief


def _ocr_threads(_path, _limits):
    import os

    return os.environ.get("GONGKAI_OCR_THREADS")


def test_workers_share_the_ocr_threads_out(monkeypatch):
    """Each worker's OCR recogniser gets cores // workers threads (N workers × 2 threads would fight)."""
    from pathlib import Path

    from gongkai import batch
    from gongkai.limits import Limits

    monkeypatch.delenv("GONGKAI_OCR_THREADS", raising=False)
    monkeypatch.setattr(batch, "default_workers", lambda: 4)
    with batch.LocalPool(2, Limits(), task=_ocr_threads) as pool:
        assert set(pool.imap([Path("a"), Path("b")])) == {"2"}
    with batch.LocalPool(8, Limits(), task=_ocr_threads) as pool:
        assert set(pool.imap([Path("a")])) == {"1"}
