"""The table gold (data/annotations/table/) and its workflow (training/annotation/table.py)."""
import json
from pathlib import Path

import pytest

from govie.io import read_jsonl

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "data" / "annotations" / "table"


def test_every_table_gold_row_is_a_gold_has_value_pair_with_valid_fields():
    from training.annotation.table import FIELDS, KINDS, QUALIFIERS, STATUSES
    gold = {d.id: d for d in read_jsonl(ROOT / "data" / "annotations" / "gold.jsonl")}
    splits = json.loads((ROOT / "data" / "splits.json").read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in open(TABLE / "gold_table.jsonl", encoding="utf-8")]
    assert len(rows) >= 500 and len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["doc"] in splits[r["split"].split("_")[0]], r["id"]
        d = gold[r["doc"]]
        spans = {(s.start, s.end): s for s in d.entities}
        value = spans[(r["value_start"], r["value_end"])]
        assert value.label == "VALUE" and d.text[value.start:value.end] == r["value"]
        heads = [x.from_id for x in d.relations if x.type == "HAS_VALUE" and x.to_id == value.id]
        if r["indicator_start"] is not None:
            ind = spans[(r["indicator_start"], r["indicator_end"])]
            assert ind.label == "INDICATOR" and ind.id in heads and d.text[ind.start:ind.end] == r["indicator"]
        else:
            assert heads, r["id"]
        assert r["kind"] in KINDS and r["sign"] in "+-" and r["qualifier"] in QUALIFIERS
        assert r["status"] in STATUSES
        assert r["period"] is None or 1949 < r["period"] < 2100
        assert r["period_from"] is None or r["period_from"] < r["period"]
        assert set(FIELDS) <= set(r)


def test_an_answer_file_error_names_the_file_the_line_and_the_problem(tmp_path):
    from training.annotation.table import read_answers
    p = tmp_path / "chunk0.a.tsv"
    p.write_text("rid\tkind\tsign\tqualifier\tperiod\tperiod_from\tstatus\n"
                 "d000\tlevel\t+\tnone\t2024\t-\tactual\n"
                 "d001\tgrowth\t+\tabout\t2024\t2025\tdone\n", encoding="utf-8")
    with pytest.raises(ValueError) as e:
        read_answers(p)
    msg = str(e.value)
    assert msg.startswith(f"{p}:3: ") and "qualifier 'about'" in msg and "period_from 2025 not before period 2024" \
        in msg and "status 'done'" in msg
    p.write_text("d000\tlevel\t+\tnone\t2024\t-\tactual\t# a note\n", encoding="utf-8")
    assert read_answers(p)["d000"] == {"kind": "level", "sign": "+", "qualifier": "none", "period": 2024,
                                       "period_from": None, "status": "actual", "note": "# a note"}


def test_agreement_counts_a_record_right_only_when_every_field_agrees():
    from training.annotation.table import agreement
    a = {"x": dict(kind="level", sign="+", qualifier="none", period=2024, period_from=None, status="actual"),
         "y": dict(kind="growth", sign="-", qualifier="none", period=2024, period_from=None, status="actual")}
    b = {"x": dict(a["x"]), "y": dict(a["y"], status="target"), "z": dict(a["x"])}
    s = agreement(a, b)
    assert s["records"] == 2 and s["kind"] == 1.0 and s["status"] == 0.5 and s["all"] == 0.5


def test_reports_put_each_gold_document_back_into_its_whole_report(seeds):
    """The documents cut from one report are read back in it: the text at each ``char_range`` is the document's,
    every span keeps its text, and a record of the whole report maps back to the document's offsets."""
    from govie.records import build_records
    from training.annotation.table import located, reports
    gold = {d.id: d for d in read_jsonl(ROOT / "data" / "annotations" / "gold.jsonl")}
    ids = ["zhejiang-2025-gwr-review", "zhejiang-2025-gwr-plan", "shenyang-5g-center"]
    reps = reports([gold[i] for i in ids])
    assert len(reps) == 2
    whole = next(r for r in reps if "zhejiang-2025-gwr-review" in r.parts)
    assert whole.doc.meta["year"] == 2025 and len(whole.doc.text) > sum(b - a for a, b in whole.parts.values())
    n = 0
    for doc_id, (a, b) in whole.parts.items():
        assert whole.doc.text[a:b] == gold[doc_id].text
        n += len(gold[doc_id].entities)
    assert len(whole.doc.entities) == n
    recs = located(whole, build_records(whole.doc))
    for doc_id, rs in recs.items():
        t = gold[doc_id].text
        for r in rs:
            assert t[r.start:r.end] == r.value_text
            assert r.indicator is None or t[r.indicator_start:r.indicator_end] == r.indicator
