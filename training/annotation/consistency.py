"""Harmonization report: the same surface given different decisions across the gold data.

    python training/annotation/consistency.py data/annotations/gold.jsonl [--min-count 2]

Lists (1) surfaces annotated with more than one label, (2) surfaces annotated
somewhere but left unannotated elsewhere (as a whole token sequence not inside
another span), (3) two-character words that open some INDICATOR spans and stand
bare right before others (a verb kept in the measure here, left out there:
`改造燃气管网` vs `改造` `高标准农田`), with document ids and offsets, so a
reviewer can make the same surface get the same decision.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from govie.io import read_jsonl  # noqa: E402


def covered(doc) -> list[bool]:
    """Per character of ``doc.text``: whether some span covers it."""
    cov = [False] * len(doc.text)
    for s in doc.entities:
        cov[s.start:s.end] = [True] * (s.end - s.start)
    return cov


def report(docs, min_count: int = 2, min_len: int = 2) -> tuple[list, list]:
    labels: dict[str, Counter] = defaultdict(Counter)
    for d in docs:
        for s in d.entities:
            labels[d.text[s.start:s.end]][s.label] += 1
    cov_of = {d.id: covered(d) for d in docs}
    mixed = [(surf, dict(c)) for surf, c in labels.items() if len(c) > 1 and sum(c.values()) >= min_count]
    missed = []
    for surf, c in labels.items():
        lab, n = c.most_common(1)[0]
        if len(surf) < min_len or n < min_count or lab in ("VALUE", "UNIT"):
            continue
        where = []
        for d in docs:
            for m in re.finditer(re.escape(surf), d.text):
                if not any(cov_of[d.id][m.start():m.end()]):
                    where.append(f"{d.id}:{m.start()}")
        if where:
            missed.append((surf, lab, n, where))
    mixed.sort(key=lambda x: -sum(x[1].values()))
    missed.sort(key=lambda x: -len(x[3]))
    return mixed, missed


def leading_words(docs, min_count: int = 2) -> list[tuple[str, list[str], list[str]]]:
    """(word, where it opens an INDICATOR, where it stands bare right before one): two-character
    CJK words decided both ways at least ``min_count`` times each, most balanced first."""
    inside: dict[str, list[str]] = defaultdict(list)
    before: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        cov = covered(d)
        for s in d.entities:
            if s.label != "INDICATOR":
                continue
            if s.end - s.start > 3:
                inside[d.text[s.start:s.start + 2]].append(f"{d.id}:{s.start}")
            if s.start >= 2 and not any(cov[s.start - 2:s.start]):
                before[d.text[s.start - 2:s.start]].append(f"{d.id}:{s.start - 2}")
    both = [(w, inside[w], before[w]) for w in inside
            if re.fullmatch(r"[\u4e00-\u9fff]{2}", w) and len(inside[w]) >= min_count and len(before[w]) >= min_count]
    return sorted(both, key=lambda x: -min(len(x[1]), len(x[2])))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--min-count", type=int, default=2)
    args = ap.parse_args()
    docs = [d for p in args.files for d in read_jsonl(p)]
    mixed, missed = report(docs, args.min_count)
    print(f"# {len(mixed)} surfaces with more than one label")
    for surf, c in mixed:
        print(f"{surf}\t{c}")
    print(f"\n# {len(missed)} surfaces annotated (>= {args.min_count} times) but also left bare")
    for surf, lab, n, where in missed:
        print(f"{surf}\t{lab} x{n}\tbare x{len(where)}: {' '.join(where[:8])}")
    lead = leading_words(docs, args.min_count)
    print(f"\n# {len(lead)} words that open an INDICATOR and also stand bare before one (>= {args.min_count} each)")
    for w, ins, bef in lead:
        print(f"{w}\tin x{len(ins)}: {' '.join(ins[:5])}\tbefore x{len(bef)}: {' '.join(bef[:5])}")


if __name__ == "__main__":
    main()
