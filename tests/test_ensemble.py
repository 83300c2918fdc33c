"""govie.ensemble: several model directories as one, their probabilities averaged."""
import json

import numpy as np
import pytest
import torch

from govie.ensemble import GovieEnsemble, make_ensemble, member_dirs
from govie.model import GovieModel, ModelConfig, windows
from govie.pipeline import ModelTagger
from govie.tokenization import CharTokenizer, load_tokenizer

TEXTS = [
    "全市地区生产总值1300亿元，增长8%。",
    "2023年，全省一般公共预算收入完成2000亿元，同比下降3.5%；城镇居民人均可支配收入提高1.8个百分点。",
    "预计全年固定资产投资增长6%左右，力争新开工5000座以上5G基站。沈阳市浑南区新建项目12个。",
    "",
]


def _model(path, tok, seed, hidden=48, **kw):
    torch.manual_seed(seed)
    cfg = ModelConfig(encoder="bilstm", tokenizer="char", num_layers=1, hidden_size=hidden, embedding_size=24,
                      vocab_size=len(tok), max_tokens=64, rel_hidden=32, **kw)
    model = GovieModel(cfg)
    with torch.no_grad():  # an untrained NER head with large weights emits varied spans, and so relations
        model.ner.weight.mul_(30)
    model.save(path, tok)
    return path


def _key(results):
    return [([(s.label, s.start, s.end) for s in spans], [(r.from_id, r.to_id, r.type) for r in rels])
            for spans, rels in results]


@pytest.fixture(scope="module")
def members(tmp_path_factory):
    root = tmp_path_factory.mktemp("members")
    tok = CharTokenizer.build(TEXTS)
    return tok, [_model(root / "a", tok, 0), _model(root / "b", tok, 1, hidden=32)]


def _window_batch(model_dir, text):
    tok = load_tokenizer(model_dir)
    w = windows(text, tok, 64)[0]
    ids = torch.tensor([[tok.cls_id] + w["ids"] + [tok.sep_id]])
    return ids, torch.ones_like(ids)


def test_two_copies_of_one_model_predict_what_it_predicts(members, tmp_path):
    _, (a, _) = members
    ens = make_ensemble([a, a], tmp_path / "ens")
    assert [p.name for p in member_dirs(ens)] == ["m0-a", "m1-a"]
    single, double = ModelTagger(a).tag_batch(TEXTS), ModelTagger(ens).tag_batch(TEXTS)
    assert _key(single) == _key(double)
    assert sum(len(s) for s, _ in single) > 5 and sum(len(r) for _, r in single) > 0
    for (sa, ra), (sb, rb) in zip(single, double):
        assert all(abs(x.score - y.score) < 1e-5 for x, y in zip(sa, sb))


def test_tag_and_relation_probabilities_are_the_members_mean(members, tmp_path):
    _, (a, b) = members
    ens = GovieModel.load(make_ensemble([a, b], tmp_path / "ens"))
    assert isinstance(ens, GovieEnsemble) and ens.sizes == [48, 32]
    ma, mb = GovieModel.load(a), GovieModel.load(b)
    ids, mask = _window_batch(a, TEXTS[1])
    with torch.no_grad():
        h = ens.encode(ids, mask)
        ha, hb = ma.encode(ids, mask), mb.encode(ids, mask)
        want = (torch.softmax(ma.ner(ha), -1) + torch.softmax(mb.ner(hb), -1)) / 2
        assert torch.allclose(torch.exp(ens.ner(h)), want, atol=1e-6)
        spans = torch.tensor([[[1, 3], [4, 9], [10, 12]]])
        labels = torch.tensor([[0, 1, 2]])
        pairs = torch.tensor([[[0, 1], [1, 2], [2, 0]]])
        want = (torch.softmax(ma.relation_logits(ha, spans, labels, pairs), -1)
                + torch.softmax(mb.relation_logits(hb, spans, labels, pairs), -1)) / 2
        got = torch.softmax(ens.relation_logits(h, spans, labels, pairs), -1)
        assert torch.allclose(got, want, atol=1e-6)
    # predict decodes the mean distribution: its character distributions are the members' mean
    tok = load_tokenizer(a)
    da = ma.predict(TEXTS[1:2], tok, char_probs=True)[0][2]
    db = mb.predict(TEXTS[1:2], tok, char_probs=True)[0][2]
    de = ens.predict(TEXTS[1:2], tok, char_probs=True)[0][2]
    assert np.allclose(de, (da + db) / 2, atol=1e-5)


def test_onnx_backend_gives_the_torch_spans(members, tmp_path):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    from govie.onnx_backend import OnnxTagger
    _, (a, b) = members
    ens = make_ensemble([a, b], tmp_path / "ens")
    want = ModelTagger(ens).tag_batch(TEXTS)
    onnx = OnnxTagger(ens, cache_dir=tmp_path / "cache")
    assert _key(onnx.tag_batch(TEXTS)) == _key(want)
    assert len(list((tmp_path / "cache").glob("encoder-*.onnx"))) == 2  # one graph per member


def test_members_must_share_their_inputs(members, tmp_path):
    tok, (a, _) = members
    lex = _model(tmp_path / "lex", tok, 2, lexicon_features=True)
    with pytest.raises(ValueError, match="ensemble member 1: lexicon_features"):
        make_ensemble([a, lex], tmp_path / "ens")
    other = _model(tmp_path / "other", CharTokenizer.build(TEXTS[:1]), 3)
    with pytest.raises(ValueError, match="another character vocabulary"):
        make_ensemble([a, other], tmp_path / "ens2")
    assert not (tmp_path / "ens").exists() and not (tmp_path / "ens2").exists()  # nothing half-written
    with pytest.raises(ValueError, match="at least two"):
        make_ensemble([a], tmp_path / "ens3")
    with pytest.raises(FileNotFoundError, match="not a model directory"):
        make_ensemble([a, tmp_path / "missing"], tmp_path / "ens4")


def test_an_ensemble_is_not_a_member(members, tmp_path):
    _, (a, b) = members
    ens = make_ensemble([a, b], tmp_path / "ens")
    with pytest.raises(ValueError, match="cannot be a member"):
        make_ensemble([ens, a], tmp_path / "ens2")
    cfg = json.loads((ens / "govie_config.json").read_text(encoding="utf-8"))
    assert cfg["extra"]["ensemble"] == ["members/a", "members/b"]
    assert (ens / "members" / "a" / "model.safetensors").exists()


def test_command_line(members, tmp_path, capsys):
    from govie.cli import main
    _, (a, b) = members
    assert main(["ensemble", str(a), str(b), "--out", str(tmp_path / "ens")]) == 0
    assert "ensemble of 2 models" in capsys.readouterr().out
    assert member_dirs(tmp_path / "ens") == [tmp_path / "ens" / "members" / "a", tmp_path / "ens" / "members" / "b"]
    assert main(["ensemble", str(a), "--out", str(tmp_path / "ens2")]) == 2
    assert "at least two" in capsys.readouterr().err


def test_existing_output_is_kept_unless_overwrite(members, tmp_path, capsys):
    from govie.cli import main
    _, (a, b) = members
    out = tmp_path / "ens"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert main(["ensemble", str(a), str(b), "--out", str(out)]) == 2
    assert "exists and is not empty" in capsys.readouterr().err and (out / "notes.txt").read_text() == "mine"
    assert main(["ensemble", str(a), str(b), "--out", str(out), "--overwrite"]) == 0
    assert not (out / "notes.txt").exists() and member_dirs(out)
