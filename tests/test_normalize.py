"""The normalizer against a table of real phrases with hand-written expected results."""
from decimal import Decimal
from pathlib import Path

import pytest

from govie.normalize import NumberError, normalize, parse_number, parse_unit

CASES = [ln.rstrip("\n").split("\t") for ln in
         (Path(__file__).parent / "data" / "normalize_cases.tsv").read_text(encoding="utf-8").splitlines()
         if ln.strip() and not ln.startswith("#")]


def test_table_is_large_enough():
    assert len(CASES) >= 150


@pytest.mark.parametrize("phrase,value,unit,expected,canonical,kind,qualifier,source", CASES,
                         ids=[c[0] for c in CASES])
def test_phrase(phrase, value, unit, expected, canonical, kind, qualifier, source):
    unit = None if unit == "-" else unit
    i = phrase.find(value + (unit or ""))
    if i < 0:  # a qualifier between number and unit: 600余场
        i = phrase.find(value)
    assert i >= 0, "value not in phrase"
    n = normalize(value, unit, context=phrase, v_start=i)
    if ".." in expected:
        lo, hi = expected.split("..")
        assert (n.value, n.low, n.high) == (None, Decimal(lo), Decimal(hi))
    else:
        assert n.value == Decimal(expected)
    assert n.unit == canonical
    assert n.kind == kind
    assert n.qualifier == (None if qualifier == "-" else qualifier)


