"""The spaCy face of the pipeline: entry points, span groups, extensions, round trips."""

from __future__ import annotations

import pickle
import subprocess
import sys
import unicodedata
from typing import Any

import pytest

spacy = pytest.importorskip("spacy")  # a hard dependency; this only keeps the error readable

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, DocBin, Span  # noqa: E402

from vnreport_extract.pipeline import Extractor  # noqa: E402
from vnreport_extract.schema import Report  # noqa: E402
from vnreport_extract.spacy_component import SPAN_GROUPS, register_extensions, report_of  # noqa: E402
from vnreport_extract.tokenizer import TOKENIZER_CONFIG  # noqa: E402

REPORT = (
    "Đảng ủy xã Tân Hòa tổng kết công tác xây dựng Đảng năm 2024\n"
    "Sáng ngày 20/12/2024, Đảng ủy xã Tân Hòa tổ chức Hội nghị tổng kết công tác xây dựng Đảng năm 2024.\n"
    "Dự hội nghị có đồng chí Nguyễn Văn Bảo, Bí thư Đảng ủy xã; đồng chí Trần Thị Hoa, Chủ tịch UBND xã và các đồng chí trong Ban Thường vụ.\n"
    "Năm 2024, xã hoàn thành 15/15 chỉ tiêu, thu ngân sách đạt 112% dự toán, "
    "triển khai hiệu quả Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương.\n"
    "Tuy nhiên, công tác phát triển đảng viên còn chậm, tỷ lệ đảng viên trẻ còn thấp.\n"
    "Năm 2025, các chi bộ cần tập trung nâng cao chất lượng sinh hoạt, phấn đấu kết nạp 20 đảng viên mới.\n"
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    import vnreport_extract

    return vnreport_extract.load(use_ner=False)


@pytest.fixture(scope="module")
def doc(nlp: Language) -> Doc:
    return nlp(REPORT)


def spans(doc: Doc, group: str) -> list[tuple[str, str, Any]]:
    return [(s.text, s.label_, s._.vr_value) for s in doc.spans[group]]


def visible(raw: str) -> str:
    """What normalization makes of a raw stretch (NFC, LF line ends, no invisible characters)."""
    return unicodedata.normalize("NFC", raw.replace("\r\n", "\n")).replace("\u200b", "").replace("\u00a0", " ")


def assert_spans_match_report(doc: Doc) -> None:
    """Every span covers exactly its item's characters, and every item has its span."""
    report = report_of(doc)
    expected = {
        "vr_segments": [s.text for s in report.segments],
        "vr_people": [p.name for p in report.people],
        "vr_dates": [d.text for d in report.dates],
        "vr_resolutions": [r.text for r in report.resolutions],
    }
    for group, texts in expected.items():
        assert [visible(s.text) for s in doc.spans[group]] == texts, group
    positions = {pos.text for p in report.people for pos in p.positions}
    assert {visible(s.text) for s in doc.spans["vr_positions"]} == positions


# --- what lands where --------------------------------------------------------------------

EXPECTED = [
    # (group, span text, label_, vr_value)
    ("vr_dates", "Sáng ngày 20/12/2024", "DATE", "2024-12-20"),
    ("vr_dates", "ngày 25/10/2017", "DATE", "2017-10-25"),
    ("vr_people", "Nguyễn Văn Bảo", "PERSON", "Nguyễn Văn Bảo"),
    ("vr_people", "Trần Thị Hoa", "PERSON", "Trần Thị Hoa"),
    ("vr_positions", "Bí thư Đảng ủy xã", "POSITION", "Bí thư Đảng ủy xã"),
    # the canonical form expands the abbreviation
    ("vr_positions", "Chủ tịch UBND xã", "POSITION", "Chủ tịch Ủy ban nhân dân xã"),
    ("vr_resolutions", "Nghị quyết số 18-NQ/TW", "RESOLUTION", "18-NQ/TW"),
]


@pytest.mark.parametrize(("group", "text", "label", "value"), EXPECTED, ids=lambda x: str(x)[:24])
def test_items_land_in_their_span_group(doc: Doc, group: str, text: str, label: str, value: str) -> None:
    assert (text, label, value) in spans(doc, group)


def test_segments_carry_kind_label_scores_and_provenance(doc: Doc) -> None:
    segs = list(doc.spans["vr_segments"])
    assert segs[0].label_ == "title"
    assert [s.label_ for s in segs[1:]] == ["paragraph"] * 5
    assert [s._.vr_label for s in segs[-2:]] == ["limitation", "directive"]
    for s in segs:
        assert s._.vr_value == s._.vr_label
        assert s._.vr_provenance["name"] and s._.vr_provenance["source"] == "structure"
        assert s._.vr_item["kind"] == s.label_
    scores = segs[-1]._.vr_scores
    assert set(scores) == {"achievement", "limitation", "directive", "other"}
    assert abs(sum(scores.values()) - 1.0) < 0.01


def test_item_extension_holds_the_typed_item(doc: Doc) -> None:
    date = doc.spans["vr_dates"][0]
    assert date._.vr_item["precision"] == "day" and date._.vr_item["part_of_day"] == "morning"
    pos = next(s for s in doc.spans["vr_positions"] if s.text == "Chủ tịch UBND xã")
    assert pos._.vr_item["title"] == "Chủ tịch"
    res = doc.spans["vr_resolutions"][0]
    assert res._.vr_item["type_code"] == "NQ"
    assert res._.vr_provenance["source"] == "rule"


def test_doc_report_is_the_same_report_as_the_library_gives(doc: Doc) -> None:
    # one source of truth: the component calls Extractor, it does not re-extract its own way
    direct = Extractor(use_ner=False).extract(REPORT)
    assert report_of(doc).model_dump(exclude={"source"}) == direct.model_dump(exclude={"source"})


def test_spans_match_the_report(doc: Doc) -> None:
    assert_spans_match_report(doc)


# --- offsets on hostile input: spans index doc.text, which is the raw input --------------

HOSTILE = [
    # decomposed (NFD) text, as some Windows and macOS sources give it
    unicodedata.normalize("NFD", REPORT),
    # Windows line ends
    REPORT.replace("\n", "\r\n"),
    # zero-width spaces and no-break spaces inside names and dates
    REPORT.replace("Nguyễn Văn", "Nguyễn\u200b Văn").replace("ngày 20", "ngày\u00a020"),
    # a photo caption glued to the next paragraph: the split falls inside a token
    REPORT.replace(
        "Tuy nhiên,", "Đồng chí Nguyễn Văn Bảo phát biểu tại hội nghịTuy nhiên,"
    ),
    # a date glued to a word
    "Sáng ngày 23/9/2025,Đảng ủy xã Tân Hòa tổ chức hội nghị.",
]


@pytest.mark.parametrize("text", HOSTILE, ids=["nfd", "crlf", "zwsp-nbsp", "glued-caption", "glued-date"])
def test_spans_are_exact_on_hostile_input(nlp: Language, text: str) -> None:
    doc = nlp(text)
    assert doc.text == text  # the tokenizer (and the token splits) lose nothing
    assert_spans_match_report(doc)
    assert doc.spans["vr_dates"], "the dates were found"


def test_glued_caption_is_split_into_its_own_span(nlp: Language) -> None:
    doc = nlp(HOSTILE[3])
    texts = [s.text for s in doc.spans["vr_segments"]]
    assert "Đồng chí Nguyễn Văn Bảo phát biểu tại hội nghị" in texts
    assert any(t.startswith("Tuy nhiên,") for t in texts)


# --- entry points and configuration --------------------------------------------------------


def test_blank_vi_with_our_tokenizer_and_add_pipe_by_name() -> None:
    # the names resolve through the package's spaCy entry points, as after `pip install`
    nlp = spacy.blank("vi", config=TOKENIZER_CONFIG)
    nlp.add_pipe("vnreport_extractor", config={"use_ner": False, "use_model": False})
    doc = nlp("Chiều 5/3/2025, HĐND phường Phúc La tổ chức kỳ họp thứ 20.")
    assert spans(doc, "vr_dates") == [("Chiều 5/3/2025", "DATE", "2025-03-05")]
    assert nlp.pipe_names == ["vnreport_extractor"]


def test_entry_points_are_declared() -> None:
    from importlib.metadata import entry_points

    factories = {e.name: e.value for e in entry_points(group="spacy_factories")}
    tokenizers = {e.name: e.value for e in entry_points(group="spacy_tokenizers")}
    assert factories["vnreport_extractor"] == "vnreport_extract.spacy_component:make_vnreport_extractor"
    assert tokenizers["vnreport.Tokenizer.v1"] == "vnreport_extract.tokenizer:create_tokenizer"


def test_pipeline_saves_and_loads_from_disk_in_a_fresh_process(nlp: Language, tmp_path: Any) -> None:
    # the fresh interpreter never imports vnreport_extract: spaCy finds the factory and the
    # tokenizer through the installed entry points alone, as for any user after `pip install`
    nlp.to_disk(tmp_path / "pipe")
    code = (
        "import sys, spacy\n"
        "nlp = spacy.load(sys.argv[1])\n"
        "doc = nlp('Ngày 2/9/2025, xã tổ chức lễ.')\n"
        "print(nlp.pipe_names, [(s.text, s._.vr_value) for s in doc.spans['vr_dates']])\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "pipe")], capture_output=True)
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")[-2000:]
    assert out.stdout.decode("utf-8").strip() == "['vnreport_extractor'] [('Ngày 2/9/2025', '2025-09-02')]"


def test_extensions_are_registered_once_with_the_vr_prefix() -> None:
    register_extensions()  # idempotent: a second call neither fails nor replaces them
    for name in ("vr_value", "vr_label", "vr_scores", "vr_provenance", "vr_item"):
        assert Span.has_extension(name)
        default, _method, getter, _setter = Span.get_extension(name)
        assert getter is not None and default is None  # getters: no mutable default shared
    assert Doc.has_extension("vr_report") and Doc.has_extension("vr_items")


def test_report_of_an_unprocessed_doc_says_what_to_do() -> None:
    blank = spacy.blank("vi", config=TOKENIZER_CONFIG)
    with pytest.raises(ValueError, match="vnreport_extractor"):
        report_of(blank("Một câu."))


# --- round trips ---------------------------------------------------------------------------


def assert_same_annotations(a: Doc, b: Doc) -> None:
    assert b.text == a.text
    for group in SPAN_GROUPS:
        assert [(s.start_char, s.end_char, s.label_) for s in b.spans[group]] == [
            (s.start_char, s.end_char, s.label_) for s in a.spans[group]
        ], group
        for x, y in zip(a.spans[group], b.spans[group], strict=True):
            assert (y._.vr_value, y._.vr_label, y._.vr_scores, y._.vr_provenance) == (
                x._.vr_value,
                x._.vr_label,
                x._.vr_scores,
                x._.vr_provenance,
            )
    assert report_of(b) == report_of(a)


def test_docbin_round_trip_keeps_spans_and_extensions(nlp: Language, doc: Doc) -> None:
    glued = nlp(HOSTILE[3])
    db = DocBin(store_user_data=True)
    db.add(doc)
    db.add(glued)
    back = list(DocBin().from_bytes(db.to_bytes()).get_docs(nlp.vocab))
    assert_same_annotations(doc, back[0])
    assert_same_annotations(glued, back[1])
    assert isinstance(report_of(back[0]), Report)


def test_docbin_round_trip_in_a_fresh_process(doc: Doc) -> None:
    # a reader that never ran the component: importing the module registers the extensions
    db = DocBin(store_user_data=True, docs=[doc])
    code = (
        "import sys\nfrom spacy.vocab import Vocab\n"
        "from spacy.tokens import DocBin\n"
        "import vnreport_extract.spacy_component\n"
        "doc = next(DocBin().from_bytes(sys.stdin.buffer.read()).get_docs(Vocab()))\n"
        "print([(s.text, s._.vr_value) for s in doc.spans['vr_dates']])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], input=db.to_bytes(), capture_output=True)
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")[-2000:]
    assert out.stdout.decode("utf-8").strip() == "[('Sáng ngày 20/12/2024', '2024-12-20'), ('ngày 25/10/2017', '2017-10-25')]"


def test_pickle_round_trip_of_a_doc(doc: Doc) -> None:
    assert_same_annotations(doc, pickle.loads(pickle.dumps(doc)))


def test_pickle_round_trip_of_the_pipeline(nlp: Language) -> None:
    again = pickle.loads(pickle.dumps(nlp))
    assert spans(again("Ngày 2/9/2025, xã tổ chức lễ."), "vr_dates") == [("Ngày 2/9/2025", "DATE", "2025-09-02")]


def test_pipe_with_two_processes_gives_the_same_docs_in_order(nlp: Language) -> None:
    texts = [REPORT, *HOSTILE[2:], "Ngày 2/9/2025, xã tổ chức lễ."]
    one = list(nlp.pipe(texts))
    two = list(nlp.pipe(((t, i) for i, t in enumerate(texts)), n_process=2, batch_size=2, as_tuples=True))
    assert [i for _, i in two] == list(range(len(texts)))
    for a, (b, _) in zip(one, two, strict=True):
        assert_same_annotations(a, b)
