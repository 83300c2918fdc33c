"""Constrained IOB2 Viterbi decoding vs per-token argmax, same model, same split.

    python benchmarks/decoding.py runs/NAME [--split test]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("model")
    ap.add_argument("--split", default="test")
    args = ap.parse_args()
    from govie.evaluate import score
    from govie.io import read_jsonl
    from govie.model import GovieModel
    from govie.schema import Document
    from govie.tokenization import load_tokenizer
    splits = json.loads((ROOT / "data" / "splits.json").read_text(encoding="utf-8"))
    gold = {d.id: d for d in read_jsonl(ROOT / "data" / "annotations" / "gold.jsonl")}
    docs = [gold[i] for i in splits[args.split]]
    model, tok = GovieModel.load(args.model), load_tokenizer(args.model)
    out = {}
    for constrained in (True, False):
        pred = [Document(d.id, d.text, d.meta, s, r) for d, (s, r) in
                zip(docs, model.predict([d.text for d in docs], tok, constrained=constrained))]
        s = score(docs, pred)
        out["viterbi" if constrained else "argmax"] = {"entity_micro_f1": s["entities"]["micro"]["f1"],
                                                       "relation_f1": s["relations"]["micro"]["f1"]}
    print(json.dumps({"model": args.model, "split": args.split, **out}, indent=1))


if __name__ == "__main__":
    main()
