"""``run_batch`` and ``vnreport batch`` over a folder of mixed inputs: every format and
encoding, the manifest, re-runs that skip, failures named, names that try to escape."""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.test_io_encodings import _lower_toned_capitals, to_cp1258, to_tcvn3, to_vni
from vnreport_extract import batch as batch_mod
from vnreport_extract.batch import MANIFEST, run_batch, summarize
from vnreport_extract.cli import app
from vnreport_extract.schema import Report

REPORTS = {
    "giao-ban": (
        "UBND phường Phú Lợi họp giao ban tháng 7\n"
        "Chiều ngày 5/8/2024, UBND phường Phú Lợi tổ chức họp giao ban đánh giá kết quả thực hiện nhiệm vụ tháng 7.\n"
        "Trong tháng, phường hoàn thành thu ngân sách đạt 68% dự toán, giải quyết 100% hồ sơ hành chính đúng hạn.\n"
        "Tuy nhiên, tình trạng lấn chiếm vỉa hè vẫn còn tái diễn; việc thu gom rác thải ở một số tổ dân phố "
        "chưa kịp thời.\n"
        "Kết luận cuộc họp, ông Trần Quốc Việt, Chủ tịch UBND phường yêu cầu các bộ phận tập trung xử lý dứt điểm "
        "lấn chiếm vỉa hè trong tháng 8.\n"
    ),
    "tong-ket": (
        "Đảng ủy xã Tân Hòa tổng kết công tác năm 2023\n"
        "Sáng ngày 28/12/2023, Đảng ủy xã Tân Hòa tổ chức Hội nghị tổng kết công tác xây dựng Đảng năm 2023 và "
        "5 năm thực hiện Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương.\n"
        "Năm 2023, xã hoàn thành 15/15 chỉ tiêu; thu nhập bình quân đạt 62 triệu đồng/người/năm.\n"
        "Bên cạnh đó, công tác giải phóng mặt bằng còn chậm, tình trạng ngập úng cục bộ vào mùa mưa chưa được "
        "khắc phục.\n"
        "Phát biểu chỉ đạo, đồng chí Nguyễn Văn An, Bí thư Đảng ủy xã nhấn mạnh những nhiệm vụ trọng tâm năm 2024.\n"
        "Đề nghị các chi bộ tiếp tục quán triệt Nghị quyết số 18-NQ/TW, đẩy nhanh tiến độ giải phóng mặt bằng và "
        "nạo vét kênh mương chống ngập úng.\n"
    ),
    "ky-hop": (
        "HĐND huyện Bình Sơn khai mạc kỳ họp thứ 12\n"
        "Sáng ngày 10/7/2024, HĐND huyện Bình Sơn khóa XII tổ chức kỳ họp thứ 12 để xem xét tình hình kinh tế - "
        "xã hội 6 tháng đầu năm theo Quyết định số 1234/QĐ-UBND.\n"
        "Sáu tháng đầu năm, tổng giá trị sản xuất tăng 9,2% so với cùng kỳ.\n"
        "Tuy nhiên, giải ngân vốn đầu tư công chỉ đạt 31% kế hoạch; một số công trình thủy lợi xuống cấp gây "
        "ngập úng.\n"
        "Phát biểu bế mạc, bà Lê Thị Thu Hà, Chủ tịch HĐND huyện đề nghị UBND huyện chỉ đạo quyết liệt công tác "
        "giải ngân vốn đầu tư công.\n"
    ),
}


def _html(text: str) -> bytes:
    title, *paras = text.strip().split("\n")
    return (
        "<html><head><meta charset='utf-8'><title>Tin tức</title></head><body>"
        "<nav><a href='/'>Trang chủ</a> <a href='/tin'>Tin tức - Sự kiện</a></nav>"
        f"<article><h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in paras) + "</article>"
        "<div class='tin-lien-quan'><h3>Tin liên quan</h3><ul><li>Phường tổ chức Ngày hội Đại đoàn kết</li></ul></div>"
        "<form class='binh-luan'><textarea></textarea><button>Gửi bình luận</button></form></body></html>"
    ).encode("utf-8")


