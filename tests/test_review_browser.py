"""The review pages in a real headless browser (Debian's chromium, driven by chromedriver).

Checks what only a browser can: the page loads offline without a console error (a refused
script or style under the page's Content-Security-Policy is one), the highlights sit where
the offsets say in the laid-out document, hovering shows the normalized value, markup in a
report does not run, the index sorts and links. It also takes the README's screenshot
(``VNREPORT_UPDATE_SCREENSHOT=1`` writes it to ``docs/review.png``).

Without chromium, chromedriver or selenium these tests skip and say which is missing; in CI
(``CI`` set) or with ``VNREPORT_REQUIRE_BROWSER=1`` they fail instead, so a run that could
not reach the browser never passes for one that did.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from vnreport_extract.batch import run_batch
from vnreport_extract.pipeline import Extractor
from vnreport_extract.review import render_report, write_index
from vnreport_extract.schema import Report

from .test_review import HOSTILE, PHU_LOI, QUANG_TRUNG

ROOT = Path(__file__).resolve().parents[1]
CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
)

# A longer report of ours for the screenshot: every kind of highlight and all four labels.
SCREENSHOT_REPORT = (
    "Đảng ủy xã Tân Hòa tổng kết 5 năm thực hiện Nghị quyết số 21-NQ/TW\n"
    "Thứ Tư, 24/9/2025 - 09:15\n"
    "Sáng ngày 23/9/2025, Đảng ủy xã Tân Hòa tổ chức Hội nghị tổng kết 5 năm thực hiện Nghị quyết "
    "số 21-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương về tăng cường củng cố, xây dựng tổ chức "
    "cơ sở đảng. Đồng chí Trần Minh Tuấn, Bí thư Đảng ủy xã chủ trì hội nghị. Dự hội nghị có "
    "đồng chí Lê Thị Hồng Nhung, Phó Chủ tịch UBND huyện Châu Thành cùng đại diện các ban, ngành của huyện.\n"
    "Sau 5 năm, Đảng bộ xã đã kết nạp 64 đảng viên mới, đạt 128% kế hoạch; 98% đảng viên được xếp "
    "loại từ hoàn thành tốt trở lên. Xã được công nhận đạt chuẩn nông thôn mới nâng cao, "
    "thu nhập bình quân đạt 68 triệu đồng/người/năm.\n"
    "Tuy nhiên, chất lượng sinh hoạt ở một số chi bộ ấp còn hạn chế, nội dung chưa phong phú; "
    "việc phát triển đảng viên trong thanh niên còn gặp khó khăn.\n"
    "Phát biểu chỉ đạo, đồng chí Tuấn yêu cầu các chi bộ tiếp tục đổi mới nội dung sinh hoạt, "
    "thực hiện nghiêm Quy định số 144-QĐ/TW của Bộ Chính trị; phấn đấu đến năm 2030 kết nạp "
    "ít nhất 70 đảng viên mới.\n"
    "Dịp này, Ban Thường vụ Đảng ủy xã đã khen thưởng 6 tập thể và 12 cá nhân có thành tích xuất sắc.\n"
    "Minh Khoa\n"
)


def _need_browser(reason: str) -> NoReturn:
    if os.environ.get("CI") or os.environ.get("VNREPORT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests must run here, but {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


def _find(env: str, names: tuple[str, ...]) -> str | None:
    given = os.environ.get(env)
    if given:
        return given if os.path.exists(given) else None
    return next((p for p in map(shutil.which, names) if p), None)


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _need_browser("selenium is not installed (pip install -e '.[test]')")
    chromium = _find("VNREPORT_CHROMIUM", ("chromium", "chromium-browser", "google-chrome"))
    chromedriver = _find("VNREPORT_CHROMEDRIVER", ("chromedriver",))
    if not chromium:
        _need_browser("no chromium found (apt-get install chromium, or set VNREPORT_CHROMIUM)")
    if not chromedriver:
        _need_browser("no chromedriver found (apt-get install chromium-driver, or set VNREPORT_CHROMEDRIVER)")
    profile = tempfile.mkdtemp(prefix="vnreport-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium  # type: ignore[assignment]
    for flag in (*CHROME_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: selenium must not try to fetch a driver of its own.
    drv = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    drv.set_page_load_timeout(60)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def rule_extractor() -> Extractor:
    return Extractor(use_model=False, use_ner=False)


def _open(drv: Any, path: Path) -> None:
    drv.get(path.resolve().as_uri())


def _console_problems(drv: Any) -> list[dict[str, Any]]:
    """Errors and warnings the page logged since the last call (reading drains the log)."""
    return [e for e in drv.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def _write(tmp_path: Path, name: str, report: Report) -> Path:
    page = tmp_path / f"{name}.html"
    page.write_text(render_report(report), encoding="utf-8")
    return page


# Offsets of every mark as the browser sees the document: characters of the text container
# before the mark (a Range counts text in hidden elements too, as textContent does).
_MARKS_JS = """
const root = document.getElementById('text');
return Array.from(root.querySelectorAll('mark')).map(m => {
  const r = document.createRange();
  r.setStart(root, 0); r.setEndBefore(m);
  const box = m.getBoundingClientRect();
  const bg = getComputedStyle(m).backgroundColor;
  return {ent: m.dataset.ent, s: +m.dataset.s, e: +m.dataset.e, at: r.toString().length,
          text: m.textContent, shown: !m.closest('.gap') , w: box.width, h: box.height, bg: bg};
});
"""


@pytest.mark.parametrize("name", ["quang-trung", "phu-loi", "hostile"])
def test_page_loads_offline_without_console_errors(
    driver: Any, tmp_path: Path, rule_extractor: Extractor, name: str
) -> None:
    text = {"quang-trung": QUANG_TRUNG, "phu-loi": PHU_LOI, "hostile": HOSTILE}[name]
    report = rule_extractor.extract(text)
    _console_problems(driver)
    _open(driver, _write(tmp_path, name, report))
    assert _console_problems(driver) == []
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert driver.execute_script("return document.getElementById('text').textContent") == report.text
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert (
        driver.execute_script(
            "return document.querySelectorAll('#text *:not(div):not(span):not(mark)').length"
        )
        == 0
    )


def test_markup_in_a_report_is_shown_not_run(driver: Any, tmp_path: Path, rule_extractor: Extractor) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    report = rule_extractor.extract(HOSTILE)
    _open(driver, _write(tmp_path, "hostile", report))
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - reading it is the check
    assert "<script>window.__pwned = 1</script>" in driver.find_element(By.ID, "title").text
    shown = driver.find_element(By.ID, "text").text
    assert "</p></div><script>alert(1)</script>" in shown
    assert '<img src=x onerror="window.__pwned=2">' in shown
    assert len(driver.find_elements(By.TAG_NAME, "script")) == 1


def test_highlights_are_where_the_offsets_say(driver: Any, tmp_path: Path, rule_extractor: Extractor) -> None:
    report = rule_extractor.extract(SCREENSHOT_REPORT)
    _open(driver, _write(tmp_path, "tan-hoa", report))
    marks = driver.execute_script(_MARKS_JS)
    assert {m["ent"] for m in marks} >= {"person-0", "person-0-p0", "date-0", "doc-0"}
    for m in marks:
        assert m["at"] == m["s"], m
        assert m["text"] == report.text[m["s"] : m["e"]], m
        if m["shown"]:  # laid out and coloured, not just present
            assert m["w"] > 0 and m["h"] > 0, m
            assert m["bg"] not in ("rgba(0, 0, 0, 0)", "transparent"), m
    # every recognized date and document is on the page, whole
    for i, d in enumerate(report.dates):
        pieces = sorted((m["s"], m["e"]) for m in marks if m["ent"] == f"date-{i}")
        assert (pieces[0][0], pieces[-1][1]) == (d.start, d.end)
    for i, r in enumerate(report.resolutions):
        pieces = sorted((m["s"], m["e"]) for m in marks if m["ent"] == f"doc-{i}")
        assert (pieces[0][0], pieces[-1][1]) == (r.start, r.end)


@pytest.mark.parametrize(
    ("selector", "tip_has"),
    [
        # a date shows its ISO value and the rule that read it
        ('mark[data-kind="date"][data-s="{date}"]', ["date → 2025-09-23", "found by rule: dates"]),
        # a document shows its parsed number and type
        ('mark[data-kind="resolution"]', ["document → 21-NQ/TW", "type NQ"]),
        # a block shows its label, score and what decided it
        (".seg.lab-limitation", ["label limitation", "scores: limitation", "cue-words"]),
    ],
)
def test_hover_shows_value_and_rule(
    driver: Any, tmp_path: Path, rule_extractor: Extractor, selector: str, tip_has: list[str]
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    report = rule_extractor.extract(SCREENSHOT_REPORT)
    event_date = next(d for d in report.dates if d.value == "2025-09-23" and "Sáng" in d.text)
    _open(driver, _write(tmp_path, "tan-hoa", report))
    tip = driver.find_element(By.ID, "tip")
    assert not tip.is_displayed()
    target = driver.find_element(By.CSS_SELECTOR, selector.format(date=event_date.start))
    ActionChains(driver).move_to_element(target).perform()
    assert tip.is_displayed()
    for want in tip_has:
        assert want in tip.text
    assert _console_problems(driver) == []


def test_panel_link_jumps_to_the_highlight(driver: Any, tmp_path: Path, rule_extractor: Extractor) -> None:
    from selenium.webdriver.common.by import By

    report = rule_extractor.extract(SCREENSHOT_REPORT)
    _open(driver, _write(tmp_path, "tan-hoa", report))
    driver.find_element(By.CSS_SELECTOR, '#people a[href="#person-1"]').click()
    assert driver.execute_script("return location.hash") == "#person-1"
    target = driver.execute_script("return document.querySelector(':target').textContent")
    assert target == report.people[1].name
    top = driver.execute_script("return document.getElementById('person-1').getBoundingClientRect().top")
    assert 0 <= top < driver.execute_script("return innerHeight")


def test_index_sorts_links_and_charts(driver: Any, tmp_path: Path, rule_extractor: Extractor) -> None:
    from selenium.webdriver.common.by import By

    inputs = []
    for name, text in (("quang-trung", QUANG_TRUNG), ("phu-loi", PHU_LOI), ("tan-hoa", SCREENSHOT_REPORT)):
        p = tmp_path / f"{name}.txt"
        p.write_text(text, encoding="utf-8")
        inputs.append(str(p))
    out = tmp_path / "out"
    results = run_batch(inputs, out, extractor=rule_extractor)
    index = write_index(results, out)
    _console_problems(driver)
    _open(driver, index)
    assert _console_problems(driver) == []

    def column(n: int) -> list[str]:
        return [td.text for td in driver.find_elements(By.CSS_SELECTOR, f"#runs tbody tr td:nth-child({n})")]

    reports = [Report.model_validate_json(Path(r.output or "").read_text(encoding="utf-8")) for r in results]
    dates = [r.event.date or "—" for r in reports]
    assert len(set(dates)) == 3, dates  # three different days, so the order is unambiguous
    assert column(3) == dates  # input order
    heading = driver.find_element(By.XPATH, "//th[.//button[text()='event date']]")
    heading.click()
    assert column(3) == sorted(dates)
    assert heading.get_attribute("aria-sort") == "ascending"
    heading.click()
    assert column(3) == sorted(dates, reverse=True)
    # a count column sorts by its numbers
    people = driver.find_element(By.XPATH, "//th[.//button[text()='people']]")
    people.click()
    assert [int(x) for x in column(8)] == sorted(len(r.people) for r in reports)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#chart-labels svg rect")) == 4
    assert driver.find_elements(By.CSS_SELECTOR, "#chart-docs svg rect")
    # each row links to its page, which loads cleanly and links back
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#runs tbody a")]
    assert len(links) == 3
    for href in links:
        driver.get(href)
        assert _console_problems(driver) == []
        assert driver.find_element(By.CSS_SELECTOR, "a.back").get_attribute("href").endswith("/index.html")


def test_screenshot_for_the_readme(driver: Any, tmp_path: Path, rule_extractor: Extractor) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    report = rule_extractor.extract(SCREENSHOT_REPORT, source="tan-hoa-tong-ket-nq21.txt")
    _open(driver, _write(tmp_path, "tan-hoa", report))
    date = driver.find_element(By.XPATH, "//mark[@data-kind='date'][starts-with(., 'Sáng')]")
    ActionChains(driver).move_to_element(date).perform()  # show a tooltip in the picture
    shot = tmp_path / "review.png"
    assert driver.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")  # IHDR
    assert width >= 1000 and height >= 700
    if os.environ.get("VNREPORT_UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / "review.png")
