"""The trained paragraph classifier: a spaCy ``textcat`` over our own tokenizer.

Trained by ``scripts/train.py`` from ``corpus/`` and shipped in
``vnreport_extract/models/paragraph-textcat`` with ``meta.json`` (corpus hash, labels,
cross-validated scores, library versions). It loads once per process, offline.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

MODEL_NAME = "paragraph-textcat"


def model_input(text: str, kind: str, section: str | None) -> str:
    """What the model reads: the block's kind and section as marker words, then its text."""
    return f"kind{kind} section{section or 'none'} {text}".lower()


def model_path() -> Path:
    return Path(str(resources.files("vnreport_extract").joinpath("models", MODEL_NAME)))


class TextClassifier:
    """A loaded spaCy pipeline with one ``textcat`` component."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp

    def predict(self, texts: list[str]) -> list[dict[str, float]]:
        # spaCy refuses a text over ``nlp.max_length`` (E088) and would fail the whole report:
        # a block that long (a 10 MB line) is scored on its first max_length characters
        limit = self.nlp.max_length
        texts = [t[:limit] for t in texts]
        return [dict(doc.cats) for doc in self.nlp.pipe(texts, batch_size=64)]


@cache
def load_classifier(path: str | None = None) -> TextClassifier | None:
    """Load the shipped model, or None when it is not installed (cue words then decide)."""
    where = Path(path) if path else model_path()
    if not (where / "config.cfg").exists():
        return None
    import spacy

    from .. import tokenizer  # noqa: F401  registers vnreport.Tokenizer.v1

    return TextClassifier(spacy.load(where))
