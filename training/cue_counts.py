"""The gold counts behind ``govie.cues``: what the names of a list closed by `等` and a head noun are.

    python training/cue_counts.py [--splits train,dev]

For the gold documents of the given splits (never the test split: these counts choose what the repair
does) it prints, for each head noun of ``govie.cues.HEADS`` that closes a `、` list of REGION, ENTITY or
PROJECT spans, the gold labels of the listed spans, then ``(ENTITY spans, all spans)`` over the
organization heads: ``govie.cues.ORGANIZATION_COUNTS`` holds that pair (``tests/test_cues.py`` checks
it against this script); then ``(ENTITY items, all items)`` of the lists that ``govie.cues.fill_listed_firms``
fills (an item counts as right where the gold holds an ENTITY span ending with it, after nothing or places):
``govie.cues.FIRM_COUNTS``, and each item that is not.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def counts(docs) -> dict[str, Counter]:
    """head noun -> Counter of the gold labels of the spans its lists hold."""
    from govie.cues import list_heads
    out: dict[str, Counter] = defaultdict(Counter)
    for d in docs:
        label = {s.id: s.label for s in d.entities}
        for sid, head in list_heads(d.text, d.entities).items():
            out[head][label[sid]] += 1
    return dict(out)


def organization_counts(by_head: dict[str, Counter]) -> tuple[int, int]:
    from govie.cues import ORGANIZATION_HEADS
    right = sum(by_head.get(h, Counter())["ENTITY"] for h in ORGANIZATION_HEADS)
    return right, sum(sum(by_head.get(h, Counter()).values()) for h in ORGANIZATION_HEADS)


def firm_counts(docs, show=None) -> tuple[int, int]:
    """(items that are gold ENTITY spans, all items) of :func:`govie.cues.firm_list_items`; ``show`` is called with
    (document id, item text) for the others."""
    from govie.cues import firm_list_items
    right = total = 0
    for d in docs:
        for a, b in firm_list_items(d.text):
            inside = sorted((s for s in d.entities if s.start < b and a < s.end), key=lambda s: s.start)
            ok = (bool(inside) and inside[0].start == a and inside[-1].end == b and inside[-1].label == "ENTITY"
                  and all(s.label == "REGION" for s in inside[:-1]))
            right += ok
            total += 1
            if not ok and show:
                show(d.id, d.text[a:b])
    return right, total


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(ROOT / "data" / "annotations" / "gold.jsonl"))
    ap.add_argument("--splits-file", default=str(ROOT / "data" / "splits.json"))
    ap.add_argument("--splits", default="train,dev")
    args = ap.parse_args(argv)
    from govie.io import read_jsonl
    ids = json.loads(Path(args.splits_file).read_text(encoding="utf-8"))
    wanted = {i for s in args.splits.split(",") for i in ids[s]}
    docs = [d for d in read_jsonl(args.gold) if d.id in wanted]
    by_head = counts(docs)
    for head, c in sorted(by_head.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"{head}\t" + ", ".join(f"{k} {v}" for k, v in c.most_common()))
    print("ORGANIZATION_COUNTS", organization_counts(by_head))
    print("FIRM_COUNTS", firm_counts(docs, show=lambda i, t: print(f"  not an ENTITY: {t} ({i})")))


if __name__ == "__main__":
    main()
