import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from vnreport_extract.cli import app

runner = CliRunner()
REPORT = (
    "UBND phường Phú Lợi họp giao ban tháng 7\n"
    "Chiều ngày 5/8/2024, UBND phường Phú Lợi tổ chức họp giao ban. "
    "Ông Trần Quốc Việt, Chủ tịch UBND phường chủ trì.\n"
)


def test_extract_prints_json(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text(REPORT, encoding="utf-8")
    res = runner.invoke(app, ["extract", str(f)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["people"][0]["name"] == "Trần Quốc Việt"
    assert data["source"]["encoding"] == "utf-8"


def test_extract_binary_file_exits_2_naming_it(tmp_path: Path) -> None:
    f = tmp_path / "photo.jpg"
    f.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x02" * 50)
    res = runner.invoke(app, ["extract", str(f)])
    assert res.exit_code == 2
    assert "photo.jpg" in res.stderr and "binary" in res.stderr


def test_batch_goes_on_past_a_bad_file(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02\x03" * 100)
    out = tmp_path / "out"
    res = runner.invoke(app, ["batch", str(good), str(bad), "-o", str(out)])
    assert res.exit_code == 1
    assert (out / "good.json").exists()
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert errors[0]["input"] == str(bad)


def test_empty_file_gives_valid_report_with_warning(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_text("", encoding="utf-8")
    res = runner.invoke(app, ["extract", str(f)])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["warnings"]


def test_installed_command_runs_on_stdin() -> None:
    exe = Path(sys.executable).parent / "vnreport"
    res = subprocess.run([str(exe), "extract", "-"], input=REPORT.encode(), capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    assert json.loads(res.stdout)["event"]["date"] == "2024-08-05"


def test_batch_html_writes_pages_and_index(tmp_path: Path) -> None:
    good = tmp_path / "giao-ban.txt"
    good.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["batch", str(good), "-o", str(out), "-j", "1", "--html"])
    assert res.exit_code == 0, res.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "UBND phường Phú Lợi họp giao ban tháng 7" in index
    assert "giao-ban.html" in index and (out / "giao-ban.html").exists()


def test_extract_reads_html_article(tmp_path: Path) -> None:
    page = tmp_path / "tin.html"
    body = "".join(f"<p>{line}</p>" for line in REPORT.splitlines()[1:])
    page.write_text(
        "<html><head><title>Tin tức</title></head><body><nav><a href='/'>Trang chủ</a></nav>"
        f"<article><h1>{REPORT.splitlines()[0]}</h1>{body}</article></body></html>",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["extract", str(page)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["source"]["format"] == "html"
    assert data["event"]["date"] == "2024-08-05"
