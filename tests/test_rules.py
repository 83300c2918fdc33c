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


def test_organization_lexicon_against_place_names():
    from govie import resources
    from govie.rules.baseline import RuleTagger
    orgs, regions = resources.organizations(), resources.regions()
    assert len(orgs) > 1000 and {"工信部", "中国移动", "联合国"} <= orgs
    assert not orgs & regions.keys()                      # build_organizations.py drops place names
    assert all(2 <= len(n) <= 16 for n in orgs)
    text = "中国移动在阿里地区建设基站，工信部和中国证监会支持，中国经济增长"
    got = [(text[s:e], lab) for s, e, lab in RuleTagger().spans(text)]
    assert ("中国移动", "ENTITY") in got and ("阿里地区", "REGION") in got    # the longer match wins
    assert ("工信部", "ENTITY") in got and ("中国证监会", "ENTITY") in got
    assert ("中国", "REGION") in got                                          # alone, still a place


def test_organization_lexicon_skips_generic_departments():
    from govie.rules.baseline import RuleTagger
    text = "各级农业部门和国家安全部门配合，农业部发布通知"
    got = [(text[s:e], lab) for s, e, lab in RuleTagger().spans(text)]
    assert ("农业部", "ENTITY") in got and len([g for g in got if g[1] == "ENTITY"]) == 1
