"""A spaCy tokenizer for Vietnamese that never loses a character.

``spacy.blank("vi")`` wants pyvi for word segmentation; we do not need it. This one cuts
at white space and splits punctuation off words, keeping abbreviations and numbers whole
("TP.HCM", "18-NQ/TW", "23/9/2025", "1.200"), so ``doc.text == text`` always holds.
Registered as ``vnreport.Tokenizer.v1`` (see ``pyproject.toml`` entry points).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

# the same tokens, plus the white space runs between them: the text, cut without a gap
_PIECE = re.compile(r"\w+(?:[./\-&'’]\w+)*|[^\w\s]|\s+")


def split_words(text: str) -> tuple[list[str], list[bool]]:
    """Words and trailing-space flags such that joining them gives back ``text`` exactly.

    One plain space after a word becomes that word's trailing-space flag; any other white
    space (several spaces, a newline, a tab, a leading space) is a token of its own, minus
    the first plain space when that can be a flag.
    """
    words: list[str] = []
    spaces: list[bool] = []
    for piece in _PIECE.findall(text):
        if piece.isspace():
            if words and piece[0] == " " and not spaces[-1]:
                spaces[-1] = True
                piece = piece[1:]
                if not piece:
                    continue
        words.append(piece)
        spaces.append(False)
    return words, spaces


class VietnameseTokenizer:
    """Callable tokenizer: text -> Doc, lossless."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = split_words(text)
        return Doc(self.vocab, words=words, spaces=spaces)

    # spaCy serializes the tokenizer with the pipeline; there is no state to keep
    def to_bytes(self, **kwargs: object) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: object) -> VietnameseTokenizer:
        return self

    def to_disk(self, path: object, **kwargs: object) -> None:
        return None

    def from_disk(self, path: object, **kwargs: object) -> VietnameseTokenizer:
        return self


def create_tokenizer() -> Callable[[Language], VietnameseTokenizer]:
    """The ``vnreport.Tokenizer.v1`` factory: ``{"@tokenizers": "vnreport.Tokenizer.v1"}``."""

    def make(nlp: Language) -> VietnameseTokenizer:
        return VietnameseTokenizer(nlp.vocab)

    return make


# registered here as well as through the entry point, so it works from a source checkout
registry.tokenizers.register("vnreport.Tokenizer.v1", func=create_tokenizer)

TOKENIZER_CONFIG: dict[str, Any] = {"nlp": {"tokenizer": {"@tokenizers": "vnreport.Tokenizer.v1"}}}


def blank_vietnamese() -> Language:
    """A blank spaCy ``vi`` pipeline with our tokenizer (no pyvi needed)."""
    import spacy

    return spacy.blank("vi", config=TOKENIZER_CONFIG)
