"""The scorer against known answers."""
import pytest

from govie.evaluate import score
from govie.schema import Document, Relation, Span

TEXT = "铁西区地区生产总值1300亿元，增长8%。"


def gold():
    ents = [Span(1, "REGION", 0, 3), Span(2, "INDICATOR", 3, 9), Span(3, "VALUE", 9, 13), Span(4, "UNIT", 13, 15),
            Span(5, "VALUE", 18, 19), Span(6, "UNIT", 19, 20)]
    rels = [Relation(1, 1, 2, "SUBJECT_OF"), Relation(2, 2, 3, "HAS_VALUE"), Relation(3, 3, 4, "HAS_UNIT"),
            Relation(4, 2, 5, "HAS_VALUE"), Relation(5, 5, 6, "HAS_UNIT")]
    return Document("d", TEXT, {}, ents, rels)


def test_perfect_prediction():
    s = score([gold()], [gold()])
    assert s["entities"]["micro"]["f1"] == 1.0 and s["entities"]["macro"]["f1"] == 1.0
    assert s["relations"]["micro"]["f1"] == 1.0


def test_one_missed_span():
    g = gold()
    p = gold()
    p.entities = [e for e in p.entities if e.id != 1]
    p.relations = [r for r in p.relations if r.from_id != 1]
    s = score([g], [p])
    # entities: 5 of 6 found, all 5 predicted right
    assert s["entities"]["micro"]["precision"] == 1.0
    assert s["entities"]["micro"]["recall"] == pytest.approx(5 / 6)
    assert s["entities"]["micro"]["f1"] == pytest.approx(2 * (5 / 6) / (1 + 5 / 6))
    assert s["entities"]["REGION"]["f1"] == 0.0 and s["entities"]["VALUE"]["f1"] == 1.0
    # macro over the 4 labels present in gold: REGION 0, others 1
    assert s["entities"]["macro"]["f1"] == pytest.approx(3 / 4)
    # relations: the SUBJECT_OF is gone: 4 of 5
    assert s["relations"]["micro"]["recall"] == pytest.approx(4 / 5)
    assert s["relations"]["micro"]["precision"] == 1.0


def test_one_wrong_relation():
    p = gold()
    p.relations = [r if r.id != 4 else Relation(4, 1, 5, "HAS_VALUE") for r in p.relations]
    s = score([gold()], [p])
    assert s["relations"]["micro"]["precision"] == pytest.approx(4 / 5)
    assert s["relations"]["micro"]["recall"] == pytest.approx(4 / 5)
    assert s["relations"]["HAS_VALUE"]["f1"] == pytest.approx(0.5)
    assert s["entities"]["micro"]["f1"] == 1.0


def test_wrong_boundary_is_wrong_in_strict_mode():
    p = gold()
    p.entities = [e if e.id != 2 else Span(2, "INDICATOR", 3, 8) for e in p.entities]
    s = score([gold()], [p])
    assert s["entities"]["INDICATOR"]["f1"] == 0.0
    # the relations through the wrong span are wrong too
    assert s["relations"]["micro"]["recall"] == pytest.approx(2 / 5)


def test_text_mismatch_is_an_error():
    p = gold()
    p.text = TEXT.replace("8", "9")
    with pytest.raises(ValueError, match="prediction text differs"):
        score([gold()], [p])


def test_error_breakdown_names_each_kind_of_error_and_counts_exact_as_true_positives():
    from govie.evaluate import entity_scores, error_breakdown
    p = gold()
    p.entities = [Span(1, "ENTITY", 0, 3),       # 铁西区: right extent, wrong label
                  Span(2, "INDICATOR", 5, 9),    # 生产总值 for 地区生产总值: boundary
                  Span(3, "VALUE", 9, 13), Span(4, "UNIT", 13, 15),  # exact
                  Span(5, "UNIT", 18, 20),       # 8% as one UNIT: for 8 another label and extent,
                                                 # for % the same label, another extent
                  Span(7, "PROJECT", 16, 18)]    # 增长: overlaps no gold span
    p.relations = []
    e = error_breakdown([gold()], [p])
    assert e["REGION"] == {"exact": 0, "boundary": 0, "label": 1, "label+boundary": 0, "missed": 0, "spurious": 0}
    assert e["INDICATOR"]["boundary"] == 1 and e["VALUE"] == {"exact": 1, "boundary": 0, "label": 0,
                                                               "label+boundary": 1, "missed": 0, "spurious": 0}
    assert e["UNIT"]["exact"] == 1 and e["UNIT"]["boundary"] == 1
    assert e["PROJECT"] == {"exact": 0, "boundary": 0, "label": 0, "label+boundary": 0, "missed": 0, "spurious": 1}
    assert "ENTITY" not in e  # a predicted label is listed only when it has a spurious span or gold spans
    tp = {lab: round(v["recall"] * v["support"]) for lab, v in entity_scores([gold()], [p]).items()
          if lab in ("REGION", "INDICATOR", "VALUE", "UNIT")}
    assert tp == {lab: e[lab]["exact"] for lab in tp}
    # a gold span with no prediction near it is missed
    empty = gold()
    empty.entities, empty.relations = [], []
    assert error_breakdown([gold()], [empty])["UNIT"]["missed"] == 2


