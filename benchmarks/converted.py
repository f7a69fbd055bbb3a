"""The converter benchmark (issue 11): every truth report, converted by the tools people use, then checked.

    python benchmarks/converted.py [--converters pdfminer,pandoc] [--reports 002,seed-001] [--origins composed]
                                   [--kinds pdf,docx,html] [--no-direct] [--misses] [--json OUT|-]
                                   [--budget SECONDS] [--baseline EARLIER.json]

Inputs: the corpus reports published as PDF/HTML (002.pdf, 032.html) and every truth file composed by gongkai as
PDF, DOCX and HTML. Each is converted (cached on disk: see conversions/cache.py) by pypdfium2, pdfminer.six,
pdfplumber (plain, layout=True), pdftotext (default, -layout, -raw), markitdown (PDF, DOCX), mammoth, pandoc and
lxml (one cell per line), written as .txt/.md and checked as ``gongkai check`` does; the row ``gongkai-reader`` is
the document read by gongkai itself, for reference. Prints per converter: cells right, reports fully right, wrong
cells flagged by a finding vs silent, unknown cells, and the time of conversion and of the check; then the targets
and whether they are met. Exits 0 when every target is met, 1 when one is not, 2 when there is nothing to measure.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conversions import converters as C  # noqa: E402
from conversions.documents import COMPOSED_KINDS, all_sources, default_shared  # noqa: E402
from conversions import layouts  # noqa: E402
from conversions.scoring import CHECK_BUDGET, Outcome, score  # noqa: E402


def all_converters() -> dict[str, C.Converter]:
    """The tools, then the arrangement mutations of every truth file (``layout:…``), by name."""
    return {c.name: c for c in (*C.CONVERTERS, *layouts.converters())}


def run(shared: Path, *, names: list[str] | None = None, idents: set[str] | None = None,
        origins: tuple[str, ...] = ("published", "composed", "truth"), kinds: tuple[str, ...] = COMPOSED_KINDS,
        direct: bool = True, root: Path | None = None, budget: float | None = CHECK_BUDGET) -> dict:
    """Every (source, converter) outcome, the converters skipped (with why) and the inputs that could not be made."""
    every = all_converters()
    chosen = [every[n] for n in names] if names else list(every.values())
    skipped = {c.name: why for c in chosen if (why := c.available())}
    usable = [c for c in chosen if c.name not in skipped]
    needed = {c.kind for c in usable} | ({"pdf", "docx", "html"} if direct else set())
    kinds = tuple(k for k in kinds if k in needed)  # compose only what some chosen converter reads
    if "figures" not in needed:
        origins = tuple(o for o in origins if o != "truth")
    sources, not_made = all_sources(shared, kinds, idents, root, origins)
    outcomes: list[Outcome] = []
    for src in sources:
        if src.kind not in kinds and src.origin != "truth":
            continue
        for conv in ([C.DIRECT] if direct and src.origin != "truth" else []) + [c for c in usable if c.kind == src.kind]:
            outcomes.append(score(src, conv, root, budget))
    return {"outcomes": outcomes, "skipped_converters": skipped, "inputs_not_made": not_made}


def summarise(outcomes: list[Outcome]) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for o in outcomes:
        r = rows.setdefault(o.converter, dict.fromkeys(
            ("total", "right", "unknown", "unknown_unflagged", "wrong_flagged", "wrong_silent", "reports", "exact",
             "target_reports", "target_exact", "convert_s", "check_s", "failed", "timeouts"), 0))
        for k in ("total", "right", "unknown", "unknown_unflagged", "wrong_flagged", "wrong_silent", "convert_s",
                  "check_s"):
            r[k] += getattr(o, k)
        r["reports"] += 1
        r["exact"] += o.exact
        r["failed"] += o.status != "ok"
        r["timeouts"] += o.status == "timeout"
        if o.exact_target:
            r["target_reports"] += 1
            r["target_exact"] += o.exact
    for r in rows.values():
        r["exact_target_met"] = r["target_exact"] == r["target_reports"]
        r["silent_target_met"] = r["wrong_silent"] == 0
    return rows


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "-"


def print_table(result: dict, *, misses: bool = False) -> None:
    rows = summarise(result["outcomes"])
    print(f"{'converter':22} {'cells right':>19} {'reports':>8} {'exact*':>7} {'flagged':>8} {'silent':>7}"
          f" {'unknown':>8} {'unk.silent':>10} {'timeouts':>8} {'convert s':>9} {'check ms':>9}")
    for name, r in rows.items():
        print(f"{name:22} {r['right']:>6}/{r['total']:<5} {_pct(r['right'], r['total']):>6} "
              f"{r['exact']:>3}/{r['reports']:<4} {r['target_exact']:>3}/{r['target_reports']:<3} "
              f"{r['wrong_flagged']:>8} {r['wrong_silent']:>7} {r['unknown']:>8} {r['unknown_unflagged']:>10}"
              f" {r['timeouts']:>8} {r['convert_s']:>9.2f} {1000 * r['check_s'] / max(r['reports'], 1):>9.1f}")
    print("  cells right: value and kind as the truth; reports: fully right; exact*: fully right of those the converter"
          " keeps every printed cell of\n  (it keeps blank cells in place, or the report has none); flagged / silent:"
          " wrong cells a warning or error names / none does;\n  unk.silent: unknown cells no finding names;"
          " convert s: total conversion time (recorded when the cache entry was made); check ms: mean per report")
    for name, why in result["skipped_converters"].items():
        print(f"  skipped {name}: {why}")
    for kind, why in result["inputs_not_made"].items():
        print(f"  composed {kind} not made: {why}")
    failed: dict[tuple[str, str, str], list[str]] = {}
    for o in result["outcomes"]:
        if o.status != "ok":
            failed.setdefault((o.converter, o.status, o.error or ""), []).append(o.ident)
    for (conv, status, error), idents in failed.items():
        print(f"  {conv}: {status} on {len(idents)} ({', '.join(idents[:6])}{' …' if len(idents) > 6 else ''}): {error}")
    if misses:
        for o in result["outcomes"]:
            if o.misses:
                print(f"\n{o.source} × {o.converter}: right {o.right}/{o.total}  ({o.text})")
                for m in o.misses[:40]:
                    print("    ", *m)
    print("\ntargets (issue 11):")
    conv_rows = {n: r for n, r in rows.items() if n != C.DIRECT.name}
    a = [f"{n} ({r['target_reports'] - r['target_exact']})" for n, r in conv_rows.items() if not r["exact_target_met"]]
    b = [f"{n} ({r['wrong_silent']})" for n, r in conv_rows.items() if not r["silent_target_met"]]
    print("  every conversion that keeps every printed cell: 100% of cells, the report fully right — "
          + ("met" if not a else "NOT met (reports short): " + ", ".join(a)))
    print("  every converter: 0 silent errors — " + ("met" if not b else "NOT met (silent cells): " + ", ".join(b)))


def print_against(baseline: dict, outcomes: list[Outcome]) -> None:
    """Per converter, the figures of an earlier ``--json`` run and now; then every conversion that got worse."""
    before = baseline.get("converters", {})
    now = summarise(outcomes)
    print(f"\nagainst the baseline (then → now):\n  {'converter':22} {'cells right':>23} {'fully right':>12} {'silent':>12}")
    for name, r in now.items():
        b = before.get(name)
        if b is None:
            continue
        print(f"  {name:22} {b['right']:>6} → {r['right']:<6} of {r['total']:<5} {b['exact']:>4} → {r['exact']:<4}"
              f" {b['wrong_silent']:>5} → {r['wrong_silent']:<5}")
    old = {(o["source"], o["converter"]): o for o in baseline.get("outcomes", [])}
    worse = []
    for o in outcomes:
        b = old.get((o.source, o.converter))
        if b and (o.right < b["right"] or o.wrong_silent > b["wrong_silent"] or o.unknown_unflagged > b["unknown_unflagged"]):
            worse.append(f"  {o.source} × {o.converter}: right {b['right']} → {o.right}, silent {b['wrong_silent']} → "
                         f"{o.wrong_silent}, unknown without finding {b['unknown_unflagged']} → {o.unknown_unflagged}")
    print(f"worse than the baseline: {len(worse)}")
    print("\n".join(worse))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(default_shared()))
    ap.add_argument("--converters", help="comma-separated: " + ",".join(all_converters()))
    ap.add_argument("--reports", help="comma-separated truth ids, e.g. 002,seed-001")
    ap.add_argument("--origins", default="published,composed,truth",
                    help="published (002.pdf, 032.html), composed (truth files as PDF/DOCX/HTML), truth (layouts)")
    ap.add_argument("--kinds", default=",".join(COMPOSED_KINDS))
    ap.add_argument("--no-direct", action="store_true", help="leave out the gongkai-reader reference row")
    ap.add_argument("--cache", help="cache directory (default $GONGKAI_CONVBENCH_CACHE or ~/.cache/gongkai/convbench)")
    ap.add_argument("--budget", type=float, default=CHECK_BUDGET,
                    help=f"seconds a check may take before it is stopped as a timeout (default {CHECK_BUDGET:g})")
    ap.add_argument("--misses", action="store_true", help="list the cells each conversion gets wrong")
    ap.add_argument("--json", help="write the outcomes as JSON to this file, or - for stdout")
    ap.add_argument("--baseline", help="an earlier --json file: print the figures then and now, and what got worse")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "corpus" / "truth").is_dir():
        print(f"no corpus at {shared}: nothing to measure")
        return 2
    names = args.converters.split(",") if args.converters else None
    unknown = [n for n in names or [] if n not in all_converters()]
    if unknown:
        ap.error(f"unknown converter(s) {', '.join(unknown)}; known: {', '.join(all_converters())}")
    result = run(shared, names=names, idents=set(args.reports.split(",")) if args.reports else None,
                 origins=tuple(args.origins.split(",")), kinds=tuple(args.kinds.split(",")),
                 direct=not args.no_direct, root=Path(args.cache) if args.cache else None, budget=args.budget)
    if not result["outcomes"]:
        print("nothing to measure (no inputs for this selection)")
        return 2
    rows = summarise(result["outcomes"])
    if args.json:
        payload = json.dumps({"converters": rows, "skipped_converters": result["skipped_converters"],
                              "inputs_not_made": result["inputs_not_made"],
                              "outcomes": [o.to_dict() for o in result["outcomes"]]}, ensure_ascii=False, indent=1)
        if args.json == "-":
            print(payload)
        else:
            Path(args.json).write_text(payload, encoding="utf-8")
    if args.json != "-":
        print_table(result, misses=args.misses)
        if args.baseline:
            print_against(json.loads(Path(args.baseline).read_text(encoding="utf-8")), result["outcomes"])
    met = all(r["exact_target_met"] and r["silent_target_met"] for n, r in rows.items() if n != C.DIRECT.name)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
