"""Check corpus annotations: python corpus/CHECK.py [FILES...] (defaults to every corpus/*.gold.json)."""
import json, re, sys, unicodedata
from pathlib import Path

KINDS = {"title", "heading", "paragraph", "bullet", "caption", "byline", "boilerplate"}
LABELS = {"achievement", "limitation", "directive", "other"}
ISO = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def check(gold_path: Path) -> list[str]:
    errs = []
    txt_path = gold_path.with_name(gold_path.name[: -len(".gold.json")] + ".txt")
    text = txt_path.read_text(encoding="utf-8")
    if unicodedata.normalize("NFC", text) != text:
        errs.append("text is not NFC")
    g = json.loads(gold_path.read_text(encoding="utf-8"))
    for key in ("layout", "title", "event_date", "people", "dates", "resolutions", "segments"):
        if key not in g:
            errs.append(f"missing key {key}")
    cursor = 0
    for i, s in enumerate(g.get("segments", [])):
        if s.get("kind") not in KINDS:
            errs.append(f"segment {i}: bad kind {s.get('kind')}")
        if s.get("label") not in LABELS:
            errs.append(f"segment {i}: bad label {s.get('label')}")
        at = text.find(s["text"], cursor)
        if at < 0:
            errs.append(f"segment {i} not found in order: {s['text'][:60]!r}")
            continue
        gap = text[cursor:at]
        if gap.strip():
            errs.append(f"text between segments not covered: {gap.strip()[:60]!r}")
        cursor = at + len(s["text"])
    if text[cursor:].strip():
        errs.append(f"text after last segment not covered: {text[cursor:].strip()[:60]!r}")
    for d in g.get("dates", []):
        if not ISO.match(d.get("value", "")):
            errs.append(f"bad date value {d}")
        if d.get("text") and d["text"] not in text:
            errs.append(f"date text not in report: {d['text']!r}")
    for p in g.get("people", []):
        if p["name"] not in text:
            errs.append(f"person not in report: {p['name']!r}")
    for r in g.get("resolutions", []):
        if r["number"] not in text:
            errs.append(f"resolution number not in report: {r['number']!r}")
    if g.get("title") and g["title"] not in text:
        errs.append("title not in report")
    return errs


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted(Path(__file__).parent.glob("*.gold.json"))
    bad = 0
    for p in paths:
        for e in check(p):
            bad += 1
            print(f"{p.name}: {e}")
    print(f"{len(paths)} files checked, {bad} problems")
    sys.exit(1 if bad else 0)
