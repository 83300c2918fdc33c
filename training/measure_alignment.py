"""Count gold span boundaries that fall inside a piece (must be 0).

    python training/measure_alignment.py [--tokenizer piece|char] [--gold data/annotations/gold.jsonl]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from govie.io import read_jsonl  # noqa: E402


def misaligned(docs, tok) -> tuple[int, int, int, list[str]]:
    bad, n, pieces, examples = 0, 0, 0, []
    for d in docs:
        e = tok.encode(d.text)
        starts = {a for a, _ in e.offsets}
        ends = {b for _, b in e.offsets}
        pieces += len(e.ids)
        for s in d.entities:
            n += 1
            if s.start not in starts or s.end not in ends:
                bad += 1
                examples.append(f"{d.id}: {s.label} {d.text[s.start:s.end]!r} in {d.text[max(0, s.start - 4):s.end + 4]!r}")
    return bad, n, pieces, examples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tokenizer", default="piece", choices=["piece", "char"])
    ap.add_argument("--gold", default="data/annotations/gold.jsonl")
    args = ap.parse_args()
    docs = read_jsonl(args.gold)
    if args.tokenizer == "piece":
        from govie.encoder import load_encoder
        from govie.tokenization import PieceTokenizer
        tok = PieceTokenizer(load_encoder(num_layers=2)[1])
    else:
        from govie.tokenization import CharTokenizer
        tok = CharTokenizer.build([d.text for d in docs])
    bad, n, pieces, ex = misaligned(docs, tok)
    chars = sum(len(d.text) for d in docs)
    print(f"{args.tokenizer}: {n} gold spans, {bad} with a boundary inside a piece; "
          f"{pieces} pieces for {chars} characters ({chars / max(pieces, 1):.2f} characters per piece)")
    for e in ex[:20]:
        print("  ", e)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
