"""govie.wordsnap: span ends inside a word move to the word's end, nothing else changes."""
from govie.schema import Relation, Span
import json
from pathlib import Path

from govie.io import read_jsonl
from govie.wordsnap import (NAME_LABELS, NAME_TAIL_CHARS, TAIL_FUNCTION_CHARS, drop_one_char_names,
                            join_split_numbers, link_stray_units, mend_brackets, numeral_units, snap_batch,
                            snap_ends, trim_function_tails, whole_latin_words, whole_numerals)

GOLD = Path(__file__).resolve().parents[1] / "data" / "annotations" / "gold.jsonl"


class FixedSegmenter:
    """Cuts at the given word boundaries of one known text (a deterministic stand-in for pkuseg)."""

    def __init__(self, words: list[str]):
        self.words = words

    def cut(self, piece: str) -> list[str]:
        full = "".join(self.words)
        k = full.index(piece)
        out, pos = [], 0
        for w in self.words:  # the words overlapping piece, clipped to it
            a, b = max(pos, k), min(pos + len(w), k + len(piece))
            if a < b:
                out.append(full[a:b])
            pos += len(w)
        return out


TEXT = "农业综合机械化水平达到88%，武警部队支援浙江健儿。"
SEG = FixedSegmenter(["农业", "综合", "机械化", "水平", "达到", "88%", "，", "武警部队", "支援", "浙江健儿", "。"])


def test_end_inside_a_word_moves_to_the_word_end():
    spans = [Span(1, "INDICATOR", 0, 8), Span(2, "ENTITY", 15, 18)]
    out = snap_ends(TEXT, spans, seg=SEG)
    assert [TEXT[s.start:s.end] for s in out] == ["农业综合机械化水平", "武警部队"]
    assert [(s.id, s.label, s.start) for s in out] == [(1, "INDICATOR", 0), (2, "ENTITY", 15)]


def test_region_and_word_final_ends_stay():
    spans = [Span(1, "INDICATOR", 0, 9), Span(2, "REGION", 21, 23)]  # 农业综合机械化水平 | 浙江 (in 浙江健儿)
    assert snap_ends(TEXT, spans, seg=SEG) == spans


def test_no_extension_into_another_span_or_over_digits():
    spans = [Span(1, "INDICATOR", 0, 8), Span(2, "UNIT", 8, 9)]  # 水 | 平 taken by another span
    assert snap_ends(TEXT, spans, seg=SEG) == spans
    text = "改造绥沈线54.1公里"
    seg = FixedSegmenter(["改造", "绥沈线54.1", "公里"])
    assert snap_ends(text, [Span(1, "INDICATOR", 0, 5)], seg=seg) == [Span(1, "INDICATOR", 0, 5)]


def test_no_extension_over_a_predicate_character():
    text = "基本医保参保率达95%，获奖数居全国第二"
    seg = FixedSegmenter(["基本", "医保", "参保", "率达", "95%", "，", "获奖", "数居", "全国", "第二"])
    spans = [Span(1, "INDICATOR", 0, 7), Span(2, "INDICATOR", 12, 15)]  # 基本医保参保率 | 获奖数
    assert snap_ends(text, spans, seg=seg) == spans
    inside = [Span(1, "INDICATOR", 0, 3)]  # 基本医 -> 基本医保: no predicate in the tail
    assert [text[s.start:s.end] for s in snap_ends(text, inside, seg=seg)] == ["基本医保"]


def test_snap_batch_with_the_shipped_segmenter_keeps_ids_and_relations():
    rels = [Relation(1, 1, 3, "HAS_VALUE")]
    spans = [Span(1, "INDICATOR", 0, 8), Span(2, "REGION", 21, 23), Span(3, "VALUE", 11, 13)]
    [(out, out_rels)] = snap_batch([TEXT], [(spans, rels)])
    assert [(s.id, TEXT[s.start:s.end]) for s in out[:3]] == [(1, "农业综合机械化水平"), (2, "浙江"), (3, "88")]
    assert out_rels == rels
    # govie.lexfill then adds the organization the spans left out
    assert [(s.id, s.label, TEXT[s.start:s.end]) for s in out[3:]] == [(4, "ENTITY", "武警部队")]