def _docx(text: str) -> bytes:
    import docx

    doc = docx.Document()
    for line in text.strip().split("\n"):
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# (relative path, bytes, expected encoding, expected format, a line of the source that must be in the text)
def mixed_inputs() -> list[tuple[str, bytes, str, str, str]]:
    g, t, k = REPORTS["giao-ban"], REPORTS["tong-ket"], REPORTS["ky-hop"]
    return [
        ("2024/giao-ban.txt", g.encode("utf-8"), "utf-8", "txt", g.split("\n")[1]),
        ("2024/giao-ban-bom.txt", codecs.BOM_UTF8 + g.encode("utf-8"), "utf-8-sig", "txt", g.split("\n")[2]),
        ("2024/ky-hop-utf16.txt", k.encode("utf-16"), "utf-16", "txt", k.split("\n")[3]),
        ("cu/tong-ket-1258.txt", to_cp1258(t), "windows-1258", "txt", t.split("\n")[3]),
        ("cu/tong-ket-abc.txt", to_tcvn3(_lower_toned_capitals(t)), "tcvn3", "txt",
         _lower_toned_capitals(t.split("\n")[2])),
        ("cu/ky-hop-vni.txt", to_vni(k), "vni", "txt", k.split("\n")[2]),
        ("web/giao-ban.html", _html(g), "utf-8", "html", g.split("\n")[3]),
        ("word/tong-ket.docx", _docx(t), "docx (utf-8 xml)", "docx", t.split("\n")[4]),
    ]


def jsonl_lines() -> list[str]:
    return [
        json.dumps({"id": "bt-2024-07", "text": REPORTS["giao-ban"], "chuyen_muc": "Chính quyền"}, ensure_ascii=False),
        "{\"id\": \"bt-hong\", \"text\": ",  # cut off: an error of line 2 only
        json.dumps({"id": "../../ngoai-thu-muc", "text": REPORTS["ky-hop"]}, ensure_ascii=False),  # hostile id
    ]


def write_mixed(root: Path) -> Path:
    for rel, data, *_ in mixed_inputs():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    (root / "tin.jsonl").write_text("\n".join(jsonl_lines()) + "\n", encoding="utf-8")
    (root / "anh.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" * 50)  # a photo misnamed .txt
    return root


def manifest(out: Path) -> dict[str, dict]:
    rows = [json.loads(x) for x in (out / MANIFEST).read_text(encoding="utf-8").splitlines() if x.strip()]
    return {r["key"]: r for r in rows}


