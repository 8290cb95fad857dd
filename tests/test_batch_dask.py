"""The same batch on a Dask cluster (an in-process ``LocalCluster``) gives the same files."""

from __future__ import annotations

import json
from pathlib import Path

import distributed
from typer.testing import CliRunner

from tests.test_batch import REPORTS
from vnreport_extract import engines, pipeline
from vnreport_extract.batch import MANIFEST, run_batch
from vnreport_extract.cli import app


def test_dask_local_cluster_matches_the_local_run(tmp_path: Path, monkeypatch) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(2):
        for name, text in REPORTS.items():
            (src / f"{name}-{i}.txt").write_text(text.replace("tháng 7", f"tháng {7 + i}"), encoding="utf-8")
    (src / "hong.txt").write_bytes(b"\x00\x01\x02" * 300)

    local = tmp_path / "local"
    run_batch([str(src)], local, jobs=1, use_model=True)

    built: list[int] = []

    class Counting(pipeline.Extractor):
        def __init__(self, **kw):  # type: ignore[no-untyped-def]
            built.append(1)
            super().__init__(**kw)

    monkeypatch.setattr(pipeline, "Extractor", Counting)
    monkeypatch.setattr(engines, "_extractors", {})
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "dask"
        res = CliRunner().invoke(app, ["batch", str(src), "-o", str(out), "--engine", "dask",
                                       "--scheduler", cluster.scheduler_address])
        # the work really went through the scheduler: one task per readable input
        prefix = cluster.scheduler.task_prefixes["work"]
        assert prefix.state_counts["memory"] == 7
    assert res.exit_code == 1, res.output  # hong.txt fails, the rest are done
    assert built == [1]  # the worker loaded its models once for all seven items
    names = sorted(p.name for p in local.glob("*.json"))
    assert len(names) == 6
    assert names == sorted(p.name for p in out.glob("*.json"))
    for n in names:
        assert (out / n).read_text(encoding="utf-8") == (local / n).read_text(encoding="utf-8")
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [Path(e["input"]).name for e in errors] == ["hong.txt"] and "binary" in errors[0]["error"]
    statuses = [json.loads(x)["status"] for x in (out / MANIFEST).read_text(encoding="utf-8").splitlines()]
    assert sorted(statuses) == ["done"] * 6 + ["failed"]
