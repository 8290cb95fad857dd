#!/usr/bin/env python3
"""Throughput, memory and start-up of vnreport-extract, side by side with underthesea.

    python scripts/bench.py [FOLDER] [--rounds 2] [--out bench.json] [--profile prof.txt]

Over the reports in FOLDER (``*.txt``; default ``corpus/``), in one run:

(a) our full pipeline in one process (``Extractor.extract`` over every text);
(b) the same through ``Extractor.extract_many(n_process=2)``;
(c) underthesea's CRF ``ner`` over the same texts, sentence by sentence (sentences cut by
    underthesea's ``sent_tokenize`` beforehand; only the ``ner`` calls are timed);

each in a fresh Python process, so its peak RSS (``ru_maxrss``; for (b) the largest of the
parent and its workers) is its own. Models load before the clock starts; the load time is
reported apart. Then: the cold start of ``vnreport extract`` on one report and of
``import vnreport_extract`` (fresh interpreters, median of 3), and a scaling check (one
report repeated 1x, 10x and 50x in length). Prints a table, the ratios a/c and b/a, each
target of issue 6 as met or not, and writes every figure to ``--out`` as JSON.

It measures; it is not a test. Other load on the machine skews it: run it on a quiet one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

TARGETS = {
    "a_over_c": 30.0,  # full pipeline >= 30x underthesea ner, documents/s
    "b_over_a": 1.7,  # 2 workers >= 1.7x one
    "peak_rss_mb": 400.0,  # per process
    "cli_cold_s": 2.0,
    "import_s": 0.3,
    "scale_50x": 60.0,  # 50x longer input: <= 60x the time
}


def load_texts(folder: Path) -> list[tuple[str, str]]:
    paths = sorted(p for p in folder.glob("*.txt") if p.is_file())
    if not paths:
        raise SystemExit(f"bench: no *.txt reports in {folder}")
    return [(p.name, p.read_text(encoding="utf-8")) for p in paths]


def cpu_seconds() -> float:
    """User + system CPU time of this process and its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def peak_rss_mb(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    kb = resource.getrusage(who).ru_maxrss  # KiB on Linux
    return kb / 1024.0


# --- the measurements, each run in its own process (``--mode``) -----------------------


def mode_ours(texts: list[str], rounds: int, n_process: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    from vnreport_extract import Extractor

    ex = Extractor()
    # load everything lazily loaded (classifier model, underthesea tagger) before timing
    for text in texts[:10]:
        ex.extract(text)
    load_s = time.perf_counter() - t0
    work = texts * rounds
    c1, t1 = cpu_seconds(), time.perf_counter()
    if n_process == 1:
        n = sum(1 for text in work if ex.extract(text) is not None)
    else:
        n = sum(1 for _ in ex.extract_many(work, n_process=n_process, batch_size=8))
    seconds = time.perf_counter() - t1
    return {
        "docs": n,
        "chars": sum(map(len, work)),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds() - c1,
        "load_seconds": load_s,
        "peak_rss_mb": peak_rss_mb(),
        "peak_rss_workers_mb": peak_rss_mb(children=True) if n_process > 1 else None,
    }


def mode_underthesea(texts: list[str], rounds: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    from underthesea import ner, sent_tokenize

    ner("Đồng chí Nguyễn Văn An phát biểu tại hội nghị.")  # load the CRF model
    load_s = time.perf_counter() - t0
    work = texts * rounds
    sentences = [[s for line in text.split("\n") if line.strip() for s in sent_tokenize(line)] for text in work]
    c1, t1 = cpu_seconds(), time.perf_counter()
    for doc in sentences:
        for s in doc:
            ner(s)
    seconds = time.perf_counter() - t1
    return {
        "docs": len(work),
        "chars": sum(map(len, work)),
        "sentences": sum(map(len, sentences)),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds() - c1,
        "load_seconds": load_s,
        "peak_rss_mb": peak_rss_mb(),
    }


def mode_scaling(text: str, factors: list[int]) -> dict[str, Any]:
    """Extract ``text`` repeated k times; best of 3 (of 2 for the longest), CPU time and wall."""
    from vnreport_extract import Extractor

    ex = Extractor()
    ex.extract(text)  # warm
    out: dict[str, Any] = {}
    for k in factors:
        long = "\n\n".join([text] * k)
        runs = [_timed(ex.extract, long) for _ in range(3 if k < max(factors) else 2)]
        out[str(k)] = {"chars": len(long), "cpu_seconds": min(c for c, _ in runs), "seconds": min(w for _, w in runs)}
    base = out[str(factors[0])]
    for k in factors:
        # CPU time: other load on the machine stretches wall time, not the work done
        out[str(k)]["ratio"] = out[str(k)]["cpu_seconds"] / base["cpu_seconds"]
        out[str(k)]["wall_ratio"] = out[str(k)]["seconds"] / base["seconds"]
    return out


STAGES = (
    "normalize",
    "segment_blocks",
    "recognize_dates",
    "recognize_event",
    "recognize_resolutions",
    "recognize_positions",
    "split_sentences",
    "find_name_candidates",
    "link_people",
)


def stage_times(texts: list[str]) -> str:
    """CPU time per pipeline stage over ``texts``, without a profiler's overhead.

    Wraps the stage functions that ``pipeline.py`` calls (and the classifier) with a CPU
    clock; what is left is assembling and validating the Report.
    """
    import collections

    import vnreport_extract.pipeline as pl

    spent: collections.Counter[str] = collections.Counter()

    def clocked(name: str, fn: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - t

        return run

    saved = {name: getattr(pl, name) for name in STAGES if hasattr(pl, name)}
    for name, fn in saved.items():
        setattr(pl, name, clocked(name, fn))
    try:
        ex = pl.Extractor()
        ex.classifier.classify = clocked("classify", ex.classifier.classify)  # type: ignore[method-assign]
        for text in texts[:10]:
            ex.extract(text)
        spent.clear()
        t = time.process_time()
        for text in texts:
            ex.extract(text)
        total = time.process_time() - t
    finally:
        for name, fn in saved.items():
            setattr(pl, name, fn)
    lines = [f"== CPU time per stage, {len(texts)} reports, {1000 * total / len(texts):.1f} ms per report =="]
    for name, sec in spent.most_common():
        lines.append(f"  {name:34} {sec:7.2f} s {100 * sec / total:5.1f} %")
    rest = total - sum(spent.values())
    lines.append(f"  {'(rest: assembling the Report)':34} {rest:7.2f} s {100 * rest / total:5.1f} %")
    return "\n".join(lines) + "\n\n"


def mode_profile(texts: list[str], out: Path) -> dict[str, Any]:
    """Stage times, a pyinstrument call tree (when installed) and cProfile tables of (a), into ``out``."""
    import cProfile
    import io
    import pstats

    from vnreport_extract import Extractor

    buf = io.StringIO()
    buf.write(stage_times(texts))
    ex = Extractor()
    for text in texts[:10]:
        ex.extract(text)
    try:
        from pyinstrument import Profiler
    except ImportError:
        buf.write("(pyinstrument not installed: pip install pyinstrument for a call tree)\n\n")
    else:
        profiler = Profiler(interval=0.001)
        profiler.start()
        for text in texts:
            ex.extract(text)
        profiler.stop()
        buf.write("== pyinstrument call tree ==\n")
        buf.write(profiler.output_text(unicode=False, color=False, show_all=False))
        buf.write("\n")
    prof = cProfile.Profile()
    prof.enable()
    for text in texts:
        ex.extract(text)
    prof.disable()
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    buf.write("== cProfile by own time (tottime) ==\n")
    stats.sort_stats("tottime").print_stats(25)
    buf.write("== cProfile by cumulative time ==\n")
    stats.sort_stats("cumulative").print_stats(35)
    out.write_text(buf.getvalue(), encoding="utf-8")
    return {"profile": str(out)}


def _busy(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallel_headroom(n: int = 8_000_000) -> dict[str, float]:
    """How much a pure CPU loop gains from 2 processes on this machine right now.

    On a shared machine other work takes CPUs; then no program can show 2 workers at
    1.7x, and (b)/(a) says more about the neighbours than about us. This puts a number on it.
    """
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    t = time.perf_counter()
    _busy(n)
    _busy(n)
    serial = time.perf_counter() - t
    with ProcessPoolExecutor(2, mp_context=mp.get_context("fork")) as pool:
        pool.submit(_busy, 1).result()  # workers started before the clock
        t = time.perf_counter()
        list(pool.map(_busy, [n, n]))
        two = time.perf_counter() - t
    return {"serial_s": serial, "two_processes_s": two, "speedup": serial / two}


def _timed(fn: Any, *args: Any) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one call."""
    c, t = time.process_time(), time.perf_counter()
    fn(*args)
    return time.process_time() - c, time.perf_counter() - t


# --- the orchestrator ------------------------------------------------------------------


def run_mode(mode: str, folder: Path, rounds: int, extra: list[str] | None = None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, str(folder), "--mode", mode, "--rounds", str(rounds), *(extra or [])]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"bench: mode {mode} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def cold_start(report: Path, repeats: int = 3) -> dict[str, Any]:
    cli = BIN / "vnreport"
    cli_runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run([str(cli), "extract", str(report)], check=True, capture_output=True, cwd=ROOT)
        cli_runs.append(time.perf_counter() - t)
    code = "import time; t = time.perf_counter(); import vnreport_extract; print(time.perf_counter() - t)"
    import_runs = []
    interp_runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
        interp_runs.append(time.perf_counter() - t)
        import_runs.append(float(out.stdout.strip()))
    return {
        "cli_extract_s": statistics.median(cli_runs),
        "cli_extract_runs_s": cli_runs,
        "import_s": statistics.median(import_runs),
        "import_runs_s": import_runs,
        "python_with_import_s": statistics.median(interp_runs),
    }


def _replace_block(doc: str, name: str, body: str) -> str:
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    if start not in doc or end not in doc:
        raise SystemExit(f"bench: no {start} ... {end} block in the markdown file")
    head, rest = doc.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body.rstrip()}\n{end}{tail}"


def write_markdown(path: Path, table: str, results: dict[str, Any], profile: Path | None) -> None:
    """Put the run's printed figures (and the head of its profile) into ``path``, verbatim."""
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=ROOT)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    machine = results["machine"]
    figures = (
        f"Run {stamp} on {machine['cpus']} CPUs, Python {machine['python']}, commit "
        f"`{commit.stdout.strip() or 'unknown'}`, over {results['reports']} reports "
        f"({results['characters']:,} characters) in `{Path(results['folder']).name}/`:\n\n```\n{table}\n```"
    )
    doc = _replace_block(path.read_text(encoding="utf-8"), "figures", figures)
    if profile and profile.exists():
        prof = profile.read_text(encoding="utf-8")
        stages = prof.split("\n\n", 1)[0]
        tree = prof.split("== pyinstrument call tree ==", 1)[1].split("== cProfile", 1)[0].strip("\n") if "pyinstrument call tree" in prof else ""
        body = f"```\n{stages}\n```"
        if tree:
            body += f"\n\npyinstrument, the same reports (the whole profile: `{profile.name}`):\n\n```\n{tree}\n```"
        doc = _replace_block(doc, "profile", body)
    path.write_text(doc, encoding="utf-8")


def rate(r: dict[str, Any]) -> tuple[float, float]:
    return r["docs"] / r["seconds"], r["chars"] / r["seconds"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", type=Path, default=ROOT / "corpus")
    ap.add_argument("--rounds", type=int, default=2, help="passes over the folder for (a) and (b)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of (a) and of (b), alternating; the fastest counts")
    ap.add_argument("--ut-rounds", type=int, default=1, help="passes over the folder for underthesea (c)")
    ap.add_argument("--out", type=Path, default=Path("bench.json"))
    ap.add_argument("--profile", type=Path, default=None, help="also write a cProfile of (a) to this file")
    ap.add_argument("--skip-underthesea", action="store_true")
    ap.add_argument(
        "--markdown",
        type=Path,
        default=None,
        help="rewrite the <!-- bench:figures --> and <!-- bench:profile --> blocks of this file (docs/performance.md)",
    )
    ap.add_argument("--mode", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    folder = a.folder.resolve()
    named = load_texts(folder)
    texts = [t for _, t in named]

    if a.mode:  # a child process: measure one thing, print JSON
        if a.mode == "ours1":
            res = mode_ours(texts, a.rounds, 1)
        elif a.mode == "ours2":
            res = mode_ours(texts, a.rounds, 2)
        elif a.mode == "underthesea":
            res = mode_underthesea(texts, a.rounds)
        elif a.mode == "scaling":
            # a mid-sized report, so 50x is long but the run stays short
            pick = sorted(texts, key=len)[len(texts) // 2]
            res = mode_scaling(pick, [1, 10, 50])
        elif a.mode == "profile":
            res = mode_profile(texts, a.profile or Path("bench-profile.txt"))
        else:
            raise SystemExit(f"bench: unknown mode {a.mode}")
        print(json.dumps(res))
        return 0

    print(f"bench: {len(texts)} reports, {sum(map(len, texts)):,} characters, from {folder}", file=sys.stderr)
    results: dict[str, Any] = {
        "folder": str(folder),
        "reports": len(texts),
        "characters": sum(map(len, texts)),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "load_average_at_start": os.getloadavg(),
    }
    # (a) and (b) alternate, --repeat times each; the fastest run of each counts (the others
    # are kept in the JSON): on a shared machine the slow runs measure the neighbours
    runs: dict[str, list[dict[str, Any]]] = {"ours1": [], "ours2": []}
    headrooms: list[dict[str, float]] = []
    for k in range(a.repeat):
        print(f"bench: (a) our pipeline, one process, run {k + 1}/{a.repeat} ...", file=sys.stderr)
        runs["ours1"].append(run_mode("ours1", folder, a.rounds))
        print(f"bench: (b) our pipeline, 2 worker processes, run {k + 1}/{a.repeat} ...", file=sys.stderr)
        headrooms.append(parallel_headroom())
        runs["ours2"].append(run_mode("ours2", folder, a.rounds))
    headrooms.append(parallel_headroom())
    results["a_ours_1_process"] = min(runs["ours1"], key=lambda r: r["seconds"])
    results["b_ours_2_processes"] = min(runs["ours2"], key=lambda r: r["seconds"])
    results["all_runs"] = runs
    results["headroom"] = headrooms
    if not a.skip_underthesea:
        print("bench: (c) underthesea ner, sentence by sentence ...", file=sys.stderr)
        results["c_underthesea_ner"] = run_mode("underthesea", folder, a.ut_rounds)
    print("bench: cold start ...", file=sys.stderr)
    results["cold_start"] = cold_start(folder / named[0][0])
    print("bench: scaling 1x / 10x / 50x ...", file=sys.stderr)
    results["scaling"] = run_mode("scaling", folder, 1)
    if a.profile:
        print(f"bench: profile -> {a.profile} ...", file=sys.stderr)
        run_mode("profile", folder, 1, ["--profile", str(a.profile.resolve())])
    results["load_average_at_end"] = os.getloadavg()
    busy = max(results["load_average_at_start"][0], results["load_average_at_end"][0])

    ra, ca = rate(results["a_ours_1_process"])
    rb, cb = rate(results["b_ours_2_processes"])
    lines = [
        f"{'':32} {'docs/s':>9} {'chars/s':>11} {'peak RSS MB':>12} {'load s':>7}",
        f"{'(a) vnreport, 1 process':32} {ra:9.1f} {ca:11,.0f} {results['a_ours_1_process']['peak_rss_mb']:12.0f} "
        f"{results['a_ours_1_process']['load_seconds']:7.2f}",
        f"{'(b) vnreport, 2 workers':32} {rb:9.1f} {cb:11,.0f} "
        f"{max(results['b_ours_2_processes']['peak_rss_mb'], results['b_ours_2_processes']['peak_rss_workers_mb']):12.0f} "
        f"{results['b_ours_2_processes']['load_seconds']:7.2f}",
    ]
    ratios: dict[str, float] = {"b_over_a": rb / ra}
    headroom = max(h["speedup"] for h in results["headroom"])
    # what b/a would be on 2 free CPUs: 2 x (CPU per report alone / CPU per report with workers)
    cpu_a = results["a_ours_1_process"]["cpu_seconds"] / results["a_ours_1_process"]["docs"]
    cpu_b = results["b_ours_2_processes"]["cpu_seconds"] / results["b_ours_2_processes"]["docs"]
    ratios["b_over_a_if_cpus_free"] = 2 * cpu_a / cpu_b
    if "c_underthesea_ner" in results:
        rc, cc = rate(results["c_underthesea_ner"])
        lines.append(
            f"{'(c) underthesea ner, by sentence':32} {rc:9.1f} {cc:11,.0f} "
            f"{results['c_underthesea_ner']['peak_rss_mb']:12.0f} {results['c_underthesea_ner']['load_seconds']:7.2f}"
        )
        ratios["a_over_c"] = ra / rc
        # the same on CPU time, which other load on the machine does not skew
        ratios["a_over_c_cpu"] = (results["c_underthesea_ner"]["cpu_seconds"] / results["c_underthesea_ner"]["docs"]) / (
            results["a_ours_1_process"]["cpu_seconds"] / results["a_ours_1_process"]["docs"]
        )
    results["ratios"] = ratios
    cs = results["cold_start"]
    sc = results["scaling"]
    lines += [
        "",
        f"a/c = {ratios.get('a_over_c', float('nan')):.1f}x (on CPU time {ratios.get('a_over_c_cpu', float('nan')):.1f}x)"
        f"    b/a = {ratios['b_over_a']:.2f}x (on 2 free CPUs, from CPU time: {ratios['b_over_a_if_cpus_free']:.2f}x)",
        f"parallel headroom: a pure CPU loop split over 2 processes ran at {headroom:.2f}x the speed of 1 process "
        "(best of the checks around (b))",
        f"CPU ms per report: (a) {1000 * results['a_ours_1_process']['cpu_seconds'] / results['a_ours_1_process']['docs']:.1f}"
        f"  (b) {1000 * results['b_ours_2_processes']['cpu_seconds'] / results['b_ours_2_processes']['docs']:.1f}"
        + (
            f"  (c) {1000 * results['c_underthesea_ner']['cpu_seconds'] / results['c_underthesea_ner']['docs']:.1f}"
            if "c_underthesea_ner" in results
            else ""
        ),
        f"cold start: vnreport extract {cs['cli_extract_s']:.2f} s; import vnreport_extract {cs['import_s']:.3f} s "
        f"(python -c 'import ...' {cs['python_with_import_s']:.2f} s)",
        "scaling (CPU time): "
        + "; ".join(f"{k}x {v['chars']:,} chars {v['cpu_seconds']:.3f} s ({v['ratio']:.1f}x)" for k, v in sc.items()),
    ]
    peak = max(
        results["a_ours_1_process"]["peak_rss_mb"],
        results["b_ours_2_processes"]["peak_rss_mb"],
        results["b_ours_2_processes"]["peak_rss_workers_mb"] or 0.0,
    )
    checks = {
        "full pipeline >= 30x underthesea ner (docs/s)": (ratios.get("a_over_c"), TARGETS["a_over_c"], ">="),
        "2 workers >= 1.7x one": (ratios["b_over_a"], TARGETS["b_over_a"], ">="),
        "peak RSS <= 400 MB per process": (peak, TARGETS["peak_rss_mb"], "<="),
        "vnreport extract cold <= 2.0 s": (cs["cli_extract_s"], TARGETS["cli_cold_s"], "<="),
        "import vnreport_extract <= 0.3 s": (cs["import_s"], TARGETS["import_s"], "<="),
        "50x input <= 60x time": (sc["50"]["ratio"], TARGETS["scale_50x"], "<="),
    }
    verdicts: dict[str, Any] = {}
    lines.append("")
    for name, (value, target, op) in checks.items():
        if value is None:
            verdict = "not measured"
        else:
            ok = value >= target if op == ">=" else value <= target
            verdict = "met" if ok else "NOT met"
            if not ok and name.startswith("2 workers") and headroom < TARGETS["b_over_a"]:
                verdict = "NOT met*"  # see the note: the machine had no second CPU to give
        verdicts[name] = {"value": value, "target": target, "verdict": verdict}
        shown = "-" if value is None else f"{value:.2f}"
        lines.append(f"  [{verdict:>12}] {name}: {shown}")
    results["targets"] = verdicts
    if headroom < TARGETS["b_over_a"]:
        lines.append(
            f"\n* 2 workers: a pure CPU loop ran at only {headroom:.2f}x with a second process here, so the "
            "target cannot be shown on this machine now; the CPU-time estimate above is what 2 free CPUs would give."
        )
    if busy > 0.5 * (os.cpu_count() or 1):
        lines.append(
            f"\nnote: load average {busy:.1f} on {os.cpu_count()} CPUs while measuring: other work shared the CPUs, "
            "so wall-clock rates (and b/a most) are low; the CPU-time ratio is the steadier figure."
        )
    print("\n".join(lines))
    if a.markdown:
        write_markdown(a.markdown, "\n".join(lines), results, a.profile)
    a.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nfigures written to {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
