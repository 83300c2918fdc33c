"""govie.lexfill: well-known names the model left out are added, bare place names become REGION."""
from govie.lexfill import fill_names, relabel_places, repair
from govie.schema import Relation, Span
from govie.wordsnap import snap_batch


def texts(text, spans):
    return [(s.label, text[s.start:s.end]) for s in spans]


def test_organization_and_province_gaps_are_filled():
    text = "“爱心甘肃”模式写入联合国专项报告，农业农村部举办博览会"
    out, rels = fill_names(text, [], [])
    assert texts(text, out) == [("REGION", "甘肃"), ("ENTITY", "联合国"), ("ENTITY", "农业农村部")]
    assert rels == []


def test_nothing_is_added_over_a_predicted_span_and_ids_stay_unique():
    text = "甘肃能源借助资本市场融资，联合国“自然城市”"
    spans = [Span(4, "ENTITY", 0, 4)]  # 甘肃能源
    out, _ = fill_names(text, spans, [])
    assert texts(text, out) == [("ENTITY", "甘肃能源"), ("ENTITY", "联合国")]
    assert out[0] is spans[0] and out[1].id == 5 and out[1].score is None


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


def test_bare_place_names_become_regions_and_disallowed_relations_go():
    text = "加快周口、潢川机场前期工作，南水北调工程"
    spans = [Span(1, "PROJECT", 2, 4), Span(2, "ENTITY", 5, 7), Span(3, "PROJECT", 14, 20)]
    rels = [Relation(1, 2, 3, "PARTICIPATES_IN"),  # ENTITY -> PROJECT: the head becomes a REGION, not allowed
            Relation(2, 3, 1, "LOCATED_IN")]       # PROJECT -> REGION: allowed after relabel
    out, out_rels = relabel_places(text, spans, rels)
    assert texts(text, out) == [("REGION", "周口"), ("REGION", "潢川"), ("PROJECT", "南水北调工程")]
    assert [s.id for s in out] == [1, 2, 3]
    assert out_rels == [rels[1]]


def test_a_project_that_only_starts_with_a_place_keeps_its_label():
    text = "周口机场建成"
    spans = [Span(1, "PROJECT", 0, 4)]
    assert relabel_places(text, spans, []) == (spans, [])
    assert repair(text, spans, []) == (spans, [])


def test_snap_batch_can_leave_the_lexicon_out():
    text = "成果写入联合国专项报告"
    assert snap_batch([text], [([], [])], lexicon=False) == [([], [])]
    [(out, _)] = snap_batch([text], [([], [])])
    assert texts(text, out) == [("ENTITY", "联合国")]
