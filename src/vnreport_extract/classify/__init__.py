"""Label every segment achievement, limitation, directive or other.

Structure first, words second (cues in ``data/vi/label_cues.json``):

1. titles, headings, captions, bylines and residue are ``other``;
2. a heading ("II. HẠN CHẾ, TỒN TẠI", "Phương hướng, nhiệm vụ năm 2025") sets the
   section of what follows, until the next heading;
3. a lead-in ending in ":" ("… nhấn mạnh một số nhiệm vụ trọng tâm:") governs the list
   items after it (tasks are directives; the topics of a discussion are ``other``);
4. a text classifier trained on ``corpus/`` (``scripts/train.py``) scores each block, the
   section, its place in the report and its time frame ("đã …", "thời gian tới …",
   "được …", "còn/chưa …") given to it as marker words; without the model, weighted cue
   words decide;
5. the report's labels are read as a sequence (Viterbi): how labels follow one another in
   reports is learned from the corpus, so a doubtful block leans the way its neighbours
   make likely.

Each decision keeps its reason in ``label_provenance`` (``vnreport extract --explain``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel

from ..normalize import retone
from ..resources import read_json
from ..schema import LABELS, Label, Provenance, SegmentKind
from .model import TextClassifier, load_classifier, model_input

_UNLABELLED_KINDS = {"title", "heading", "caption", "byline", "boilerplate"}


class LabelCues(BaseModel):
    headings: dict[str, list[str]]
    lead_in: dict[str, list[str]]
    lead_in_names_tasks: list[str] = []
    transitions: dict[str, list[str]]


@cache
def label_cues() -> LabelCues:
    return LabelCues.model_validate(read_json("label_cues.json"))


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", retone(s.casefold())).strip()


def heading_section(text: str) -> str | None:
    """The label a heading announces, or None ("1. Về phát triển kinh tế" announces none)."""
    s = _norm(text)
    s = re.sub(r"^(?:[ivxlc]+|\d+|[a-zđ])[.)/]\s*", "", s)
    best: tuple[int, str] | None = None
    for label, words in label_cues().headings.items():
        for w in words:
            at = s.find(w)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, label)
    return best[1] if best else None


def lead_in_label(text: str) -> str | None:
    """A block ending in ':' that announces a list: the list items' label."""
    if not text.rstrip().endswith(":"):
        return None  # most blocks: decided before folding the whole text
    tail = _norm(text[-240:])[-160:]
    cues = label_cues().lead_in
    if any(w in tail for w in cues.get("other", [])) and not any(w in tail for w in label_cues().lead_in_names_tasks):
        return "other"  # "Tại tổ, đại biểu góp ý vào ba nhóm vấn đề sau:": topics, not tasks
    for label in ("directive", "limitation", "achievement"):
        if any(w in tail for w in cues[label]):
            return label
    return None


def block_contexts(kinds: list[str], texts: list[str]) -> tuple[list[str | None], list[str]]:
    """For each block: the section its last heading announced, and its position among the
    labelled (body) blocks: "first", "second", "last" or "mid". Shared by training and run time."""
    sections: list[str | None] = []
    section: str | None = None
    for kind, text in zip(kinds, texts):
        if kind == "heading":
            section = heading_section(text) or ("other" if section else None)
        sections.append(section)
    body = [i for i, k in enumerate(kinds) if k not in _UNLABELLED_KINDS]
    positions = ["mid"] * len(kinds)
    for n, i in enumerate(body):
        positions[i] = "first" if n == 0 else "second" if n == 1 else "last" if n == len(body) - 1 else "mid"
    return sections, positions


@dataclass
class Labelled:
    label: Label
    scores: dict[str, float]
    provenance: Provenance


def _one_hot(label: str, score: float = 0.9) -> dict[str, float]:
    rest = (1.0 - score) / (len(LABELS) - 1)
    return {lab: (score if lab == label else rest) for lab in LABELS}


