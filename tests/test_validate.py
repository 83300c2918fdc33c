"""Each validation error class, with its message naming file, line, document and problem."""
import json

import pytest

from govie.cli import main
from govie.validate import validate_file

TEXT = "铁西区地区生产总值1300亿元，增长8%。"


def _doc(**kw):
    d = {"id": "d1", "text": TEXT, "meta": {},
         "entities": [{"id": 1, "label": "REGION", "start_offset": 0, "end_offset": 3},
                      {"id": 2, "label": "INDICATOR", "start_offset": 3, "end_offset": 9},
                      {"id": 3, "label": "VALUE", "start_offset": 9, "end_offset": 13},
                      {"id": 4, "label": "UNIT", "start_offset": 13, "end_offset": 15}],
         "relations": [{"id": 1, "from_id": 2, "to_id": 3, "type": "HAS_VALUE"},
                       {"id": 2, "from_id": 3, "to_id": 4, "type": "HAS_UNIT"},
                       {"id": 3, "from_id": 1, "to_id": 2, "type": "SUBJECT_OF"}]}
    d.update(kw)
    return d


def _problems(tmp_path, *docs):
    p = tmp_path / "gold.jsonl"
    p.write_text("".join((d if isinstance(d, str) else json.dumps(d, ensure_ascii=False)) + "\n" for d in docs),
                 encoding="utf-8")
    return [str(x) for x in validate_file(p)], str(p)


def test_valid_document_has_no_problem(tmp_path):
    probs, _ = _problems(tmp_path, _doc())
    assert probs == []


def test_offsets_out_of_range(tmp_path):
    d = _doc()
    d["entities"][3]["end_offset"] = 99
    probs, path = _problems(tmp_path, _doc(id="ok"), d)
    assert probs == [f"{path}:2: document 'd1': entity 4 (UNIT 13-99): offsets out of range "
                     f"for a text of {len(TEXT)} characters"]


def test_overlapping_spans(tmp_path):
    d = _doc()
    d["entities"][2]["end_offset"] = 14  # 1300亿 overlaps 亿元
    probs, path = _problems(tmp_path, d)
    assert probs == [f"{path}:1: document 'd1': entities 3 (VALUE 9-14 '1300亿') and 4 (UNIT 13-15 '亿元') overlap"]


def test_unknown_label(tmp_path):
    d = _doc()
    d["entities"][0]["label"] = "PLACE"
    probs, path = _problems(tmp_path, d)
    assert probs[0] == (f"{path}:1: document 'd1': entity 1 (PLACE 0-3): unknown label 'PLACE'; "
                        "expected one of INDICATOR, VALUE, UNIT, ENTITY, PROJECT, REGION")


def test_relation_to_unknown_id(tmp_path):
    d = _doc()
    d["relations"][0]["to_id"] = 42
    probs, path = _problems(tmp_path, d)
    assert probs == [f"{path}:1: document 'd1': relation 1 (2 HAS_VALUE 42): refers to unknown entity id 42"]


def test_relation_against_direction_table(tmp_path):
    d = _doc()
    d["relations"][0] = {"id": 1, "from_id": 3, "to_id": 2, "type": "HAS_VALUE"}
    probs, path = _problems(tmp_path, d)
    assert probs == [f"{path}:1: document 'd1': relation 1 (3 HAS_VALUE 2): VALUE -> INDICATOR is against the "
                     "direction table; HAS_VALUE goes ENTITY/INDICATOR/PROJECT/REGION -> VALUE"]


def test_unknown_relation_type(tmp_path):
    d = _doc()
    d["relations"][2]["type"] = "PART_OF"
    probs, path = _problems(tmp_path, d)
    assert "unknown relation type 'PART_OF'" in probs[0] and probs[0].startswith(f"{path}:1: document 'd1'")


def test_span_edges_whitespace_and_punctuation(tmp_path):
    text = " 地区生产总值，增长8%。"
    d = {"id": "e", "text": text, "entities": [
        {"id": 1, "label": "INDICATOR", "start_offset": 0, "end_offset": 7},
        {"id": 2, "label": "VALUE", "start_offset": 10, "end_offset": 11},
        {"id": 3, "label": "UNIT", "start_offset": 11, "end_offset": 13}], "relations": []}
    probs, path = _problems(tmp_path, d)
    assert probs == [
        f"{path}:1: document 'e': entity 1 (INDICATOR 0-7): span ' 地区生产总值' starts with whitespace or punctuation ' '",
        f"{path}:1: document 'e': entity 3 (UNIT 11-13): span '%。' ends with whitespace or punctuation '。'",
    ]


def test_percent_sign_is_a_valid_unit_edge(tmp_path):
    probs, _ = _problems(tmp_path, _doc())
    assert not any("punctuation" in p for p in probs)


def test_duplicate_ids(tmp_path):
    d = _doc()
    d["entities"][1]["id"] = 1
    d["relations"] = []
    probs, path = _problems(tmp_path, d, _doc(id="d1", relations=[]))
    assert probs[0] == f"{path}:1: document 'd1': duplicate entity id 1 (2 entities share it)"
    assert f"{path}:2: document 'd1': duplicate document id (first on line 1)" in probs


def test_duplicate_relation_id(tmp_path):
    d = _doc()
    d["relations"][1]["id"] = 1
    probs, path = _problems(tmp_path, d)
    assert probs == [f"{path}:1: document 'd1': duplicate relation id 1 (2 relations share it)"]


def test_invalid_json_and_missing_key(tmp_path):
    probs, path = _problems(tmp_path, '{"id": "x", "text": ', {"id": "y"})
    assert probs[0].startswith(f"{path}:1: invalid JSON")
    assert probs[1] == f"{path}:2: document 'y': missing key 'text'"


def test_missing_file():
    probs = [str(p) for p in validate_file("/nonexistent/file.jsonl")]
    assert probs == ["/nonexistent/file.jsonl: cannot open file: No such file or directory"]


def test_cli_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(_doc(), ensure_ascii=False) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    d = _doc()
    d["entities"][0]["label"] = "PLACE"
    bad.write_text(json.dumps(d, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["validate", str(good)]) == 0
    assert main(["validate", str(good), str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:1: document 'd1': entity 1 (PLACE 0-3): unknown label 'PLACE'" in err
