"""The pkuseg model shipped in govie/resources/pkuseg (training/segmenter/)."""
from pathlib import Path

import pytest

from govie import segmenter

ROOT = Path(__file__).resolve().parents[1]
GSD_TEST = ROOT.parent / "shared" / "corpus" / "ud-chinese" / "UD_Chinese-GSDSimp" / "test.seg.txt"
SENTENCE = "2024年全市地区生产总值增长5.2%，一般公共预算收入完成830亿元，新建5G基站1.2万个。"


@pytest.fixture(scope="module")
def seg():
    import spacy_pkuseg

    def no_download(*args, **kwargs):
        raise AssertionError("the shipped model must not be downloaded")

    mp = pytest.MonkeyPatch()
    mp.setattr(spacy_pkuseg, "download_model", no_download)
    try:
        yield segmenter.load_pkuseg()
    finally:
        mp.undo()


def test_model_ships_inside_the_package():
    import govie

    d = segmenter.model_dir()
    assert d.is_relative_to(Path(govie.__file__).resolve().parent)
    assert sorted(p.name for p in d.iterdir() if p.suffix in (".msgpack", ".npz")) == ["features.msgpack",
                                                                                       "weights.npz"]
    assert sum(p.stat().st_size for p in d.iterdir() if p.is_file()) < 8_000_000


def test_segments_a_report_sentence(seg):
    words = seg.cut(SENTENCE)
    assert "".join(words) == SENTENCE
    assert 8 < len(words) < len(SENTENCE)
    for w in ("增长", "亿元", "完成"):
        assert w in words, words


def test_spacy_blank_zh_with_pkuseg(seg):
    nlp = segmenter.spacy_zh("pkuseg")
    assert nlp.tokenizer.segmenter == "pkuseg"
    doc = nlp(SENTENCE)
    assert doc.text == SENTENCE
    assert [t.text for t in doc] == seg.cut(SENTENCE)
    # serializes with the pipeline: a round trip keeps the segmentation
    import spacy

    nlp2 = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp2.tokenizer.from_bytes(nlp.tokenizer.to_bytes())
    assert [t.text for t in nlp2(SENTENCE)] == [t.text for t in doc]


@pytest.mark.skipif(not GSD_TEST.exists(), reason="../shared (UD_Chinese-GSDSimp) is not beside the checkout")
def test_beats_jieba_default_on_gsdsimp_test(seg):
    jieba = pytest.importorskip("jieba")
    gold = [line.split() for line in GSD_TEST.read_text(encoding="utf-8").splitlines() if line.strip()]
    tok = jieba.Tokenizer()
    ours = word_f1(seg.cut, gold)
    base = word_f1(lambda t: list(tok.cut(t)), gold)
    assert ours > base + 0.01, (ours, base)


def _spans(words):
    out, i = set(), 0
    for w in words:
        out.add((i, i + len(w)))
        i += len(w)
    return out


def word_f1(cut, gold):
    """Word F1 over character spans (as training/segmenter/evaluate.py)."""
    ok = n_pred = n_gold = 0
    for words in gold:
        g, p = _spans(words), _spans(w for w in cut("".join(words)) if w.strip())
        ok, n_pred, n_gold = ok + len(g & p), n_pred + len(p), n_gold + len(g)
    prec, rec = ok / n_pred, ok / n_gold
    return 2 * prec * rec / (prec + rec)
