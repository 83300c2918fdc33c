import json

import pytest

from govie.cli import main
from govie.rules.numbers import find_quantities
from govie.validate import validate_file


def _q(text):
    return [(text[q.start:q.end], text[q.unit_start:q.unit_end] if q.unit else None) for q in find_quantities(text)]


@pytest.mark.parametrize("text,expected", [
    ("地区生产总值1300亿元，增长8%", [("1300", "亿元"), ("8", "%")]),
    ("两万亿", [("两万", "亿")]),
    ("提高8.4个百分点", [("8.4", "个百分点")]),
    ("超5000座", [("5000", "座")]),
    ("2000余人次", [("2000", "人次")]),
    ("6%左右", [("6", "%")]),
    ("增长2.3倍", [("2.3", "倍")]),
    ("分别增长5%6.8%3.9%10%", [("5", "%"), ("6.8", "%"), ("3.9", "%"), ("10", "%")]),
    ("预期增长5-7%", [("5-7", "%")]),
    ("连续3年", [("3", "年")]),
    ("5.5万亿元以上", [("5.5", "万亿元")]),
    ("１２．５％", [("１２．５", "％")]),
])
def test_quantities(text, expected):
    assert _q(text) == expected


@pytest.mark.parametrize("text", [
    "2023年", "1月12日", "7月底", "第九", "地铁4号线", "5G基站", "“20条”", "P2006T", "2021-2025年", "“3+1”",
    "市十七届人大三次会议",
])
def test_not_quantities(text):
    assert _q(text) == []


def test_preannotate_seed_validates(tmp_path, seeds, capsys):
    out = tmp_path / "pre.jsonl"
    assert main(["preannotate", str(seeds / "002_9f3f8843737d5614.txt"), "-o", str(out)]) == 0
    assert validate_file(out) == []
    doc = json.loads(out.read_text(encoding="utf-8"))
    labels = {e["label"] for e in doc["entities"]}
    assert {"INDICATOR", "VALUE", "UNIT", "REGION"} <= labels
    assert main(["validate", str(out)]) == 0