def test_one_character_names_are_dropped_with_their_relations():
    text = "推广安吉经验，乌镇峰会，投资1亿元"
    spans = [Span(1, "REGION", 2, 3), Span(2, "REGION", 7, 9), Span(3, "ENTITY", 7, 8),
             Span(4, "INDICATOR", 12, 14), Span(5, "VALUE", 14, 15), Span(6, "UNIT", 15, 17)]
    rels = [Relation(1, 4, 5, "HAS_VALUE"), Relation(2, 5, 6, "HAS_UNIT"), Relation(3, 4, 1, "SUBJECT_OF"),
            Relation(4, 3, 2, "LOCATED_IN")]
    out, out_rels = drop_one_char_names(spans, rels)
    # the REGION 安 and the ENTITY 乌 go, with the relations that use them; a one-character VALUE stays
    assert [s.id for s in out] == [2, 4, 5, 6]
    assert [r.id for r in out_rels] == [1, 2]
    assert drop_one_char_names(out, out_rels) == (out, out_rels)


def test_function_characters_are_cut_from_an_indicator_end():
    text = "赤字率拟按3%安排，参保率均达到95%，发放救助金近和"
    spans = [Span(1, "INDICATOR", 0, 4), Span(2, "VALUE", 5, 6), Span(3, "INDICATOR", 10, 14),
             Span(4, "INDICATOR", 20, 27), Span(5, "PROJECT", 10, 14), Span(6, "INDICATOR", 26, 27)]
    out = trim_function_tails(text, spans)
    assert [(s.id, text[s.start:s.end]) for s in out] == [
        (1, "赤字率"), (2, "3"), (3, "参保率"), (4, "发放救助金"),  # two in a row go: 近 and 和
        (5, "参保率均"),  # only INDICATOR spans lose these
        (6, "和")]  # never to nothing
    assert trim_function_tails(text, out[:4]) == out[:4]


def test_a_final_deng_is_cut_from_a_name_only():
    text = "实施隋唐洛阳城等重点项目，成都和首都"
    spans = [Span(1, "PROJECT", 2, 8), Span(2, "REGION", 13, 15), Span(3, "REGION", 16, 18), Span(4, "VALUE", 7, 8)]
    out = trim_function_tails(text, spans)
    assert [(s.id, text[s.start:s.end]) for s in out] == [(1, "隋唐洛阳城"), (2, "成都"), (3, "首都"), (4, "等")]