def test_mixed_folder_every_format_and_encoding(tmp_path: Path, extractor) -> None:
    src = write_mixed(tmp_path / "luu-tru")
    out = tmp_path / "out"
    results = run_batch([str(src)], out, extractor=extractor)
    by_name = {Path(r.output).stem: r for r in results if r.output}
    for rel, _data, encoding, fmt, line in mixed_inputs():
        name = rel.rsplit(".", 1)[0].replace("/", "__")
        report = Report.model_validate_json((out / f"{name}.json").read_text(encoding="utf-8"))
        assert report.source.encoding == encoding, rel
        assert report.source.format == fmt, rel
        assert line in report.text, rel
        assert by_name[name].status == "done"
        if encoding in ("windows-1258", "tcvn3", "vni", "utf-16"):
            assert any("detected" in w for w in report.warnings), (rel, report.warnings)
    # the page's menu, related list and comment form are not in the report
    html = Report.model_validate_json((out / "web__giao-ban.json").read_text(encoding="utf-8"))
    assert "Trang chủ" not in html.text and "Tin liên quan" not in html.text and "bình luận" not in html.text
    # .jsonl records: metadata carried, the hostile id kept inside the folder
    rec = Report.model_validate_json((out / "tin__bt-2024-07.json").read_text(encoding="utf-8"))
    assert rec.source.id == "bt-2024-07" and rec.source.metadata == {"chuyen_muc": "Chính quyền"}
    assert (out / "tin__ngoai-thu-muc.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["luu-tru", "out"]  # nothing written beside
    # failures: the photo and line 2, each named with its reason; the rest done
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted((Path(e["input"]).name, e.get("line")) for e in errors) == [("anh.txt", None), ("tin.jsonl", 2)]
    assert all(e["error"] for e in errors)
    s = summarize(results)
    assert (s["done"], s["skipped"], s["failed"]) == (len(mixed_inputs()) + 2, 0, 2)
    assert s["labels"]["limitation"] >= len(mixed_inputs())
    assert s["encodings"]["tcvn3"] == s["encodings"]["vni"] == s["encodings"]["windows-1258"] == 1
    m = manifest(out)
    for entry in m.values():
        assert {"input", "sha256", "status", "error", "timings", "tool_version"} <= set(entry)
        assert entry["tool_version"] == batch_mod.TOOL_VERSION
    done = [e for e in m.values() if e["status"] == "done"]
    assert all(e["sha256"] and len(e["sha256"]) == 64 and "extract" in e["timings"] for e in done)


def test_rerun_skips_what_is_unchanged_and_redoes_what_changed(tmp_path: Path, extractor, monkeypatch) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name, text in REPORTS.items():
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    first = run_batch([str(src)], out, extractor=extractor)
    assert [r.status for r in first] == ["done"] * 3
    before = (out / "ky-hop.json").stat().st_mtime_ns

    again = run_batch([str(src)], out, extractor=extractor)
    assert sorted(r.status for r in again) == ["skipped"] * 3
    assert (out / "ky-hop.json").stat().st_mtime_ns == before
    assert summarize(again)["labels"] == summarize(first)["labels"]  # skipped reports still counted
    assert summarize(again)["encodings"] == summarize(first)["encodings"] == {"utf-8": 3}

    # one file edited, one output damaged by hand: exactly those two are redone
    (src / "giao-ban.txt").write_text(REPORTS["giao-ban"].replace("tháng 8", "tháng 9"), encoding="utf-8")
    (out / "tong-ket.json").write_text('{"text": "cắt ngang', encoding="utf-8")
    third = {Path(r.input).stem: r.status for r in run_batch([str(src)], out, extractor=extractor)}
    assert third == {"giao-ban": "done", "tong-ket": "done", "ky-hop": "skipped"}
    assert "tháng 9" in json.loads((out / "giao-ban.json").read_text(encoding="utf-8"))["text"]

    # a new tool version redoes everything; so does --force
    monkeypatch.setattr(batch_mod, "TOOL_VERSION", "9.9.9+test")
    assert {r.status for r in run_batch([str(src)], out, extractor=extractor)} == {"done"}
    assert {r.status for r in run_batch([str(src)], out, extractor=extractor, force=True)} == {"done"}
    # the manifest is compacted: one line per input
    assert len((out / MANIFEST).read_text(encoding="utf-8").splitlines()) == 3


def test_stray_temporary_files_and_cut_manifest_lines_are_cleaned(tmp_path: Path, extractor) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "giao-ban.txt").write_text(REPORTS["giao-ban"], encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(src)], out, extractor=extractor)
    # what a kill in the middle of a write leaves: a temp file and half a manifest line
    (out / ".ky-hop.json.abc123.tmp").write_text('{"text": "Sáng', encoding="utf-8")
    with open(out / MANIFEST, "a", encoding="utf-8") as f:
        f.write('{"key": "in/ky-hop.txt", "status": "do')
    res = run_batch([str(src)], out, extractor=extractor)
    assert [r.status for r in res] == ["skipped"]
    assert not list(out.glob(".*.tmp"))
    assert all(json.loads(x) for x in (out / MANIFEST).read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("..%2F..%2Fetc%2Fpasswd.txt", "2F.._2Fetc_2Fpasswd"),  # a name that spells a path
        ("....txt", "report"),  # nothing but dots
        ("tin\nmoi.txt", "tin_moi"),  # a newline in a file name
    ],
)
def test_file_names_cannot_write_outside_the_output_folder(tmp_path: Path, extractor, filename: str,
                                                           expected: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / filename).write_text(REPORTS["giao-ban"], encoding="utf-8")
    out = tmp_path / "out"
    [res] = run_batch([str(src / filename)], out, extractor=extractor)
    assert res.status == "done"
    target = Path(res.output)
    assert target.parent.resolve() == out.resolve()
    assert target.stem == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_cli_batch_parallel_with_stdin_jsonl_and_summary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    lines = [json.dumps({"id": k, "text": v}, ensure_ascii=False) for k, v in REPORTS.items()] + ["không phải JSON"]
    res = CliRunner().invoke(app, ["batch", "-", "-o", str(out), "--stdin-format", "jsonl", "-j", "2"],
                             input="\n".join(lines) + "\n")
    assert res.exit_code == 1, res.output  # one bad line
    assert sorted(p.name for p in out.glob("*.json")) == ["stdin__giao-ban.json", "stdin__ky-hop.json",
                                                           "stdin__tong-ket.json"]
    assert "done" in res.stderr and "failed" in res.stderr and "label limitation" in res.stderr
    assert "line 4: not valid JSON" in res.stderr
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert errors == [{"input": "-", "error": errors[0]["error"], "record_id": None, "line": 4}]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--engine", "spark"], "--engine must be local or dask"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler goes with --engine dask"),
        (["-j", "0"], "-j must be 1 or more"),
        (["--stdin-format", "pdf"], "--stdin-format"),
    ],
)
def test_cli_batch_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    res = CliRunner().invoke(app, ["batch", "x.txt", "-o", str(tmp_path / "out"), *args])
    assert res.exit_code == 2
    assert message in res.stderr


