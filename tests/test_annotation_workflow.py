"""The gold annotation workflow (training/annotation/annotate.py): parts back into documents."""
import argparse
import json

from govie.io import read_jsonl
from govie.markup import to_markup


def test_merge_writes_only_the_documents_of_its_work_folder(seeds, tmp_path):
    """A work folder holding the parts of one document merges into that one document,
    with exact offsets; the other documents of the workflow are not written as empty ones."""
    from training.annotation.annotate import cmd_merge, documents, part_bounds
    doc = next(d for d in documents() if d.id == "shenyang-5g-center")
    manifest = []
    (tmp_path / doc.id).mkdir()
    for k, (a, b) in enumerate(part_bounds(doc.text, size=600)):
        raw = doc.text[a:b]
        (tmp_path / doc.id / f"p{k:02d}.raw.txt").write_text(raw, encoding="utf-8")
        (tmp_path / doc.id / f"p{k:02d}.fin.txt").write_text(to_markup(raw, [], []), encoding="utf-8")
        manifest.append({"doc": doc.id, "part": k, "start": a, "end": b, "chars": b - a})
    assert len(manifest) >= 2
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    out = tmp_path / "merged.jsonl"
    cmd_merge(argparse.Namespace(work=str(tmp_path), stage="fin", output=str(out)))
    merged = read_jsonl(out)
    assert [d.id for d in merged] == [doc.id]
    assert merged[0].text == doc.text and merged[0].entities == []


def test_consistency_lists_words_kept_in_one_indicator_and_left_before_another():
    """consistency.py's third report: `改造` opens two INDICATOR spans and stands bare before two
    others; `新建` is always kept, so it is not listed; a word inside another span is not "bare"."""
    from govie.schema import Document, Span
    from training.annotation.consistency import leading_words
    text = "改造燃气管网10公里，改造供水管网5公里；改造高标准农田3万亩，改造老旧小区9个。新建公园4座，新建绿道7条。"

    def ind(i, surface, skip=0):
        k = text.index(surface, skip)
        return Span(i, "INDICATOR", k, k + len(surface))
    spans = [ind(1, "改造燃气管网"), ind(2, "改造供水管网"), ind(3, "高标准农田"), ind(4, "老旧小区"),
             ind(5, "新建公园"), ind(6, "新建绿道")]
    rows = leading_words([Document("d", text, {}, spans, [])], min_count=2)
    assert [(w, len(a), len(b)) for w, a, b in rows] == [("改造", 2, 2)]
    assert rows[0][2] == [f"d:{text.index('改造高标准')}", f"d:{text.index('改造老旧')}"]
    covered = spans + [Span(7, "PROJECT", text.index("改造老旧"), text.index("改造老旧") + 2)]
    assert leading_words([Document("d", text, {}, covered, [])], min_count=2) == []


def test_a_plan_section_starts_at_its_heading_after_the_review_of_the_same_report(seeds):
    """Work-plan documents (batch G on) follow the review section of their report without
    overlapping it, start at a line start, and are cut at a line end ~PROV_LEN characters on."""
    from training.annotation.annotate import (PLAN_DOCS, PROV_LEN, documents, plan_heading_start, report_path,
                                              review_range)
    docs = {d.id: d for d in documents()}
    for doc_id, src, _ in PLAN_DOCS:
        plan = docs[doc_id]
        path = report_path(src)
        full = path.read_text(encoding="utf-8")
        start, end = plan.meta["char_range"]
        assert full[start:end] == plan.text and plan.meta["section"] == "plan"
        assert plan.meta["year"] == int(path.name[:4])  # the plan is for the report's own year
        assert start >= review_range(full)[1] and start >= plan_heading_start(doc_id, full)
        assert full[start - 1] == "\n" and (end == len(full) or full[end] == "\n")
        assert PROV_LEN <= len(plan.text) < PROV_LEN + 2000 or end == len(full)  # or the file ends first
        review = docs.get(doc_id.replace("-plan", "-review"))
        if review:  # the same report's review document ends before the plan begins
            assert review.meta["char_range"][1] < start


