"""The review page (``vnreport show``, ``batch --html``): text, offsets, escaping, index.

What a browser does with the page is in ``test_review_browser.py``; here the page is read
with :mod:`html.parser`, which is enough to check that every character of the report is on
the page and every highlight sits where its offsets say.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from typer.testing import CliRunner

from vnreport_extract.batch import FileResult, run_batch
from vnreport_extract.cli_review import register
from vnreport_extract.pipeline import Extractor
from vnreport_extract.review import highlights, render_report, write_index
from vnreport_extract.schema import Report

runner = CliRunner()
# A Party committee's half-year review: one block of each label, a short-name mention,
# two numbered documents (one with its issue date inside the same sentence).
QUANG_TRUNG = (
    "Đảng ủy phường Quang Trung sơ kết 6 tháng đầu năm 2025\n"
    "Sáng ngày 15/7/2025, Đảng ủy phường Quang Trung tổ chức Hội nghị sơ kết công tác xây dựng Đảng "
    "6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối năm 2025. Đồng chí Nguyễn Văn Bảo, "
    "Bí thư Đảng ủy phường chủ trì hội nghị.\n"
    "Trong 6 tháng đầu năm, Đảng bộ phường đã kết nạp 12 đảng viên mới, đạt 120% chỉ tiêu; thu ngân "
    "sách đạt 65% dự toán. Công tác cải cách hành chính có nhiều chuyển biến tích cực.\n"
    "Tuy nhiên, việc thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 ở một số chi bộ còn chậm; chất "
    "lượng sinh hoạt chi bộ chưa đồng đều.\n"
    "Phát biểu chỉ đạo, đồng chí Bảo yêu cầu các chi bộ tập trung khắc phục hạn chế, đẩy mạnh thực "
    "hiện Chỉ thị số 35-CT/TW của Bộ Chính trị về đại hội đảng bộ các cấp.\n"
    "Hoàng Lan\n"
)

# A People's Council session: CRLF line ends, a non-breaking space and a date range.
PHU_LOI = (
    "HĐND phường Phú Lợi khai mạc Kỳ họp thứ 12\r\n"
    "Chiều ngày 5/8/2024, HĐND phường Phú Lợi khóa IV khai mạc Kỳ họp thứ 12. Bà Lê Thị Thu\u00a0Hà, "
    "Chủ tịch HĐND phường chủ trì kỳ họp.\r\n"
    "Năm 2024, phường hoàn thành 15/15 chỉ tiêu chủ yếu; tỷ lệ hộ nghèo giảm còn 0,8%.\r\n"
    "Bên cạnh đó, công tác giải phóng mặt bằng một số dự án còn chậm, chưa đáp ứng yêu cầu.\r\n"
    "Kỳ họp đề nghị UBND phường tiếp tục triển khai Nghị quyết số 18-NQ/TW và Kế hoạch số 120/KH-UBND "
    "ngày 10/3/2024 của UBND phường.\r\n"
)

# A report that carries markup, quotes and ampersands in its text: all must show as text.
HOSTILE = (
    'UBND xã Tân Hòa <script>window.__pwned = 1</script> tổng kết "năm 2024" & triển khai 2025\n'
    'Sáng ngày 23/9/2025, UBND xã Tân Hòa tổ chức hội nghị <img src=x onerror="window.__pwned=2">. '
    "Ông Phạm Văn Đức, Chủ tịch UBND xã chủ trì.\n"
    "Xã đã hoàn thành 18/19 tiêu chí nông thôn mới</p></div><script>alert(1)</script>; "
    "thu nhập bình quân đạt 62 triệu đồng/người/năm.\n"
    "Hạn chế: tiến độ xây dựng nhà văn hóa ấp còn chậm ]]> --> <!-- & &amp; &lt;b&gt;\n"
)


@dataclass
class Mark:
    attrs: dict[str, str]
    offset: int  # characters of the text container before this element
    text: str = ""


class PageReader(HTMLParser):
    """Reads the text container of a review page: its characters and where each mark sits."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.marks: list[Mark] = []
        self.segments: list[Mark] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._depth = 0  # >0 while inside <article id="text">
        self._open: list[Mark | None] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        self.tags.append((tag, attrs))
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts if tag == "script" else self.styles).append("")
        if self._depth:
            self._depth += 1
            item = Mark(attrs, len(self.text)) if tag in ("mark", "div") else None
            if item and tag == "mark":
                self.marks.append(item)
            elif item:
                self.segments.append(item)
            self._open.append(item)
        elif tag == "article" and attrs.get("id") == "text":
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in = None
        if self._depth:
            self._depth -= 1
            if self._depth and self._open:
                self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data
        if self._depth:
            self.text += data
            for m in self._open:
                if m is not None:
                    m.text += data


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


