"""CPU instructions per text report, counted by valgrind (deterministic, unlike time on a shared machine).

    python benchmarks/instructions.py [--shared ../shared] [--passes 2]

Runs the same files as ``speed.py``'s text row under ``valgrind --tool=callgrind`` twice: once with the
warm-up alone (imports, first calls) and once with ``--passes`` more passes, memo caches cleared before each
as ``speed.py`` does; the difference divided by the reports checked is what one report costs. The hash seed is
fixed so dict and set orders, and with them the count, repeat. Needs valgrind (apt-get install valgrind);
takes a minute or two per tree.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_CHILD = r"""
import sys
sys.path.insert(0, {bench!r})
from pathlib import Path
from speed import clear_caches, text_files
from gongkai.check import check_path
paths = text_files(Path({shared!r}))
for p in paths:
    check_path(p)
for _ in range(int(sys.argv[1])):
    clear_caches()
    for p in paths:
        check_path(p)
"""


def count(shared: Path, passes: int) -> tuple[int, int]:
    """Instructions of the warm-up plus ``passes`` passes, and the number of files in a pass."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from speed import text_files

    n_files = len(text_files(shared))
    code = _CHILD.format(bench=str(REPO / "benchmarks"), shared=str(shared))
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPATH=str(REPO / "src"))
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c",
                          code, str(passes)], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"the measured run failed (exit {out.returncode}):\n{out.stderr[-2000:]}")
    m = re.search(r"Collected : (\d+)", out.stderr)
    if m is None:
        raise SystemExit(f"valgrind gave no count:\n{out.stderr[-2000:]}")
    return int(m.group(1)), n_files


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--passes", type=int, default=2)
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    shared = Path(args.shared)
    base, n = count(shared, 0)
    more, _ = count(shared, args.passes)
    print(f"text  {n} files  {(more - base) / (args.passes * n) / 1e6:.2f} M instructions per report "
          f"(callgrind, {args.passes} passes after the warm-up)")


if __name__ == "__main__":
    main()
