#!/usr/bin/env python3
"""Run the extractor over an annotated folder and score it.

    python scripts/evaluate.py [--gold ../shared/eval/dev] [--out eval-out] [--gate] [--corpus]

--gate applies the floors in scripts/gates.json (what the issues have reached), so a
change that lowers accuracy fails CI. --corpus scores our own corpus/ instead (a
sanity check: the classifier was trained on it, so those numbers flatter it). Writes
the scorer's JSON to OUT/metrics.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "eval" / "dev")
    ap.add_argument("--out", type=Path, default=ROOT / "eval-out")
    ap.add_argument("--scorer", type=Path, default=None, help="score.py (default: beside the gold folder)")
    ap.add_argument("--gate", action="store_true", help="fail when a gated metric is below its floor")
    ap.add_argument("--corpus", action="store_true", help="score corpus/ instead of the shared dev set")
    ap.add_argument("--markdown", type=Path, default=None, help="also write the scorer's table into this Markdown file")
    a = ap.parse_args()
    gold = ROOT / "corpus" if a.corpus else a.gold
    scorer = a.scorer or (a.gold.parent / "score.py")
    if not scorer.exists():
        print(f"no scorer at {scorer}", file=sys.stderr)
        return 2
    from vnreport_extract.batch import safe_name
    from vnreport_extract.pipeline import Extractor

    ex = Extractor()
    a.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    n = 0
    for path in sorted(gold.glob("*.txt")):
        report = ex.extract(path.read_text(encoding="utf-8"), source=str(path))
        (a.out / f"{safe_name(str(path))}.json").write_text(report.model_dump_json(), encoding="utf-8")
        n += 1
    print(f"extracted {n} reports in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    cmd = [sys.executable, str(scorer), str(gold), str(a.out)]
    table = subprocess.run(cmd, capture_output=True, text=True)
    print(table.stdout, end="")
    metrics = subprocess.run(cmd + ["--json"], capture_output=True, text=True)
    (a.out / "metrics.json").write_text(metrics.stdout, encoding="utf-8")
    if a.markdown:
        import datetime

        from vnreport_extract import __version__

        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        a.markdown.write_text(
            "# Accuracy\n\nWritten by `python scripts/evaluate.py --markdown docs/accuracy.md` "
            f"(vnreport-extract {__version__}, {stamp}) over `{gold.name}/` with the shared scorer; "
            "the classifier never saw these texts.\n\n```\n" + table.stdout + "```\n",
            encoding="utf-8",
        )
    if a.gate:
        gates = json.loads((ROOT / "scripts" / "gates.json").read_text(encoding="utf-8"))["floors"]
        args = [x for k, v in gates.items() for x in ("--min", f"{k}={v}")]
        gated = subprocess.run(cmd + args, capture_output=True, text=True)
        if gated.returncode != 0:
            print(gated.stdout.splitlines()[-5:] if gated.stdout else "", gated.stderr, file=sys.stderr)
            print("accuracy gate FAILED", file=sys.stderr)
            return 1
        print("accuracy gates passed: " + ", ".join(f"{k} >= {v}" for k, v in gates.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
