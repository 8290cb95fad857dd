import datetime

import pytest

from vnreport_extract.pipeline import published_date
from vnreport_extract.recognize.dates import date_data, lunar_year, recognize_dates
from vnreport_extract.resources import check_examples


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Sáng ngày 23/9/2025, tại hội trường UBND xã", ["2025-09-23"]),
        ("ban hành ngày 25 tháng 10 năm 2017", ["2017-10-25"]),
        ("ngày 5.12.2024 và ngày 6-12-2024", ["2024-12-05", "2024-12-06"]),
        ("trong tháng 10/2025 và tháng 3 năm 2024", ["2025-10", "2024-03"]),
        # the year of a date without one comes from the report
        ("Năm 2024, sáng 28-6 Hội nghị khai mạc; ngày 1/7/2024 bế mạc", ["2024-06-28", "2024-07-01"]),
        ("Từ ngày 12/3 đến ngày 14/3/2024, các tổ tiếp xúc cử tri", ["2024-03-12", "2024-03-14"]),
        ("diễn ra từ 25-29/5/2020 tại Hà Nội", ["2020-05-25", "2020-05-29"]),
        ("kỷ niệm 95 năm (03/02/1930 - 03/02/2025)", ["1930-02-03", "2025-02-03"]),
        # never dates
        ("tăng 25,5% so với cùng kỳ, hơn 7 năm thực hiện", []),
        ("Nghị quyết số 18-NQ/TW, nhiệm kỳ 2021-2026, khóa XV", []),
        ("đạt 16/17 chỉ tiêu; 7/7 đại biểu có mặt; Quyết định 123/QĐ-UBND", []),
        ("Nghị định 100/2019/NĐ-CP của Chính phủ", []),
        # the calendar decides
        ("ngày 31/2/2024 không tồn tại", []),
    ],
)
def test_dates_table(text: str, values: list[str]) -> None:
    assert [d.value for d in recognize_dates(text)] == values


def test_date_spans_and_precision() -> None:
    text = "Chiều ngày 12/4/2024, Xã đoàn tổ chức; tháng 5/2024 sẽ sơ kết."
    found = recognize_dates(text)
    assert [text[d.start : d.end] for d in found] == ["Chiều ngày 12/4/2024", "tháng 5/2024"]
    assert found[0].part_of_day == "afternoon" and found[0].precision == "day"
    assert found[1].precision == "month"


