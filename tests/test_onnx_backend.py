"""The ONNX Runtime backend gives the torch path's spans and relations."""
from pathlib import Path

import pytest

ort = pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")  # torch.onnx.export writes the graph with it

from govie.io import read_jsonl  # noqa: E402
from govie.pipeline import ModelTagger, Pipeline  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "govie" / "models" / "default"

TEXTS = [
    "全市地区生产总值1300亿元，增长8%。",
    "2023年，全省一般公共预算收入完成2000亿元，同比下降3.5%；城镇居民人均可支配收入提高1.8个百分点。",
    "预计全年固定资产投资增长6%左右，力争新开工5000座以上5G基站。",
    "",
    "no Chinese here 123",
]


def _key(results):
    return [([(s.id, s.label, s.start, s.end) for s in spans], [(r.id, r.from_id, r.to_id, r.type) for r in rels])
            for spans, rels in results]


def _texts():
    gold = ROOT / "data" / "annotations" / "gold.jsonl"
    extra = [d.text[:3000] for d in list(read_jsonl(gold))[:2]] if gold.exists() else []
    return TEXTS + extra


@pytest.fixture(scope="module")
def taggers(tmp_path_factory):
    from govie.onnx_backend import OnnxTagger
    if not (DEFAULT / "govie_config.json").exists():
        pytest.skip("no bundled default model")
    return ModelTagger(DEFAULT), OnnxTagger(DEFAULT, cache_dir=tmp_path_factory.mktemp("onnx"))


def test_same_spans_and_relations_as_torch(taggers):
    torch_tagger, onnx_tagger = taggers
    texts = _texts()
    a, b = torch_tagger.tag_batch(texts), onnx_tagger.tag_batch(texts)
    assert _key(a) == _key(b)
    assert any(spans for spans, _ in a) and any(rels for _, rels in a)
    for (sa, ra), (sb, rb) in zip(a, b):
        assert all(abs(x.score - y.score) < 1e-4 for x, y in zip(sa, sb))
        assert all(abs(x.score - y.score) < 1e-4 for x, y in zip(ra, rb))


def test_predictions_do_not_depend_on_the_batch(taggers):
    _, onnx_tagger = taggers
    texts = _texts()
    together = onnx_tagger.tag_batch(texts)
    alone = [onnx_tagger.tag_batch([t])[0] for t in texts]
    assert _key(together) == _key(alone)


def test_pipeline_and_cache(taggers, tmp_path):
    from govie.onnx_backend import OnnxTagger
    torch_tagger, onnx_tagger = taggers
    assert onnx_tagger.name.endswith("@onnx")
    ex_t = Pipeline(torch_tagger)(TEXTS[1])
    ex_o = Pipeline(onnx_tagger)(TEXTS[1])
    assert ex_o.to_dict() == ex_t.to_dict()
    assert [r.to_dict() for r in ex_o.records] == [r.to_dict() for r in ex_t.records]
    OnnxTagger(DEFAULT, cache_dir=tmp_path)
    cached = list(tmp_path.glob("encoder-*.onnx"))
    assert len(cached) == 1 and not list(tmp_path.glob("*.tmp"))
    again = OnnxTagger(DEFAULT, cache_dir=tmp_path)  # loads the cached graph
    assert _key(again.tag_batch(TEXTS[:2])) == _key(torch_tagger.tag_batch(TEXTS[:2]))


@pytest.mark.parametrize("lex,seg,layers", [(False, False, 1), (True, True, 2)])
def test_other_bilstm_sizes_and_features(tmp_path, lex, seg, layers):
    """A student of other sizes (random weights) with or without the feature inputs."""
    import torch

    from govie.model import GovieModel, ModelConfig
    from govie.onnx_backend import OnnxTagger
    from govie.tokenization import CharTokenizer
    texts = _texts()
    tok = CharTokenizer.build(texts)
    torch.manual_seed(0)
    cfg = ModelConfig(encoder="bilstm", tokenizer="char", num_layers=layers, hidden_size=48, embedding_size=24,
                      vocab_size=len(tok), max_tokens=64, rel_hidden=32, lexicon_features=lex, word_features=seg)
    model = GovieModel(cfg)
    with torch.no_grad():  # an untrained NER head with large weights emits varied spans, and so relations
        model.ner.weight.mul_(30)
    model.save(tmp_path / "m", tok)
    a = ModelTagger(tmp_path / "m").tag_batch(texts)
    b = OnnxTagger(tmp_path / "m", cache_dir=tmp_path / "cache").tag_batch(texts)
    assert _key(a) == _key(b)
    assert sum(len(s) for s, _ in a) > 10 and sum(len(r) for _, r in a) > 0


def test_rejects_other_encoders(tmp_path):
    from govie.model import GovieModel, ModelConfig
    from govie.onnx_backend import export_encoder
    model = GovieModel(ModelConfig(encoder="bert", vocab_size=50, hidden_size=16, num_layers=1, num_heads=2,
                                   intermediate_size=32))
    with pytest.raises(ValueError, match="bilstm"):
        export_encoder(model)

