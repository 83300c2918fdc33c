import pytest

from govie.errors import GovieInputError
from govie.markup import merge_parts, parse_markup, to_markup
from govie.schema import Document, Relation, Span

RAW = "地区生产总值增长6%左右。"
MARKUP = "⟦地区生产总值|INDICATOR|e1⟧增长⟦6|VALUE|e2⟧⟦%|UNIT|e3⟧左右。\n---\ne1 HAS_VALUE e2\ne2 HAS_UNIT e3\n"


def test_parse_markup():
    doc = parse_markup(MARKUP, RAW)
    assert doc.text == RAW
    assert [(s.label, doc.text[s.start:s.end]) for s in doc.entities] == [
        ("INDICATOR", "地区生产总值"), ("VALUE", "6"), ("UNIT", "%")]
    assert [(r.from_id, r.type, r.to_id) for r in doc.relations] == [(1, "HAS_VALUE", 2), (2, "HAS_UNIT", 3)]
    assert to_markup(doc.text, doc.entities, doc.relations) == MARKUP


def test_text_must_equal_raw():
    with pytest.raises(GovieInputError, match="text differs from the raw part at character 7"):
        parse_markup(MARKUP.replace("增长", "增加"), RAW, path="p00.ann.txt")


def test_bad_relation_line_and_unknown_marker():
    with pytest.raises(GovieInputError, match="names e9, which has no marker"):
        parse_markup(MARKUP + "e9 HAS_UNIT e3\n", RAW)
    with pytest.raises(GovieInputError, match="bad relation line"):
        parse_markup(MARKUP + "e1 -> e2\n", RAW)


def test_merge_parts_offsets():
    text = "产值增长5%。投资增长7%。"
    p1 = parse_markup("⟦产值|INDICATOR|e1⟧增长⟦5|VALUE|e2⟧%。\n---\ne1 HAS_VALUE e2\n", "产值增长5%。")
    p2 = parse_markup("⟦投资|INDICATOR|e1⟧增长⟦7|VALUE|e2⟧%。\n---\ne1 HAS_VALUE e2\n", "投资增长7%。")
    doc = merge_parts("d", text, [(7, p2), (0, p1)], {"year": 2023})
    assert [(s.id, text[s.start:s.end]) for s in doc.entities] == [(1, "产值"), (2, "5"), (3, "投资"), (4, "7")]
    assert [(r.from_id, r.to_id) for r in doc.relations] == [(1, 2), (3, 4)]