def test_cli_split_with_gold_and_pred_scores_that_split_of_the_default_splits_file(tmp_path, monkeypatch, capsys):
    """`--split dev` with --gold/--pred reads data/splits.json of the working directory (it was silently
    ignored before); without that file it asks for --splits instead of scoring every document."""
    import json

    from govie.cli import main
    other = Document("e", "全县粮食产量20万吨。", {}, [Span(1, "INDICATOR", 2, 6)], [])
    g = tmp_path / "gold.jsonl"
    g.write_text("\n".join(json.dumps(d.to_dict(), ensure_ascii=False) for d in (gold(), other)), encoding="utf-8")
    p = tmp_path / "pred.jsonl"
    p.write_text(json.dumps(gold().to_dict(), ensure_ascii=False), encoding="utf-8")  # no prediction for "e"
    monkeypatch.chdir(tmp_path)
    assert main(["evaluate", "--gold", str(g), "--pred", str(p), "--split", "dev"]) == 2
    assert "needs --splits" in capsys.readouterr().err
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "splits.json").write_text(json.dumps({"dev": ["d"], "test": ["e"]}), encoding="utf-8")
    assert main(["evaluate", "--gold", str(g), "--pred", str(p), "--split", "dev"]) == 0
    assert "micro           1.0000    1.0000    1.0000         6" in capsys.readouterr().out


def test_paired_bootstrap_known_answers():
    """Identical predictions differ by exactly 0 in every resample; a B that finds the one span A missed
    is never worse on any draw of documents, and on all documents gains exactly F1 1 − 22/23."""
    from govie.evaluate import paired_bootstrap, score
    g1, g2 = gold(), gold()
    g2.id = "d2"
    a1 = gold()
    a1.entities = [e for e in a1.entities if e.id != 1]
    a1.relations = [r for r in a1.relations if r.from_id != 1]
    a2 = gold()
    a2.id = "d2"
    same = paired_bootstrap([g1, g2], [a1, a2], [a1, a2], n_resamples=200)
    assert same["delta"] == same["low"] == same["high"] == 0.0 and same["b_better"] == 0.0
    assert same["a"] == pytest.approx(score([g1, g2], [a1, a2])["entities"]["micro"]["f1"])
    better = paired_bootstrap([g1, g2], [a1, a2], [gold(), a2], n_resamples=200)
    # A: 11 of 12 gold spans, all 11 predictions right: F1 = 2·11/23; B: all 12
    assert better["a"] == pytest.approx(22 / 23) and better["b"] == 1.0
    assert better["delta"] == pytest.approx(1 - 22 / 23) and better["low"] >= 0.0 and better["high"] > 0.0
    assert 0.5 < better["b_better"] < 1.0  # draws holding only d2 tie
    rel = paired_bootstrap([g1, g2], [a1, a2], [gold(), a2], what="relations", n_resamples=50)
    assert rel["a"] == pytest.approx(score([g1, g2], [a1, a2])["relations"]["micro"]["f1"]) and rel["b"] == 1.0


def test_cli_compare_prints_and_writes_the_paired_difference(tmp_path, capsys):
    import json

    from govie.cli import main
    p = gold()
    p.entities = [e for e in p.entities if e.id != 1]
    p.relations = [r for r in p.relations if r.from_id != 1]
    files = {}
    for name, d in (("gold", gold()), ("a", p), ("b", gold())):
        files[name] = tmp_path / f"{name}.jsonl"
        files[name].write_text(json.dumps(d.to_dict(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "scores.json"
    assert main(["evaluate", "--gold", str(files["gold"]), "--pred", str(files["a"]), "--compare", str(files["b"]),
                 "--bootstrap", "20", "--json", str(out)]) == 0
    assert "entities micro-F1: A 0.9091, B 1.0000, B − A +0.0909" in capsys.readouterr().out
    c = json.loads(out.read_text(encoding="utf-8"))["comparison"]
    assert c["entities"]["n_resamples"] == 20 and c["relations"]["b"] == 1.0


def _table_gold(**fields):
    base = {"doc": "d", "value_start": 9, "value_end": 13, "indicator_start": 3, "indicator_end": 9,
            "kind": "level", "sign": "+", "qualifier": "none", "period": 2023, "period_from": None,
            "status": "actual"}
    return {**base, **fields}


def test_table_scores_known_answers():
    from govie.evaluate import table_scores
    from govie.records import build_records
    doc = gold()
    doc.meta = {"year": 2023}
    recs = {"d": build_records(doc)}  # 1300亿元 (level) and 8% (growth), both 2023, actual
    rows = [_table_gold(), _table_gold(value_start=18, value_end=19, kind="growth"),
            _table_gold(value_start=18, value_end=19, kind="growth", status="target")]
    s = table_scores(rows, recs)
    assert s["rows"] == 3 and s["found"] == 3
    assert s["fields"]["kind"] == 1.0 and s["fields"]["status"] == pytest.approx(2 / 3)
    assert s["all_fields"] == pytest.approx(2 / 3) and s["row"] == pytest.approx(2 / 3)
    # a pair the records miss (another indicator span) is not found, and counts as wrong in the row share
    s = table_scores(rows + [_table_gold(indicator_start=4)], recs)
    assert s["found"] == 3 and s["row"] == pytest.approx(2 / 4) and s["all_fields"] == pytest.approx(2 / 3)


def test_table_fields_reads_a_fall_as_a_minus_sign():
    from govie.evaluate import table_fields
    from govie.records import build_records
    doc = Document("d", "工业投资下降3.5%。", {"year": 2024},
                   [Span(1, "INDICATOR", 0, 4), Span(2, "VALUE", 6, 9), Span(3, "UNIT", 9, 10)],
                   [Relation(1, 1, 2, "HAS_VALUE"), Relation(2, 2, 3, "HAS_UNIT")])
    f = table_fields(build_records(doc)[0])
    assert f == {"kind": "growth", "sign": "-", "qualifier": "none", "period": 2024, "period_from": None,
                 "status": "actual"}
