"""HTML, .docx, .jsonl and input expansion: tables of our own pages, files and names,
hostile ones included (zip bombs, deep or broken markup, malformed lines, ``../`` names)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from vnreport_extract.errors import InputError
from vnreport_extract.io.docx_reader import read_docx
from vnreport_extract.io.html_reader import read_html
from vnreport_extract.io.inputs import expand_inputs, safe_join
from vnreport_extract.io.jsonl_reader import Record, RecordError, iter_records
from vnreport_extract.io.readers import read_bytes, read_document
from vnreport_extract.pipeline import extract

HEADLINE = "Hội đồng nhân dân phường Phú Lợi khai mạc kỳ họp thứ 12"
PARAS = [
    "Sáng ngày 8/7/2024, Hội đồng nhân dân phường Phú Lợi khai mạc kỳ họp thứ 12, khóa XII.",
    "Sáu tháng đầu năm, phường thu ngân sách đạt 68% dự toán; 100% hộ dân được dùng nước sạch.",
    "Tuy nhiên, tình trạng lấn chiếm vỉa hè còn diễn ra; rác thải chưa được thu gom kịp thời.",
    "Phát biểu bế mạc, bà Lê Thị Thu Hà, Chủ tịch HĐND phường đề nghị các ngành tập trung xử lý dứt điểm.",
]
# what a portal puts around an article, each of which must not reach the report
FURNITURE = ["Trang chủ", "Thời sự", "Tin liên quan", "Phường Phú Lợi ra quân dọn vệ sinh", "Gửi bình luận",
             "Bản quyền thuộc Cổng thông tin điện tử"]


def portal_page(charset: str = "utf-8") -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}"><title>{HEADLINE} - Cổng thông tin</title>
<script>var menu = "Trang chủ";</script></head><body>
<header><nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li></ul></nav></header>
<main><article><h1>{HEADLINE}</h1>{"".join(f"<p>{p}</p>" for p in PARAS)}</article>
<aside class="related"><h3>Tin liên quan</h3><ul><li><a href="/x">Phường Phú Lợi ra quân dọn vệ sinh</a></li></ul></aside>
<section id="comments"><form><textarea></textarea><button>Gửi bình luận</button></form></section></main>
<footer>Bản quyền thuộc Cổng thông tin điện tử phường Phú Lợi</footer></body></html>"""


# --- HTML ------------------------------------------------------------------------------


def test_html_keeps_the_article_and_drops_the_portal() -> None:
    d = read_html(portal_page().encode("utf-8"), name="tin.html")
    lines = d.text.split("\n")
    assert lines[0] == HEADLINE
    for p in PARAS:
        assert p in lines
    for junk in FURNITURE:
        assert junk not in d.text
    assert d.encoding == "utf-8"
    assert d.warnings == []


def test_html_in_windows_1258_as_the_page_declares() -> None:
    from tests.test_io_encodings import to_cp1258

    raw = to_cp1258(portal_page("windows-1258"))
    d = read_html(raw, name="cu.htm")
    assert d.encoding == "windows-1258"
    assert PARAS[2] in d.text
    assert any("Windows-1258" in w for w in d.warnings)


def test_html_in_tcvn3_declared_as_latin1_is_detected() -> None:
    from tests.test_io_encodings import _lower_toned_capitals, to_tcvn3

    page = portal_page("iso-8859-1")
    raw = to_tcvn3(_lower_toned_capitals(page))
    d = read_html(raw, name="abc.htm")
    assert d.encoding == "tcvn3"
    assert _lower_toned_capitals(PARAS[1]) in d.text


@pytest.mark.parametrize(
    ("page", "must_contain"),
    [
        # 100,000 nested divs: over libxml2's depth limit, so the streaming reader takes over
        ("<html><body>" + "<div>" * 100_000 + f"<p>{PARAS[0]}</p>" + "</div>" * 10, PARAS[0]),
        # unclosed tags, a stray </td>, an unterminated comment at the end
        (f"<html><body><p>{PARAS[1]}<p>{PARAS[2]}</td><b><i>{PARAS[3]}<!-- cut", PARAS[2]),
        # a script that never closes must not swallow the text before it
        (f"<html><body><h1>{HEADLINE}</h1><p>{PARAS[0]}</p><script>var a = '<p>", PARAS[0]),
        # entities and a nav with the same words as the article
        (f"<html><body><nav>Trang chủ</nav><p>{PARAS[1].replace('%', '&#37;')}</p></body></html>", PARAS[1]),
    ],
    ids=["deep-nesting", "broken-tags", "unclosed-script", "entities"],
)
def test_hostile_html_is_read_or_refused_in_one_line(page: str, must_contain: str) -> None:
    d = read_html(page.encode("utf-8"), name="xau.html")
    assert must_contain in d.text
    assert "Trang chủ" not in d.text


