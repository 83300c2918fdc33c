"""The pure mapping and offset functions of benchmarks/peers.py, on hand-made
tool outputs: no peer package (jieba posseg, LAC, Recognizers-Text, JioNLP) is
needed or imported."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import peers  # noqa: E402


def _read(text, spans):
    return [(text[s:e], lab) for s, e, lab in spans]


def test_importing_peers_imports_no_peer_package():
    # jieba is left out: govie's own spaCy tests may import it in the same session
    for mod in ("LAC", "paddle", "recognizers_text", "recognizers_number", "jionlp"):
        assert mod not in sys.modules, mod


def test_token_offsets_walk_the_text_and_skip_dropped_whitespace():
    text = "沈阳市 铁西区\n新增5261家"
    # a tokenizer that dropped the space and the newline
    assert peers.token_offsets(text, ["沈阳市", "铁西区", "新增", "5261", "家"]) == \
        [(0, 3), (4, 7), (8, 10), (10, 14), (14, 15)]
    with pytest.raises(ValueError):
        peers.token_offsets(text, ["沈阳市", "大连市"])


def test_jieba_like_pairs_to_exact_spans():
    text = "沈阳市铁西区和东北大学签约，地区生产总值增长6%左右，达到1300亿元。"
    # what jieba.posseg gives for it (single digit tagged x, as jieba does)
    pairs = [("沈阳市", "ns"), ("铁西区", "ns"), ("和", "c"), ("东北大学", "nt"), ("签约", "v"), ("，", "x"),
             ("地区", "n"), ("生产总值", "n"), ("增长", "v"), ("6", "x"), ("%", "x"), ("左右", "m"), ("，", "x"),
             ("达到", "v"), ("1300", "m"), ("亿元", "m"), ("。", "x")]
    mentions = peers.tagged_tokens_to_mentions(text, pairs)
    assert mentions[3] == (7, 11, "nt") and text[7:11] == "东北大学"
    spans = peers.mentions_to_spans("jieba", text, mentions)
    assert spans == [(0, 3, "REGION"), (3, 6, "REGION"), (7, 11, "ENTITY"),
                     (22, 23, "VALUE"), (23, 24, "UNIT"), (29, 33, "VALUE"), (33, 35, "UNIT")]
    assert _read(text, spans)[3:] == [("6", "VALUE"), ("%", "UNIT"), ("1300", "VALUE"), ("亿元", "UNIT")]


def test_measure_word_glued_to_number_is_unit_but_alone_is_nothing():
    text = "新增企业5261家，每个项目"
    mentions = [(4, 8, "m"), (8, 9, "q"), (11, 12, "q")]  # 5261/m 家/q ... 个/q (no number before it)
    assert _read(text, peers.mentions_to_spans("lac", text, mentions)) == [("5261", "VALUE"), ("家", "UNIT")]


def test_recognizers_like_result_inclusive_end():
    text = "增长6%"
    # Recognizers-Text ModelResult for "6%": start 2, end 3 (inclusive), text "6%"
    s, e = peers.inclusive_end_to_exclusive(text, 2, 3, "6%")
    assert (s, e) == (2, 4)
    spans = peers.mentions_to_spans("recognizers", text, [(s, e, "percentage")])
    assert spans == [(2, 3, "VALUE"), (3, 4, "UNIT")]
    with pytest.raises(ValueError):  # an exclusive end read as inclusive takes one character too many
        peers.inclusive_end_to_exclusive("增长6%左右", 2, 4, "6%")
    # the tool reports full-width characters in their NFKC form; the offsets are the text's
    assert peers.inclusive_end_to_exclusive("（3．10）", 1, 4, "3.10") == (1, 5)
    with pytest.raises(ValueError):
        peers.inclusive_end_to_exclusive("（3．10）", 1, 4, "3.11")


def test_recognizers_overlapping_number_and_currency_become_one_quantity():
    text = "达到1300亿元，两万亿元"
    mentions = [(2, 7, "number"), (2, 8, "currency"),          # "1300亿" and "1300亿元"
                (9, 12, "number"), (9, 13, "currency")]         # "两万亿" and "两万亿元"
    assert _read(text, peers.mentions_to_spans("recognizers", text, mentions)) == \
        [("1300", "VALUE"), ("亿元", "UNIT"), ("两万", "VALUE"), ("亿元", "UNIT")]


def test_dates_and_ordinals_drop_the_numbers_inside_them():
    text = "2023年1月12日，连续3年，居第九位"
    mentions = [(0, 4, "number"), (5, 6, "number"), (7, 9, "number"), (0, 10, "datetimeV2.date"),
                (13, 14, "number"), (13, 15, "datetimeV2.duration"), (18, 19, "number"), (17, 19, "ordinal")]
    assert _read(text, peers.mentions_to_spans("recognizers", text, mentions)) == [("3", "VALUE"), ("年", "UNIT")]


@pytest.mark.parametrize("chunk, expected", [
    ("6%", [("6", "VALUE"), ("%", "UNIT")]),
    ("1300亿元", [("1300", "VALUE"), ("亿元", "UNIT")]),
    ("5.5万亿元", [("5.5", "VALUE"), ("万亿元", "UNIT")]),
    ("两万亿", [("两万", "VALUE"), ("亿", "UNIT")]),
    ("千亿", [("千", "VALUE"), ("亿", "UNIT")]),
    ("1.8个百分点", [("1.8", "VALUE"), ("个百分点", "UNIT")]),
    ("超5000座", [("5000", "VALUE"), ("座", "UNIT")]),
    ("6%左右", [("6", "VALUE"), ("%", "UNIT")]),
    ("2000余人次", [("2000", "VALUE"), ("人次", "UNIT")]),
    ("3万余项", [("3", "VALUE"), ("万", "UNIT")]),
    ("5-7%", [("5-7", "VALUE"), ("%", "UNIT")]),
    ("5%6.8%3.9%", [("5", "VALUE"), ("%", "UNIT"), ("6.8", "VALUE"), ("%", "UNIT"), ("3.9", "VALUE"),
                    ("%", "UNIT")]),
    ("三分之一", [("三分之一", "VALUE")]),
    ("十九", [("十九", "VALUE")]),
    ("81.5", [("81.5", "VALUE")]),
    ("近百家", [("百", "VALUE"), ("家", "UNIT")]),
    ("第十七届", []),            # ordinals (LAC and jieba tag "第十七届", "第4位" as m)
    ("第4位", []),
])
def test_split_quantities_follows_schema(chunk, expected):
    text = "，" + chunk + "。"
    spans = peers.split_quantities(text, 1, 1 + len(chunk))
    assert _read(text, spans) == expected
    assert all(1 <= s < e <= 1 + len(chunk) for s, e, _ in spans)


def test_edges_trimmed_single_char_region_dropped_overlaps_flattened():
    text = "“沈阳”和在沈投资的中国人民银行"
    mentions = [(0, 4, "LOC"),      # "“沈阳”": quotes trimmed -> 沈阳
                (6, 7, "LOC"),      # "沈": a one-character place abbreviation -> nothing
                (10, 16, "ORG"),    # 中国人民银行
                (10, 12, "LOC")]    # 中国 inside it: the longer span wins
    assert _read(text, peers.mentions_to_spans("lac", text, mentions)) == [("沈阳", "REGION"),
                                                                            ("中国人民银行", "ENTITY")]


def test_one_mapping_table_and_labels_per_tool():
    assert set(peers.TOOL_CATEGORIES) == {"recognizers", "jionlp", "jieba", "lac"}
    for tool, cats in peers.TOOL_CATEGORIES.items():
        assert set(cats.values()) <= set(peers.CLASS_LABELS), tool
    assert peers.tool_labels("recognizers") == ("VALUE", "UNIT")
    assert peers.tool_labels("jionlp") == ("VALUE", "UNIT", "REGION")
    assert peers.tool_labels("jieba") == ("VALUE", "UNIT", "ENTITY", "REGION")
    assert peers.tool_labels("lac") == ("VALUE", "UNIT", "ENTITY", "REGION")
    # surface rules, the same for every tool
    assert peers.classify("jieba", "x", "6") == "NUM"
    assert peers.classify("lac", "w", "%") == "MEASURE"
    assert peers.classify("jieba", "nr", "张三") is None


def test_scoring_uses_govie_scorer_and_own_labels():
    from govie.schema import Document, Span
    gold = [Document("d", "沈阳市地区生产总值增长6%", {}, [Span(1, "REGION", 0, 3), Span(2, "INDICATOR", 3, 9),
                                                     Span(3, "VALUE", 11, 12), Span(4, "UNIT", 12, 13)])]
    pred = [peers.to_document(gold[0], [(0, 3, "REGION"), (11, 12, "VALUE"), (12, 13, "UNIT")])]
    row = peers.score_row(gold, pred, ("VALUE", "UNIT", "REGION"))
    assert row["own_labels_micro_f1"] == pytest.approx(1.0)
    assert row["entity_micro_f1"] == pytest.approx(2 * 1.0 * 0.75 / 1.75)
    assert row["per_label_f1"]["INDICATOR"] == 0.0 and row["per_label_f1"]["VALUE"] == pytest.approx(1.0)
