import pytest

from vnreport_extract.segment.blocks import find_glue, segment_blocks
from vnreport_extract.segment.sentences import split_sentences


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(b.kind, text[b.start : b.end]) for b in segment_blocks(text)]


def test_glued_caption_is_cut_at_the_glue() -> None:
    text = (
        "Xã Tân Hòa tổng kết năm 2024\n"
        "Sáng ngày 20/12/2024, Đảng ủy xã Tân Hòa tổ chức hội nghị tổng kết.\n"
        "Đồng chí Lê Văn Nam - Bí thư Đảng ủy xã phát biểu tại hội nghịBáo cáo cho biết năm 2024 xã đạt 15/15 chỉ tiêu.\n"
    )
    kinds = _kinds(text)
    assert kinds[0] == ("title", "Xã Tân Hòa tổng kết năm 2024")
    assert kinds[2] == ("caption", "Đồng chí Lê Văn Nam - Bí thư Đảng ủy xã phát biểu tại hội nghị")
    assert kinds[3] == ("paragraph", "Báo cáo cho biết năm 2024 xã đạt 15/15 chỉ tiêu.")


def test_glue_ignores_roman_numerals_and_brand_names() -> None:
    text = "HĐND tỉnh khóaXII họp trên ứng dụng VnExpress và TikTok"
    assert find_glue(text, 0, len(text)) == []


def test_headings_bullets_bylines_and_residue() -> None:
    text = (
        "Phường Phú Lợi sơ kết 6 tháng đầu năm\n"
        "15/07/2024 08:30 | 0\n"
        "Chiều ngày 12/7/2024, UBND phường Phú Lợi tổ chức hội nghị sơ kết công tác 6 tháng đầu năm.\n"
        "I. KẾT QUẢ ĐẠT ĐƯỢC\n"
        "Thu ngân sách ước đạt 56% dự toán, tăng 12% so với cùng kỳ.\n"
        "II. NHIỆM VỤ 6 THÁNG CUỐI NĂM\n"
        "Hội nghị thống nhất các nhiệm vụ trọng tâm sau:\n"
        "- Tập trung thu ngân sách, phấn đấu hoàn thành dự toán.\n"
        "+ Đẩy mạnh cải cách hành chính.\n"
        "Ngọc Lan\n"
        "Xem thêm tin tức\n"
    )
    kinds = [k for k, _ in _kinds(text)]
    assert kinds == [
        "title", "boilerplate", "paragraph", "heading", "paragraph", "heading", "paragraph",
        "bullet", "bullet", "byline", "boilerplate",
    ]


def test_hard_wrapped_paragraph_is_joined() -> None:
    text = (
        "Tiêu đề bài viết về tiếp công dân\n"
        "Thực hiện kế hoạch tiếp công dân của Ủy ban nhân\n"
        "dân phường, ngày 07/8/2025, đồng chí Chủ tịch UBND phường đã chủ trì buổi tiếp\n"
        "công dân định kỳ.\n"
    )
    kinds = _kinds(text)
    assert len(kinds) == 2
    assert kinds[1][1].startswith("Thực hiện") and kinds[1][1].endswith("định kỳ.")


def test_flat_body_is_cut_into_sentences_with_caption() -> None:
    sentence = "Năm 2024, xã đã hoàn thành và vượt 18/18 chỉ tiêu kinh tế - xã hội đề ra. "
    body = (
        "Ông Trần Văn Bình - Chủ tịch UBND huyện phát biểu. Ảnh: Minh Đức Tại hội nghị, các đại biểu thảo luận. "
        + sentence * 25
    )
    text = "Huyện Gia Lâm tổng kết năm 2024\n" + body.strip() + "\nMinh Đức\n"
    kinds = _kinds(text)
    assert kinds[1] == ("caption", "Ông Trần Văn Bình - Chủ tịch UBND huyện phát biểu. Ảnh: Minh Đức")
    assert kinds[2] == ("paragraph", "Tại hội nghị, các đại biểu thảo luận.")
    assert sum(1 for k, _ in kinds if k == "paragraph") == 26


def test_sentences_keep_abbreviations_together() -> None:
    text = "Thường trực UB. MTTQ phường dự. TP. Vinh đạt 1.200 tỷ đồng! Hội nghị kết thúc"
    got = [text[a:b] for a, b in split_sentences(text)]
    assert got == ["Thường trực UB. MTTQ phường dự.", "TP. Vinh đạt 1.200 tỷ đồng!", "Hội nghị kết thúc"]


def test_flat_body_sub_headings_and_dash_lists_are_split_off() -> None:
    filler = "Năm 2024, xã đã hoàn thành và vượt 18/18 chỉ tiêu kinh tế - xã hội đề ra. " * 10
    body = (
        filler
        + "Nâng cao chất lượng xây dựng nông thôn mới Theo báo cáo, toàn huyện có 12 xã đạt chuẩn. "
        + "Hội nghị góp ý các nội dung sau: - Về phạm vi điều chỉnh; - Về trách nhiệm của các sở, ngành. "
        + filler
    )
    text = "Huyện Gia Lâm sơ kết 6 tháng\n" + body.strip() + "\n"
    kinds = _kinds(text)
    assert ("heading", "Nâng cao chất lượng xây dựng nông thôn mới") in kinds
    assert ("paragraph", "Theo báo cáo, toàn huyện có 12 xã đạt chuẩn.") in kinds
    assert ("paragraph", "Hội nghị góp ý các nội dung sau:") in kinds
    assert ("bullet", "- Về phạm vi điều chỉnh;") in kinds
    assert ("bullet", "- Về trách nhiệm của các sở, ngành.") in kinds


@pytest.mark.parametrize(
    "sentence",
    [
        # "Sáng" is the voter's given name, not a morning that opens a sentence
        "Đồng tình với ý kiến trên, cử tri Lâm Sáng đề nghị tăng mức phạt với hàng giả.",
        # a quotation's end is not a heading
        "Phải xử lý đến nơi đến chốn”, cử tri Vũ Minh Theo đề nghị thêm.",
        # a time opens the sentence: nothing before it to be a heading
        "Chiều ngày 5.3.2024, UBND quận phối hợp với Quận Đoàn tổ chức đối thoại giữa Chủ tịch UBND quận với thanh niên.",
    ],
)
def test_flat_run_in_heading_is_not_cut_out_of_a_sentence(sentence: str) -> None:
    filler = "Năm 2024, xã đã hoàn thành và vượt 18/18 chỉ tiêu kinh tế - xã hội đề ra. " * 10
    text = "Cử tri phường Phú Lợi kiến nghị\n" + (filler + sentence + " " + filler).strip() + "\n"
    kinds = _kinds(text)
    assert ("paragraph", sentence) in kinds
    assert not any(k == "heading" for k, _ in kinds)
