"""govie.augment: name-swapped copies of gold documents keep every context, span label and relation."""
import random

from govie.augment import name_pools, swap_names
from govie.schema import Document, Relation, Span
from govie.validate import validate_document

TEXT = "支持宁德时代在福建建设宁德基地，投资100亿元。"
DOC = Document("d", TEXT, {"region": "福建省"},
               [Span(1, "ENTITY", 2, 6), Span(2, "REGION", 7, 9), Span(3, "PROJECT", 11, 15),
                Span(4, "INDICATOR", 16, 18), Span(5, "VALUE", 18, 21), Span(6, "UNIT", 21, 23)],
               [Relation(1, 4, 5, "HAS_VALUE"), Relation(2, 5, 6, "HAS_UNIT"), Relation(3, 3, 2, "LOCATED_IN")])
OTHER = Document("o", "比亚迪在深圳，西部陆海新通道", {},
                 [Span(1, "ENTITY", 0, 3), Span(2, "REGION", 4, 6), Span(3, "PROJECT", 7, 14), Span(4, "REGION", 0, 1)])


def test_pools_hold_each_labels_names_of_two_characters_or_more():
    pools = name_pools([DOC, OTHER])
    assert pools == {"ENTITY": ["宁德时代", "比亚迪"], "PROJECT": ["宁德基地", "西部陆海新通道"], "REGION": ["深圳", "福建"]}


def test_every_name_is_swapped_for_another_and_the_rest_moves_with_the_text():
    out = swap_names(DOC, name_pools([DOC, OTHER]), random.Random(0))
    names = [(s.id, s.label, out.text[s.start:s.end]) for s in out.entities]
    assert names == [(1, "ENTITY", "比亚迪"), (2, "REGION", "深圳"), (3, "PROJECT", "西部陆海新通道"),
                     (4, "INDICATOR", "投资"), (5, "VALUE", "100"), (6, "UNIT", "亿元")]
    assert out.text == "支持比亚迪在深圳建设西部陆海新通道，投资100亿元。"
    assert out.id == "d-swap" and out.relations == DOC.relations and out.meta == DOC.meta
    assert validate_document(out) == []
    assert DOC.text == TEXT  # the gold document itself is left as it was


def test_a_label_with_one_name_keeps_it():
    out = swap_names(DOC, {"ENTITY": ["宁德时代"]}, random.Random(0))
    assert out.text == TEXT and [(s.start, s.end) for s in out.entities] == [(s.start, s.end) for s in DOC.entities]
