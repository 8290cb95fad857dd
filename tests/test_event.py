import pytest

from vnreport_extract import extract


@pytest.mark.parametrize(
    ("text", "date", "organizer", "kind"),
    [
        (
            "Đảng ủy xã Tân Hòa tổng kết năm 2024\n"
            "Chiều ngày 27/12/2024, Đảng ủy xã Tân Hòa, huyện Phú Bình tổ chức Hội nghị tổng kết công tác năm 2024.\n",
            "2024-12-27",
            "Đảng ủy xã Tân Hòa, huyện Phú Bình",
            "Hội nghị tổng kết",
        ),
        (
            "HĐND phường Phú Lợi khai mạc kỳ họp thứ 12\n"
            "Sáng 9/7/2025, tại hội trường UBND phường, HĐND phường Phú Lợi khai mạc kỳ họp thứ 12.\n",
            "2025-07-09",
            "HĐND phường Phú Lợi",
            "kỳ họp thứ 12",
        ),
    ],
)
def test_event_date_organizer_kind(text: str, date: str, organizer: str, kind: str) -> None:
    event = extract(text).event
    assert (event.date, event.organizer, event.kind) == (date, organizer, kind)


def test_issue_date_of_a_document_is_not_the_event_date() -> None:
    text = (
        "Quán triệt Nghị quyết 57\n"
        "Thực hiện Kế hoạch số 21-KH/ĐTN, ngày 05/3/2024 của Ban Thường vụ Huyện Đoàn, "
        "chiều ngày 12/4/2024, Đoàn xã tổ chức hội nghị.\n"
    )
    assert extract(text).event.date == "2024-04-12"


def test_place_follows_tai() -> None:
    text = "Tin ngắn\nSáng ngày 3/3/2025, tại Nhà văn hóa thôn Đông, UBND xã tổ chức đối thoại với nhân dân.\n"
    assert extract(text).event.place == "Nhà văn hóa thôn Đông"


def test_an_earlier_happening_is_not_the_event() -> None:
    text = (
        "Công bố danh sách trúng cử\n"
        "Trước đó, ngày 26/5/2024, Ủy ban bầu cử tỉnh đã họp.\n"
        "Chiều ngày 1/6/2024, Ủy ban bầu cử tỉnh tổ chức công bố kết quả bầu cử.\n"
    )
    assert extract(text).event.date == "2024-06-01"


def test_news_of_a_document_takes_its_issue_date() -> None:
    text = "Tăng cường kỷ cương\nThủ tướng Chính phủ vừa ban hành Chỉ thị 05/CT-TTg ngày 6/2/2025 về tăng cường kỷ luật.\n"
    assert extract(text).event.date == "2025-02-06"


def test_event_date_is_the_one_told_with_the_event() -> None:
    # the first date recalls an earlier accident; the meeting is the event
    text = (
        "Sở Giao thông bàn cách rào chắn các cầu tràn\n"
        "Cầu tràn Khe Lim, nơi chiếc xe khách bị lũ cuốn ngày 3/9/2023, đến nay vẫn chưa có rào chắn.\n"
        "Chiều 8/1/2024, Sở Giao thông tổ chức cuộc họp với 5 huyện miền núi về rào chắn cầu tràn.\n"
    )
    assert extract(text).event.date == "2024-01-08"


def test_a_founding_day_is_history_not_the_event() -> None:
    text = (
        "Phường Đông Hòa gặp mặt kỷ niệm Ngày thành lập Đoàn\n"
        "Chào mừng 94 năm Ngày thành lập Đoàn TNCS Hồ Chí Minh (26/3/1931 - 26/3/2025), "
        "sáng 24/3/2025, Đoàn phường Đông Hòa tổ chức buổi gặp mặt.\n"
    )
    assert extract(text).event.date == "2025-03-24"


def test_news_of_a_document_just_issued_takes_its_issue_date() -> None:
    text = (
        "Tăng cường quản lý chợ\n"
        "Theo đó, các sở thực hiện Quyết định số 15/QĐ-UBND ngày 4/1/2023 của UBND tỉnh về quy hoạch chợ.\n"
        "UBND tỉnh vừa ban hành Chỉ thị số 03/CT-UBND ngày 9/2/2024 về tăng cường quản lý chợ.\n"
    )
    assert extract(text).event.date == "2024-02-09"
