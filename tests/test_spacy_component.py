"""The spaCy component: entry point, every span in doc.ents, relations / records, batched pipe."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from govie.pipeline import Pipeline, RulesTagger

ROOT = Path(__file__).resolve().parents[1]

SEGMENTERS = ["char", "jieba"]


def blank_zh(segmenter: str = "char"):
    if segmenter == "jieba":
        pytest.importorskip("jieba")
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": segmenter}}})


@pytest.fixture(scope="module", params=SEGMENTERS)
def nlp(request):
    nlp = blank_zh(request.param)
    nlp.add_pipe("govie")
    return nlp


def test_entry_point_without_importing_govie(tmp_path):
    code = (
        "import json, sys, spacy\n"
        "from importlib.metadata import entry_points\n"
        "assert 'govie' not in sys.modules, 'govie imported by import spacy'\n"
        "eps = entry_points(group='spacy_factories', name='govie')\n"
        "assert [ep.value for ep in eps] == ['govie.spacy_component:make_govie'], eps\n"
        "nlp = spacy.blank('zh')\n"  # spaCy itself loads the spacy_factories entry points here
        "nlp.add_pipe('govie')\n"
        "doc = nlp('全市地区生产总值1300亿元，增长8%。')\n"
        "print(json.dumps({'ents': [[e.text, e.label_] for e in doc.ents],\n"
        "                  'rels': [[t, h.text, d.text] for t, h, d, _ in doc._.relations],\n"
        "                  'records': len(doc._.records)}, ensure_ascii=False))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["ents"] == [["地区生产总值", "INDICATOR"], ["1300", "VALUE"], ["亿元", "UNIT"],
                           ["8", "VALUE"], ["%", "UNIT"]]
    assert ["HAS_VALUE", "地区生产总值", "1300"] in got["rels"]
    assert ["HAS_UNIT", "1300", "亿元"] in got["rels"]
    assert got["records"] == 2


@pytest.fixture(scope="module")
def seed_doc(nlp, seed_002):
    """(tokens before the component ran, the processed Doc) for the seed passage."""
    return len(nlp.make_doc(seed_002)), nlp(seed_002)


def test_every_span_in_doc_ents_on_seed(nlp, seed_doc, seed_002):
    tokens_before, doc = seed_doc
    ex = doc._.govie
    assert doc.text == seed_002 and ex.text == seed_002
    want = [(e.start, e.end, e.label) for e in ex.entities]
    got = [(s.start_char, s.end_char, s.label_) for s in doc.ents]
    dropped = len(set(want) - set(got))
    assert dropped == 0
    assert len(doc.ents) == len(ex.entities) > 500
    assert got == want
    assert len(doc.spans["govie"]) == len(ex.entities)
    if nlp.config["nlp"]["tokenizer"]["segmenter"] == "jieba":
        # jieba joins e.g. "6%" into one token: the component had to split tokens
        assert len(doc) > tokens_before


def test_relations_and_records(seed_doc):
    _, doc = seed_doc
    ex = doc._.govie
    assert len(doc._.relations) == len(ex.relations) > 100
    assert len(doc._.records) == len(ex.records) > 10
    ents = set(doc.ents)
    for (typ, head, tail, _score), link in zip(doc._.relations, ex.relations):
        assert typ == link.type
        assert (head.start_char, head.end_char, head.label_) == (link.head.start, link.head.end, link.head.label)
        assert (tail.start_char, tail.end_char, tail.label_) == (link.tail.start, link.tail.end, link.tail.label)
        assert head in ents and tail in ents
    assert {r.indicator for r in doc._.records} >= {"地区生产总值"}


def test_align_spans_splits_tokens():
    from spacy.tokens import Doc

    from govie.spacy_component import align_spans
    nlp = spacy.blank("zh")
    doc = Doc(nlp.vocab, words=["全市地区生产总值", "增长6%", "左右", "。"], spaces=[False, False, False, True])
    spans = [(2, 8, "INDICATOR"), (10, 11, "VALUE"), (11, 12, "UNIT")]
    assert [doc.char_span(s, e, alignment_mode="strict") for s, e, _ in spans] == [None] * 3
    got, n_split = align_spans(doc, spans)
    assert n_split == 2
    assert [(sp.start_char, sp.end_char, sp.label_) for sp in got] == spans
    assert [t.text for t in doc] == ["全市", "地区生产总值", "增长", "6", "%", "左右", "。"]
    assert doc.text == "全市地区生产总值增长6%左右。 "
    with pytest.raises(ValueError, match="cannot be aligned"):  # never silently dropped
        align_spans(doc, [(15, 16, "VALUE")])  # the trailing space of "。"


def test_jieba_tokens_are_split_for_spans():
    nlp = blank_zh("jieba")
    nlp.add_pipe("govie")
    text = "全市地区生产总值增长6%左右。"
    assert "6%" in [t.text for t in nlp.make_doc(text)]
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label) for e in doc._.govie.entities]
    assert [("6", "VALUE"), ("%", "UNIT")] == [(e.text, e.label_) for e in doc.ents][1:3]


@pytest.mark.parametrize("segmenter", SEGMENTERS)
def test_pipe_equals_single_calls_and_batches(segmenter, monkeypatch):
    nlp = blank_zh(segmenter)
    comp = nlp.add_pipe("govie", config={"batch_size": 2})
    texts = ["全市地区生产总值1300亿元，增长8%。",
             "一般公共预算收入增长12.2%，固定资产投资增长3%左右。",
             "沈阳市铁西区实际利用外资12.1亿美元，同比下降3.5%。",
             "",
             "城镇居民人均可支配收入提高1.8个百分点，新建5G基站5000座以上。"]

    def view(doc):
        return ([(e.start_char, e.end_char, e.label_) for e in doc.ents],
                [(t, h.start_char, d.start_char) for t, h, d, _ in doc._.relations],
                [r.to_dict() for r in doc._.records])

    calls = []

    class Counting(RulesTagger):
        def tag_batch(self, batch):
            calls.append(len(batch))
            return super().tag_batch(batch)

    monkeypatch.setattr(comp, "pipeline", Pipeline(Counting()))
    single = [view(nlp(t)) for t in texts]
    calls.clear()
    piped = [view(d) for d in nlp.pipe(texts)]
    assert piped == single
    assert calls == [2, 2, 1]  # the model batches at the component's batch_size
    calls.clear()
    assert [view(d) for d in nlp.pipe(texts, batch_size=3)] == single
    assert calls == [2, 1, 2]  # spaCy's batch_size chunks the stream: 3 docs, then 2


def test_pkuseg_segmenter_keeps_every_span():
    """The shipped pkuseg word segmenter + the govie component: no span dropped."""
    import govie
    from govie.segmenter import spacy_zh
    nlp = spacy_zh("pkuseg")
    nlp.add_pipe("govie")
    text = ("预计全年，铁西区地区生产总值1300亿元，增长8%；规上工业增加值620亿元，增长12%。"
            "华晨宝马在沈阳市铁西区建设全新动力电池项目，新增高新技术企业5261家。")
    doc = nlp(text)
    ex = govie.extract(text)
    assert len(doc.ents) == len(ex.entities) > 0
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [(e.start, e.end, e.label) for e in ex.entities]