def test_a_plan_continuation_follows_its_plan_and_stops_before_the_next_part_of_the_report(seeds):
    """``-plan-b`` documents (batches Q, R and S) start on the line after their ``-plan`` document,
    hold ~PROV_LEN characters and never run into the report's next top-level heading (四、…)."""
    import re

    from training.annotation.annotate import PLAN_B_DOCS, PROV_LEN, documents, report_path
    docs = {d.id: d for d in documents()}
    assert PLAN_B_DOCS
    for doc_id, src, _ in PLAN_B_DOCS:
        cont, plan = docs[doc_id], docs[doc_id.removesuffix("-b")]
        full = report_path(src).read_text(encoding="utf-8")
        start, end = cont.meta["char_range"]
        assert full[start:end] == cont.text and cont.meta["section"] == "plan"
        assert start == plan.meta["char_range"][1] + 1 and full[start - 1] == "\n"
        assert not re.search(r"^[一二三四五六七八九十]、", cont.text, re.M)
        assert len(cont.text) <= PROV_LEN + 2000 and (len(cont.text) >= PROV_LEN // 2)


def test_a_second_plan_continuation_follows_the_first_and_stops_before_the_next_part_of_the_report(seeds):
    """``-plan-c`` documents (batch W) start on the line after their ``-plan-b`` document, hold at most
    ~PROV_LEN characters, never run into the report's next top-level heading, and are only defined where
    at least 2,800 characters were left."""
    import re

    from training.annotation.annotate import PLAN_C_DOCS, PROV_LEN, documents, report_path
    docs = {d.id: d for d in documents()}
    assert len(PLAN_C_DOCS) == 6
    for doc_id, src, _ in PLAN_C_DOCS:
        cont, first = docs[doc_id], docs[doc_id.removesuffix("-c") + "-b"]
        full = report_path(src).read_text(encoding="utf-8")
        start, end = cont.meta["char_range"]
        assert full[start:end] == cont.text and cont.meta == {**first.meta, "char_range": [start, end]}
        assert start == first.meta["char_range"][1] + 1 and full[start - 1] == "\n"
        assert not re.search(r"^[一二三四五六七八九十]、", cont.text, re.M)
        assert 2_800 <= len(cont.text) <= PROV_LEN + 2000


def test_a_review_continuation_follows_its_review_and_stops_before_the_next_part_and_the_plan(seeds):
    """``-review-b`` documents (batch T) start on the line after their ``-review`` document, hold at
    most ~PROV_LEN characters, never run into the report's next top-level heading and end before the
    same report's plan document begins."""
    import re

    from training.annotation.annotate import PROV_LEN, REVIEW_B_DOCS, documents, report_path
    docs = {d.id: d for d in documents()}
    assert REVIEW_B_DOCS
    for doc_id, src, _ in REVIEW_B_DOCS:
        cont, review = docs[doc_id], docs[doc_id.removesuffix("-b")]
        path = report_path(src)
        full = path.read_text(encoding="utf-8")
        start, end = cont.meta["char_range"]
        assert full[start:end] == cont.text and "section" not in cont.meta
        assert cont.meta["year"] == review.meta["year"] == int(path.name[:4]) - 1
        assert start == review.meta["char_range"][1] + 1 and full[start - 1] == "\n"
        assert end == len(full) or full[end] == "\n"
        assert cont.text and len(cont.text) <= PROV_LEN + 2000
        assert not re.search(r"^[一二三四五六七八九十]、", cont.text, re.M)
        plan = docs.get(doc_id.replace("-review-b", "-plan"))
        assert plan is None or end < plan.meta["char_range"][0]


def test_a_five_year_plan_section_lies_between_the_annotated_review_and_the_plan(seeds):
    """``-fyp`` documents (batch U) hold the report's `二、“十五五”…` section: from its heading (or, where the
    annotated review already runs into it, from the line after the review) to the line before the plan's
    heading; no other document of the same report overlaps it."""
    from training.annotation.annotate import FIVE_YEAR_DOCS, documents, report_path
    docs = documents()
    by_id = {d.id: d for d in docs}
    assert len(FIVE_YEAR_DOCS) == 15
    for doc_id, src, _ in FIVE_YEAR_DOCS:
        fyp = by_id[doc_id]
        full = report_path(src).read_text(encoding="utf-8")
        start, end = fyp.meta["char_range"]
        assert full[start:end] == fyp.text and fyp.meta["section"] == "five_year_plan" and fyp.meta["year"] == 2026
        plan = by_id[doc_id.replace("-fyp", "-plan")]
        assert end == plan.meta["char_range"][0] - 1 and full[end] == "\n"
        assert fyp.text.startswith("二、") or start == by_id[doc_id.replace("-fyp", "-review")].meta["char_range"][1] + 1
        assert "十五五" in full[max(0, full.rfind("\n二、", 0, start + 1)):start + 40]
        others = [d for d in docs if d.id != doc_id and d.meta.get("source") == fyp.meta["source"]]
        assert all(d.meta["char_range"][1] <= start or end <= d.meta["char_range"][0] for d in others)


def test_a_livelihood_annex_holds_the_lines_after_its_heading_up_to_the_next_annex(seeds):
    """``-annex`` documents (batch AK) hold a report's `…民生实事` annex: from the first line after its heading that no
    other document of the report holds, to the line before the next `附件` (or the web page's trailer)."""
    import re

    from training.annotation.annotate import ANNEX_DOCS, documents, report_path
    by_id = {d.id: d for d in documents()}
    assert len(ANNEX_DOCS) == 3
    for doc_id, src, _ in ANNEX_DOCS:
        annex, path = by_id[doc_id], report_path(src)
        full = path.read_text(encoding="utf-8")
        start, end = annex.meta["char_range"]
        assert full[start:end] == annex.text and annex.meta["section"] == "livelihood_projects"
        assert annex.meta["year"] == int(path.name[:4]) and full[start - 1] == "\n"
        heading = full.rfind("民生实事\n", 0, start)
        assert heading != -1 and "附件" not in full[heading:start]
        assert not re.search(r"^(附件|相关报道)", annex.text, re.M)
        assert re.match(r"\s*(附件|相关报道|$)", full[end:])
        assert annex.text.startswith(("一、", "1."))


def _edit_gold_fixture(tmp_path):
    from govie.schema import Document, Relation, Span
    text = "中欧班列开行750列，增长20%。基本消除城市黑臭水体。"
    spans = [Span(1, "PROJECT", 0, 4), Span(2, "INDICATOR", 4, 6), Span(3, "VALUE", 6, 9), Span(4, "UNIT", 9, 10),
             Span(5, "VALUE", 13, 15), Span(6, "UNIT", 15, 16)]
    rels = [Relation(1, 1, 2, "SUBJECT_OF"), Relation(2, 2, 3, "HAS_VALUE"), Relation(3, 3, 4, "HAS_UNIT"),
            Relation(4, 2, 5, "HAS_VALUE"), Relation(5, 5, 6, "HAS_UNIT")]
    gold = tmp_path / "gold.jsonl"
    other = '{"id": "other", "text": "无", "meta": {}, "entities": [], "relations": []}'
    gold.write_text(json.dumps(Document("d", text, {}, spans, rels).to_dict(), ensure_ascii=False) + "\n"
                    + other + "\n", encoding="utf-8")
    return gold, text, other


def test_edit_gold_applies_anchored_edits_and_rewrites_only_the_edited_lines(tmp_path):
    """edit_gold.py: `开行` dropped with its three relations, the train given both values, a value-less
    INDICATOR added, a span moved; the other document's line stays byte for byte."""
    from training.annotation.edit_gold import main
    gold, text, other = _edit_gold_fixture(tmp_path)
    edits = tmp_path / "e.jsonl"
    S = lambda t, n: {"text": t, "near": n}  # noqa: E731
    lines = ["# a comment",
             {"doc": "d", "op": "drop", "span": S("开行", 4)},
             {"doc": "d", "op": "link", "from": S("中欧班列", 0), "type": "HAS_VALUE", "to": S("750", 6)},
             {"doc": "d", "op": "link", "from": S("中欧班列", 0), "type": "HAS_VALUE", "to": S("20", 13)},
             {"doc": "d", "op": "add", "to": S("城市黑臭水体", 20), "label": "INDICATOR"},
             {"doc": "d", "op": "move", "span": S("城市黑臭水体", 21), "to": S("黑臭水体", 23)},
             {"doc": "d", "op": "relabel", "span": S("黑臭水体", 23), "label": "PROJECT"},
             {"doc": "d", "op": "relabel", "span": S("黑臭水体", 23), "label": "INDICATOR"}]
    edits.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines),
                     encoding="utf-8")
    assert main([str(edits), "--gold", str(gold), "--write"]) == 0
    d, o = read_jsonl(gold)
    got = sorted((text[s.start:s.end], s.label) for s in d.entities)
    assert got == sorted([("中欧班列", "PROJECT"), ("750", "VALUE"), ("列", "UNIT"), ("20", "VALUE"), ("%", "UNIT"),
                          ("黑臭水体", "INDICATOR")])
    by = {s.id: text[s.start:s.end] for s in d.entities}
    assert sorted((by[r.from_id], r.type, by[r.to_id]) for r in d.relations) == sorted([
        ("中欧班列", "HAS_VALUE", "750"), ("中欧班列", "HAS_VALUE", "20"), ("750", "HAS_UNIT", "列"),
        ("20", "HAS_UNIT", "%")])
    assert gold.read_text(encoding="utf-8").splitlines()[1] == other