# --- fixtures and helpers -------------------------------------------------------------

REPORTS = {"quang-trung": QUANG_TRUNG, "phu-loi": PHU_LOI, "hostile": HOSTILE}


@pytest.fixture(scope="module")
def rule_extractor() -> Extractor:
    # Cue words label the blocks: the page is tested, not the trained model.
    return Extractor(use_model=False, use_ner=False)


@pytest.fixture(scope="module")
def reports(rule_extractor: Extractor) -> dict[str, Report]:
    return {k: rule_extractor.extract(v, source=f"{k}.txt") for k, v in REPORTS.items()}


def _prov() -> dict[str, object]:
    return {"source": "rule", "name": "test", "pattern": "hand-made", "score": 0.5}


def crossing_report() -> Report:
    """A hand-made report whose date crosses a document number and a block boundary."""
    text = "Kết luận số 40-KL/TW ngày 5/8\n/2024 của Bộ Chính trị.\nHội nghị bế mạc."
    a = text.index("40-KL/TW")
    b = text.index("ngày")
    nl = text.index("\n")
    return Report.model_validate(
        {
            "text": text,
            "segments": [
                {
                    "start": 0,
                    "end": nl,
                    "text": text[:nl],
                    "kind": "paragraph",
                    "label": "directive",
                    "scores": {"directive": 0.7, "other": 0.3},
                    "provenance": {"source": "structure", "name": "segment"},
                },
                {
                    "start": nl + 1,
                    "end": len(text),
                    "text": text[nl + 1 :],
                    "kind": "paragraph",
                    "label": "other",
                    "scores": {"other": 1.0},
                    "provenance": {"source": "structure", "name": "segment"},
                },
            ],
            "resolutions": [
                {
                    "start": 0,
                    "end": b - 1,
                    "text": text[: b - 1],
                    "number": "40-KL/TW",
                    "kind": "Kết luận",
                    "type_code": "KL",
                    "provenance": _prov(),
                }
            ],
            # crosses the document's end and the newline between the two blocks
            "dates": [
                {
                    "start": a + 3,
                    "end": nl + 6,
                    "text": text[a + 3 : nl + 6],
                    "value": "2024-08-05",
                    "precision": "day",
                    "range_id": 0,
                    "year_inferred": True,
                    "provenance": _prov(),
                }
            ],
        }
    )


def assert_page_matches(report: Report, html: str) -> PageReader:
    """The text container holds report.text exactly, and every mark sits at its offsets."""
    page = read_page(html)
    assert page.text == report.text
    for m in page.marks:
        s, e = int(m.attrs["data-s"]), int(m.attrs["data-e"])
        assert m.offset == s, (m.attrs["data-ent"], m.offset, s)
        assert m.text == report.text[s:e]
    for seg in page.segments:
        assert seg.offset == int(seg.attrs["data-s"])
        assert seg.text == report.text[int(seg.attrs["data-s"]) : int(seg.attrs["data-e"])]
    # each entity's fragments cover exactly its span
    covered: dict[str, list[tuple[int, int]]] = {}
    for m in page.marks:
        covered.setdefault(m.attrs["data-ent"], []).append((int(m.attrs["data-s"]), int(m.attrs["data-e"])))
    for h in highlights(report):
        frags = sorted(covered.pop(h.ident))
        assert frags[0][0] == h.start and frags[-1][1] == h.end, h
        assert all(x[1] == y[0] for x, y in pairwise(frags)), (h, frags)
    assert not covered
    return page


