"""Accuracy of gongkai against the hand-checked truth of every report in ../shared/corpus and the seeds.

    python benchmarks/accuracy.py [--shared ../shared]

Prints, per report, exact / admitted-unknown / wrong cells and the misses; then totals, the number
of fully correct reports, and precision/recall of the arithmetic findings against the truth files'
known_check_failures.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongkai.check import check_path
from gongkai.evaluate import arithmetic_findings, expected_findings, load_truth, score_cells


def sources(shared: Path):
    for t in sorted((shared / "corpus" / "truth").glob("*.json")):
        truth = load_truth(t)
        if t.stem.startswith("seed-"):
            yield t.stem, truth, shared / "seeds" / truth["file"]
        else:
            raw = sorted((shared / "corpus" / "raw").glob(f"{t.stem}.*"))
            if raw:
                yield t.stem, truth, raw[0]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    args = ap.parse_args()
    shared = Path(args.shared)
    if not (shared / "corpus" / "truth").exists():
        print(f"no corpus at {shared}: nothing to measure")
        return 2
    tot = {"exact": 0, "unknown": 0, "wrong": 0}
    perfect = n = 0
    tp = fp = fn = 0
    by_kind: dict[str, list[int]] = {}
    for tid, truth, src in sources(shared):
        res = check_path(src)
        n += 1
        if res.status != "ok":
            print(f"{tid:9} {src.name:32} {res.status}: {res.error}")
            continue
        s = score_cells(truth, res)
        for k in tot:
            tot[k] += getattr(s, k)
        kind = src.suffix.lower().lstrip(".")
        agg = by_kind.setdefault(kind, [0, 0])
        agg[0] += s.exact
        agg[1] += s.total
        perfect += s.exact == s.total
        exp, got = expected_findings(truth), arithmetic_findings(res)
        tp += len(exp & got)
        fp += len(got - exp)
        fn += len(exp - got)
        print(f"{tid:9} {src.name:32} cells {s.exact}/{s.total}  unknown {s.unknown}  wrong {s.wrong}"
              f"  findings expected {len(exp)} found {len(got)}")
        for m in s.misses[:20]:
            print("          miss:", m)
    total = sum(tot.values())
    print(f"\nreports {n}, fully correct {perfect}/{n}")
    print(f"cells {total}: exact {tot['exact']} ({100 * tot['exact'] / max(total, 1):.2f}%), "
          f"admitted unknown {tot['unknown']}, wrong {tot['wrong']}")
    for kind, (ok, all_) in sorted(by_kind.items()):
        print(f"  {kind:5} {ok}/{all_} ({100 * ok / max(all_, 1):.2f}%)")
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    print(f"arithmetic findings vs truth: precision {prec:.3f}, recall {rec:.3f} (tp {tp}, fp {fp}, fn {fn})")
    return 0 if tot["wrong"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
