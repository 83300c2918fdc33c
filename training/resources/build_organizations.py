"""Build ``govie/resources/organizations.txt`` from the hand list beside this script.

Run from the repository root:  python training/resources/build_organizations.py

``organizations.src.txt`` lists organizations known nationwide or worldwide,
written from public knowledge (State Council bodies and the national bureaus,
the SASAC list of central state-owned enterprises, policy and major banks and
the exchanges, nationally known companies, the "985" universities and national
academies, national media and people's organizations, the armed forces,
international organizations), full names and the short forms reports use. It
was written without looking at any gold document. Two filters keep it from
fighting the other lexicons and the annotation guidelines:

1. a name that is also a place name of the division gazetteer (``regions.tsv``)
   is dropped (``阿里`` is a prefecture);
2. a name that occurs at least ``MIN_SEEN`` times in the *training* split's gold
   documents and is marked there as an ENTITY (or inside a longer ENTITY or
   PROJECT) in less than half of its occurrences is dropped: the guidelines
   decided otherwise for it. Dev and test documents are never read.

Each dropped name is printed with its reason.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from govie import resources  # noqa: E402
from govie.io import read_jsonl  # noqa: E402

SRC = Path(__file__).with_name("organizations.src.txt")
OUT = ROOT / "govie" / "resources" / "organizations.txt"
MIN_SEEN = 2


def occurrences(text: str, name: str) -> list[int]:
    out, k = [], text.find(name)
    while k >= 0:
        out.append(k)
        k = text.find(name, k + len(name))
    return out


def main() -> None:
    lines = (ln.strip() for ln in SRC.read_text(encoding="utf-8").splitlines())
    names = list(dict.fromkeys(ln for ln in lines if ln and not ln.startswith("#")))  # first occurrence kept
    regions = resources.regions()
    splits = json.loads((ROOT / "data" / "splits.json").read_text(encoding="utf-8"))
    train_ids = set(splits["train"])
    train = [d for d in read_jsonl(ROOT / "data" / "annotations" / "gold.jsonl") if d.id in train_ids]
    kept, dropped = [], []
    for name in names:
        if name in regions:
            dropped.append((name, "a place name in regions.tsv"))
            continue
        seen = agree = 0
        for doc in train:
            for k in occurrences(doc.text, name):
                seen += 1
                agree += any(s.label in ("ENTITY", "PROJECT") and s.start <= k and k + len(name) <= s.end
                             and (s.label == "ENTITY" or (s.start, s.end) != (k, k + len(name)))
                             for s in doc.entities)
        if seen >= MIN_SEEN and agree * 2 < seen:
            dropped.append((name, f"an ENTITY in {agree} of its {seen} occurrences in the training gold"))
            continue
        kept.append(name)
    header = ("# Organizations known nationwide or worldwide, full names and short forms (ENTITY).\n"
              "# Built by training/resources/build_organizations.py from organizations.src.txt there.\n")
    OUT.write_text(header + "".join(n + "\n" for n in kept), encoding="utf-8")
    for name, why in dropped:
        print(f"dropped {name}: {why}")
    print(f"{OUT.relative_to(ROOT)}: {len(kept)} names ({len(dropped)} dropped of {len(names)})")


if __name__ == "__main__":
    main()
