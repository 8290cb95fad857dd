#!/usr/bin/env python3
"""Train the paragraph classifier from our own corpus/ (never from the shared eval set).

    python scripts/train.py [--corpus corpus] [--epochs 12] [--folds 5] [--seeds 0,1,2,3,4,5] [--architectures bow] [--ngram 3]

Reads every corpus/NAME.gold.json, turns its paragraph and list-item segments into
examples the way the pipeline will see them at run time (the block's kind and the section
its heading announces, then its text), cross-validates by document, trains on all of it
with a fixed seed and writes the spaCy pipeline with meta.json (corpus hash, labels,
cross-validated scores, library versions) into src/vnreport_extract/models/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import random
import shutil
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LABELS = ["achievement", "limitation", "directive", "other"]


def load_corpus(corpus: Path) -> list[dict[str, Any]]:
    from vnreport_extract.classify import block_contexts
    from vnreport_extract.classify.model import model_input

    docs = []
    for gold_path in sorted(corpus.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        segs = gold["segments"]
        kinds = [s["kind"] for s in segs]
        texts = [s["text"] for s in segs]
        sections, positions = block_contexts(kinds, texts)
        flat = gold.get("layout") == "flat"
        examples = []
        for i, seg in enumerate(segs):
            if seg["kind"] in ("paragraph", "bullet"):
                # in a flat report every body sentence came from the one long line
                examples.append((model_input(seg["text"], seg["kind"], sections[i], positions[i], flat), seg["label"]))
        docs.append({"name": gold_path.name, "examples": examples})
    return docs


def corpus_hash(corpus: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(corpus.glob("*.txt")) + sorted(corpus.glob("*.gold.json")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


ARCHITECTURES: dict[str, dict[str, Any]] = {
    "bow": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": 2,
        "no_output_layer": False,
        "length": 65536,
    },
    "ensemble": {
        "@architectures": "spacy.TextCatEnsemble.v2",
        "nO": None,
        "linear_model": {
            "@architectures": "spacy.TextCatBOW.v3",
            "exclusive_classes": True,
            "ngram_size": 2,
            "no_output_layer": False,
            "length": 65536,
        },
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2",
                "width": 64,
                "rows": [5000, 2500],
                "attrs": ["NORM", "PREFIX"],
                "include_static_vectors": False,
            },
            "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 64, "window_size": 1, "maxout_pieces": 3, "depth": 2},
        },
    },
}
def make_nlp(architecture: str) -> Any:
    from vnreport_extract.tokenizer import blank_vietnamese

    nlp = blank_vietnamese()
    nlp.add_pipe("textcat", config={"model": ARCHITECTURES[architecture]})
    return nlp


def train(examples: list[tuple[str, str]], *, epochs: int, seed: int, architecture: str) -> Any:
    import spacy
    from spacy.training import Example
    from spacy.util import minibatch

    spacy.util.fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = make_nlp(architecture)
    textcat = nlp.get_pipe("textcat")
    for label in LABELS:
        textcat.add_label(label)

    def to_example(text: str, label: str) -> Example:
        doc = nlp.make_doc(text)
        return Example.from_dict(doc, {"cats": {lab: float(lab == label) for lab in LABELS}})

    data = [to_example(t, y) for t, y in examples]
    optimizer = nlp.initialize(lambda: data)
    for _ in range(epochs):
        rng.shuffle(data)
        losses: dict[str, float] = {}
        for batch in minibatch(data, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
    return nlp


def macro_scores(gold: list[str], pred: list[str]) -> tuple[float, float]:
    acc = sum(g == p for g, p in zip(gold, pred)) / max(1, len(gold))
    f1s = []
    for lab in LABELS:
        tp = sum(g == p == lab for g, p in zip(gold, pred))
        npred, ngold = sum(p == lab for p in pred), sum(g == lab for g in gold)
        if ngold:
            prec, rec = (tp / npred if npred else 0.0), tp / ngold
            f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return acc, sum(f1s) / max(1, len(f1s))


def evaluate(nlps: list[Any], examples: list[tuple[str, str]]) -> tuple[float, float, dict[str, dict[str, int]]]:
    from vnreport_extract.classify.model import TextClassifier

    gold = [y for _, y in examples]
    pred = [max(s, key=lambda k: s[k]) for s in TextClassifier(*nlps).predict([t for t, _ in examples])]
    confusion: dict[str, dict[str, int]] = {g: dict(Counter(p for gg, p in zip(gold, pred) if gg == g)) for g in LABELS}
    acc, macro_f = macro_scores(gold, pred)
    return acc, macro_f, confusion


def learn_transitions(sequences: list[list[str]]) -> dict[str, dict[str, float]]:
    """log P(b | a) - log P(b) over consecutive body blocks of each report (add-one smoothed):
    how much likelier a label is right after another than anywhere."""
    import math

    pairs: dict[str, Counter[str]] = {a: Counter() for a in LABELS}
    for labels in sequences:
        for a, b in zip(labels, labels[1:]):
            pairs[a][b] += 1
    after: Counter[str] = Counter()
    for row in pairs.values():
        after.update(row)
    total = sum(after.values()) + len(LABELS)
    return {
        a: {
            b: round(
                math.log((pairs[a][b] + 1) / (sum(pairs[a].values()) + len(LABELS))) - math.log((after[b] + 1) / total), 4
            )
            for b in LABELS
        }
        for a in LABELS
    }


SEQUENCE_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seeds", default="0,1,2,3,4,5", help="one model per architecture and seed; their scores are averaged")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--architectures", default="bow", help="comma-separated (bow, ensemble); their scores are averaged")
    ap.add_argument("--ngram", type=int, default=3, help="longest n-gram of tokens the bag-of-words model reads")
    a = ap.parse_args()
    archs = [x for x in a.architectures.split(",") if x]
    ARCHITECTURES["bow"]["ngram_size"] = ARCHITECTURES["ensemble"]["linear_model"]["ngram_size"] = a.ngram
    seeds = [int(x) for x in a.seeds.split(",") if x.strip()]
    members = [(x, sd) for x in archs for sd in seeds]
    unknown = [x for x in archs if x not in ARCHITECTURES]
    if unknown:
        print(f"unknown architectures {unknown}; known: {sorted(ARCHITECTURES)}", file=sys.stderr)
        return 2
    if "eval" in a.corpus.resolve().parts and "shared" in a.corpus.resolve().parts:
        print("refusing to train on the shared evaluation set", file=sys.stderr)
        return 2
    from vnreport_extract.classify.model import MODEL_NAME, model_path

    out = a.out or model_path()
    docs = load_corpus(a.corpus)
    t0 = time.perf_counter()
    # cross-validation by document, so a report's paragraphs never sit on both sides
    order = list(range(len(docs)))
    random.Random(seeds[0]).shuffle(order)
    folds = [order[k :: a.folds] for k in range(a.folds)]
    fold_scores = []
    total_conf: dict[str, Counter[str]] = {lab: Counter() for lab in LABELS}
    from vnreport_extract.classify import smooth_labels
    from vnreport_extract.classify.model import PRIOR_BALANCE, TextClassifier

    seq_gold: dict[float, list[str]] = {w: [] for w in SEQUENCE_WEIGHTS}
    seq_pred: dict[float, list[str]] = {w: [] for w in SEQUENCE_WEIGHTS}
    for k, held in enumerate(folds):
        held_set = set(held)
        train_ex = [e for i, d in enumerate(docs) if i not in held_set for e in d["examples"]]
        test_ex = [e for i, d in enumerate(docs) if i in held_set for e in d["examples"]]
        nlps = [train(train_ex, epochs=a.epochs, seed=sd, architecture=x) for x, sd in members]
        acc, macro_f, conf = evaluate(nlps, test_ex)
        # the report-level decision the pipeline makes: balanced scores, then the label
        # sequence smoothed with transitions learned from the training folds only
        train_docs = [d for i, d in enumerate(docs) if i not in held_set]
        transitions = learn_transitions([[y for _, y in d["examples"]] for d in train_docs])
        balanced = TextClassifier(*nlps, label_counts=dict(Counter(y for _, y in train_ex)), balance=PRIOR_BALANCE)
        for i in held:
            rows = balanced.predict([t for t, _ in docs[i]["examples"]]) if docs[i]["examples"] else []
            for w in SEQUENCE_WEIGHTS:
                path = smooth_labels(rows, transitions, w) if rows else []
                seq_gold[w].extend(y for _, y in docs[i]["examples"])
                seq_pred[w].extend(path)
        for g, row in conf.items():
            total_conf[g].update(row)
        fold_scores.append({"fold": k, "acc": round(acc, 4), "macro_f": round(macro_f, 4), "n": len(test_ex)})
        print(f"fold {k}: acc {acc:.3f} macro-F1 {macro_f:.3f} (n {len(test_ex)})", file=sys.stderr)
    by_weight = {w: macro_scores(seq_gold[w], seq_pred[w]) for w in SEQUENCE_WEIGHTS}
    weight = max(SEQUENCE_WEIGHTS, key=lambda w: (round(by_weight[w][1], 4), -w))
    print(f"sequence weight {weight} (cross-validated macro-F1 by weight: "
          f"{ {w: round(f, 4) for w, (_, f) in by_weight.items()} })", file=sys.stderr)
    all_ex = [e for d in docs for e in d["examples"]]
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for x, sd in members:
        train(all_ex, epochs=a.epochs, seed=sd, architecture=x).to_disk(out / f"{x}-seed{sd}")
    import spacy

    meta = {
        "name": MODEL_NAME,
        "task": "paragraph label: achievement | limitation | directive | other",
        "labels": LABELS,
        "architectures": {x: ARCHITECTURES[x]["@architectures"] for x in archs},
        "combination": "mean of the members' label scores, divided by the training prior (classify.model.PRIOR_BALANCE)",
        "tokenizer": "vnreport.Tokenizer.v1",
        "input": "kind<kind> section<section> pos<position> layout<flat|lines> <text>, lowercased (see classify.model.model_input)",
        "corpus": {"path": "corpus/", "documents": len(docs), "examples": len(all_ex), "sha256": corpus_hash(a.corpus),
                   "label_counts": dict(Counter(y for _, y in all_ex))},
        "members": [f"{x}-seed{sd}" for x, sd in members],
        "sequence": {
            "about": "Viterbi over a report's body blocks: transitions[a][b] = log P(b after a) - log P(b), "
                     "learned from the corpus, times weight (chosen by the cross-validation below)",
            "transitions": learn_transitions([[y for _, y in d["examples"]] for d in docs]),
            "weight": weight,
            "cv_by_weight": {str(w): {"acc": round(acc, 4), "macro_f": round(f, 4)} for w, (acc, f) in by_weight.items()},
        },
        "training": {"epochs": a.epochs, "seeds": seeds, "dropout": 0.2, "batch_size": 16, "ngram_size": a.ngram},
        "cross_validation": {
            "folds": fold_scores,
            "mean_acc": round(sum(f["acc"] for f in fold_scores) / len(fold_scores), 4),
            "mean_macro_f": round(sum(f["macro_f"] for f in fold_scores) / len(fold_scores), 4),
            "confusion": {g: dict(c) for g, c in total_conf.items()},
            "with_sequence": {"weight": weight, "acc": round(by_weight[weight][0], 4), "macro_f": round(by_weight[weight][1], 4)},
        },
        "versions": {"python": platform.python_version(), "spacy": spacy.__version__},
        "trained_seconds": round(time.perf_counter() - t0, 1),
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(meta["cross_validation"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