def test_a_second_batch_into_the_same_folder_is_refused(tmp_path: Path, extractor) -> None:
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    with open(out / batch_mod.LOCK, "w") as held:  # what a running batch holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(RuntimeError, match="another vnreport batch"):
            run_batch([str(tmp_path)], out, extractor=extractor)
        res = CliRunner().invoke(app, ["batch", str(tmp_path), "-o", str(out), "-j", "1"])
        assert res.exit_code == 2 and "another vnreport batch" in res.stderr
    (tmp_path / "giao-ban.txt").write_text(REPORTS["giao-ban"], encoding="utf-8")
    assert [r.status for r in run_batch([str(tmp_path / "giao-ban.txt")], out, extractor=extractor)] == ["done"]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", "no records"),  # an empty export
        (b"\n\n  \n", "no records"),  # blank lines only
        (b'{"id": "a", "text": 5}\n', "line 1: 'text' is a int, not a string"),
    ],
)
def test_jsonl_without_records_is_a_failure_of_the_file(tmp_path: Path, extractor, content: bytes,
                                                       error: str) -> None:
    f = tmp_path / "xuat.jsonl"
    f.write_bytes(content)
    [res] = run_batch([str(f)], tmp_path / "out", extractor=extractor)
    assert res.status == "failed" and res.error.startswith(error)


def _die_on_poison(item, use_model=True):  # type: ignore[no-untyped-def]
    """Runs in a spawned worker: the item named 'doc-doc' kills its process, as a segfault would."""
    import os

    from vnreport_extract.engines import work

    if item.key.endswith("doc-doc"):
        os._exit(3)
    return work(item, use_model)


def test_a_worker_that_dies_fails_only_its_own_input() -> None:
    from vnreport_extract.batch import WorkItem
    from vnreport_extract.engines import LocalEngine

    keys = ["giao-ban", "doc-doc", "tong-ket", "ky-hop", "giao-ban-2"]
    items = [WorkItem(k, f"{k}.jsonl", k, "record", "0" * 64, text=REPORTS.get(k, REPORTS["giao-ban"]))
             for k in keys]
    outs = []
    LocalEngine(2, use_model=False, fn=_die_on_poison).run(iter(items), outs.append)
    status = {o.key: (o.status, o.error) for o in outs}
    assert sorted(status) == sorted(keys)  # every item answered once
    assert len(outs) == len(keys)
    assert status["doc-doc"][0] == "failed" and "worker process died" in status["doc-doc"][1]
    assert all(status[k][0] == "done" for k in keys if k != "doc-doc")
