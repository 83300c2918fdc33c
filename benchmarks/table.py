"""How right is the indicator table? The derived fields of its rows against the hand-judged table gold.

    python benchmarks/table.py [--split dev|test] [--model default] [--out benchmarks/results/table-dev.json]

``data/annotations/table/gold_table.jsonl`` holds a sample of the gold HAS_VALUE pairs of dev and test, each judged
by hand for its kind, sign, qualifier, period, first year and status (GUIDELINES.md, "The indicator table";
``training/annotation/table.py``). Each report the gold documents were cut from is read whole, as a user would pass
it, with the year of its title as ``meta["year"]``, two ways:

- ``gold spans``: the gold spans and relations (``govie.records.build_records``): the reading of the derived fields
  alone;
- the model (``govie.load(model)``, everything ``govie.extract`` does): the table a user gets. A gold row counts as
  right only when the model found its value and indicator spans and every field is right.

Prints, per way, the accuracy of each field on the rows found, the share found and the share of all rows right.

    python benchmarks/table.py --coverage [--out benchmarks/results/table-coverage.json]

counts instead, over every gold document read from the gold spans, the rows that get no number (`十几亿`) and those
whose unit names nothing the normalizer knows (`百亿亿次/秒`), with each such value and unit.

    python benchmarks/table.py --dump records.jsonl

writes the derived fields of every record of every gold document (gold spans, each read in its whole report), one
line a record in a fixed order: two dumps of two versions of the code diff line by line.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govie.evaluate import TABLE_FIELDS, table_fields, table_scores  # noqa: E402
from govie.io import read_jsonl  # noqa: E402
from govie.records import build_records  # noqa: E402
from training.annotation.table import GOLD, OUT, SPLITS, located, reports  # noqa: E402


def table_records(split: str, model: str | None) -> dict[str, list]:
    """The records of ``split``'s gold documents, read from their whole reports: from the gold spans
    (``model`` None) or from a model's extraction."""
    ids = json.loads(SPLITS.read_text(encoding="utf-8"))[split.split("_")[0]]  # test_b: test's second sample
    gold = {d.id: d for d in read_jsonl(GOLD)}
    pipe = None
    if model is not None:
        import govie
        pipe = govie.load(model)
    out: dict[str, list] = {}
    for rep in reports([gold[i] for i in ids]):
        recs = build_records(rep.doc) if pipe is None else pipe(rep.doc.text, meta=rep.doc.meta).records
        out.update(located(rep, recs))
    return out


def coverage() -> dict:
    """Rows of all gold documents (gold spans) without a number, and with a unit the normalizer cannot name."""
    rows, no_number, no_unit = 0, Counter(), Counter()
    for d in read_jsonl(GOLD):
        for r in build_records(d):
            rows += 1
            if r.value is None and r.low is None:
                no_number[f"{r.value_text}{r.unit_text or ''}"] += 1
            elif r.unit is None:
                no_unit[r.unit_text] += 1
    return {"rows": rows, "no_number": sum(no_number.values()), "no_unit": sum(no_unit.values()),
            "no_number_values": dict(no_number.most_common()), "no_unit_units": dict(no_unit.most_common())}


def dump(path: str) -> int:
    """Write the derived fields of every gold document's records (gold spans, whole reports); the count."""
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for rep in reports(list(read_jsonl(GOLD))):
            for doc_id, rs in sorted(located(rep, build_records(rep.doc)).items()):
                for r in rs:
                    fh.write(json.dumps({"doc": doc_id, "value": [r.start, r.end], "indicator": r.indicator,
                                         "text": f"{r.value_text}{r.unit_text or ''}", **table_fields(r)},
                                        ensure_ascii=False) + "\n")
                    n += 1
    return n


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--split", default="dev", choices=["dev", "test", "test_b", "test_c", "test_d"])
    p.add_argument("--model", default="default")
    p.add_argument("--gold", default=str(OUT / "gold_table.jsonl"))
    p.add_argument("--out")
    p.add_argument("--coverage", action="store_true", help="count the gold rows without a number or a known unit")
    p.add_argument("--dump", metavar="FILE", help="write the derived fields of every gold record (gold spans)")
    args = p.parse_args()
    if args.dump:
        print(f"{dump(args.dump)} records -> {args.dump}")
        return
    if args.coverage:
        c = coverage()
        print(f"{c['rows']} rows of the gold documents: {c['no_number']} without a number, {c['no_unit']} with a unit "
              f"of no known kind")
        print("no number:", c["no_number_values"])
        print("unknown unit:", c["no_unit_units"])
        if args.out:
            Path(args.out).write_text(json.dumps(c, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return
    rows = [r for r in map(json.loads, open(args.gold, encoding="utf-8")) if r["split"] == args.split]
    result = {"split": args.split, "model": args.model}
    print(f"{args.split}: {len(rows)} table gold rows")
    print(f"{'':<12}{'found':>8}" + "".join(f"{f:>12}" for f in TABLE_FIELDS) + f"{'all fields':>12}{'row':>8}")
    for name, model in (("gold spans", None), (args.model, args.model)):
        s = table_scores(rows, table_records(args.split, model))
        result["gold_spans" if model is None else "model"] = s
        print(f"{name:<12}{s['found'] / s['rows']:>8.3f}" + "".join(f"{s['fields'][f]:>12.3f}" for f in TABLE_FIELDS)
              + f"{s['all_fields']:>12.3f}{s['row']:>8.3f}")
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