def test_anchor_year_wins_over_majority() -> None:
    found = recognize_dates("sáng 15-3 khai mạc", anchor_year=2023)
    assert [d.value for d in found] == ["2023-03-15"]
    assert found[0].year_inferred


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # a day and month alone in brackets, after a named day
        ("Năm 2024, nhân Ngày truyền thống (20/10), xã tổ chức lễ", ["2024-10-20"]),
        # a posting stamp with a short month name
        ("Đã đăng vào 14 Th5, 2023 lúc 08:12", ["2023-05-14"]),
        # "và" joins numbers, it does not make a fraction a date
        ("năm 2024 có 7/7 (100%) đại biểu tán thành", []),
        ("trong đó (15/20) xã đạt chuẩn năm 2024", []),
    ],
)
def test_more_forms(text: str, values: list[str]) -> None:
    assert [d.value for d in recognize_dates(text)] == values


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # a lunar new year names the report's year; its December is the year before
        (
            "Dịp Tết Giáp Thìn, từ ngày 5/2 đến nay, xã đã thăm 120 hộ; tháng 12 vừa qua đã rà soát danh sách.",
            ["2024-02-05", "2023-12"],
        ),
        # "so với cùng kỳ năm 2023" is said in 2024, whatever older dates the report recalls
        (
            "Vụ cháy ngày 14/10/2022 vẫn còn được nhắc. Từ ngày 1/1 đến ngày 20/2, số vụ cháy giảm 3 vụ so với cùng kỳ năm 2023.",
            ["2022-10-14", "2024-01-01", "2024-02-20"],
        ),
        # a finished year told in a report of early the next year
        (
            "Chiều qua (12/2), Sở họp giao ban. Năm 2023, toàn tỉnh đã trồng 900 ha rừng; đến năm 2030 đạt 1.500 ha.",
            ["2024-02-12"],
        ),
        # … and the same report held in December belongs to that year
        (
            "Sáng 26/12, xã tổng kết công tác năm 2024, triển khai nhiệm vụ năm 2025, nhiệm vụ năm 2025 là trọng tâm.",
            ["2024-12-26"],
        ),
        # a review of a period is held at its end
        ("Hội tổng kết phong trào thi đua giai đoạn 2019 – 2024; dự kiến trong tháng 6 sẽ tuyên dương.", ["2024-06"]),
        # two days and months joined by a dash are a range; the end's year is both ends'
        ("Trong 7 ngày nghỉ Tết (từ 26/1 -1/2/2025), toàn tỉnh xảy ra 3 vụ tai nạn.", ["2025-01-26", "2025-02-01"]),
        ("Sáng 3/3 - 5/3/2024, đoàn kiểm tra làm việc tại 4 xã.", ["2024-03-03", "2024-03-05"]),
        # a day told again after the page's stamp takes the stamp's year
        ("Thứ Sáu, 20/12/2024 | 16:45\nChiều ngày 20/12, xã họp; hoàn thành trước ngày 15/01/2025.", ["2024-12-20", "2024-12-20", "2025-01-15"]),
    ],
)
def test_year_from_the_reports_time(text: str, values: list[str]) -> None:
    assert [d.value for d in recognize_dates(text)] == values


def test_a_term_alone_does_not_date_a_session() -> None:
    # a session of some term, with no other clue: its year cannot be told, so no date is made up
    assert recognize_dates("Sáng 20-7, HĐND tỉnh khai mạc kỳ họp thứ 9, nhiệm kỳ 2021-2026.") == []


@pytest.mark.parametrize(
    ("stem", "branch", "near", "year"),
    [("Giáp", "Thìn", 2020, 2024), ("Đinh", "Dậu", 2017, 2017), ("Ất", "Tỵ", 2030, 2025), ("Canh", "Tý", 1980, 1960), ("Giáp", "Sửu", 2020, None)],
)
def test_lunar_year(stem: str, branch: str, near: int, year: int | None) -> None:
    assert lunar_year(stem, branch, near) == year


def test_date_clue_patterns_match_their_examples() -> None:
    assert check_examples(list(date_data().year_clues)) == []


@pytest.mark.parametrize(
    ("text", "posted", "values"),
    [
        # the latest such day up to a few weeks after publication
        ("Ngày 28/12, xã tổng kết; sáng 5/2 sẽ khai mạc hội xuân; tháng 3 tới hoàn thành.", (2017, 1, 5),
         ["2016-12-28", "2017-02-05", "2017-03"]),
        # the publication day wins over the report's own clues ("cùng kỳ năm 2020" would say 2021)
        ("Sáng 14/9, Sở họp giao ban; số vụ giảm so với cùng kỳ năm 2020.", (2022, 9, 15), ["2022-09-14"]),
        # a full date is never moved
        ("Ngày 3/2/2015, Đảng bộ kỷ niệm 85 năm thành lập.", (2022, 9, 15), ["2015-02-03"]),
    ],
)
def test_publication_day_gives_the_year(text: str, posted: tuple[int, int, int], values: list[str]) -> None:
    assert [d.value for d in recognize_dates(text, posted=datetime.date(*posted))] == values


def test_published_date_from_metadata() -> None:
    assert published_date({"published": "2017-02-07T08:00:00+07:00"}) == datetime.date(2017, 2, 7)
    assert published_date({"date": "2024-12-30"}) == datetime.date(2024, 12, 30)
    assert published_date({"published": "hôm qua", "date": "2024-02-30"}) is None
    assert published_date({}) is None
