"""The trained paragraph classifier: spaCy ``textcat`` models over our own tokenizer.

Trained by ``scripts/train.py`` from ``corpus/`` and shipped in
``vnreport_extract/models/paragraph-textcat/``: one spaCy pipeline per member (an
architecture and a seed: ``bow`` is a bag of token n-grams, ``ensemble`` adds a small CNN),
whose scores are averaged, and ``meta.json`` (corpus hash, labels, cross-validated scores,
library versions). It loads once per process, offline.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..resources import NamedPattern, read_json
from ..schema import LABELS

MODEL_NAME = "paragraph-textcat"
PRIOR_BALANCE = 1.0
"""Divide by the training prior to this power: 1.0 is the balanced decision macro-F1 rewards."""


def model_input(text: str, kind: str, section: str | None, position: str = "mid", flat: bool = False) -> str:
    """What the model reads: marker words for the block's kind, the section its heading
    announced, where it stands among the report's body blocks (first, second, mid, last)
    and whether it is a sentence of a flat body; then its text, lowercased; then a marker
    for each time frame or polarity cue it holds (work done, tasks ahead, passive, negative)."""
    layout = "layoutflat" if flat else "layoutlines"
    frames = " ".join(f"frame{f.id}" for f in frame_patterns() if f.regex.search(text))
    return f"kind{kind} section{section or 'none'} pos{position} {layout} {text} {frames}".rstrip().lower()


@cache
def frame_patterns() -> list[NamedPattern]:
    """The time frame and polarity cues of ``data/vi/label_cues.json`` ("frames")."""
    return [NamedPattern.model_validate(f) for f in read_json("label_cues.json").get("frames", [])]


def model_path() -> Path:
    return Path(str(resources.files("vnreport_extract").joinpath("models", MODEL_NAME)))


class TextClassifier:
    """Loaded spaCy pipelines with one ``textcat`` each; their label scores are averaged."""

    def __init__(
        self,
        *nlps: Any,
        label_counts: dict[str, int] | None = None,
        balance: float = 0.0,
        transitions: dict[str, dict[str, float]] | None = None,
        transition_weight: float = 1.0,
    ) -> None:
        self.nlps = nlps
        # how labels follow one another in a report, learned from the corpus (see scripts/train.py)
        self.transitions = transitions
        self.transition_weight = transition_weight
        # macro-F1 weighs every label alike: dividing by the training prior (to the power
        # ``balance``) keeps rarer labels (limitations) from being drowned by common ones
        total = sum(label_counts.values()) if label_counts else 0
        self.weights = (
            {lab: (n / total) ** -balance for lab, n in label_counts.items()} if label_counts and balance else None
        )

    def predict(self, texts: list[str]) -> list[dict[str, float]]:
        if not texts:
            return []
        # spaCy refuses a text over ``nlp.max_length`` (E088) and would fail the whole report:
        # a block that long (a 10 MB line) is scored on its first max_length characters
        limit = min(nlp.max_length for nlp in self.nlps)
        # the members share one tokenizer, and a bag-of-words model reads token hashes,
        # not a vocabulary's ids: each text is tokenized once and every member scores the
        # same docs (three times cheaper than running each member's whole pipeline)
        docs = [self.nlps[0].make_doc(t[:limit]) for t in texts]
        # a text with no tokens tells nothing: even odds (the model cannot read it in a batch)
        sums: list[dict[str, float]] = [dict.fromkeys(LABELS, len(self.nlps) / len(LABELS)) for _ in docs]
        read = [i for i, doc in enumerate(docs) if len(doc)]
        if read:
            for i in read:
                sums[i] = dict.fromkeys(LABELS, 0.0)
            for nlp in self.nlps:
                textcat = nlp.get_pipe("textcat")
                for i, scores in zip(read, textcat.predict([docs[i] for i in read]).tolist()):
                    for lab, v in zip(textcat.labels, scores):
                        sums[i][lab] += v
        out = [{lab: v / len(self.nlps) for lab, v in row.items()} for row in sums]
        if self.weights:
            w = self.weights
            for scores in out:
                z = sum(v * w.get(k, 1.0) for k, v in scores.items())
                for k in scores:
                    scores[k] = scores[k] * w.get(k, 1.0) / z
        return out


@cache
def load_classifier(path: str | None = None) -> TextClassifier | None:
    """Load the shipped model, or None when it is not installed (cue words then decide).

    ``path`` is a model folder: a spaCy pipeline itself, or a folder of them (one per
    architecture, averaged)."""
    where = Path(path) if path else model_path()
    parts = [where] if (where / "config.cfg").exists() else sorted(p.parent for p in where.glob("*/config.cfg"))
    if not parts:
        return None
    import spacy

    from .. import tokenizer  # noqa: F401  registers vnreport.Tokenizer.v1

    meta_path = where / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    counts = meta.get("corpus", {}).get("label_counts")
    sequence = meta.get("sequence") or {}
    return TextClassifier(
        *(spacy.load(p) for p in parts),
        label_counts=counts,
        balance=PRIOR_BALANCE,
        transitions=sequence.get("transitions"),
        transition_weight=float(sequence.get("weight", 1.0)),
    )
