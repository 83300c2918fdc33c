"""Round trips lose nothing on real seed sentences."""
import json

import pytest

from govie.dataset import from_dataset, tags_to_spans, to_dataset
from govie.errors import GovieInputError
from govie.io import from_label_studio, read_jsonl, to_label_studio, write_jsonl
from govie.rules import preannotate
from govie.text import split_sentences


@pytest.fixture(scope="module")
def seed_docs(seed_002):
    sents = split_sentences(seed_002)[:60]
    docs = []
    for k, (a, b) in enumerate(sents):
        d = preannotate(f"s{k}", seed_002[a:b], {"source": "002", "start": a})
        docs.append(d)
    assert sum(len(d.entities) for d in docs) > 100 and sum(len(d.relations) for d in docs) > 40
    return docs


def _key(doc):
    return (doc.id, doc.text, doc.meta, sorted((s.id, s.label, s.start, s.end) for s in doc.entities),
            sorted((r.id, r.from_id, r.to_id, r.type) for r in doc.relations), doc.extra)


def test_jsonl_dataset_jsonl(seed_docs, tmp_path):
    ds = to_dataset(seed_docs)
    assert ds.features["ner_tags"].feature.names[0] == "O"
    assert all("".join(r["tokens"]) == d.text for r, d in zip(ds, seed_docs))
    back = from_dataset(ds)
    assert [_key(d) for d in back] == [_key(d) for d in seed_docs]
    p = tmp_path / "x.jsonl"
    write_jsonl(back, p)
    again = read_jsonl(p)
    assert [_key(d) for d in again] == [_key(d) for d in seed_docs]


def test_label_studio_jsonl_label_studio(seed_docs, tmp_path):
    tasks = to_label_studio(seed_docs)
    docs = from_label_studio(json.loads(json.dumps(tasks)))
    assert [_key(d) for d in docs] == [_key(d) for d in seed_docs]
    p = tmp_path / "x.jsonl"
    write_jsonl(docs, p)
    assert to_label_studio(read_jsonl(p)) == tasks


def test_extra_keys_survive(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text(json.dumps({"id": "a", "text": "沈阳", "entities": [], "relations": [], "Comments": ["check"]},
                            ensure_ascii=False) + "\n", encoding="utf-8")
    d = read_jsonl(p)[0]
    assert d.to_dict()["Comments"] == ["check"]
    assert from_dataset(to_dataset([d]))[0].extra == {"Comments": ["check"]}


def test_unlabeled_label_studio_relation():
    task = {"data": {"text": "产值增长5%"}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "value": {"start": 0, "end": 2, "text": "产值", "labels": ["INDICATOR"]}},
        {"id": "b", "type": "labels", "value": {"start": 4, "end": 5, "text": "5", "labels": ["VALUE"]}},
        {"type": "relation", "from_id": "a", "to_id": "b", "direction": "right", "labels": []}]}]}
    with pytest.raises(GovieInputError, match="has no label; label it in Label Studio or pass --default-relation"):
        from_label_studio([task], path="ls.json")
    doc = from_label_studio([task], default_relation="HAS_VALUE")[0]
    assert [(r.type, r.from_id, r.to_id) for r in doc.relations] == [("HAS_VALUE", 1, 2)]


def test_label_studio_left_direction_and_bad_text():
    task = {"data": {"text": "产值增长5%"}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "value": {"start": 0, "end": 2, "labels": ["INDICATOR"]}},
        {"id": "b", "type": "labels", "value": {"start": 4, "end": 5, "labels": ["VALUE"]}},
        {"type": "relation", "from_id": "b", "to_id": "a", "direction": "left", "labels": ["HAS_VALUE"]}]}]}
    doc = from_label_studio([task])[0]
    assert [(r.from_id, r.to_id) for r in doc.relations] == [(1, 2)]
    task["annotations"][0]["result"][0]["value"]["text"] = "增长"
    with pytest.raises(GovieInputError, match="does not match text"):
        from_label_studio([task])


def test_strict_iob2_reading():
    assert tags_to_spans(["B-VALUE", "I-VALUE", "I-UNIT", "B-UNIT", "O", "I-VALUE"]) == [(0, 2, "VALUE"), (3, 4, "UNIT")]


def test_jsonl_error_names_file_and_line(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "a", "text": "x"}\n{"id": 1, "text": "y", "entities": [{"id": 1}]}\n', encoding="utf-8")
    with pytest.raises(GovieInputError) as e:
        read_jsonl(p)
    assert str(e.value) == f"{p}:2: document '1': entities[0] is missing key 'label'"