def test_deeply_nested_html_says_the_fallback_was_used() -> None:
    page = "<div>" * 50_000 + f"<p>{PARAS[0]}</p>"
    d = read_html(page.encode("utf-8"))
    assert any("plain paragraph reader" in w for w in d.warnings)


@pytest.mark.parametrize("page", ["", "<html><body><nav>Trang chủ</nav><script>x()</script></body></html>"])
def test_html_without_text_is_an_error(page: str) -> None:
    with pytest.raises(InputError, match="no article text") as e:
        read_html(page.encode("utf-8"), name="rong.html")
    assert e.value.source == "rong.html"


# --- .docx -----------------------------------------------------------------------------


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    doc = docx.Document()
    doc.core_properties.title = HEADLINE
    for p in paragraphs:
        doc.add_paragraph(p)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_table_rows_in_order() -> None:
    raw = make_docx([HEADLINE, *PARAS], table=[["Chỉ tiêu", "Kết quả"], ["Thu ngân sách", "68%"]])
    d = read_bytes(raw, "docx", name="bao-cao.docx")
    assert d.text.split("\n") == [HEADLINE, *PARAS, "Chỉ tiêu | Kết quả", "Thu ngân sách | 68%"]
    assert d.metadata["docx_title"] == HEADLINE


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _entity_bomb() -> bytes:
    """A real .docx whose document.xml declares nested entities ("billion laughs")."""
    raw = make_docx(["Hội nghị tổng kết"])
    zin = zipfile.ZipFile(io.BytesIO(raw))
    members = {}
    for i in zin.infolist():
        data = zin.read(i.filename)
        if i.filename == "word/document.xml":
            ents = '<!ENTITY a "ngập úng ngập úng ngập úng">' + "".join(
                f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True))
            xml = data.decode("utf-8").replace("?>", f"?><!DOCTYPE w:document [{ents}]>", 1)
            data = xml.replace("Hội nghị tổng kết", "&i;").encode("utf-8")
        members[i.filename] = data
    return _zip(members)


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        # a billion laughs: 10^8 copies of a phrase if expanded; lxml refuses to amplify
        (_entity_bomb(), "broken .docx"),
        # 80 MB of zeros in 80 kilobytes: refused before anything unpacks it
        (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"\0" * 80_000_000}), "zip bomb"),
        # small in all, but one part packed thousands of times
        (_zip({"word/document.xml": b"<w/>", "word/media/a.bin": b"A" * 30_000_000}), "zip bomb"),
        # an old binary Word file
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "not a zip archive"),
        # a zip, but not Word
        (_zip({"mimetype": b"application/epub+zip"}), "without word/document.xml"),
        # Word's parts, but the XML is cut
        (_zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"}), "broken .docx"),
    ],
    ids=["entity-bomb", "bomb-total", "bomb-ratio", "old-doc", "epub", "broken-xml"],
)
def test_hostile_docx_is_refused_in_one_line(raw: bytes, why: str) -> None:
    with pytest.raises(InputError) as e:
        read_docx(raw, name="xau.docx")
    assert why in str(e.value)
    assert e.value.source == "xau.docx"


# --- .jsonl ----------------------------------------------------------------------------


