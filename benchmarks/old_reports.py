"""Older reports, held out: how well does an extractor read the State Council's reports of 1980-1998?

    python benchmarks/old_reports.py [--model default] [--pred FILE ...] [--out benchmarks/results/old_reports.json]

The gold is ``data/annotations/heldout/old_reports.jsonl`` (session 33, GUIDELINES "Batch AM"): ~3,500 characters
from each of five reports, annotated from the raw text alone and never trained on. Their numbers are written as
older texts write them: `33，212万吨` and `％` (1980), Chinese numerals (`百分之二十一点七`, `八千七百一十亿元`; 1982,
1983), full-width digits (`１０９２０亿元`; 1988) and letter-spaced digits (`7 4 7 7 2 亿元`; 1998).

It runs ``govie.load(model).pipe`` on the documents (everything ``govie.extract`` does) and scores the output with
the project's scorer (seqeval strict IOB2 for entities, strict relations), overall, per label and per document;
``--pred`` scores prediction files made elsewhere as well (the output of ``govie extract --format jsonl`` run by an
older commit on the same documents). Writes JSON.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOLD = ROOT / "data" / "annotations" / "heldout" / "old_reports.jsonl"


def summary(scores: dict) -> dict:
    ent, rel = scores["entities"], scores["relations"]
    return {"entity_f1": ent["micro"]["f1"], "relation_f1": rel["micro"]["f1"],
            "labels": {k: v["f1"] for k, v in ent.items() if k not in ("micro", "macro")}}


def evaluate(gold: list, pred: list) -> dict:
    from govie.evaluate import score
    by_id = {d.id: d for d in pred}
    missing = [d.id for d in gold if d.id not in by_id]
    if missing:
        raise SystemExit(f"predictions lack documents {missing}")
    pred = [by_id[d.id] for d in gold]
    return {**summary(score(gold, pred)),
            "documents": {g.id: summary(score([g], [p])) for g, p in zip(gold, pred)}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="default")
    ap.add_argument("--pred", nargs="*", default=[], help="also score these prediction files (JSONL)")
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--out")
    args = ap.parse_args()
    from govie.io import read_jsonl
    gold = read_jsonl(args.gold)
    runs = {p: evaluate(gold, read_jsonl(p)) for p in args.pred}
    import govie
    nlp = govie.load(args.model)
    pred = [ex.to_document() for ex in nlp.pipe([d.text for d in gold], ids=[d.id for d in gold])]
    runs[args.model] = evaluate(gold, pred)
    labels = ("INDICATOR", "VALUE", "UNIT", "ENTITY", "PROJECT", "REGION")
    print(f"{'run':<40}{'entity':>8}{'relation':>10}" + "".join(f"{lab[:9]:>10}" for lab in labels))
    for name, r in runs.items():
        print(f"{Path(name).name:<40}{r['entity_f1']:>8.4f}{r['relation_f1']:>10.4f}"
              + "".join(f"{r['labels'].get(lab, float('nan')):>10.4f}" for lab in labels))
        for doc, d in r["documents"].items():
            print(f"  {doc:<38}{d['entity_f1']:>8.4f}{d['relation_f1']:>10.4f}")
    if args.out:
        gold_path = Path(args.gold).resolve()
        gold_name = str(gold_path.relative_to(ROOT)) if gold_path.is_relative_to(ROOT) else str(gold_path)
        Path(args.out).write_text(json.dumps({"gold": gold_name, "runs": runs},
                                             indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
