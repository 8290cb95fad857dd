"""Our own annotated corpus: every annotation is checked, and the recognizers hold up on it."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDS = sorted((ROOT / "corpus").glob("*.gold.json"))

_spec = importlib.util.spec_from_file_location("corpus_check", ROOT / "corpus" / "CHECK.py")
assert _spec and _spec.loader
corpus_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus_check)


def test_corpus_is_large_and_varied() -> None:
    assert len(GOLDS) >= 80
    layouts = {json.loads(p.read_text(encoding="utf-8"))["layout"] for p in GOLDS}
    assert layouts == {"lines", "flat"}


@pytest.mark.parametrize("gold", GOLDS, ids=lambda p: p.name[:3])
def test_annotation_is_valid(gold: Path) -> None:
    assert corpus_check.check(gold) == []


def _aggregate(extractor, key: str) -> tuple[int, int, int]:
    tp = n_pred = n_gold = 0
    for gold_path in GOLDS:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt")).read_text(encoding="utf-8")
        report = extractor.extract(text)
        if key == "dates":
            g = sorted(d["value"] for d in gold["dates"])
            p = sorted(d.value for d in report.dates)
            from collections import Counter

            tp += sum((Counter(g) & Counter(p)).values())
        elif key == "people":
            g = sorted({x["name"] for x in gold["people"]})
            p = sorted({x.name for x in report.people})
            tp += len(set(g) & set(p))
        else:
            g = sorted({x["number"].lstrip("0") for x in gold["resolutions"]})
            p = sorted({x.number.lstrip("0") for x in report.resolutions})
            tp += len(set(g) & set(p))
        n_pred += len(p)
        n_gold += len(g)
    return tp, n_pred, n_gold


@pytest.mark.parametrize(("key", "floor"), [("people", 0.85), ("dates", 0.85), ("resolutions", 0.85)])
def test_recognizers_hold_on_our_corpus(extractor, key: str, floor: float) -> None:
    """A regression guard: F1 on our own reports must not fall below what it reached."""
    tp, n_pred, n_gold = _aggregate(extractor, key)
    f1 = 2 * tp / (n_pred + n_gold)
    assert f1 >= floor, f"{key} F1 {f1:.3f} on corpus/ (tp {tp}, pred {n_pred}, gold {n_gold})"