def test_no_gold_indicator_ends_with_a_function_character():
    """The rule of trim_function_tails holds in every gold document: cutting never breaks a gold span."""
    ends = []
    with open(GOLD, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            ends += [d["text"][e["end_offset"] - 1] for e in d["entities"] if e["label"] == "INDICATOR"]
    assert len(ends) > 15000
    assert not TAIL_FUNCTION_CHARS.intersection(ends)


def test_no_gold_name_ends_with_deng():
    with open(GOLD, encoding="utf-8") as fh:
        ends = [d["text"][e["end_offset"] - 1] for d in map(json.loads, fh) for e in d["entities"]
                if e["label"] in NAME_LABELS]
    assert len(ends) > 15000
    assert not NAME_TAIL_CHARS.intersection(ends)


def test_half_pairs_of_brackets_and_quotes_are_mended():
    text = "蒙牛乳业“灯塔工厂”、晓星氨纶（三期）、中国（甘肃）自由贸易试验区，培育4个省级“领跑县”，建设农村“水盆子”684个，县级“三保”支出，新增“险资入甘"
    def at(s, label):
        k = text.index(s)
        return Span(len(s), label, k, k + len(s))
    spans = [at("蒙牛乳业“灯塔工厂", "PROJECT"), at("晓星氨纶（三期", "PROJECT"), at("甘肃）自由贸易试验区", "REGION"),
             at("省级“领跑县", "INDICATOR"), at("农村“水盆子", "INDICATOR"), at("县级“三保", "INDICATOR"),
             at("新增“险资入甘", "INDICATOR"), at("“灯塔工厂", "PROJECT")]
    out = mend_brackets(text, spans)
    assert [text[s.start:s.end] for s in out] == [
        "蒙牛乳业", "晓星氨纶", "甘肃",  # names cut before the open mark or at the unopened close
        "领跑县", "水盆子",  # the quote closes and no CJK follows: the quoted words
        "县级“三保", "新增“险资入甘",  # CJK after the close (县级“三保”支出) or no close: left alone
        "“灯塔工厂"]  # never cut to nothing
    assert [s.id for s in out] == [s.id for s in spans]


def test_mending_leaves_every_gold_span_alone():
    """Both rules of trim_function_tails and mend_brackets hold in the gold: over all 270 documents they
    change no span (the one gold span with half a pair, `国家级专精特新“小巨人企业`, opens a quote its report
    never closes, and an INDICATOR's quote is only ever replaced by the words it closes around)."""
    changed, n = [], 0
    for d in read_jsonl(GOLD):
        n += len(d.entities)
        for a, b in zip(d.entities, mend_brackets(d.text, trim_function_tails(d.text, d.entities))):
            if a != b:
                changed.append((a.label, d.text[a.start:a.end], d.text[b.start:b.end]))
    assert n > 60000 and changed == []


def test_a_whole_organization_name_is_not_lengthened():
    text = "驻琼部队和武警官兵，央视春晚"
    seg = FixedSegmenter(["驻琼", "部队", "和", "武警官兵", "，", "央视春晚"])
    spans = [Span(1, "ENTITY", 5, 7), Span(2, "ENTITY", 10, 12)]  # 武警 | 央视: names of the shipped list
    assert snap_ends(text, spans, seg=seg) == spans
    # a name outside the given list is snapped to the segmenter's word as before
    assert [text[s.start:s.end] for s in snap_ends(text, spans, seg=seg, names=frozenset({"央视"}))] == [
        "武警官兵", "央视"]


def test_a_boundary_inside_a_latin_word_moves_to_its_edge():
    text = "全年GDP增长5.2%，CPI上涨0.2%，算力达到13.EFlops，R&D投入"
    spans = [Span(1, "INDICATOR", 2, 4), Span(2, "INDICATOR", 12, 14), Span(3, "UNIT", 29, 32),
             Span(4, "INDICATOR", 38, 41), Span(5, "ENTITY", 36, 37)]
    out = whole_latin_words(text, spans)
    # `R&D`: `&` is no letter, so `R` and `D投入` have no boundary inside a run of letters
    assert [text[s.start:s.end] for s in out] == ["GDP", "CPI", "EFlops", "D投入", "R"]
    # a move that would touch another span is not made; ids and labels stay
    assert [(s.id, s.label) for s in out] == [(s.id, s.label) for s in spans]
    blocked = [Span(1, "INDICATOR", 2, 4), Span(2, "UNIT", 4, 5)]
    assert whole_latin_words("全年GDP增长", blocked) == blocked


def test_no_gold_span_has_a_boundary_inside_a_latin_word():
    """The rule of whole_latin_words holds in the gold: it changes no span of any document."""
    changed, n = [], 0
    for d in read_jsonl(GOLD):
        n += len(d.entities)
        changed += [(a, b) for a, b in zip(d.entities, whole_latin_words(d.text, d.entities)) if a != b]
    assert n > 60000 and changed == []


def test_a_numeral_cut_at_its_magnitude_is_one_value_with_the_relations_of_its_parts():
    """`二十六` + UNIT `亿` + `六千` of `二十六亿六千万美元` (a 1980s report), and `两到` + `三`, are one VALUE each; the
    magnitude UNIT goes with its relation, the relations of the parts are kept once, a lone number is left alone."""
    text = "国外资金达二十六亿六千万美元，培训两到三次，增长12%"
    at = text.index
    spans = [Span(1, "INDICATOR", 0, 4), Span(2, "VALUE", at("二十六"), at("亿")), Span(3, "UNIT", at("亿"), at("六千")),
             Span(4, "VALUE", at("六千"), at("万美元")), Span(5, "UNIT", at("万美元"), at("，")),
             Span(6, "VALUE", at("两到"), at("三次")), Span(7, "VALUE", at("三次"), at("次，")),
             Span(8, "VALUE", at("12"), at("%")), Span(9, "UNIT", at("%"), len(text))]
    rels = [Relation(1, 1, 2, "HAS_VALUE"), Relation(2, 2, 3, "HAS_UNIT"), Relation(3, 1, 4, "HAS_VALUE"),
            Relation(4, 4, 5, "HAS_UNIT"), Relation(5, 8, 9, "HAS_UNIT")]
    out, out_rels = join_split_numbers(text, spans, rels)
    assert [(s.id, s.label, text[s.start:s.end]) for s in out] == [
        (1, "INDICATOR", "国外资金"), (2, "VALUE", "二十六亿六千"), (5, "UNIT", "万美元"), (6, "VALUE", "两到三"),
        (8, "VALUE", "12"), (9, "UNIT", "%")]
    assert [(r.from_id, r.to_id, r.type) for r in out_rels] == [(1, 2, "HAS_VALUE"), (2, 5, "HAS_UNIT"),
                                                                 (8, 9, "HAS_UNIT")]
    assert join_split_numbers(text, out, out_rels) == (out, out_rels)
    # then the UNIT after it gives its first term to the numeral, which holds a larger magnitude
    out, out_rels = numeral_units(text, out, out_rels)
    assert [text[s.start:s.end] for s in out if s.id in (2, 5)] == ["二十六亿六千万", "美元"]
    text = "增加到2万5千公里"
    spans = [Span(1, "VALUE", 3, 4), Span(2, "UNIT", 4, 5), Span(3, "VALUE", 5, 6), Span(4, "UNIT", 6, 9)]
    out, out_rels = join_split_numbers(text, spans, [Relation(1, 3, 4, "HAS_UNIT")])
    assert [(s.id, text[s.start:s.end]) for s in out] == [(1, "2万5"), (4, "千公里")]
    assert [(r.from_id, r.to_id) for r in out_rels] == [(1, 4)]
    out, out_rels = numeral_units(text, out, out_rels)
    assert [(s.id, text[s.start:s.end]) for s in out] == [(1, "2万5千"), (4, "公里")]


def test_a_magnitude_after_a_numeral_without_a_larger_one_is_its_units():
    text = "财政收入一千四百三十亿元，一百一十四万人，1300万吨，两万亿，千万吨，一千九百五十万千瓦，二百二十四万吨"
    at = text.index
    spans = [Span(1, "VALUE", at("一千"), at("亿元")), Span(2, "UNIT", at("亿元"), at("，")),
             Span(3, "VALUE", at("一百一十四"), at("万人")), Span(4, "UNIT", at("万人"), at("万人") + 2),
             Span(5, "VALUE", at("1300"), at("万吨")), Span(6, "UNIT", at("万吨"), at("万吨") + 2),
             Span(7, "VALUE", at("两万"), at("亿，")), Span(8, "UNIT", at("亿，"), at("亿，") + 1),
             Span(9, "VALUE", at("千万吨"), at("吨，一")), Span(10, "UNIT", at("吨，一"), at("吨，一") + 1)]
    assert numeral_units(text, spans, []) == (spans, [])
    # the model's `一千九百五十万` + `千瓦` and `二百二十四万` + `吨`: the magnitude goes to the unit, as `1300` + `万吨`
    spans = [Span(1, "VALUE", at("一千九"), at("千瓦")), Span(2, "UNIT", at("千瓦"), at("千瓦") + 2),
             Span(3, "VALUE", at("二百二十四"), len(text) - 1), Span(4, "UNIT", len(text) - 1, len(text))]
    out, _ = numeral_units(text, spans, [])
    assert [text[s.start:s.end] for s in out] == ["一千九百五十", "万千瓦", "二百二十四", "万吨"]


def test_values_inside_chinese_numeral_years_are_dropped_and_cut_numerals_grow_whole():
    """The 1980s reports' style: `三` and `年` of `一九七三年` are no quantity; `百二十` of `一百二十个`, `百分之十九点` of
    `百分之十九点五`, `十二点八` after `百分之` and `一` + `百零` | `五` grow to the numeral, never over another span."""
    text = "一九七三年建成一百二十个，增长百分之十九点五，增长百分之十二点八，共计一百零五年，一九八○年"
    at = text.index
    spans = [Span(1, "VALUE", at("三年"), at("年建")), Span(2, "UNIT", at("年建"), at("建成")),
             Span(3, "VALUE", at("百二十"), at("个")), Span(4, "UNIT", at("个"), at("个") + 1),
             Span(5, "VALUE", at("百分之十九"), at("五，")),
             Span(6, "VALUE", at("十二点八"), at("，共")),
             Span(7, "VALUE", at("一百零"), at("百零")), Span(8, "VALUE", at("五年"), at("年，一九八○")),
             Span(9, "UNIT", at("年，一九八○"), at("，一九八○")),
             Span(10, "VALUE", at("八○"), at("○年") + 1)]
    rels = [Relation(1, 1, 2, "HAS_UNIT"), Relation(2, 3, 4, "HAS_UNIT"), Relation(3, 8, 9, "HAS_UNIT")]
    out, out_rels = whole_numerals(text, spans, rels)
    assert [(s.id, text[s.start:s.end]) for s in out] == [
        (3, "一百二十"), (4, "个"), (5, "百分之十九点五"), (6, "百分之十二点八"), (7, "一百零"), (8, "五"),
        (9, "年")]
    assert [(r.from_id, r.to_id) for r in out_rels] == [(3, 4), (8, 9)]  # the year's VALUE and UNIT `年` are gone
    out, out_rels = join_split_numbers(text, out, out_rels)  # the next repair joins the touching parts
    assert [text[s.start:s.end] for s in out if s.id == 7] == ["一百零五"]
    assert [(r.from_id, r.to_id) for r in out_rels] == [(3, 4), (7, 9)]


def test_a_unit_after_a_value_without_one_is_linked_to_it():
    text = "原油达到一亿一千四百多万吨，煤炭3亿吨"
    at = text.index
    spans = [Span(1, "VALUE", at("一亿"), at("多")), Span(2, "UNIT", at("万吨"), at("，")),
             Span(3, "VALUE", at("3"), at("亿吨")), Span(4, "UNIT", at("亿吨"), len(text))]
    out, rels = link_stray_units(text, spans, [Relation(7, 3, 4, "HAS_UNIT")])
    assert out == spans and [(r.id, r.from_id, r.to_id, r.type) for r in rels] == [(7, 3, 4, "HAS_UNIT"),
                                                                                   (8, 1, 2, "HAS_UNIT")]


def test_no_gold_values_are_joined_and_no_gold_unit_is_linked_again():
    """The gold keeps a whole numeral one VALUE, no year a VALUE, and links every UNIT: over all documents none of the
    number repairs changes it."""
    for d in read_jsonl(GOLD):
        assert join_split_numbers(d.text, d.entities, d.relations) == (d.entities, d.relations), d.id
        assert whole_numerals(d.text, d.entities, d.relations) == (d.entities, d.relations), d.id
        assert numeral_units(d.text, d.entities, d.relations) == (d.entities, d.relations), d.id
        assert link_stray_units(d.text, d.entities, d.relations)[1] == d.relations, d.id