def test_edit_gold_refuses_an_anchor_that_names_no_span_and_writes_nothing(tmp_path):
    import pytest
    from govie.errors import GovieInputError
    from training.annotation.edit_gold import main
    gold, _, _ = _edit_gold_fixture(tmp_path)
    before = gold.read_text(encoding="utf-8")
    edits = tmp_path / "e.jsonl"
    edits.write_text(json.dumps({"doc": "d", "op": "drop", "span": {"text": "增长", "near": 11}}), encoding="utf-8")
    with pytest.raises(GovieInputError, match=r"e\.jsonl:1: 0 spans '增长'"):
        main([str(edits), "--gold", str(gold), "--write"])
    edits.write_text(json.dumps({"doc": "d", "op": "add", "to": {"text": "开", "near": 4}, "label": "VALUE"}),
                     encoding="utf-8")  # overlaps `开行`: refused by validation
    with pytest.raises(GovieInputError, match="overlap"):
        main([str(edits), "--gold", str(gold), "--write"])
    assert gold.read_text(encoding="utf-8") == before


def test_edit_gold_takes_the_span_starting_at_the_anchor_when_two_of_one_surface_are_near(tmp_path):
    from govie.schema import Document, Span
    from training.annotation.edit_gold import main
    text = "经济总量1000亿元，新区经济总量翻一番。"
    spans = [Span(1, "INDICATOR", 0, 4), Span(2, "VALUE", 4, 8), Span(3, "UNIT", 8, 10), Span(4, "INDICATOR", 13, 17)]
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(Document("d", text, {}, spans, []).to_dict(), ensure_ascii=False) + "\n",
                    encoding="utf-8")
    S = lambda t, n: {"text": t, "near": n}  # noqa: E731
    lines = [{"doc": "d", "op": "add", "to": S("一", 18), "label": "VALUE"},
             {"doc": "d", "op": "add", "to": S("番", 19), "label": "UNIT"},
             {"doc": "d", "op": "link", "from": S("经济总量", 13), "type": "HAS_VALUE", "to": S("一", 18)},
             {"doc": "d", "op": "link", "from": S("一", 18), "type": "HAS_UNIT", "to": S("番", 19)}]
    edits = tmp_path / "e.jsonl"
    edits.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    assert main([str(edits), "--gold", str(gold), "--write"]) == 0
    (d,) = read_jsonl(gold)
    by = {s.id: (s.start, text[s.start:s.end]) for s in d.entities}
    assert sorted((by[r.from_id], r.type, by[r.to_id]) for r in d.relations) == [
        ((13, "经济总量"), "HAS_VALUE", (18, "一")), ((18, "一"), "HAS_UNIT", (19, "番"))]


