"""Check data/splits.json against the gold documents.

- every gold document is in exactly one split;
- test holds >= 15% of the characters, at least one district or county report
  and at least one provincial report;
- no test document is a near-duplicate of a train or dev document, nor of any
  other copy of a training document's source text (the 2020 Shenyang report
  appears twice in seeds/004: the unannotated copy counts with its twin).

Near-duplicate: the share of a test document's character 8-grams that also
occur in the other text ("containment") is above ``MAX_CONTAINMENT``.
Exit 1 and a message per problem when a check fails.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from govie.io import read_jsonl  # noqa: E402

MAX_CONTAINMENT = 0.30
N = 8


def shingles(text: str) -> set[str]:
    t = "".join(text.split())
    return {t[i:i + N] for i in range(max(0, len(t) - N + 1))}


def containment(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a) if a else 0.0


def extra_copies(doc) -> list[str]:
    """Other copies of a document's text in its source file (meta.duplicate_of_lines)."""
    lines = doc.meta.get("duplicate_of_lines")
    if not lines:
        return []
    src = ROOT.parent / "shared" / doc.meta["source"]
    if not src.exists():
        return []
    all_lines = src.read_text(encoding="utf-8").split("\n")
    return ["\n".join(all_lines[lines[0] - 1:lines[1]])]


def check(gold_paths: list[str], splits_path: str) -> list[str]:
    docs = {d.id: d for p in gold_paths for d in read_jsonl(p)}
    splits = json.loads(Path(splits_path).read_text(encoding="utf-8"))
    problems = []
    seen: dict[str, str] = {}
    for name in ("train", "dev", "test"):
        for doc_id in splits[name]:
            if doc_id in seen:
                problems.append(f"{doc_id} is in both {seen[doc_id]} and {name}")
            seen[doc_id] = name
            if doc_id not in docs:
                problems.append(f"{doc_id} ({name}) is not a gold document")
    for doc_id in docs:
        if doc_id not in seen:
            problems.append(f"gold document {doc_id} is in no split")
    chars = {n: sum(len(docs[i].text) for i in splits[n] if i in docs) for n in ("train", "dev", "test")}
    total = sum(chars.values())
    if total and chars["test"] / total < 0.15:
        problems.append(f"test holds {chars['test'] / total:.1%} of the characters; at least 15% is required")
    test_docs = [docs[i] for i in splits["test"] if i in docs]
    if not any(d.meta.get("region", "").endswith(("区", "县")) and d.meta.get("doc_type") != "investment_news"
               for d in test_docs):
        problems.append("test has no district or county report")
    if not any(d.meta.get("source", "").startswith("corpus/provincial") for d in test_docs):
        problems.append("test has no provincial report")
    others = []
    for n in ("train", "dev"):
        for i in splits[n]:
            if i in docs:
                others.append((i, shingles(docs[i].text)))
                for k, copy in enumerate(extra_copies(docs[i])):
                    others.append((f"{i} (other copy {k + 1})", shingles(copy)))
    worst = 0.0
    for d in test_docs:
        sd = shingles(d.text)
        for oid, so in others:
            c = containment(sd, so)
            worst = max(worst, c)
            if c > MAX_CONTAINMENT:
                problems.append(f"test document {d.id} is a near-duplicate of {oid}: "
                                f"{c:.0%} of its 8-grams occur there")
    print(f"characters: train {chars['train']}, dev {chars['dev']}, test {chars['test']} "
          f"(test {chars['test'] / max(total, 1):.1%}); highest test containment in train/dev {worst:.1%}")
    return problems


def main() -> None:
    # pending.jsonl (annotated, not yet placed in a split) is not checked
    gold = sys.argv[1:] or [str(p) for p in sorted((ROOT / "data" / "annotations").glob("*.jsonl"))
                            if p.name != "pending.jsonl"]
    problems = check(gold, str(ROOT / "data" / "splits.json"))
    for p in problems:
        print("problem:", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