# --- the text and its highlights ---------------------------------------------------------


@pytest.mark.parametrize("name", [*sorted(REPORTS), "many"])
def test_text_container_is_the_report_text_with_marks_at_their_offsets(
    reports: dict[str, Report], rule_extractor: Extractor, name: str
) -> None:
    # "many": a long digest, enough highlights that blocks look theirs up by bisection
    report = (
        reports[name] if name in reports else rule_extractor.extract("\n".join([QUANG_TRUNG, PHU_LOI] * 10))
    )
    assert name in reports or len(highlights(report)) > 64
    page = assert_page_matches(report, render_report(report))
    assert len(page.segments) == len([s for s in report.segments if s.end > s.start])


def test_crossing_spans_are_cut_into_nested_fragments() -> None:
    report = crossing_report()
    page = assert_page_matches(report, render_report(report))
    date_frags = [m for m in page.marks if m.attrs["data-kind"] == "date"]
    # inside the document, after it, in the newline between the blocks, in the second block
    assert [m.text for m in date_frags] == ["KL/TW", " ngày 5/8", "\n", "/2024"]
    assert sum("id" in m.attrs for m in date_frags) == 1
    # the first of a range is range 0: a falsy value that must still be shown
    assert "range 0" in date_frags[0].attrs["data-tip"]
    assert "year inferred from context" in date_frags[0].attrs["data-tip"]


@pytest.mark.parametrize(
    ("name", "kind", "text", "tip_has"),
    [
        # the ISO date, and the rule and pattern that read it
        (
            "quang-trung",
            "date",
            "Sáng ngày 15/7/2025",
            ["date → 2025-07-15", "part of day morning", "found by rule: dates"],
        ),
        # the parsed number, its kind, type code and issue date from the same sentence
        (
            "quang-trung",
            "resolution",
            "Nghị quyết số 18-NQ/TW",
            ["document → 18-NQ/TW", "type NQ", "issued 2017-10-25"],
        ),
        # a person with the positions linked to them
        ("quang-trung", "person", "Nguyễn Văn Bảo", ["person: Nguyễn Văn Bảo", "Bí thư Đảng ủy phường"]),
        # a later short-name mention names who it was linked to
        ("quang-trung", "mention", "Bảo", ["mention (short_name) of Nguyễn Văn Bảo"]),
        (
            "phu-loi",
            "position",
            "Chủ tịch HĐND phường",
            ["position → Chủ tịch Hội đồng nhân dân phường", "held by"],
        ),
    ],
)
def test_hover_tells_value_and_why(
    reports: dict[str, Report], name: str, kind: str, text: str, tip_has: list[str]
) -> None:
    page = read_page(render_report(reports[name]))
    found = [m for m in page.marks if m.attrs["data-kind"] == kind and m.text == text]
    assert found, [(m.attrs["data-kind"], m.text) for m in page.marks]
    for want in tip_has:
        assert want in found[0].attrs["data-tip"]


def test_blocks_are_tinted_by_label_with_score(reports: dict[str, Report]) -> None:
    report = reports["quang-trung"]
    page = read_page(render_report(report))
    by_label = {
        s.attrs["data-label"]: s for s in page.segments if "lab-" + s.attrs["data-label"] in s.attrs["class"]
    }
    for label in ("achievement", "limitation", "directive"):
        seg = next(s for s in report.segments if s.label == label)
        shown = by_label[label]
        assert shown.attrs["data-badge"] == f"paragraph · {label} {seg.scores[label]:.2f}"
        assert "band-" in shown.attrs["class"]
        assert "scores: " in shown.attrs["data-tip"] and "cue-words" in shown.attrs["data-tip"]