def test_no_two_documents_of_one_report_overlap(seeds):
    """Every document cut from a provincial report (review, plan, continuations, five-year-plan section)
    covers characters no other document of that report covers (Henan 2025's review runs into its plan, so
    it has no `-review-b`); a national report is one line of the national corpus file."""
    from collections import defaultdict

    from training.annotation.annotate import documents
    by_source = defaultdict(list)
    for d in documents():
        if "char_range" in d.meta:
            by_source[d.meta["source"], d.meta.get("line")].append((*d.meta["char_range"], d.id))
    assert len(by_source) >= 60
    for ranges in by_source.values():
        ranges.sort()
        for (_, end, a), (start, _, b) in zip(ranges, ranges[1:]):
            assert end <= start, (a, b)


def test_a_national_plan_that_ends_the_report_stops_before_the_web_pages_licence_note(seeds):
    """The 2023 work report has two parts, so its plan document reaches the end of the report: it ends with
    the report's last sentence, not with the Wikisource licence note after it (the other plans end sooner)."""
    from training.annotation.annotate import WIKISOURCE_FOOTER, national_documents
    docs = {d.id: d for d in national_documents()}
    plan = docs["national-2023-gwr-plan"]
    assert plan.text.endswith("不懈奋斗！")
    assert WIKISOURCE_FOOTER not in plan.text and "Public domain" not in plan.text
    assert all(WIKISOURCE_FOOTER not in d.text for d in docs.values())
    assert len(docs["national-2024-gwr-plan"].text) > 5000


