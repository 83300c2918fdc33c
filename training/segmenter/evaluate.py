"""Word segmentation scores on UD_Chinese-GSDSimp test (held out from training).

    nice -n 19 python training/segmenter/evaluate.py [--out benchmarks/results/segmenter.json]

Standard segmentation scoring: each sentence's words become character spans
(start, end); precision = matching spans / predicted spans, recall = matching
spans / gold spans, micro-averaged over the file, F1 their harmonic mean.
Segmenters see the sentence with the gold spaces removed.

Rows: the shipped govie pkuseg model (pure model, as spaCy loads it with
``pkuseg_user_dict=None``; and with spacy_pkuseg's bundled "default"
post-processing dictionary, spaCy's default), jieba 0.42.1 default, and jieba
with the domain vocabulary (train-split gold spans, as in build_data.py).

No in-domain text has gold *segmentation*, so there is no in-domain word F1.
Instead, as a separate diagnostic, the dev documents of data/splits.json are
used to count gold spans whose start or end falls inside a predicted word
("crossing"; lower is better for NER), for INDICATOR/ENTITY/PROJECT/REGION and
for VALUE/UNIT (``5.2%`` as one word crosses the VALUE/UNIT boundary).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DEFAULT_SHARED = ROOT.parent / "shared"
GSD_TEST = "corpus/ud-chinese/UD_Chinese-GSDSimp/test.seg.txt"


def read_gold(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8") as f:
        return [line.split() for line in f if line.strip()]


def spans(words) -> set[tuple[int, int]]:
    out, i = set(), 0
    for w in words:
        out.add((i, i + len(w)))
        i += len(w)
    return out


def score_segmenter(cut, gold: list[list[str]]) -> dict:
    n_pred = n_gold = n_ok = 0
    chars = 0
    t0 = time.perf_counter()
    for words in gold:
        text = "".join(words)
        chars += len(text)
        pred = [w for w in cut(text) if w.strip()]
        assert "".join(pred) == text, (pred, text)
        g, p = spans(words), spans(pred)
        n_gold += len(g)
        n_pred += len(p)
        n_ok += len(g & p)
    secs = time.perf_counter() - t0
    prec = n_ok / n_pred if n_pred else 0.0
    rec = n_ok / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
            "gold_words": n_gold, "pred_words": n_pred, "correct": n_ok,
            "chars_per_sec": int(chars / secs) if secs else None}


def boundary_crossing(cut, docs, labels) -> dict:
    """Gold spans (of ``labels``) whose start or end is not a predicted word boundary."""
    n = bad = 0
    for d in docs:
        text = d["text"]
        # segment line by line so newlines are always boundaries; map tokens back by search
        bounds, pos = set(), 0
        for line in text.splitlines(keepends=True):
            k = 0
            bounds.add(pos)
            for w in cut(line):
                if not w.strip():
                    continue
                j = line.find(w, k)
                if j < 0:
                    continue
                bounds.add(pos + j)
                bounds.add(pos + j + len(w))
                k = j + len(w)
            pos += len(line)
            bounds.add(pos)
        for e in d["entities"]:
            if e["label"] not in labels:
                continue
            n += 1
            s, t = e["start_offset"], e["end_offset"]
            while s < t and text[s].isspace():
                s += 1
            while t > s and text[t - 1].isspace():
                t -= 1
            if s not in bounds or t not in bounds:
                bad += 1
    return {"spans": n, "crossing": bad, "crossing_rate": round(bad / n, 4) if n else None}


def jieba_cutters(vocab: list[str]):
    import jieba

    from training.segmenter.build_data import VOCAB_FREQ

    plain = jieba.Tokenizer()
    plain.initialize()
    dom = jieba.Tokenizer()
    dom.initialize()
    for w in vocab:
        dom.add_word(w, freq=VOCAB_FREQ)
    return (lambda t: list(plain.cut(t))), (lambda t: list(dom.cut(t)))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--model", type=Path, default=ROOT / "govie/resources/pkuseg")
    ap.add_argument("--gold", type=Path, default=ROOT / "data/annotations/gold.jsonl")
    ap.add_argument("--splits", type=Path, default=ROOT / "data/splits.json")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/segmenter.json")
    ap.add_argument("--no-diagnostic", action="store_true", help="skip the dev-document boundary diagnostic")
    args = ap.parse_args(argv)

    import jieba
    import spacy_pkuseg

    from training.segmenter.build_data import domain_vocab

    gold = read_gold(args.shared / GSD_TEST)
    vocab = domain_vocab(args.gold, args.splits)
    jieba_plain, jieba_dom = jieba_cutters(vocab)
    ours = spacy_pkuseg.pkuseg(str(args.model), user_dict=None)
    ours_default = spacy_pkuseg.pkuseg(str(args.model), user_dict="default")
    systems = {
        "govie pkuseg": ours.cut,
        "govie pkuseg + pkuseg default dict": ours_default.cut,
        "jieba default": jieba_plain,
        "jieba + domain vocab": jieba_dom,
    }
    results = {name: score_segmenter(cut, gold) for name, cut in systems.items()}

    diag = None
    if not args.no_diagnostic and args.gold.exists():
        dev_ids = set(json.loads(args.splits.read_text(encoding="utf-8"))["dev"])
        docs = [d for d in map(json.loads, args.gold.open(encoding="utf-8")) if d["id"] in dev_ids]
        from training.segmenter.build_data import VOCAB_LABELS

        diag = {name: {"INDICATOR/ENTITY/PROJECT/REGION": boundary_crossing(cut, docs, VOCAB_LABELS),
                       "VALUE/UNIT": boundary_crossing(cut, docs, ("VALUE", "UNIT"))}
                for name, cut in systems.items()}

    print(f"GSDSimp test ({len(gold)} sentences, {sum(map(len, gold))} words)")
    print(f"{'segmenter':36s} {'P':>6s} {'R':>6s} {'F1':>6s} {'chars/s':>9s}"
          + ("  dev spans crossed: IND/ENT/PRJ/REG  VALUE/UNIT" if diag else ""))
    for name, r in results.items():
        extra = ""
        if diag:
            a, b = diag[name]["INDICATOR/ENTITY/PROJECT/REGION"], diag[name]["VALUE/UNIT"]
            extra = f"  {a['crossing']:>5d}/{a['spans']:<5d}          {b['crossing']:>5d}/{b['spans']}"
        print(f"{name:36s} {r['precision']:6.4f} {r['recall']:6.4f} {r['f1']:6.4f} {r['chars_per_sec']:9d}{extra}")

    model_bytes = sum(p.stat().st_size for p in args.model.iterdir() if p.is_file())
    out = {
        "test_set": "UD_Chinese-GSDSimp test.seg.txt (CC BY-SA 4.0), held out from segmenter training",
        "metric": "word-level P/R/F1 over character spans, micro-averaged",
        "sentences": len(gold),
        "model_dir": str(args.model.relative_to(ROOT)) if args.model.is_relative_to(ROOT) else str(args.model),
        "model_bytes": model_bytes,
        "jieba": jieba.__version__,
        "domain_vocab_words": len(vocab),
        "results": results,
        "in_domain_word_f1": "skipped: no in-domain text with gold segmentation",
    }
    if diag:
        out["dev_entity_boundary_crossing"] = {
            "what": "dev-split gold spans whose start or end is inside a predicted word "
                    "(not a segmentation score; lower is better for NER)",
            "results": diag,
        }
    record = ROOT / "runs/segmenter/train_record.json"
    if record.exists():
        rec = json.loads(record.read_text(encoding="utf-8"))
        out["training"] = {k: rec.get(k) for k in ("iters", "feature_trim", "prune", "train_seconds", "data", "shrink")}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