def test_jsonl_records_carry_metadata_and_bad_lines_are_errors_of_their_own() -> None:
    lines = [
        json.dumps({"id": "tb-01", "text": PARAS[0], "source_url": "https://phulo.example/tb-01", "year": 2024},
                   ensure_ascii=False),
        "{\"id\": \"tb-02\", \"text\": \"Sáng ngày",  # cut off mid-record
        "",  # blank: skipped, not an error
        json.dumps({"id": 3, "text": PARAS[1], "metadata": {"chuyen_muc": "Thời sự"}}, ensure_ascii=False),
        json.dumps(["không", "phải", "đối tượng"], ensure_ascii=False),  # a list, not an object
        json.dumps({"id": "tb-04", "noi_dung": PARAS[2]}, ensure_ascii=False),  # no text
        json.dumps({"id": "tb-01", "text": PARAS[3]}, ensure_ascii=False),  # repeated id
        json.dumps({"text": PARAS[3]}, ensure_ascii=False),  # no id: named by its line
    ]
    data = "\n".join(lines).encode("utf-8") + b"\n\xff\xfe{}\n"  # and a line that is not UTF-8
    out = list(iter_records(data))
    recs = [r for r in out if isinstance(r, Record)]
    errs = {r.line: r.error for r in out if isinstance(r, RecordError)}
    assert [(r.id, r.line) for r in recs] == [("tb-01", 1), ("3", 4), ("line8", 8)]
    assert recs[0].metadata == {"source_url": "https://phulo.example/tb-01", "year": 2024}
    assert recs[1].metadata == {"chuyen_muc": "Thời sự"}
    assert recs[2].warnings and "no 'id'" in recs[2].warnings[0]
    assert set(errs) == {2, 5, 6, 7, 9}
    assert "not valid JSON" in errs[2]
    assert "not an object" in errs[5]
    assert "no 'text'" in errs[6]
    assert "repeated id 'tb-01'" in errs[7]
    assert "not UTF-8" in errs[9]


# --- inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "name"),
    [
        (["../../etc/passwd"], "etc_passwd"),  # one part holding slashes
        (["..", "..", "bao-cao.txt"], "bao-cao"),  # parent parts dropped
        (["/abs/path.html"], "abs_path"),
        (["Thông báo số 12.docx"], "Thông_báo_số_12"),  # Vietnamese letters kept, spaces made _
        (["...", ".hidden.txt"], "hidden"),
        (["", ".."], "report"),  # nothing left: a fixed name
        (["a" * 400], None),  # long names shortened, kept distinct
    ],
)
def test_safe_names_stay_inside_the_output_folder(parts: list[str], name: str | None) -> None:
    got = safe_join(parts)
    assert "/" not in got and "\\" not in got and not got.startswith(".")
    assert len(got) <= 150
    if name is not None:
        assert got == name


def test_folders_recurse_sorted_with_patterns_and_skip_the_output_folder(tmp_path: Path) -> None:
    root = tmp_path / "luu-tru"
    for rel in ["2023/b.txt", "2023/a.htm", "2024/thang-5/a.docx", "2024/ghi-chu.md", "tin.jsonl",
                ".an/x.txt", "out/da-xong.txt"]:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")
    files = expand_inputs([str(root)], exclude=[root / "out"])
    assert [(Path(f.path).relative_to(root).as_posix(), f.name, f.format) for f in files] == [
        ("2023/a.htm", "2023__a", "html"),
        ("2023/b.txt", "2023__b", "txt"),
        ("2024/thang-5/a.docx", "2024__thang-5__a", "docx"),
        ("tin.jsonl", "tin", "jsonl"),
    ]
    only_md = expand_inputs([str(root)], include=["*.md"])
    assert [f.name for f in only_md] == ["2024__ghi-chu.md"]  # unknown suffixes stay in the name
    globbed = expand_inputs([str(root / "**" / "*.txt")])
    assert [Path(f.path).name for f in globbed] == ["b.txt", "da-xong.txt"]
    assert expand_inputs(["-", str(root / "khong-co.txt")], stdin_format="jsonl") == [
        type(files[0])("-", "stdin", "jsonl"), type(files[0])(str(root / "khong-co.txt"), "khong-co", "txt"),
    ]


def test_html_publication_date_gives_the_year_of_dates_written_without_one(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Sở Y tế họp khẩn</title>"
        '<meta property="article:published_time" content="2019-01-08T07:30:00+07:00"></head><body><article>'
        "<h1>Sở Y tế họp khẩn về dịch sởi</h1>"
        "<p>Chiều qua (7/1), Sở Y tế tổ chức cuộc họp khẩn bàn các biện pháp ngăn dịch sởi lan rộng trong trường học.</p>"
        "<p>Từ ngày 20/12 đến nay, toàn tỉnh ghi nhận 46 ca mắc, tập trung ở trẻ dưới 5 tuổi chưa tiêm đủ mũi vắc xin.</p>"
        "</article></body></html>"
    )
    path = tmp_path / "soi.html"
    path.write_text(page, encoding="utf-8")
    decoded, source = read_document(str(path))
    assert source.metadata["published"] == "2019-01-08"
    report = extract(decoded.text, source=source)
    # last December, not the December after the page was published
    assert [d.value for d in report.dates] == ["2019-01-07", "2018-12-20"]
    assert report.event.date == "2019-01-07"
