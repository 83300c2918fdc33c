"""The gold counts behind ``govie.lexfill``: how often each kind of lexicon match is a gold span.

    python training/lexfill_counts.py [--splits train,dev] [--json OUT]
    python training/lexfill_counts.py --names FILE     # each name of FILE on its own


For every organization and place match of the rule baseline in the gold
documents of the given splits (never the test split: these counts choose what
the repair does), and for each kind of match that ``fill_names`` may add
(an organization of ``organizations.txt``; a province, prefecture city, county,
macro-region or country of ``regions.tsv``, its full name or short form), it
prints ``(right, matches)``: the matches that overlap no gold span of other
extent, and of them those that are a gold span with the match's label. Kinds
that ``FILL_LEVELS`` marks as needing whole words count only the matches the
shipped segmenter cuts as whole words. ``govie.lexfill.FILL_LEVELS`` and
``ORGANIZATION_COUNTS`` hold these numbers (``tests/test_lexfill.py`` checks
them against this script); the second table is the gold labels of spans whose
whole text is a province, prefecture or county name (``relabel_places``); the third
is where the gold puts each organization match (``widen_to_organizations``, ``WIDEN_COUNTS``):
exactly an ENTITY or a span of another label, inside a longer gold span, a gold span
strictly inside the match (a fragment of the name), or bare.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def counts(docs) -> tuple[dict[str, list[int]], Counter, Counter]:
    """({kind: [right, matches]}, Counter of gold labels of spans that are exactly a place name,
    Counter of where the gold puts each organization match)."""
    from govie.lexfill import FILL_LEVELS, NEVER_FILLED, RELABEL_LEVELS, _lexicons, _whole_words
    from govie.wordsnap import _segmenter
    rules, regions, orgs = _lexicons()
    seg = _segmenter()
    out: dict[str, list[int]] = {}
    relabel: Counter = Counter()
    widen: Counter = Counter()
    for d in docs:
        gold = {(e.start, e.end): e.label for e in d.entities}
        for (s, e), label in gold.items():
            hit = regions.get(d.text[s:e])
            if hit and hit[0] in RELABEL_LEVELS:
                relabel[label] += 1
        for s, e, label in rules.spans(d.text):
            surface = d.text[s:e]
            if label == "ENTITY":
                if surface not in orgs:
                    continue
                kind, words = "organization", False
                widen[_place_of(gold, s, e)] += 1
            elif label == "REGION":
                level, canonical = regions[surface]
                if surface in NEVER_FILLED or level not in FILL_LEVELS:
                    continue
                kind = f"{level}/{'full' if surface == canonical else 'short'}"
                words = FILL_LEVELS[level][2]
            else:
                continue
            g = gold.get((s, e))
            if g is None and any(a < e and s < b for (a, b) in gold):
                continue  # inside or across a gold span of other extent: fill_names would not add it there
            if words and not _whole_words(d.text, s, e, seg):
                continue
            c = out.setdefault(kind, [0, 0])
            c[0] += g == label
            c[1] += 1
    return dict(sorted(out.items())), relabel, widen


def name_counts(docs, names: list[str]) -> dict[str, tuple[int, int, int]]:
    """name -> (gold REGION spans, whole-word matches outside gold spans of other extent, matches inside or
    across such spans), the counts by which a place name joins or stays out of the hand list of
    ``training/resources/build_resources.py``."""
    from govie.lexfill import _whole_words
    from govie.wordsnap import _segmenter
    seg = _segmenter()
    out = {}
    for name in names:
        right = matches = inside = 0
        for d in docs:
            gold = {(e.start, e.end): e.label for e in d.entities}
            k = d.text.find(name)
            while k >= 0:
                e = k + len(name)
                g = gold.get((k, e))
                if g is None and any(a < e and k < b for (a, b) in gold):
                    inside += 1
                elif _whole_words(d.text, k, e, seg):
                    matches += 1
                    right += g == "REGION"
                k = d.text.find(name, k + 1)
        out[name] = (right, matches, inside)
    return out


def _place_of(gold: dict[tuple[int, int], str], s: int, e: int) -> str:
    """Where the gold spans ``gold`` put the match ``[s, e)``."""
    if (s, e) in gold:
        return "exact " + gold[(s, e)]
    if any(a <= s and e <= b for (a, b) in gold):
        return "inside a longer span"
    if any(s <= a and b <= e for (a, b) in gold):
        return "a span inside it"
    return "across a span" if any(a < e and s < b for (a, b) in gold) else "bare"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--splits", default="train,dev")
    ap.add_argument("--json", help="also write the counts here")
    ap.add_argument("--names", help="a file of place names (whitespace-separated, # comments): count each")
    args = ap.parse_args()
    if "test" in args.splits.split(","):
        raise SystemExit("--splits: the repair is chosen on train and dev, never on test")
    from govie.io import read_jsonl
    splits = json.loads((ROOT / "data" / "splits.json").read_text(encoding="utf-8"))
    ids = {i for k in args.splits.split(",") for i in splits[k]}
    docs = [d for d in read_jsonl(ROOT / "data" / "annotations" / "gold.jsonl") if d.id in ids]
    if args.names:
        names = [w for line in Path(args.names).read_text(encoding="utf-8").splitlines()
                 if not line.startswith("#") for w in line.split()]
        print("| name | gold REGION | whole-word matches | inside other spans |\n|---|---|---|---|")
        for name, (r, n, inside) in name_counts(docs, names).items():
            print(f"| {name} | {r} | {n} | {inside} |")
        return
    fill, relabel, widen = counts(docs)
    print(f"{len(docs)} documents ({args.splits})")
    print("| kind of match | right | matches |\n|---|---|---|")
    for k, (r, n) in fill.items():
        print(f"| {k} | {r} | {n} |")
    print("\ngold labels of spans that are exactly a province, prefecture or county name:", dict(relabel))
    print("where the gold puts the organization matches:", dict(sorted(widen.items())))
    if args.json:
        Path(args.json).write_text(json.dumps({"splits": args.splits, "documents": len(docs), "fill": fill,
                                               "relabel": dict(relabel), "organizations": dict(widen)}, ensure_ascii=False, indent=1),
                                   encoding="utf-8")


if __name__ == "__main__":
    main()