def test_side_panel_lists_people_dates_documents_and_the_three_lists(reports: dict[str, Report]) -> None:
    html = render_report(reports["quang-trung"])
    panel = html[html.index('<aside class="panel"') : html.index("</aside>")]
    for want in (
        'href="#person-0" class="name">Nguyễn Văn Bảo</a>',
        ">Bí thư Đảng ủy phường</a>",
        '<td class="value">2025-07-15',
        ">Nghị quyết 18-NQ/TW</a>",
        ">Chỉ thị 35-CT/TW</a> <small>Bộ Chính trị</small>",
    ):
        assert want in panel
    for label, start in (
        ("achievement", "Trong 6 tháng"),
        ("limitation", "Tuy nhiên"),
        ("directive", "Phát biểu chỉ đạo"),
    ):
        section = panel[panel.index(f'id="list-{label}"') :]
        section = section[: section.index("</section>")]
        assert section.count("<li>") == 1 and start in section


# --- safe by construction ------------------------------------------------------------------


def test_markup_in_a_report_shows_as_text(reports: dict[str, Report]) -> None:
    report = reports["hostile"]
    html = render_report(report)
    page = read_page(html)
    assert page.text == report.text  # every character, the markup included, is text on the page
    assert len(page.scripts) == 1 and "__pwned" not in page.scripts[0]
    assert not [t for t, a in page.tags if t == "img" or any(k.startswith("on") for k in a)]
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    # the title, in <title>, <h1> and the text, stays text too
    assert "<title>UBND xã Tân Hòa &lt;script&gt;" in html


def test_only_our_own_script_and_style_may_run(reports: dict[str, Report]) -> None:
    html = render_report(reports["quang-trung"])
    page = read_page(html)
    csp = next(
        a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp

    def sha(s: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"

    assert f"script-src {sha(page.scripts[0])};" in csp
    assert f"style-src {sha(page.styles[0])};" in csp
    assert "unsafe-inline" not in csp
    assert not [a for t, a in page.tags if "style" in a]  # inline style attributes would be refused


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_page_loads_nothing_from_outside(reports: dict[str, Report], name: str) -> None:
    page = read_page(render_report(reports[name]))
    for tag, attrs in page.tags:
        for key in ("src", "href", "srcset", "action", "data"):
            value = attrs.get(key)
            if value is not None:
                assert value.startswith(("#", "data:")), (tag, key, value)
    assert "@import" not in page.styles[0] and "url(" not in page.styles[0]


# --- the command --------------------------------------------------------------------------


@pytest.fixture()
def show_app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command()
    def _other() -> None:  # a second command, so typer keeps "show" as a subcommand
        pass

    return app


def test_show_writes_a_page_from_text_or_from_json(
    show_app: typer.Typer, tmp_path: Path, rule_extractor: Extractor
) -> None:
    src = tmp_path / "phu-loi.txt"
    src.write_text(PHU_LOI, encoding="utf-8")
    out = tmp_path / "page.html"
    res = runner.invoke(show_app, ["show", str(src), "-o", str(out), "--no-model"])
    assert res.exit_code == 0, res.output
    from_text = out.read_text(encoding="utf-8")
    report = rule_extractor.extract(PHU_LOI, source=str(src))
    assert read_page(from_text).text == report.text

    js = tmp_path / "phu-loi.json"
    js.write_text(report.model_dump_json(), encoding="utf-8")
    res = runner.invoke(show_app, ["show", str(js)])
    assert res.exit_code == 0, res.output
    assert_page_matches(report, res.stdout)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": 5}', "not a report's JSON: text"),  # JSON, but not a report
        (b"\x00\x01\x02\x03" * 100, "binary"),  # not text at all
    ],
)
def test_show_refuses_what_it_cannot_read(
    show_app: typer.Typer, tmp_path: Path, content: str | bytes, message: str
) -> None:
    f = tmp_path / "bad.json"
    if isinstance(content, bytes):
        f.write_bytes(content)
    else:
        f.write_text(content, encoding="utf-8")
    res = runner.invoke(show_app, ["show", str(f), "-o", str(tmp_path / "x.html")])
    assert res.exit_code == 2
    assert "bad.json" in res.stderr and message in res.stderr
    assert not (tmp_path / "x.html").exists()


