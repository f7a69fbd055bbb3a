"""Scanned reports: accuracy and speed of OCR reading, per scan condition.

    python benchmarks/scans.py [--shared ../shared] [--quick] [--conditions clean-200,skew+2,...]
                               [--reports 002,seed-001,...] [--cache DIR] [--json OUT]

Sources: the corpus PDF (raw/002.pdf) and every truth report of ../shared/corpus/truth (both
formats) composed by gongkai and converted to PDF by LibreOffice. Each source is rasterised with
pypdfium2 at 150, 200 or 300 dpi, degraded (skew ±2°, blur, noise, JPEG q50, a photocopy-style
threshold, grey paper) and packed as an image-only PDF (or a multi-page TIFF), then read by
``check_path`` as any file is.

Per condition it prints: cells right (the same value and kind as the source PDF read through its
text layer — the scan must give what its original gives — and, in brackets, against the truth
file), reports fully right, wrong cells flagged by a finding (an ``ocr.*`` finding, or any warning or
error naming the cell or its row) vs wrong and silent, and seconds per page (wall, min and median over
reports; CPU). The recogniser's load is timed apart. The load average of the machine is printed
with each condition, since the machine may be shared.

Composed PDFs and scans are cached (``--cache``, default ~/.cache/gongkai-scans), keyed by the
source's hash and the condition, so a second run only measures. ``--quick`` takes 002 and four
composed reports (two per format) and four conditions.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from gongkai.check import CheckResult, check_path
from gongkai.evaluate import load_truth, score_cells
from gongkai.findings import Severity
from gongkai.model import Kind

# name → (dpi, degradations applied in order, packing)
CONDITIONS: dict[str, tuple[int, tuple[str, ...], str]] = {
    "clean-150": (150, (), "pdf"),
    "clean-200": (200, (), "pdf"),
    "clean-300": (300, (), "pdf"),
    "tiff-200": (200, (), "tiff"),
    "skew+2": (200, ("skew+2",), "pdf"),
    "skew-2": (200, ("skew-2",), "pdf"),
    "blur": (200, ("blur",), "pdf"),
    "noise": (200, ("noise",), "pdf"),
    "jpeg50": (200, ("jpeg50",), "pdf"),
    "photocopy": (200, ("photocopy",), "pdf"),
    "faint-copy": (200, ("faint-copy",), "pdf"),
    "grey-paper": (200, ("grey",), "pdf"),
    "mixed-150": (150, ("skew-1", "grey", "noise", "jpeg50"), "pdf"),
}
QUICK_CONDITIONS = ("clean-200", "skew+2", "noise", "photocopy")
# The degraded conditions of the target. faint-copy (a copy so light that thin strokes break) is a stress
# condition beyond the list: printed, not counted in the target.
DEGRADED = tuple(c for c in CONDITIONS if not c.startswith(("clean", "tiff", "faint")))

SECTION_TEXTS = {  # invented prose for the composed reports (as the composer's render test does)
    "proactive": "本机关坚持以公开为常态、不公开为例外，及时发布政策文件和解读材料。",
    "requests": "本机关严格按照法定程序和时限办理政府信息公开申请。",
    "review_litigation": "本机关认真做好政府信息公开行政复议和行政诉讼应诉工作。",
    "problems": "政府信息公开工作仍存在一些不足。\n下一步将进一步规范答复流程，提高答复质量。",
}


# ---------------------------------------------------------------- degradations


def degrade(img: np.ndarray, how: str, dpi: int, rng: np.random.Generator) -> np.ndarray:
    import cv2

    f = dpi / 200.0
    if how.startswith("skew"):
        angle = float(how[4:])
        h, w = img.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    if how == "blur":
        return cv2.GaussianBlur(img, (0, 0), 1.2 * f)
    if how == "noise":
        return np.clip(img.astype(np.float32) + rng.normal(0, 18, img.shape), 0, 255).astype(np.uint8)
    if how == "jpeg50":
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 50])
        return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    if how in ("photocopy", "faint-copy"):
        # a slightly blurred page thresholded hard, with specks on it: toner spreads (strokes thicken,
        # threshold 190); a faint copy loses thin strokes (threshold 150)
        b = cv2.GaussianBlur(img, (0, 0), 0.8 * f)
        out = np.where(b < (190 if how == "photocopy" else 150), 0, 255).astype(np.uint8)
        specks = rng.random(img.shape) < 0.0008
        out[specks] = 0
        return out
    if how == "grey":
        h, w = img.shape
        low = cv2.resize(rng.normal(0, 1, (max(2, h // 200), max(2, w // 200))).astype(np.float32), (w, h),
                         interpolation=cv2.INTER_CUBIC)
        paper = np.clip(200 + 12 * low, 170, 230)
        return (img.astype(np.float32) / 255.0 * paper).astype(np.uint8)
    raise ValueError(how)


# ---------------------------------------------------------------- sources and scans


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def composed_pdfs(shared: Path, cache: Path, ids: list[str]) -> dict[str, Path]:
    """Every truth report composed to PDF (one LibreOffice run for those not cached)."""
    from gongkai.compose.figures import report_from_compact
    from gongkai.compose.render.pdf import write_pdfs

    out: dict[str, Path] = {}
    todo = []
    for ident in ids:
        raw = (shared / "corpus" / "truth" / f"{ident}.json").read_bytes()
        target = cache / "composed" / f"{ident}-{_sha(raw)}.pdf"
        out[ident] = target
        if not target.exists():
            truth = json.loads(raw)
            report = report_from_compact(truth)
            quotes = (truth.get("narrative") or {}).get("narrative_quotes") or []
            report.sections["overview"] = "\n".join([*quotes, "本机关认真贯彻落实《中华人民共和国政府信息公开条例》。"])
            report.sections.update(SECTION_TEXTS)
            report.sections["other_matters"] = "本年度未收取信息处理费。"
            todo.append((report, target))
    if todo:
        t = time.perf_counter()
        write_pdfs(todo)
        print(f"composed {len(todo)} PDF(s) with LibreOffice in {time.perf_counter() - t:.1f} s", flush=True)
    return out


def make_scan(source: Path, condition: str, cache: Path) -> Path:
    """The source PDF rasterised, degraded and packed as the condition says (cached)."""
    import pypdfium2 as pdfium
    from PIL import Image

    dpi, steps, pack = CONDITIONS[condition]
    data = source.read_bytes()
    target = cache / "scans" / f"{source.stem}-{_sha(data)}-{condition}.{pack}"
    if target.exists():
        return target
    rng = np.random.default_rng(int(_sha(data + condition.encode())[:8], 16))
    pdf = pdfium.PdfDocument(data)
    pages = []
    for i in range(len(pdf)):
        img = pdf[i].render(scale=dpi / 72, grayscale=True).to_numpy()
        for how in steps:
            img = degrade(img, how, dpi, rng)
        pages.append(Image.fromarray(img))
    pdf.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    if pack == "pdf":
        pages[0].save(tmp, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    else:
        pages[0].save(tmp, format="TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi),
                      compression="tiff_lzw")
    os.replace(tmp, target)
    return target


# ---------------------------------------------------------------- scoring


def _cells(r: CheckResult) -> dict[str, tuple]:
    if r.report is None:
        return {}
    return {k: (c.kind.value, c.as_printed()) for k, c in r.report.cells()}


def _flagged(key: str, r: CheckResult) -> bool:
    row = key.rsplit(".", 1)[0]
    for f in r.findings:
        if f.severity is Severity.INFO:
            continue  # how a value was read, not a doubt about it
        for c in f.cells:
            if c == key or c == row or key.startswith(c + "."):
                return True
    return False


@dataclass
class Tally:
    cells: int = 0
    right: int = 0
    truth_cells: int = 0
    truth_right: int = 0
    reports: int = 0
    reports_right: int = 0
    flagged: int = 0
    silent: int = 0
    pages: int = 0
    wall: list[float] = field(default_factory=list)     # seconds per page, per report
    cpu: list[float] = field(default_factory=list)
    silent_cells: list[str] = field(default_factory=list)
    wrong_cells: list[str] = field(default_factory=list)
    flag_false: int = 0   # right cells that carry an ocr.* doubt finding (false alarms)

    def add(self, name: str, original: CheckResult, scanned: CheckResult, truth: dict | None) -> None:
        self.reports += 1
        want = _cells(original)
        got = _cells(scanned)
        wrong = 0
        for key, value in want.items():
            self.cells += 1
            if got.get(key) == value:
                self.right += 1
                if any(f.code.startswith("ocr.") and f.severity is not Severity.INFO and key in f.cells
                       for f in scanned.findings):
                    self.flag_false += 1
                continue
            wrong += 1
            self.wrong_cells.append(f"{name}:{key} want {value} got {got.get(key)}")
            # a file that cannot be read says so: its cells are not silently wrong
            if scanned.report is None or _flagged(key, scanned) or (key in got and got[key][0] == Kind.UNKNOWN.value):
                self.flagged += 1
            else:
                self.silent += 1
                self.silent_cells.append(f"{name}:{key} want {value} got {got.get(key)}")
        self.reports_right += wrong == 0 and scanned.status == original.status
        if truth is not None and scanned.report is not None:
            s = score_cells(truth, scanned)
            self.truth_cells += s.total
            self.truth_right += s.exact
        ocr = scanned.ocr or {}
        n = len(ocr.get("pages") or []) or 1
        self.pages += n
        self.wall.append(float(ocr.get("seconds") or 0.0) / n)
        self.cpu.append(float(ocr.get("cpu_seconds") or 0.0) / n)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    ap.add_argument("--quick", action="store_true", help="002 and four composed reports, four conditions")
    ap.add_argument("--conditions", default="", help="comma-separated, from: " + ", ".join(CONDITIONS))
    ap.add_argument("--reports", default="", help="comma-separated truth ids (default: all)")
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "gongkai-scans"))
    ap.add_argument("--json", default="", help="write the per-condition figures to this file")
    ap.add_argument("--show-silent", action="store_true")
    ap.add_argument("--show-wrong", action="store_true", help="list every wrong cell, flagged or not")
    args = ap.parse_args()
    shared = Path(args.shared)
    truth_dir = shared / "corpus" / "truth"
    if not truth_dir.is_dir():
        print(f"no corpus at {shared}: nothing to measure")
        return 2
    cache = Path(args.cache)
    ids = sorted(p.stem for p in truth_dir.glob("*.json"))
    if args.reports:
        ids = [i for i in args.reports.split(",") if i]
    elif args.quick:
        by_fmt: dict[str, list[str]] = {}
        for i in ids:
            by_fmt.setdefault(str(load_truth(truth_dir / f"{i}.json").get("template")), []).append(i)
        ids = sorted({"002", *[i for v in by_fmt.values() for i in v[:2]]})
    conditions = [c for c in args.conditions.split(",") if c] or list(QUICK_CONDITIONS if args.quick else CONDITIONS)

    sources: dict[str, Path] = {}
    if "002" in ids and (shared / "corpus" / "raw" / "002.pdf").exists():
        sources["002"] = shared / "corpus" / "raw" / "002.pdf"
    for ident, p in composed_pdfs(shared, cache, [i for i in ids if i != "002"]).items():
        sources[f"{ident}-composed"] = p
    originals = {name: check_path(p) for name, p in sources.items()}
    truths = {name: load_truth(truth_dir / f"{name.removesuffix('-composed')}.json") for name in sources}
    for name, r in originals.items():
        if r.status != "ok":
            print(f"source {name}: {r.status} {r.error}")

    from gongkai.read import ocr_engine

    t = time.perf_counter()
    load = ocr_engine.engine().load_seconds
    print(f"recogniser load (first use, not counted below): {load:.2f} s")
    print(f"{len(sources)} reports: {', '.join(sources)}\n")
    header = (f"{'condition':11} {'cells right':>20} {'vs truth':>16} {'reports':>8} {'flagged':>7} {'silent':>6} "
              f"{'false alarms':>12} {'s/page wall min/med':>20} {'cpu/page':>8} {'load':>5}")
    print(header)
    results = {}
    for cond in conditions:
        tally = Tally()
        for name, src in sources.items():
            scan = make_scan(src, cond, cache)
            res = check_path(scan)
            tally.add(name, originals[name], res, truths.get(name))
        load1 = os.getloadavg()[0]
        pct = 100 * tally.right / max(tally.cells, 1)
        tpct = 100 * tally.truth_right / max(tally.truth_cells, 1)
        print(f"{cond:11} {tally.right:>6}/{tally.cells:<6} {pct:6.2f}% {tally.truth_right:>6}/{tally.truth_cells:<5}"
              f"{tpct:5.1f}% {tally.reports_right:>3}/{tally.reports:<4} {tally.flagged:>7} {tally.silent:>6} "
              f"{tally.flag_false:>12} {min(tally.wall):>9.2f}/{statistics.median(tally.wall):<9.2f} "
              f"{statistics.median(tally.cpu):>8.2f} {load1:>5.1f}", flush=True)
        if args.show_wrong:
            for s_ in tally.wrong_cells[:40]:
                print("    wrong:", s_)
        if args.show_silent:
            for s in tally.silent_cells[:30]:
                print("    silent:", s)
        results[cond] = {"cells": tally.cells, "right": tally.right, "truth_cells": tally.truth_cells,
                         "truth_right": tally.truth_right, "reports": tally.reports,
                         "reports_right": tally.reports_right, "flagged": tally.flagged, "silent": tally.silent,
                         "false_alarms": tally.flag_false, "pages": tally.pages,
                         "wall_per_page_min": min(tally.wall), "wall_per_page_median": statistics.median(tally.wall),
                         "cpu_per_page_median": statistics.median(tally.cpu), "load": load1,
                         "silent_cells": tally.silent_cells}
    print(f"\ntotal {time.perf_counter() - t:.0f} s")
    clean = results.get("clean-200")
    deg = [results[c] for c in results if c in DEGRADED]
    if clean:
        print(f"target 100 % at clean-200: {'met' if clean['right'] == clean['cells'] else 'NOT met'}")
    if deg:
        r, n = sum(d["right"] for d in deg), sum(d["cells"] for d in deg)
        print(f"target ≥ 99.5 % degraded: {100 * r / max(n, 1):.2f}% {'met' if r >= 0.995 * n else 'NOT met'}")
    silent = sum(d["silent"] for d in results.values())
    print(f"target 0 silent errors: {silent} {'met' if silent == 0 else 'NOT met'}")
    if args.json:
        Path(args.json).write_text(json.dumps({"load_seconds": load, "conditions": results}, ensure_ascii=False,
                                              indent=1), encoding="utf-8")
    return 0 if silent == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
