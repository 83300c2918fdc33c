"""Build the training file for the govie pkuseg segmenter.

    nice -n 19 python training/segmenter/build_data.py [--max-sentences 30000] \
        [--gold-repeat 3] [--out runs/segmenter/train.txt]

The file is what ``spacy_pkuseg.train`` reads: one sentence per line, words
separated by spaces (``FeatureExtractor.build`` / ``convert_text_file_to_feature_file``
split each line with ``str.split()``; every word becomes B/I tags).

It mixes two sources:

* weak in-domain segmentation: the provincial (2025, 2026) and national (year
  >= 1978) government work reports and the seed documents, split into sentences
  on 。！？； and newlines and segmented by jieba 0.42.1 (its MIT dictionary)
  after ``jieba.add_word`` of every domain-vocabulary word with a high frequency
  so that it is kept whole. The domain vocabulary is the INDICATOR, ENTITY,
  PROJECT and REGION span texts (2..12 characters, no whitespace) of the *train*
  documents of ``data/splits.json`` only. Sentences that occur verbatim in a
  dev/test gold document are dropped, so the segmenter never sees those texts.
  At most ``--max-sentences`` (deduplicated, shuffled with ``--seed``) are kept.
* gold segmentation (CC BY-SA 4.0): UD_Chinese-GSDSimp dev + UD_Chinese-CFL test,
  repeated ``--gold-repeat`` times. UD_Chinese-GSDSimp *test* is read here only
  to keep its sentences out of the training file (and assert that none is in it).

A ``<out>.meta.json`` next to the output records the counts and options.
"""
from __future__ import annotations

import argparse
import glob
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SHARED = ROOT.parent / "shared"
VOCAB_LABELS = ("INDICATOR", "ENTITY", "PROJECT", "REGION")
VOCAB_FREQ = 10**6  # high enough that jieba's DAG keeps the word whole
_SPLIT = re.compile(r"([。！？；\n])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WS = re.compile(r"\s+")


def split_sentences(text: str) -> list[str]:
    """Split on 。！？； and newlines; the delimiter stays with its sentence."""
    parts = _SPLIT.split(text)
    out, buf = [], ""
    for p in parts:
        if p == "\n":
            out.append(buf)
            buf = ""
        elif p and _SPLIT.fullmatch(p):
            out.append(buf + p)
            buf = ""
        else:
            buf += p
    out.append(buf)
    return [s for s in (_WS.sub("", x) for x in out) if s]


def domain_vocab(gold: Path, splits: Path, min_len: int = 2, max_len: int = 12) -> list[str]:
    """Span texts of the train documents only (never dev/test)."""
    train_ids = set(json.loads(splits.read_text(encoding="utf-8"))["train"])
    words = set()
    with gold.open(encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if doc["id"] not in train_ids:
                continue
            text = doc["text"]
            for e in doc["entities"]:
                if e["label"] not in VOCAB_LABELS:
                    continue
                w = text[e["start_offset"]:e["end_offset"]]
                if min_len <= len(w) <= max_len and not _WS.search(w):
                    words.add(w)
    return sorted(words)


def heldout_sentences(gold: Path, splits: Path) -> set[str]:
    """Sentences of the dev/test gold documents (dropped from the in-domain text)."""
    sp = json.loads(splits.read_text(encoding="utf-8"))
    ids = set(sp["dev"]) | set(sp["test"])
    out = set()
    with gold.open(encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if doc["id"] in ids:
                out.update(split_sentences(doc["text"]))
    return out


def in_domain_texts(shared: Path):
    corpus = shared / "corpus"
    for pattern in ("provincial-2025/*.txt", "provincial-2026/*.txt"):
        for p in sorted(glob.glob(str(corpus / pattern))):
            yield Path(p).read_text(encoding="utf-8")
    with (corpus / "national" / "government_work_reports.jsonl").open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            try:
                year = int(d.get("year"))
            except (TypeError, ValueError):
                continue
            if year < 1978 or not d.get("content"):
                continue
            yield d["content"]
    for p in sorted(glob.glob(str(shared / "seeds" / "*.txt"))):
        yield Path(p).read_text(encoding="utf-8")


def read_seg(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return [" ".join(line.split()) for line in f if line.strip()]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--gold", type=Path, default=ROOT / "data/annotations/gold.jsonl")
    ap.add_argument("--splits", type=Path, default=ROOT / "data/splits.json")
    ap.add_argument("--out", type=Path, default=ROOT / "runs/segmenter/train.txt")
    ap.add_argument("--max-sentences", type=int, default=30000,
                    help="cap on weakly segmented in-domain sentences; training time grows linearly "
                         "(30000 + 3x gold, 4 iterations: ~14.5 min with nice on 2 shared cores)")
    ap.add_argument("--gold-repeat", type=int, default=3, help="oversampling of the UD gold lines")
    ap.add_argument("--min-chars", type=int, default=4)
    ap.add_argument("--max-chars", type=int, default=200)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)

    import jieba

    ud = args.shared / "corpus" / "ud-chinese"
    gold_lines = read_seg(ud / "UD_Chinese-GSDSimp" / "dev.seg.txt") + read_seg(ud / "UD_Chinese-CFL" / "test.seg.txt")
    score_raw = {line.replace(" ", "") for line in read_seg(ud / "UD_Chinese-GSDSimp" / "test.seg.txt")}

    vocab = domain_vocab(args.gold, args.splits)
    tok = jieba.Tokenizer()  # jieba's bundled MIT dictionary
    tok.initialize()
    for w in vocab:
        tok.add_word(w, freq=VOCAB_FREQ)

    held = heldout_sentences(args.gold, args.splits)
    pool, seen, n_held, n_score = [], set(), 0, 0
    for text in in_domain_texts(args.shared):
        for s in split_sentences(text):
            if not (args.min_chars <= len(s) <= args.max_chars) or len(_CJK.findall(s)) < 2:
                continue
            if s in seen:
                continue
            seen.add(s)
            if s in held:
                n_held += 1
                continue
            if s in score_raw:
                n_score += 1
                continue
            pool.append(s)
    random.Random(args.seed).shuffle(pool)
    chosen = pool[: args.max_sentences]

    weak = []
    for s in chosen:
        words = [w for w in tok.cut(s, HMM=True) if w.strip()]
        weak.append(" ".join(words))

    lines = weak + gold_lines * args.gold_repeat
    random.Random(args.seed + 1).shuffle(lines)
    leaked = [line for line in lines if line.replace(" ", "") in score_raw]
    assert not leaked, f"{len(leaked)} GSDSimp test sentences in the training file"

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    meta = {
        "in_domain_pool": len(pool),
        "in_domain_used": len(weak),
        "in_domain_chars": sum(len(s) for s in chosen),
        "dropped_dev_test_gold_sentences": n_held,
        "dropped_score_sentences": n_score,
        "gold_lines": len(gold_lines),
        "gold_repeat": args.gold_repeat,
        "domain_vocab": len(vocab),
        "lines": len(lines),
        "max_sentences": args.max_sentences,
        "seed": args.seed,
        "jieba": jieba.__version__,
    }
    Path(str(args.out) + ".meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(meta, ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    main()