# --- a run's index --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def run_dir(
    tmp_path_factory: pytest.TempPathFactory, rule_extractor: Extractor
) -> tuple[Path, list[FileResult]]:
    base = tmp_path_factory.mktemp("run")
    inputs = []
    for name, text in REPORTS.items():
        p = base / f"{name}.txt"
        p.write_text(text, encoding="utf-8")
        inputs.append(str(p))
    bad = base / "<b>ảnh<i>.txt"  # a hostile file name, and a binary file
    bad.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" * 40)
    inputs.append(str(bad))
    out = base / "out"
    results = run_batch(inputs, out, extractor=rule_extractor)
    write_index(results, out)
    return out, results


def test_index_has_a_row_per_report_linking_to_its_page(run_dir: tuple[Path, list[FileResult]]) -> None:
    out, results = run_dir
    html = (out / "index.html").read_text(encoding="utf-8")
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    assert body.count("<tr ") == len(results) == 4
    for res in results:
        if res.status == "done":
            page = Path(res.output or "").with_suffix(".html")
            assert page.exists() and f'<a href="{page.name}">' in body
            report = Report.model_validate_json(Path(res.output or "").read_text(encoding="utf-8"))
            assert_page_matches(report, page.read_text(encoding="utf-8"))
            assert 'href="index.html"' in page.read_text(encoding="utf-8")
    assert '<tr class="failed">' in body and "binary" in body
    assert "&lt;b&gt;ảnh&lt;i&gt;.txt" in body and "<b>ảnh" not in body
    assert "&lt;script&gt;window.__pwned" in body  # the hostile title, as text


def test_index_counts_labels_and_the_most_cited_documents(run_dir: tuple[Path, list[FileResult]]) -> None:
    out, _ = run_dir
    html = (out / "index.html").read_text(encoding="utf-8")
    row = next(r for r in html.split("<tr ") if "Quang Trung" in r)
    cells = row.split("<td ")
    # #, title, date, then achievement, limitation, directive, other
    assert 'data-v="2025-07-15"' in cells[3]
    assert [c.split('"')[1] for c in cells[4:8]] == ["1", "1", "1", "1"]
    docs = html[html.index('id="chart-docs"') :]
    docs = docs[: docs.index("</figure>")]
    # cited by two reports (Quang Trung and Phú Lợi), so first, with its count
    first = docs[docs.index("<g ") : docs.index("</g>")]
    assert "<title>Nghị quyết 18-NQ/TW: 2</title>" in first
    assert "Chỉ thị 35-CT/TW: 1" in docs


def test_a_report_named_index_does_not_replace_the_run_index(
    tmp_path: Path, rule_extractor: Extractor
) -> None:
    # write_index reads only input, output, status and error: any result object will do
    report = rule_extractor.extract(QUANG_TRUNG, source="index.txt")
    (tmp_path / "index.json").write_text(report.model_dump_json(), encoding="utf-8")
    done = SimpleNamespace(input="index.txt", output=str(tmp_path / "index.json"), status="done", error=None)
    failed = SimpleNamespace(input="mất.txt", output=None, status="failed", error="binary data (NUL bytes)")
    index = write_index([done, failed], tmp_path)
    html = index.read_text(encoding="utf-8")
    assert '<a href="index_report.html">' in html and "binary data (NUL bytes)" in html
    assert_page_matches(report, (tmp_path / "index_report.html").read_text(encoding="utf-8"))
