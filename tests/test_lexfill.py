"""govie.lexfill: well-known names the model left out are added, bare place names become REGION."""
from govie.lexfill import (ORGANIZATION_COUNTS, WIDEN_COUNTS, fill_names, fill_score, relabel_places, repair,
                           widen_to_organizations)
from govie.schema import Relation, Span
from govie.wordsnap import snap_batch


def texts(text, spans):
    return [(s.label, text[s.start:s.end]) for s in spans]


def test_organization_and_province_gaps_are_filled():
    text = "“爱心甘肃”模式写入联合国专项报告，农业农村部举办博览会"
    out, rels = fill_names(text, [], [])
    assert texts(text, out) == [("REGION", "甘肃"), ("ENTITY", "联合国"), ("ENTITY", "农业农村部")]
    assert rels == []
    # each added span carries the smoothed gold precision of its kind of match
    assert [s.score for s in out] == [1647 / 1655, 562 / 581, 562 / 581]


def test_nothing_is_added_over_a_predicted_span_and_ids_stay_unique():
    text = "甘肃能源借助资本市场融资，联合国“自然城市”"
    spans = [Span(4, "ENTITY", 0, 4)]  # 甘肃能源
    out, _ = fill_names(text, spans, [])
    assert texts(text, out) == [("ENTITY", "甘肃能源"), ("ENTITY", "联合国")]
    assert out[0] is spans[0] and out[1].id == 5
    assert out[1].score == fill_score(ORGANIZATION_COUNTS) == 562 / 581


def test_ordinary_words_and_phrases_are_not_filled():
    # 中国 inside 中国式现代化, a county short form (长寿), a town-level word (社区),
    # a county name across word boundaries (示范县 holds 范县), a country inside 沿海地区 (海地)
    text = "推进中国式现代化，健康长寿，社区服务，创建示范县，沿海地区"
    out, _ = fill_names(text, [], [])
    assert out == []


def test_full_county_and_country_names_that_are_words_are_filled():
    text = "对口定日县灾后援建，与以色列企业合作"
    out, _ = fill_names(text, [], [])
    assert texts(text, out) == [("REGION", "定日县"), ("REGION", "以色列")]


def test_bare_place_names_called_entity_become_regions_and_disallowed_relations_go():
    text = "广东代表团审议，南水北调工程，周口、潢川机场"
    spans = [Span(1, "ENTITY", 0, 2), Span(2, "PROJECT", 8, 14), Span(3, "PROJECT", 15, 17), Span(4, "ENTITY", 18, 20)]
    rels = [Relation(1, 1, 2, "PARTICIPATES_IN"),  # ENTITY -> PROJECT: the head becomes a REGION, not allowed
            Relation(2, 2, 4, "LOCATED_IN")]       # PROJECT -> REGION: allowed after relabel
    out, out_rels = relabel_places(text, spans, rels)
    # a place name standing for its airport stays a PROJECT (GUIDELINES)
    assert texts(text, out) == [("REGION", "广东"), ("PROJECT", "南水北调工程"), ("PROJECT", "周口"), ("REGION", "潢川")]
    assert [s.id for s in out] == [1, 2, 3, 4]
    assert out_rels == [rels[1]]


def test_an_entity_that_only_starts_with_a_place_keeps_its_label():
    text = "周口机场集团建成"
    spans = [Span(1, "ENTITY", 0, 6)]
    assert relabel_places(text, spans, []) == (spans, [])
    assert repair(text, spans, []) == (spans, [])


def test_snap_batch_can_leave_the_lexicon_out():
    text = "成果写入联合国专项报告"
    assert snap_batch([text], [([], [])], lexicon=False) == [([], [])]
    [(out, _)] = snap_batch([text], [([], [])])
    assert texts(text, out) == [("ENTITY", "联合国")]


def test_the_fill_scores_are_the_gold_counts_of_train_and_dev():
    """FILL_LEVELS and ORGANIZATION_COUNTS are what training/lexfill_counts.py finds in the gold."""
    import json
    import sys
    from pathlib import Path
    from govie.io import read_jsonl
    from govie.lexfill import FILL_LEVELS
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "training"))
    from lexfill_counts import counts
    splits = json.loads((root / "data" / "splits.json").read_text(encoding="utf-8"))
    ids = set(splits["train"]) | set(splits["dev"])
    fill, relabel, widen = counts([d for d in read_jsonl(root / "data" / "annotations" / "gold.jsonl") if d.id in ids])
    assert fill["organization"] == list(ORGANIZATION_COUNTS)
    for level, (full, short, _) in FILL_LEVELS.items():
        assert fill.get(f"{level}/full", [0, 0]) == list(full)
        if short is not None:
            assert fill.get(f"{level}/short", [0, 0]) == list(short)
    assert relabel["REGION"] > 100 * relabel["ENTITY"]  # why relabel_places turns such ENTITY spans into REGION
    # why widen_to_organizations replaces a fragment of a listed name: the gold never has one
    assert (widen["a span inside it"], sum(widen.values())) == WIDEN_COUNTS
    assert widen["across a span"] == 0 and widen["exact ENTITY"] > 10 * widen["exact PROJECT"]


def test_a_fragment_of_a_listed_organization_becomes_the_whole_name():
    text = "培育更多企业进入中国商飞供应体系，招引建设银行、交通银行"
    spans = [Span(1, "REGION", 8, 10),   # 中国 of 中国商飞
             Span(2, "ENTITY", 21, 23),  # 银行 of 建设银行
             Span(3, "ENTITY", 24, 28)]  # 交通银行, already whole
    rels = [Relation(1, 1, 2, "LOCATED_IN")]
    out, out_rels = widen_to_organizations(text, spans, rels)
    assert sorted(texts(text, out)) == [("ENTITY", "中国商飞"), ("ENTITY", "交通银行"), ("ENTITY", "建设银行")]
    assert out_rels == []  # the relation of a replaced span is dropped
    new = [s for s in out if s.id not in (1, 2, 3)]
    assert sorted(s.id for s in new) == [4, 5] and all(s.score == fill_score(ORGANIZATION_COUNTS) for s in new)


def test_a_name_is_not_widened_over_a_span_that_reaches_across_it_or_already_covers_it():
    text = "中国商飞总部项目开工，中国商飞交付"
    across = [Span(1, "PROJECT", 0, 8)]        # 中国商飞总部项目 holds the name: left alone
    assert widen_to_organizations(text, across, []) == (across, [])
    crossing = [Span(1, "REGION", 0, 2), Span(2, "INDICATOR", 3, 6)]  # 飞总部 reaches across its end
    assert widen_to_organizations(text, crossing, []) == (crossing, [])
    whole = [Span(1, "PROJECT", 11, 15)]      # the whole name with another label: left alone
    assert widen_to_organizations(text, whole, []) == (whole, [])


def test_repair_widens_before_it_fills():
    text = "中国一重产业工人"
    out, _ = repair(text, [Span(1, "ENTITY", 0, 2)], [])  # 中国 of 中国一重
    assert texts(text, out) == [("ENTITY", "中国一重")]