@pytest.mark.parametrize("text,expected", [
    ("16.4亿", Decimal("1640000000")), ("两万", 20000), ("百", 100), ("十九", 19), ("一千零五十", 1050),
    ("1.1万亿", Decimal("1100000000000")), ("13万2", 132000), ("1,300", 1300), ("12,345.5", Decimal("12345.5")),
    ("１２．５", Decimal("12.5")), ("二〇二三", 2023), ("三点五", Decimal("3.5")), ("两千五百万", 25000000),
    ("一亿二千万", 120000000), ("二萬一千七百", 21700),
])
def test_numbers(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text,expected", [("5-7", (5, 7)), ("5至7", (5, 7)), ("1—2", (1, 2)), ("5～7", (5, 7))])
def test_ranges(text, expected):
    assert parse_number(text) == tuple(Decimal(x) for x in expected)


def test_exact_arithmetic():
    assert normalize("16.4", "亿元").value == Decimal("1640000000")
    assert str(normalize("0.1", "亿元").value.normalize()) == "1E+7"


@pytest.mark.parametrize("unit,canonical,mult,classifier", [
    ("亿元", "CNY", 10 ** 8, None), ("万元", "CNY", 10 ** 4, None), ("亿美元", "USD", 10 ** 8, None),
    ("万人", "person", 10 ** 4, None), ("人次", "person_time", 1, None), ("万亩", "mu", 10 ** 4, None),
    ("公顷", "ha", 1, None), ("平方米", "m2", 1, None), ("公里", "km", 1, None), ("万吨", "t", 10 ** 4, None),
    ("亿斤", "jin", 10 ** 8, None), ("万千瓦", "kW", 10 ** 4, None), ("个", "count", 1, "个"),
    ("家", "count", 1, "家"), ("户", "count", 1, "户"), ("项", "count", 1, "项"), ("座", "count", 1, "座"),
    ("%", "percent", 1, None), ("个百分点", "percentage_point", 1, None), ("倍", "times", 1, None),
    ("亿", "number", 10 ** 8, None), ("光年", None, 1, None),
])
def test_units(unit, canonical, mult, classifier):
    u = parse_unit(unit)
    assert (u.canonical, u.multiplier, u.classifier) == (canonical, Decimal(mult), classifier)


def test_bad_number():
    with pytest.raises(NumberError, match="cannot read 'abc' as a number"):
        parse_number("abc")


def test_a_number_written_with_a_space_after_every_digit():
    assert parse_number("7 4 7 7 2") == Decimal("74772")
    assert parse_number("1 5 ．3") == Decimal("15.3") and parse_number("1 5 .3") == Decimal("15.3")
    assert parse_number("5 - 7") == (Decimal("5"), Decimal("7"))


def test_arabic_numerals_writes_the_numerals_of_an_old_report_as_later_reports_do():
    from govie.normalize import arabic_numerals
    text = "国民生产总值增长百分之十二点八，粮食产量三亿七千九百一十一万吨，财政收入一千四百三十亿元，职工一百一十四万人。"
    view, ranges = arabic_numerals(text)
    assert view == "国民生产总值增长12.8%，粮食产量37911万吨，财政收入1430亿元，职工114万人。"
    assert len(ranges) == len(view)
    a = view.index("12.8%")
    assert {ranges[k] for k in range(a, a + 5)} == {(text.index("百分之"), text.index("，"))}  # digits and % alike
    b = view.index("37911万")
    assert text[ranges[b][0]:ranges[b + 4][1]] == "三亿七千九百一十一" and text[slice(*ranges[b + 5])] == "万"
    c = view.index("亿元")  # unchanged characters map one for one
    assert text[slice(*ranges[c])] == "亿" and ranges[c][1] - ranges[c][0] == 1


def test_arabic_numerals_leaves_set_phrases_ordinals_and_texts_written_in_digits():
    from govie.normalize import arabic_numerals
    # ordinals, plan names, quoted names, digit strings, single digits, a numeral with no unit after it
    for text in ("第十五个五年规划纲要，十四五，出台“二十条”，一九八五，三年行动，党的二十大，亿万人民，千亿级、五百亿级产业集群",):
        assert arabic_numerals(text) is None, text
    # a text writing its quantities in Arabic digits: its numerals are set phrases; a `百分之…` is still read
    modern = ("地区生产总值增长5.5%，新增3个过三千亿元城市，重点抓好以下十二个方面，投资增长6%，粮食产量1200万吨，增长百分之五，"
              "消费增长4.2%，出口增长7.1%，新增就业65万人，居民收入增长5%，实施项目120个，完成投资800亿元。")
    view, _ = arabic_numerals(modern)
    assert view == modern.replace("百分之五", "5%")


def test_a_numeral_of_a_model_view_comes_back_as_the_gold_writes_it():
    from govie.pipeline import map_back, model_view
    from govie.schema import Relation, Span
    text = "一九八五年工业总产值增长百分之十二点八，钢产量三亿七千九百一十一万吨，职工一百一十四万人。"
    view, ranges = model_view(text)
    assert view == "1985年工业总产值增长12.8%，钢产量37911万吨，职工114万人。"

    def at(label, surface, k):
        a = view.index(surface)
        return Span(k, label, a, a + len(surface))
    spans = [at("INDICATOR", "工业总产值", 1), at("VALUE", "12.8", 2), at("UNIT", "%", 3), at("INDICATOR", "钢产量", 4),
             at("VALUE", "37911", 5), at("UNIT", "万吨", 6)]
    rels = [Relation(1, 1, 2, "HAS_VALUE"), Relation(2, 2, 3, "HAS_UNIT"), Relation(3, 4, 5, "HAS_VALUE"),
            Relation(4, 5, 6, "HAS_UNIT")]
    out, out_rels = map_back(text, spans, rels, ranges)
    assert [(s.label, text[s.start:s.end]) for s in out] == [
        ("INDICATOR", "工业总产值"), ("VALUE", "百分之十二点八"), ("INDICATOR", "钢产量"),
        ("VALUE", "三亿七千九百一十一万"), ("UNIT", "吨")]  # the `%` inside the percent dropped; the magnitude moved
    assert [(r.from_id, r.to_id, r.type) for r in out_rels] == [(1, 2, "HAS_VALUE"), (4, 5, "HAS_VALUE"),
                                                                (5, 6, "HAS_UNIT")]
