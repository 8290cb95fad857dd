import pytest

from vnreport_extract.recognize.positions import canonical, recognize_positions


def _people(extractor, text: str) -> dict[str, list[str]]:
    report = extractor.extract(text)
    return {p.name: [x.text for x in p.positions] for p in report.people}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Đồng chí Trịnh Văn Toàn - Bí thư Đảng ủy, Chủ tịch HĐND phường chủ trì hội nghị.",
            {"Trịnh Văn Toàn": ["Bí thư Đảng ủy", "Chủ tịch HĐND phường"]},
        ),
        (
            "Dự hội nghị có Phó Chủ tịch UBND tỉnh Cao Bằng Nguyễn Minh Khôi.",
            {"Nguyễn Minh Khôi": ["Phó Chủ tịch UBND tỉnh Cao Bằng"]},
        ),
        (
            "bà Đỗ Thị Hạnh (Chủ tịch Hội LHPN phường) phát biểu.",
            {"Đỗ Thị Hạnh": ["Chủ tịch Hội LHPN phường"]},
        ),
        (
            "Đồng chí Ngô Thị Lan, Ủy viên Ban Thường vụ Huyện ủy, Trưởng Ban Dân vận Huyện ủy phát biểu.",
            {"Ngô Thị Lan": ["Ủy viên Ban Thường vụ Huyện ủy", "Trưởng Ban Dân vận Huyện ủy"]},
        ),
        # a chain before the name, joined by commas and a dash
        (
            "Ủy viên Bộ Chính trị, Trưởng Ban Kinh tế Trung ương - Trưởng Ban Chỉ đạo Tây Nguyên Trần Quốc Bảo phát biểu.",
            {"Trần Quốc Bảo": ["Ủy viên Bộ Chính trị", "Trưởng Ban Kinh tế Trung ương", "Trưởng Ban Chỉ đạo Tây Nguyên"]},
        ),
        # a post given to the person just named
        (
            "Bộ Chính trị điều động ông Lê Hoài Nam, Bí thư Thành ủy Vinh, giữ chức Bí thư Tỉnh ủy Hà Tĩnh.",
            {"Lê Hoài Nam": ["Bí thư Thành ủy Vinh", "Bí thư Tỉnh ủy Hà Tĩnh"]},
        ),
        # abbreviations running into their body
        (
            "Dự có ông Phan Văn Lộc - ĐUV, CT.HĐND xã và bà Lý Thị Mai, CT. Hội LHPN xã.",
            {"Phan Văn Lộc": ["ĐUV", "CT.HĐND xã"], "Lý Thị Mai": ["CT. Hội LHPN xã"]},
        ),
        # a ministry's name with a dash in it, then its short form in brackets
        (
            "Dự hội nghị có ông Hà Minh Sơn, Bộ trưởng Bộ Lao động - Thương binh và Xã hội (Bộ LĐTBXH).",
            {"Hà Minh Sơn": ["Bộ trưởng Bộ Lao động - Thương binh và Xã hội"]},
        ),
        # a province at the end of a name is still a person when the name starts with a family name
        ("Phó Thủ tướng Đặng Hòa Bình chủ trì.", {"Đặng Hòa Bình": ["Phó Thủ tướng"]}),
        # an office after a courtesy word is not a name; a body's name ends a place name
        (
            "Đồng chí Tổng Bí thư phát biểu. Đoàn viên thị xã Sầm Sơn Bộ Xây dựng tham gia.",
            {},
        ),
        # an address's house number and a lunar year's festival are not people either
        (
            "Trụ sở mới đặt tại số 12 Lê Văn Khương; Đêm thơ Nguyên Tiêu Giáp Thìn tạm dừng. Bà Cao Thị Nga chủ trì.",
            {"Cao Thị Nga": []},
        ),
        # places and organisations named after people are not people
        (
            "Hội nghị tại phường Lê Hồng Phong, gần đường Nguyễn Văn Cừ và Trường THCS Trần Phú; "
            "học tập tư tưởng, đạo đức, phong cách Hồ Chí Minh; Đoàn TNCS Hồ Chí Minh xã tham gia.",
            {},
        ),
    ],
)
def test_people_with_positions(extractor, text: str, expected: dict[str, list[str]]) -> None:
    assert _people(extractor, text) == expected


def test_photo_credit_and_byline_are_not_people(extractor) -> None:
    text = (
        "Xã Tân Hòa tổng kết năm 2024\n"
        "Sáng ngày 20/12/2024, đồng chí Phạm Quốc Bảo, Chủ tịch UBND xã báo cáo kết quả.\n"
        "Quang cảnh hội nghị. Ảnh: Lê Minh Tâm\n"
        "Nguyễn Thu Hà\n"
    )
    assert list(_people(extractor, text)) == ["Phạm Quốc Bảo"]


def test_later_mentions_link_to_the_person(extractor) -> None:
    text = (
        "Ông Lê Minh Tâm, Phó Chủ tịch UBND huyện dự hội nghị. "
        "Phát biểu kết luận, ông Tâm yêu cầu các xã đẩy nhanh tiến độ."
    )
    report = extractor.extract(text)
    (person,) = report.people
    kinds = [m.kind for m in person.mentions]
    assert kinds == ["name", "short_name"]


def test_position_parts_and_canonical() -> None:
    text = "Chủ tịch UBND phường Phúc La phát biểu"
    (pos,) = recognize_positions(text)
    assert pos.text == "Chủ tịch UBND phường Phúc La"
    assert pos.title == "Chủ tịch"
    assert pos.unit == "phường Phúc La"
    assert pos.canonical == "Chủ tịch Ủy ban nhân dân phường Phúc La"


def test_former_post_kept_as_written() -> None:
    (pos,) = recognize_positions("nguyên Bí thư Huyện ủy Gia Lâm")
    assert pos.former and pos.text == "nguyên Bí thư Huyện ủy Gia Lâm"


def test_canonical_expansions() -> None:
    assert canonical("Chủ tịch UBMTTQ xã") == "Chủ tịch Ủy ban Mặt trận Tổ quốc xã"
    assert canonical("Phó Chủ tịch HĐND tỉnh") == "Phó Chủ tịch Hội đồng nhân dân tỉnh"