class ParagraphClassifier:
    """Structure rules plus the trained text classifier."""

    def __init__(self, model: TextClassifier | None = None, *, use_model: bool = True) -> None:
        self._model = model
        self._use_model = use_model

    @property
    def model(self) -> TextClassifier | None:
        if self._model is None and self._use_model:
            self._model = load_classifier()
        return self._model

    def classify(self, blocks: list[tuple[str, SegmentKind]], flat: list[bool] | None = None) -> list[Labelled]:
        """Label ``(text, kind)`` blocks of one report, in order; ``flat`` marks sentences
        cut from a body that lost its paragraph breaks."""
        flat = flat or [False] * len(blocks)
        sections, positions = block_contexts([kind for _, kind in blocks], [text for text, _ in blocks])
        inputs = [
            model_input(text, kind, sections[i], positions[i], flat[i]) for i, (text, kind) in enumerate(blocks)
        ]
        todo = [i for i, (_, kind) in enumerate(blocks) if kind not in _UNLABELLED_KINDS]
        model = self.model
        predicted: dict[int, dict[str, float]] = {}
        moved: set[int] = set()
        if model is not None and todo:
            for i, scores in zip(todo, model.predict([inputs[i] for i in todo])):
                predicted[i] = scores
        if predicted:
            if model is not None and model.transitions:
                moved = _smooth(predicted, model.transitions, model.transition_weight)
            else:
                moved = _smooth(predicted, stay_transitions(), 1.0)
        out: list[Labelled] = []
        governing: str | None = None
        for i, (text, kind) in enumerate(blocks):
            if kind in _UNLABELLED_KINDS:
                out.append(Labelled("other", _one_hot("other", 0.97), Provenance(source="structure", name="kind", pattern=kind)))
                if kind == "heading":
                    governing = None
                continue
            if kind == "bullet" and governing:
                out.append(
                    Labelled(governing, _one_hot(governing, 0.85),  # type: ignore[arg-type]
                             Provenance(source="structure", name="lead-in", pattern="list-after-lead-in", score=0.85))
                )
                continue
            governing = None
            lead = lead_in_label(text)
            if kind == "paragraph" and lead and i + 1 < len(blocks) and blocks[i + 1][1] == "bullet":
                governing = lead
            scores = predicted.get(i) or cue_scores(text, sections[i])
            label = max(scores, key=lambda k: scores[k])
            source = "model" if i in predicted else "rule"
            # "textcat+sequence": the model's second choice, taken because of the labels around it
            name = ("textcat+sequence" if i in moved else "textcat") if i in predicted else "cue-words"
            # a lead-in of tasks is a task; one that announces the topics of a discussion
            # is, with its list, part of the event
            if (lead == "directive" or (lead == "other" and governing)) and label != lead:
                label, scores = lead, _one_hot(lead, 0.8)
                source, name = "structure", "lead-in"
            out.append(Labelled(label, scores, Provenance(source=source, name=name,  # type: ignore[arg-type]
                                                          pattern=f"section={sections[i]}", score=min(1.0, round(scores[label], 4)))))
        return out


STAY_BONUS = 0.6
"""Log-odds bonus for keeping the previous block's label when the model carries no learned
transitions: reports run in stretches (results, then shortcomings, then tasks), so a
doubtful block leans to its neighbours."""


def stay_transitions(bonus: float = STAY_BONUS) -> dict[str, dict[str, float]]:
    """Log-weights that only reward staying on a label."""
    return {a: {b: (bonus if a == b else 0.0) for b in LABELS} for a in LABELS}


def smooth_labels(rows: list[dict[str, float]], transitions: dict[str, dict[str, float]], weight: float = 1.0) -> list[str]:
    """The best label sequence for a report's body blocks (Viterbi).

    ``rows``: each block's label scores, in order; ``transitions[a][b]``: the log-weight of
    block label ``b`` after ``a`` (learned from the corpus as log P(b | a) - log P(b): how
    much likelier ``b`` is after ``a`` than anywhere), scaled by ``weight``.
    """
    import math

    labels = list(LABELS)
    if not rows:
        return []
    best = [{lab: math.log(max(rows[0].get(lab, 0.0), 1e-6)) for lab in labels}]
    back: list[dict[str, str]] = [{}]
    for scores in rows[1:]:
        logp = {lab: math.log(max(scores.get(lab, 0.0), 1e-6)) for lab in labels}
        row: dict[str, float] = {}
        ptr: dict[str, str] = {}
        for lab in labels:
            prev = max(labels, key=lambda p: best[-1][p] + weight * transitions[p][lab])
            row[lab] = best[-1][prev] + weight * transitions[prev][lab] + logp[lab]
            ptr[lab] = prev
        best.append(row)
        back.append(ptr)
    lab = max(labels, key=lambda x: best[-1][x])
    path = [lab]
    for n in range(len(rows) - 1, 0, -1):
        lab = back[n][lab]
        path.append(lab)
    path.reverse()
    return path


def _smooth(predicted: dict[int, dict[str, float]], transitions: dict[str, dict[str, float]], weight: float) -> set[int]:
    """Move each block's smoothed label to the top of its scores, keeping the model's scores;
    return the blocks whose label the sequence changed."""
    order = sorted(predicted)
    moved: set[int] = set()
    if len(order) < 2:
        return moved
    for i, lab in zip(order, smooth_labels([predicted[i] for i in order], transitions, weight)):
        scores = predicted[i]
        top = max(scores, key=lambda k: scores[k])
        if top != lab:
            scores[lab], scores[top] = scores[top], scores[lab]
            moved.add(i)
    return moved


@cache
def _cue_weights() -> dict[str, list[tuple[re.Pattern[str], float]]]:
    raw = read_json("label_words.json")
    return {
        label: [(re.compile(r"(?<!\w)" + re.escape(w) + r"(?!\w)"), float(weight)) for w, weight in words.items()]
        for label, words in raw["weights"].items()
    }


def cue_scores(text: str, section: str | None) -> dict[str, float]:
    """Scores from weighted cue words (the fallback when no model is installed)."""
    s = _norm(text)
    raw = {lab: 0.0 for lab in LABELS}
    raw["other"] = 1.0
    for label, cues in _cue_weights().items():
        for rx, weight in cues:
            if rx.search(s):
                raw[label] += weight
    if section in raw:
        raw[section] += 1.5
    total = sum(raw.values())
    return {k: v / total for k, v in raw.items()}
