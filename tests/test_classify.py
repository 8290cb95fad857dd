import json

import pytest

from vnreport_extract.classify import ParagraphClassifier, heading_section, lead_in_label, smooth_labels
from vnreport_extract.classify.model import load_classifier, model_path
from vnreport_extract.schema import LABELS


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("I. KẾT QUẢ ĐẠT ĐƯỢC", "achievement"),
        ("II. HẠN CHẾ, TỒN TẠI VÀ NGUYÊN NHÂN", "limitation"),
        ("Phương hướng, nhiệm vụ năm 2025", "directive"),
        ("3. Giải pháp trọng tâm", "directive"),
        ("1. Về phát triển kinh tế", None),
    ],
)
def test_heading_sections(heading: str, section: str | None) -> None:
    assert heading_section(heading) == section


def test_lead_in_governs_the_list_after_it() -> None:
    blocks = [
        ("Phát biểu kết luận, đồng chí Bí thư đề nghị các chi bộ tập trung vào những nhiệm vụ sau:", "paragraph"),
        ("- Tăng cường công tác kiểm tra, giám sát.", "bullet"),
        ("- Rà soát, bổ sung quy hoạch cán bộ.", "bullet"),
    ]
    assert lead_in_label(blocks[0][0]) == "directive"
    labels = [x.label for x in ParagraphClassifier(use_model=False).classify(blocks)]  # type: ignore[arg-type]
    assert labels == ["directive", "directive", "directive"]


@pytest.mark.parametrize("use_model", [False, True])
def test_a_discussion_lead_in_announces_topics_not_tasks(use_model: bool) -> None:
    blocks = [
        ("Tại tổ, đại biểu góp ý vào ba nhóm vấn đề của dự thảo sau:", "paragraph"),
        ("- Tên gọi và phạm vi của dự thảo nghị quyết về chợ truyền thống;", "bullet"),
        ("- Thẩm quyền cho thuê điểm kinh doanh trong chợ.", "bullet"),
    ]
    assert lead_in_label(blocks[0][0]) == "other"
    labels = [x.label for x in ParagraphClassifier(use_model=use_model).classify(blocks)]  # type: ignore[arg-type]
    assert labels == ["other", "other", "other"]
    # the same words before a list of tasks still announce tasks
    assert lead_in_label("Các ý kiến thảo luận thống nhất đề ra những nhiệm vụ sau:") == "directive"


def test_headings_captions_and_residue_are_other() -> None:
    blocks = [("II. NHIỆM VỤ NĂM 2025", "heading"), ("Quang cảnh hội nghị", "caption"), ("Xem thêm tin tức", "boilerplate")]
    assert {x.label for x in ParagraphClassifier(use_model=False).classify(blocks)} == {"other"}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Năm 2024, thu ngân sách trên địa bàn xã đạt 15,2 tỷ đồng, bằng 112% dự toán; 100% chi bộ hoàn thành tốt nhiệm vụ.", "achievement"),
        ("Tuy nhiên, công tác phát triển đảng viên còn chậm; một số chi bộ sinh hoạt còn hình thức, chưa thu hút đảng viên trẻ.", "limitation"),
        ("Năm 2025, các chi bộ cần tập trung nâng cao chất lượng sinh hoạt, phấn đấu kết nạp 20 đảng viên mới.", "directive"),
        ("Tham dự hội nghị có đồng chí Lê Văn Nam, Bí thư Đảng ủy xã cùng 120 đại biểu.", "other"),
    ],
)
def test_trained_model_labels_clear_cases(text: str, label: str) -> None:
    blocks = [("Xã Tân Hòa tổng kết năm 2024", "title"), (text, "paragraph")]
    got = ParagraphClassifier().classify(blocks)  # type: ignore[arg-type]
    assert got[1].label == label
    assert got[1].provenance.source == "model"
    assert abs(sum(got[1].scores.values()) - 1.0) < 1e-3


def test_model_ships_with_metadata() -> None:
    assert load_classifier() is not None
    meta = json.loads((model_path() / "meta.json").read_text(encoding="utf-8"))
    assert meta["labels"] == ["achievement", "limitation", "directive", "other"]
    assert len(meta["corpus"]["sha256"]) == 64
    assert meta["cross_validation"]["mean_macro_f"] > 0.8


def test_sequence_smoothing_follows_learned_transitions() -> None:
    # a doubtful block between two tasks: tasks run in stretches, so it joins them
    rows = [
        {"achievement": 0.05, "limitation": 0.05, "directive": 0.85, "other": 0.05},
        {"achievement": 0.40, "limitation": 0.05, "directive": 0.35, "other": 0.20},
        {"achievement": 0.05, "limitation": 0.05, "directive": 0.85, "other": 0.05},
    ]
    runs = {a: {b: (1.0 if a == b else -0.5) for b in LABELS} for a in LABELS}
    assert smooth_labels(rows, runs, 1.0) == ["directive", "directive", "directive"]
    # with no weight each block keeps its own best label
    assert smooth_labels(rows, runs, 0.0) == ["directive", "achievement", "directive"]
    # a confident block is not overruled
    rows[1] = {"achievement": 0.9, "limitation": 0.04, "directive": 0.03, "other": 0.03}
    assert smooth_labels(rows, runs, 1.0)[1] == "achievement"


def test_shipped_model_carries_its_learned_transitions() -> None:
    meta = json.loads((model_path() / "meta.json").read_text(encoding="utf-8"))
    seq = meta["sequence"]
    assert set(seq["transitions"]) == set(LABELS)
    # in reports a task is followed by another task more often than by anything else
    assert max(seq["transitions"]["directive"], key=seq["transitions"]["directive"].get) == "directive"
    model = load_classifier()
    assert model is not None and model.transitions == seq["transitions"] and model.transition_weight == seq["weight"]


class _FixedModel:
    """A stand-in for the trained model: fixed scores, run-loving transitions."""

    transitions = {a: {b: (1.0 if a == b else -0.5) for b in LABELS} for a in LABELS}
    transition_weight = 1.0

    def predict(self, texts: list[str]) -> list[dict[str, float]]:
        doubtful = {"achievement": 0.40, "limitation": 0.05, "directive": 0.35, "other": 0.20}
        sure = {"achievement": 0.05, "limitation": 0.05, "directive": 0.85, "other": 0.05}
        return [dict(doubtful if n == 1 else sure) for n in range(len(texts))]


def test_explain_says_when_the_sequence_chose_the_label() -> None:
    blocks = [
        ("Các chi bộ cần nâng cao chất lượng sinh hoạt.", "paragraph"),
        ("Tiếp tục rà soát quy hoạch cán bộ.", "paragraph"),
        ("Phấn đấu kết nạp 20 đảng viên mới.", "paragraph"),
    ]
    got = ParagraphClassifier(model=_FixedModel()).classify(blocks)  # type: ignore[arg-type]
    assert [x.label for x in got] == ["directive", "directive", "directive"]
    assert [x.provenance.name for x in got] == ["textcat", "textcat+sequence", "textcat"]
    # the model's own scores are kept: the chosen label is moved to the top
    assert got[1].scores["directive"] == 0.40 and got[1].scores["achievement"] == 0.35
