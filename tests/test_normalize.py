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
