"""Harmonization report: the same surface given different decisions across the gold data.

    python training/annotation/consistency.py data/annotations/gold.jsonl [--min-count 2]

Lists (1) surfaces annotated with more than one label, (2) surfaces annotated
somewhere but left unannotated elsewhere (as a whole token sequence not inside
another span), with document ids and offsets, so a reviewer can make the same
surface get the same decision.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from govie.io import read_jsonl  # noqa: E402


def report(paths: list[str], min_count: int = 2, min_len: int = 2) -> tuple[list, list]:
    docs = [d for p in paths for d in read_jsonl(p)]
    labels: dict[str, Counter] = defaultdict(Counter)
    covered: dict[str, list[bool]] = {}
    for d in docs:
        cov = [False] * len(d.text)
        for s in d.entities:
            labels[d.text[s.start:s.end]][s.label] += 1
            for k in range(s.start, s.end):
                cov[k] = True
        covered[d.id] = cov
    mixed = [(surf, dict(c)) for surf, c in labels.items() if len(c) > 1 and sum(c.values()) >= min_count]
    missed = []
    for surf, c in labels.items():
        lab, n = c.most_common(1)[0]
        if len(surf) < min_len or n < min_count or lab in ("VALUE", "UNIT"):
            continue
        where = []
        for d in docs:
            for m in re.finditer(re.escape(surf), d.text):
                if not any(covered[d.id][m.start():m.end()]):
                    where.append(f"{d.id}:{m.start()}")
        if where:
            missed.append((surf, lab, n, where))
    mixed.sort(key=lambda x: -sum(x[1].values()))
    missed.sort(key=lambda x: -len(x[3]))
    return mixed, missed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--min-count", type=int, default=2)
    args = ap.parse_args()
    mixed, missed = report(args.files, args.min_count)
    print(f"# {len(mixed)} surfaces with more than one label")
    for surf, c in mixed:
        print(f"{surf}\t{c}")
    print(f"\n# {len(missed)} surfaces annotated (>= {args.min_count} times) but also left bare")
    for surf, lab, n, where in missed:
        print(f"{surf}\t{lab} x{n}\tbare x{len(where)}: {' '.join(where[:8])}")


if __name__ == "__main__":
    main()
