import pytest

from vnreport_extract.recognize.dates import recognize_dates
from vnreport_extract.recognize.resolutions import recognize_resolutions


def _find(text: str):
    return recognize_resolutions(text, recognize_dates(text))


@pytest.mark.parametrize(
    ("text", "number", "kind"),
    [
        ("thực hiện Nghị quyết số 18-NQ/TW của Trung ương", "18-NQ/TW", "Nghị quyết"),
        ("theo Chỉ thị 05-CT/TW của Bộ Chính trị", "05-CT/TW", "Chỉ thị"),
        ("căn cứ Quyết định số 123/QĐ-UBND của UBND huyện", "123/QĐ-UBND", "Quyết định"),
        ("áp dụng Nghị định số 100/2019/NĐ-CP", "100/2019/NĐ-CP", "Nghị định"),
        ("Công văn số 2145/UBND-TCD gửi các sở", "2145/UBND-TCD", "Công văn"),
        # the kind from the type code when the words do not say it
        ("triển khai 12-HD/BTCTW kịp thời", "12-HD/BTCTW", "Hướng dẫn"),
        # bare references
        ("tiếp tục thực hiện Nghị quyết 57 về khoa học", "57", "Nghị quyết"),
    ],
)
def test_resolution_table(text: str, number: str, kind: str) -> None:
    found = _find(text)
    assert [(r.number, r.kind) for r in found] == [(number, kind)]
    r = found[0]
    assert text[r.start : r.end] == r.text


def test_issue_date_issuer_and_title() -> None:
    text = (
        "Hội nghị tổng kết Nghị quyết số 18-NQ/TW, ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng khóa XII "
        "về “Một số vấn đề tiếp tục đổi mới bộ máy”."
    )
    (r,) = _find(text)
    assert r.issued == "2017-10-25"
    assert r.issuer == "Ban Chấp hành Trung ương Đảng khóa XII"
    assert r.title == "Một số vấn đề tiếp tục đổi mới bộ máy"


@pytest.mark.parametrize(
    "text",
    [
        "Hội nghị Trung ương 4 khóa XII",  # 4 numbers the plenum
        "Nghị quyết Đại hội XIII của Đảng",
        "đạt 16/17 chỉ tiêu, nhiệm kỳ 2020-2025",
    ],
)
def test_not_documents(text: str) -> None:
    assert _find(text) == []


def test_each_document_once() -> None:
    text = "Nghị quyết số 18-NQ/TW ... tiếp tục thực hiện Nghị quyết 18-NQ/TW"
    assert [r.number for r in _find(text)] == ["18-NQ/TW"]


def test_a_list_of_bare_numbers_shares_its_kind() -> None:
    found = _find("nghỉ hưu trước tuổi theo Nghị định 29 và 178 của Chính phủ")
    assert [(r.number, r.kind) for r in found] == [("29", "Nghị định"), ("178", "Nghị định")]


def test_bare_reference_to_a_document_named_in_full_is_the_same_document() -> None:
    text = "Sơ kết Chỉ thị 05-CT/TW của Bộ Chính trị. Một năm thực hiện Chỉ thị 05, nhận thức được nâng lên."
    assert [r.number for r in _find(text)] == ["05-CT/TW"]


def test_en_dash_in_a_party_number() -> None:
    assert [r.number for r in _find("khi Chỉ thị 40 – CT/TW của Ban Bí thư ra đời")] == ["40–CT/TW"]