def test_the_held_out_old_reports_are_valid_in_no_split_and_cut_as_annotate_py_cuts_them(seeds):
    """data/annotations/heldout/old_reports.jsonl (batch AM): every span valid, no document in a split or in
    gold.jsonl (so no training run reads it), no other gold document of the same report beside it, and each text
    exactly the section annotate.py cuts (the offsets agree with the shared corpus)."""
    import json
    from pathlib import Path

    from govie.io import read_jsonl
    from govie.validate import validate_document
    from training.annotation.annotate import HELDOUT_OLD_DOCS, heldout_old_documents
    root = Path(__file__).resolve().parents[1]
    heldout = {d.id: d for d in read_jsonl(root / "data" / "annotations" / "heldout" / "old_reports.jsonl")}
    assert sorted(heldout) == sorted(HELDOUT_OLD_DOCS)
    gold_ids = {d.id for d in read_jsonl(root / "data" / "annotations" / "gold.jsonl")}
    splits = json.loads((root / "data" / "splits.json").read_text(encoding="utf-8"))
    in_splits = {i for k in ("train", "dev", "test") for i in splits[k]}
    reports = {doc_id.split("-")[1] for doc_id in gold_ids if doc_id.startswith("national-")}
    for d in heldout_old_documents():
        h = heldout[d.id]
        assert h.text == d.text and h.meta["char_range"] == d.meta["char_range"] and h.meta["heldout"] == "old_reports"
        assert validate_document(h) == [] and len(h.entities) > 50
        assert d.id not in gold_ids | in_splits and d.id.split("-")[1] not in reports
