"""extract(): API, records, exports and bad input, each with its exact behaviour."""
import json
from decimal import Decimal

import pytest

import govie
from govie.cli import main
from govie.validate import validate_file

SAMPLE = ("一、2023年国民经济和社会发展计划执行情况\n预计全年，地区生产总值1300亿元，增长8%；一般公共预算收入下降3.5%。\n"
          "二、2024年经济社会发展主要预期目标\n地区生产总值增长6%左右，一般公共预算收入增长5%以上。\n")


def test_extract_records_periods_and_status():
    ex = govie.extract(SAMPLE, meta={"region": "铁西区", "year": 2023})
    rows = [(r.indicator, r.value_text, r.period, r.status, r.kind) for r in ex.records]
    assert ("地区生产总值", "1300", 2023, "estimate", "level") in rows
    assert ("地区生产总值", "8", 2023, "estimate", "growth") in rows
    assert ("地区生产总值", "6", 2024, "target", "growth") in rows
    assert ("一般公共预算收入", "5", 2024, "target", "growth") in rows
    r = next(r for r in ex.records if r.value_text == "3.5")
    assert r.value == Decimal("-3.5") and r.unit == "percent"
    r = next(r for r in ex.records if r.value_text == "1300")
    assert r.value == Decimal("130000000000") and r.unit == "CNY" and r.region == "铁西区"
    assert next(r for r in ex.records if r.value_text == "6").qualifier == "approximate"
    assert next(r for r in ex.records if r.value_text == "5").qualifier == "lower_bound"
    for e in ex.entities:
        assert SAMPLE[e.start:e.end] == e.text


def test_to_dict_validates(tmp_path):
    ex = govie.extract(SAMPLE)
    p = tmp_path / "pred.jsonl"
    p.write_text(json.dumps(ex.to_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
    assert validate_file(p) == []
    assert set(ex.to_dict()) == {"id", "text", "meta", "entities", "relations"}


def test_dataframe():
    df = govie.extract(SAMPLE).to_dataframe()
    assert {"indicator", "value", "number", "unit", "kind", "period", "status", "region"} <= set(df.columns)
    assert df.loc[df.value_text == "1300", "number"].iloc[0] == 1.3e11


def test_load_and_extract_many_equal_single_calls():
    texts = [SAMPLE, "沈阳市粮食产量突破81.5亿斤。", "", "没有数字。"]
    pipe = govie.load()
    assert govie.load() is pipe
    many = list(govie.extract_many(texts, batch_size=3))
    assert [m.to_dict(scores=True) for m in many] == [pipe(t, doc_id=m.id).to_dict(scores=True)
                                                      for t, m in zip(texts, many)]


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_gives_empty_extraction(text):
    ex = govie.extract(text)
    assert ex.entities == [] and ex.relations == [] and ex.records == [] and ex.text == text


def test_text_without_chinese():
    ex = govie.extract("GDP grew 5.2% in 2024.")
    assert ex.text == "GDP grew 5.2% in 2024."
    for e in ex.entities:
        assert ex.text[e.start:e.end] == e.text


def test_non_str_input():
    with pytest.raises(TypeError, match="govie.extract expects str, got bytes"):
        govie.extract(b"abc")


def test_two_megabyte_single_line_keeps_offsets():
    unit = "全市地区生产总值1300亿元，增长8%，"
    text = unit * (2_000_000 // len(unit.encode("utf-8")))
    assert "\n" not in text and len(text.encode("utf-8")) > 1_990_000
    ex = govie.extract(text)
    assert len(ex.records) >= 2 * (len(text) // len(unit)) - 2
    for e in ex.entities[::997]:
        assert text[e.start:e.end] == e.text
    last = ex.entities[-1]
    assert last.end > len(text) - len(unit)


def test_full_width_and_half_width_mix():
    text = "地区生产总值１３００亿元，增长８．５％。"
    ex = govie.extract(text)
    vals = {r.value_text: r for r in ex.records}
    assert vals["１３００"].value == Decimal("130000000000")
    assert vals["８．５"].value == Decimal("8.5") and vals["８．５"].unit == "percent"


def test_full_width_digits_and_letters_are_read_as_ascii_and_kept_as_written():
    """The model reads `１９９６` as `1996` (govie.text.fold_forms): the spans of a full-width text are those of its
    ASCII twin, at the same offsets, while the extraction keeps the text as given."""
    ascii_ = "一、1996年国内工作的回顾\n国内生产总值达到67795亿元，比上年增长9.7%。GDP增速、CPI涨幅均好于预期。"
    full = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() or c in ".%" else c for c in ascii_)
    assert full != ascii_ and len(full) == len(ascii_)
    a, f = govie.extract(ascii_, meta={"year": 1997}), govie.extract(full, meta={"year": 1997})
    assert f.text == full
    assert [(e.label, e.start, e.end) for e in f.entities] == [(e.label, e.start, e.end) for e in a.entities]
    assert ("VALUE", "６７７９５") in [(e.label, e.text) for e in f.entities]
    assert [(r.type, r.head.start, r.tail.start) for r in f.relations] == \
        [(r.type, r.head.start, r.tail.start) for r in a.relations]
    assert [r.value for r in f.records] == [r.value for r in a.records]
    # the records are read on the folded text too: the heading's `１９９６年` dates them as `1996年` does
    derived = ("value", "unit", "kind", "qualifier", "period", "period_from", "status", "start", "end")
    assert [tuple(getattr(r, k) for k in derived) for r in f.records] == \
        [tuple(getattr(r, k) for k in derived) for r in a.records]
    assert {r.period for r in f.records} == {1996} and "６７７９５" in [r.value_text for r in f.records]
    assert all(r.sentence in full for r in f.records)


def test_a_middle_dot_between_digits_is_a_decimal_point():
    dot, point = "国内生产总值增长19·5％，财政收入达到1·2万亿元。", "国内生产总值增长19.5％，财政收入达到1.2万亿元。"
    d, p = govie.extract(dot), govie.extract(point)
    assert d.text == dot and [(e.label, e.start, e.end) for e in d.entities] == \
        [(e.label, e.start, e.end) for e in p.entities]
    assert {(r.value_text, r.value) for r in d.records} == {("19·5", Decimal("19.5")), ("1·2", Decimal("1.2E12"))}


def test_a_hard_wrapped_sentence_gets_the_spans_and_links_of_the_whole_line():
    line = "全省地区生产总值达到6.36万亿元，比上年增长5.1%，规上工业增加值增长8.1%，固定资产投资增长7%。"
    k = line.index("规上工业增加值") + 3  # a PDF's wrap inside the name
    wrapped = line[:k] + "\n" + line[k:]
    w, o = govie.extract(wrapped), govie.extract(line)
    move = lambda x: x + (x > k)  # noqa: E731
    assert [(e.label, e.start, e.end) for e in w.entities] == \
        [(e.label, move(e.start), move(e.end - 1) + 1) for e in o.entities]
    assert ("INDICATOR", "规上工\n业增加值") in [(e.label, e.text) for e in w.entities]
    assert {(r.indicator.replace("\n", ""), r.value) for r in w.records} == {(r.indicator, r.value) for r in o.records}


def test_a_text_with_a_space_after_every_digit_gets_the_spans_and_numbers_of_its_plain_twin():
    """The 1998 report's web text puts a space after every digit (`7 4 7 7 2 亿元`): the model reads it without those
    spaces (govie.pipeline.model_view), the spans are mapped back over them, and the records read the numbers."""
    plain = "1997年国内生产总值达到74772亿元，平均每年增长11%，工业增加值增长15.3%，粮食产量达到49250万吨。"
    gaps = [i + 1 for i, c in enumerate(plain) if c.isdigit()]
    spaced = "".join(c + " " if c.isdigit() else c for c in plain)
    p, s = govie.extract(plain), govie.extract(spaced)
    move = lambda x: x + sum(g <= x for g in gaps)  # noqa: E731
    assert s.text == spaced
    assert [(e.label, e.start, e.end) for e in s.entities] == \
        [(e.label, move(e.start), move(e.end - 1) + 1) for e in p.entities]
    assert ("VALUE", "7 4 7 7 2") in [(e.label, e.text) for e in s.entities]
    assert [(r.indicator, r.value, r.unit, r.kind, r.period) for r in s.records] == \
        [(r.indicator, r.value, r.unit, r.kind, r.period) for r in p.records]
    assert Decimal("7477200000000") in [r.value for r in s.records]


def test_a_text_with_a_space_between_every_two_characters_gets_the_spans_and_records_of_its_plain_twin():
    """Some PDFs' text layers put a space between every two characters (`国 内 生 产 总 值`): read without them, the
    spans and records are those of the plain text, mapped back over the spaces."""
    plain = "2024年全省地区生产总值达到6.36万亿元，比上年增长5.1%。预计今年规上工业增加值增长6%左右。"
    spaced = " ".join(plain)
    p, s = govie.extract(plain), govie.extract(spaced)
    assert s.text == spaced
    assert [(e.label, e.start, e.end) for e in s.entities] == [(e.label, 2 * e.start, 2 * e.end - 1) for e in p.entities]
    assert ("VALUE", "6 . 3 6") in [(e.label, e.text) for e in s.entities]
    assert [(r.indicator.replace(" ", ""), r.value_text.replace(" ", ""), r.unit_text.replace(" ", ""), r.value, r.unit,
             r.kind, r.period, r.status, r.sentence.replace(" ", ""), r.start, r.end) for r in s.records] == \
        [(r.indicator, r.value_text, r.unit_text, r.value, r.unit, r.kind, r.period, r.status, r.sentence, 2 * r.start,
          2 * r.end - 1) for r in p.records]
    assert len(p.records) >= 2


def test_ascii_punctuation_gives_the_spans_of_chinese_punctuation():
    """Texts punctuated with `,;:()` get the spans of the same text with `，；：（）`, never overlapping ones (a list cue
    once followed a list back over an ASCII comma and filled its names twice)."""
    cjk = "建强科技支撑体系。支持超聚变、中创智领、许继、平高等领军企业全面提升创新能力，支持平煤神马、洛轴等龙头企业做强主业；" \
          "全省生产总值增长5.2%（预计）：规上工业增加值增长8%。"
    asc = cjk.translate(str.maketrans("，；：（）", ",;:()"))
    c, a = govie.extract(cjk), govie.extract(asc)
    spans = [(e.label, e.start, e.end) for e in a.entities]
    assert spans == [(e.label, e.start, e.end) for e in c.entities]
    assert len(set(spans)) == len(spans)
    ends = sorted((e.start, e.end) for e in a.entities)
    assert all(x[1] <= y[0] for x, y in zip(ends, ends[1:]))


def test_traditional_characters_are_kept_as_written():
    text = "地區生產總值增長8%，達到1300億元。"
    ex = govie.extract(text)
    assert ex.text == text
    vals = [(e.label, e.text) for e in ex.entities if e.label in ("VALUE", "UNIT")]
    assert ("VALUE", "8") in vals and ("UNIT", "%") in vals


# ---------------------------------------------------------------- the CLI
def test_cli_table_tells_results_and_targets_apart(seeds, capsys):
    assert main(["extract", str(seeds / "000_f764d00bbe4f920d.txt"), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "== 2023 · " in out and "== 2024 · target" in out
    assert "地区生产总值" in out


def test_cli_jsonl_validates(tmp_path, seeds):
    out = tmp_path / "pred.jsonl"
    assert main(["extract", str(seeds / "001_0391023c4a769222.txt"), "--format", "jsonl", "-o", str(out)]) == 0
    assert validate_file(out) == []


def test_cli_csv(tmp_path):
    src = tmp_path / "r.txt"
    src.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "r.csv"
    assert main(["extract", str(src), "--format", "csv", "-o", str(out), "-q"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("source,indicator,value_text,unit_text,value")
    assert any(",1300,亿元,130000000000," in ln for ln in lines)


def test_cli_gbk_file(tmp_path):
    src = tmp_path / "gbk.txt"
    src.write_bytes(SAMPLE.encode("gbk"))
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(src), "--format", "jsonl", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["text"] == SAMPLE


def test_cli_predicts_a_jsonl_file_document_by_document_for_evaluate(tmp_path, capsys):
    from govie.io import read_jsonl
    from govie.schema import Document
    gold = tmp_path / "gold.jsonl"
    docs = [Document("a-1", SAMPLE, {"region": "沈阳市", "year": 2023}),
            Document("b-2", "全省粮食产量达到1300亿斤。", {"region": "河南省"})]
    gold.write_text("".join(json.dumps(d.to_dict(), ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    assert main(["extract", str(gold), "--format", "jsonl", "-o", str(out), "--model", "rules"]) == 0
    pred = read_jsonl(out)
    assert [(d.id, d.text, d.meta.get("region")) for d in pred] == [(d.id, d.text, d.meta["region"]) for d in docs]
    assert all(d.entities for d in pred)
    assert main(["evaluate", "--gold", str(gold), "--pred", str(out)]) == 0  # ids pair up
    assert "micro" in capsys.readouterr().out
    # the gold here has no spans, so the error breakdown calls every predicted span spurious
    scores = tmp_path / "scores.json"
    assert main(["evaluate", "--gold", str(gold), "--pred", str(out), "--errors", "--json", str(scores)]) == 0
    assert "spurious" in capsys.readouterr().out
    errors = json.loads(scores.read_text(encoding="utf-8"))["errors"]
    assert sum(row["spurious"] for row in errors.values()) == sum(len(d.entities) for d in pred)
    assert all(row["exact"] == row["missed"] == 0 for row in errors.values())
    # with a splits file, only the documents of the split are scored
    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"train": ["a-1"], "dev": [], "test": ["b-2"]}), encoding="utf-8")
    assert main(["evaluate", "--gold", str(gold), "--pred", str(out), "--splits", str(splits), "--errors",
                 "--json", str(scores)]) == 0
    errors = json.loads(scores.read_text(encoding="utf-8"))["errors"]
    assert sum(row["spurious"] for row in errors.values()) == len(pred[1].entities)
    splits.write_text(json.dumps({"test": ["b-2", "zz"]}), encoding="utf-8")
    assert main(["evaluate", "--gold", str(gold), "--pred", str(out), "--splits", str(splits)]) == 2  # bad input
    assert "zz" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    assert main(["extract", str(bad), "-q"]) == 1
    assert f"{bad}:1" in capsys.readouterr().err


def test_cli_missing_and_binary_files(tmp_path, capsys):
    binf = tmp_path / "x.bin"
    binf.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert main(["extract", str(tmp_path / "nope.txt"), str(binf), "-q"]) == 1
    err = capsys.readouterr().err
    assert f"error: {tmp_path / 'nope.txt'}: no such file" in err
    assert f"error: {binf}:3: binary file (NUL byte at offset 8)" in err


def test_cli_empty_and_no_chinese_warn(tmp_path, capsys):
    e = tmp_path / "empty.txt"
    e.write_text("  \n", encoding="utf-8")
    n = tmp_path / "en.txt"
    n.write_text("GDP grew 5%.", encoding="utf-8")
    assert main(["extract", str(e), str(n), "-q", "--format", "jsonl"]) == 0
    err = capsys.readouterr().err
    assert f"warning: {e}: empty file, nothing to extract" in err
    assert f"warning: {n}: no Chinese characters in the text" in err


def test_cli_html_picture(tmp_path):
    src = tmp_path / "r.txt"
    src.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "r.html"
    assert main(["extract", str(src), "--format", "html", "-o", str(out), "-q"]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "entities" in html
    assert "地区生产总值" in html and "HAS_VALUE" in html and "HAS_UNIT" in html


def test_fast_and_accurate_name_the_shipped_default():
    assert govie.load("fast") is govie.load() and govie.load("accurate") is govie.load()


def test_backends_agree_and_no_span_crosses_a_line_break():
    text = "二、2024年主要预期目标\n地区生产总值增长6%左右，\n一般公共预算收入增长5%。"
    onnx, torch_ = govie.load("default"), govie.load("default@torch")
    a, b = onnx(text), torch_(text)
    assert [(e.start, e.end, e.label) for e in a.entities] == [(e.start, e.end, e.label) for e in b.entities]
    assert a.entities and all("\n" not in e.text for e in a.entities)
    assert ("INDICATOR", "地区生产总值") in [(e.label, e.text) for e in a.entities]


def test_records_take_five_year_plan_periods_from_the_sentence_or_the_heading():
    """`十四五期间` covers 2021–2025 (period 2025, period_from 2021); `十四五末` is 2025 alone; a plan named
    without a time word (`谋划“十五五”重大项目`) is no period; under a `“十五五”时期…目标` heading a figure is for
    2030, and for 2026–2030 when its sentence says it is for several years (`年均`); an explicit year written later
    in the sentence wins."""
    from govie.records import build_records, plan_years
    from govie.schema import Document, Relation, Span
    assert plan_years("四") == (2021, 2025) and plan_years("五") == (2026, 2030) and plan_years("一") == (2006, 2010)
    text = ("十四五期间，累计新增城镇就业500万人。到十四五末，森林覆盖率达到45%。谋划“十五五”重大项目120个。\n"
            "二、“十五五”时期主要目标\n常住人口城镇化率提高到70%，到2028年粮食产量达到700亿斤。居民收入年均增长5%。")
    spans, rels = [], []
    for ind, val in [("累计新增城镇就业", "500"), ("森林覆盖率", "45"), ("重大项目", "120"),
                     ("常住人口城镇化率", "70"), ("粮食产量", "700"), ("居民收入", "5")]:
        a, v = text.index(ind), text.index(val, text.index(ind))
        spans += [Span(len(spans) + 1, "INDICATOR", a, a + len(ind)), Span(len(spans) + 2, "VALUE", v, v + len(val))]
        rels.append(Relation(len(rels) + 1, len(spans) - 1, len(spans), "HAS_VALUE"))
    recs = {r.indicator: (r.period, r.period_from) for r in build_records(Document("d", text, {"year": 2024}, spans, rels))}
    assert recs == {"累计新增城镇就业": (2025, 2021), "森林覆盖率": (2025, None), "重大项目": (2024, None),
                    "常住人口城镇化率": (2030, None), "粮食产量": (2028, None), "居民收入": (2030, 2026)}


def test_no_relation_crosses_a_line_break():
    """A heading without end punctuation and the figure on the next line: the model may tag the heading,
    but relations are only proposed within a line (the gold has 25 across one of 32,208, all where a web
    page broke a sentence)."""
    from govie.model import candidate_pairs
    assert candidate_pairs(["INDICATOR", "VALUE", "VALUE"], [0, 5, 9], 100) == [(0, 1), (0, 2)]
    assert candidate_pairs(["INDICATOR", "VALUE", "VALUE"], [0, 5, 9], 100, lines=[0, 0, 1]) == [(0, 1)]
    text = "二、“十五五”时期主要目标\n常住人口城镇化率提高到70%。\n三、重点任务\n粮食产量700亿斤。"
    ex = govie.extract(text)
    assert ex.relations
    for r in ex.relations:
        a, b = sorted([r.head, r.tail], key=lambda e: e.start)
        assert "\n" not in text[a.start:b.end], (r.head.text, r.tail.text)


def test_record_status_follows_the_part_not_a_theme_or_a_noun():
    """Under `一、2024年工作回顾` a sub-heading's theme (`（一）锚定目标攻坚，…`), a noun (`目标任务体系`, `主要`) in an
    earlier clause and a review's `争取` (money obtained) leave a result actual; `预计` makes an estimate and a plan
    word in the value's own clause (`力争`) a target; the plan part's figures are targets."""
    from govie.records import build_records
    from govie.schema import Document, Relation, Span
    text = ("一、2024年工作回顾\n（一）锚定目标攻坚，经济发展实现逆势而上。\n"
            "聚焦目标任务体系，真抓实干，生产总值增长5.6%，主要指标居前列，争取中央资金95亿元，"
            "预计全年粮食产量达到700亿斤，力争明年投资增长6%。\n二、2025年工作安排\n新建充电桩2万个。")
    spans, rels = [], []
    for ind, val in [("生产总值", "5.6"), ("中央资金", "95"), ("粮食产量", "700"), ("投资", "6"), ("充电桩", "2")]:
        a = text.index(ind)
        v = text.index(val, a + len(ind))
        spans += [Span(len(spans) + 1, "INDICATOR", a, a + len(ind)), Span(len(spans) + 2, "VALUE", v, v + len(val))]
        rels.append(Relation(len(rels) + 1, len(spans) - 1, len(spans), "HAS_VALUE"))
    recs = {r.indicator: r.status for r in build_records(Document("d", text, {"year": 2025}, spans, rels))}
    assert recs == {"生产总值": "actual", "中央资金": "actual", "粮食产量": "estimate", "投资": "target",
                    "充电桩": "target"}


def _records_of(text: str, pairs: list[tuple[str, str]], year: int, after: int = 0,
                fields: tuple[str, ...] = ("period_from", "period", "status"), units: tuple[str, ...] = ("%",)) -> dict:
    """``build_records`` of ``text`` with an INDICATOR–VALUE pair for each (indicator, value) found in order (and a
    UNIT of ``units`` where one follows the value): each indicator's ``fields``."""
    from govie.records import build_records
    from govie.schema import Document, Relation, Span
    spans, rels, pos = [], [], after
    for ind, val in pairs:
        a = text.index(ind, pos)
        v = text.index(val, a + len(ind))
        spans += [Span(len(spans) + 1, "INDICATOR", a, a + len(ind)), Span(len(spans) + 2, "VALUE", v, v + len(val))]
        rels.append(Relation(len(rels) + 1, len(spans) - 1, len(spans), "HAS_VALUE"))
        unit = next((u for u in units if text.startswith(u, v + len(val))), None)
        if unit:
            spans.append(Span(len(spans) + 1, "UNIT", v + len(val), v + len(val) + len(unit)))
            rels.append(Relation(len(rels) + 1, len(spans) - 1, len(spans), "HAS_UNIT"))
        pos = max(a + len(ind), v + len(val))
    return {r.indicator: tuple(getattr(r, f) for f in fields)
            for r in build_records(Document("d", text, {"year": year}, spans, rels))}


def test_a_five_year_review_reads_its_paragraphs_own_time():
    """Under `一、“十四五”时期和2025年工作回顾` a paragraph opening `这五年` (or `——这是…的五年`, `五年来`) is about
    2021–2025 until one opens `刚刚过去的2025年`: there a sum of what was done (`新增…9个`, `建成520个`, `其中`
    after one) or a change (`下降50.7%`) is for the five years, a state (`机械化率90%`) for 2025 alone, and a change
    said to be of one year (`同比`) too; the first value of a change from one state to another (`由52.2%提高到…`) is
    the state before the five years; a comparison's base (`较“十三五”时期`) dates nothing."""
    text = ("一、“十四五”时期和2025年工作回顾\n"
            "这五年，我们推动高质量发展。新增产业集群9个，农作物综合机械化率90%。"
            "新增公路19.2万公里，其中高速公路2.8万公里。生产安全事故起数下降50.7%。"
            "常住人口城镇化率由52.2%提高到58.1%。专利授权量较“十四五”时期增长48%。\n"
            "——这是民生改善的五年。建成养老服务中心520个。\n"
            "刚刚过去的2025年，我们稳中求进。新增城镇就业31.7万人，PM2.5浓度同比下降13%。\n")
    recs = _records_of(text, [("产业集群", "9"), ("农作物综合机械化率", "90"), ("高速公路", "2.8"),
                              ("生产安全事故起数", "50.7"), ("常住人口城镇化率", "52.2"), ("专利授权量", "48"),
                              ("养老服务中心", "520"), ("新增城镇就业", "31.7"), ("PM2.5浓度", "13")], 2026)
    assert recs == {"产业集群": (2021, 2025, "actual"), "农作物综合机械化率": (None, 2025, "actual"),
                    "高速公路": (2021, 2025, "actual"), "生产安全事故起数": (2021, 2025, "actual"),
                    "常住人口城镇化率": (None, 2020, "actual"), "专利授权量": (2021, 2025, "actual"),
                    "养老服务中心": (2021, 2025, "actual"), "新增城镇就业": (None, 2025, "actual"),
                    "PM2.5浓度": (None, 2025, "actual")}


def test_a_rate_at_the_end_of_five_years_is_a_state_and_a_rise_from_one_count_dates_the_first_before():
    """In a five years' stretch a rate or ratio is a state of the last year even when its name holds a flow word
    (`研发投入强度`: `投入`), while a sum (`累计使用外资`) is for all five; `从15家跃升到38家` is a change from the state
    before the five years, as `由…提高到…` is."""
    text = ("一、“十四五”时期和2025年工作回顾\n"
            "这五年，我们推动高质量发展。研发投入强度从2.77%提高到3.3%左右。全国重点实验室从15家跃升到38家。"
            "累计使用外资846亿美元。\n")
    recs = _records_of(text, [("研发投入强度", "3.3"), ("全国重点实验室", "15"), ("累计使用外资", "846")], 2026,
                       units=("%", "家", "亿美元"))
    assert recs == {"研发投入强度": (None, 2025, "actual"), "全国重点实验室": (None, 2020, "actual"),
                    "累计使用外资": (2021, 2025, "actual")}


def test_past_five_years_relative_years_and_a_glossary():
    """`一、过去五年工作回顾` in a 2008 report is 2003–2007; `去年` in a 2008 plan part is 2007 and a fact, not a
    target (`比去年` compares); a part `名词解释` defines terms: its numbers have no period."""
    text = ("一、过去五年工作回顾\n五年新增城镇就业5100万人，新建铁路6100公里。\n"
            "二、2008年主要任务\n去年全国财政超收7239亿元。粮食产量比去年增长2%。\n"
            "名词解释\n1.园区共建：上海16个区与云南合作共建产业园区。\n")
    recs = _records_of(text, [("新增城镇就业", "5100"), ("新建铁路", "6100"), ("超收", "7239"), ("粮食产量", "2"),
                              ("区", "16")], 2008, after=text.index("五年新增"))
    assert recs == {"新增城镇就业": (2003, 2007, "actual"), "新建铁路": (2003, 2007, "actual"),
                    "超收": (None, 2007, "actual"), "粮食产量": (None, 2008, "target"), "区": (None, None, "actual")}


def test_a_part_titled_without_plan_words_takes_its_status_from_its_year():
    """`二、一鼓作气勇争先，…` opening `2026年是…` in a 2026 report is its plan, not the review before it; a part after
    the plan's (`三、继续保持经济平稳较快发展`) goes on with it; `一、过去一年工作回顾` is the year before."""
    text = ("一、过去一年工作回顾\n新增就业50万人。\n二、一鼓作气勇争先，全力推动开好局\n2026年是“十五五”开局之年。\n"
            "新建改造地下管网1250公里。\n三、继续保持经济平稳较快发展\n新增城镇就业80万人。\n")
    recs = _records_of(text, [("新增就业", "50"), ("地下管网", "1250"), ("新增城镇就业", "80")], 2026)
    assert recs == {"新增就业": (None, 2025, "actual"), "地下管网": (None, 2026, "target"),
                    "新增城镇就业": (None, 2026, "target")}


def test_a_records_kind_reads_the_verb_outside_the_indicators_name():
    """`新增` is the verb of a list's items and of a `其中` part (a change), unless an item has a verb of its own; inside
    the indicator's name it names an increment (a level); `稳定在` gives a level; a part of a group that does something
    (`…项目80%以上由企业牵头承担`) is a share (GUIDELINES.md, "The indicator table")."""
    text = ("二、2026年工作安排\n新增五星级饭店10家以上、四星级饭店30家、等级民宿100家。新增电力装机1800万千瓦，其中非化石能源装机"
            "1000万千瓦。新增五星级饭店5家、培育四星级标准饭店40家。城镇新增就业45万人、调查失业率稳定在5%左右。"
            "省级产业类科技计划项目80%以上由企业牵头承担。")
    recs = _records_of(text, [("四星级饭店", "30"), ("非化石能源装机", "1000"), ("四星级标准饭店", "40"),
                              ("城镇新增就业", "45"), ("调查失业率", "5"), ("省级产业类科技计划项目", "80")], 2026,
                       fields=("kind", "qualifier"))
    assert recs == {"四星级饭店": ("change", None), "非化石能源装机": ("change", None), "四星级标准饭店": ("level", None),
                    "城镇新增就业": ("level", None), "调查失业率": ("level", "approximate"),
                    "省级产业类科技计划项目": ("share", "lower_bound")}


def test_a_records_status_reads_no_cue_inside_the_indicators_name():
    """A plan word inside the indicator's name (`…特殊支持计划专家`) is no target cue in a review; a news item's
    heading naming this year's work (`今年重点做好…`) opens its plan."""
    text = ("一、2024年工作回顾\n新增国家高层次人才特殊支持计划专家23人。\n今年重点做好十个方面攻坚突破\n"
            "新增普惠性学前教育学位3000个。")
    recs = _records_of(text, [("国家高层次人才特殊支持计划专家", "23"), ("普惠性学前教育学位", "3000")], 2025)
    assert recs == {"国家高层次人才特殊支持计划专家": (None, 2024, "actual"), "普惠性学前教育学位": (None, 2025, "target")}


def test_a_records_kind_and_status_read_a_rate_in_force_an_increment_named_and_bounds_of_earlier_items():
    """`现行16%的税率` is the rate's level, in force (actual) in a plan; an indicator that names an increment
    (`新增旅居人口`) is a level after a list whose earlier items are counted by `新增`; an earlier item's `不少于` is no
    fall; the amount a policy brought (`拉动消费…`) is a level (table round 4, GUIDELINES.md "The indicator table")."""
    from govie.records import build_records
    from govie.schema import Document, Relation, Span
    text = "二、2019年政府工作任务\n深化增值税改革，将制造业等行业现行16%的税率降至13%。"
    a, v, u, v2 = text.index("税率"), text.index("16"), text.index("%"), text.index("13")
    spans = [Span(1, "INDICATOR", a, a + 2), Span(2, "VALUE", v, v + 2), Span(3, "UNIT", u, u + 1),
             Span(4, "VALUE", v2, v2 + 2), Span(5, "UNIT", v2 + 2, v2 + 3)]
    rels = [Relation(1, 1, 2, "HAS_VALUE"), Relation(2, 2, 3, "HAS_UNIT"), Relation(3, 1, 4, "HAS_VALUE"),
            Relation(4, 4, 5, "HAS_UNIT")]
    recs = [(r.value_text, r.kind, r.status) for r in build_records(Document("d", text, {"year": 2019}, spans, rels))]
    assert recs == [("16", "level", "actual"), ("13", "level", "target")]
    text = ("二、2026年工作安排\n“十五五”时期县城新增人口100万、新增旅居人口100万。"
            "确保耕地保有量不少于5028万亩、永久基本农田保护面积不少于3613万亩。以旧换新拉动消费785亿元。")
    recs = _records_of(text, [("新增旅居人口", "100"), ("永久基本农田保护面积", "3613"), ("消费", "785")], 2026,
                       fields=("kind", "qualifier"))
    assert recs == {"新增旅居人口": ("level", None), "永久基本农田保护面积": ("level", "lower_bound"),
                    "消费": ("level", None)}
    # upgrading things measured is an amount of work, not a change; widening them is a change
    text = "二、2026年工作安排\n建设提升“四好农村路”600公里，扩大森林面积20万亩。"
    recs = _records_of(text, [("四好农村路", "600"), ("森林面积", "20")], 2026, fields=("kind",), units=("公里", "万亩"))
    assert recs == {"四好农村路": ("level",), "森林面积": ("change",)}


def test_a_report_whose_line_breaks_were_lost_reads_its_inline_review_and_plan_headings():
    """A web page that lost a report's line breaks (`…意见和建议。2019年工作回顾过去一年，…2020年工作安排2020年是…`):
    the figures after the inline review heading are the year before's results, those after the plan heading targets."""
    filler = "坚持稳中求进工作总基调，统筹推进各项工作，经济社会保持健康发展。" * 2
    text = ("2020年某县政府工作报告\n各位代表：现在，我代表县人民政府向大会报告工作，请予审议。2019年工作回顾过去一年，"
            + filler + "全年完成植树造林3万亩。" + filler + "2020年工作安排2020年是决胜之年。" + filler
            + "实施增绿工程，完成植树造林6万亩。")
    recs = _records_of(text, [("植树造林", "3"), ("增绿工程", "6")], 2020, units=("万亩",))
    assert recs == {"植树造林": (None, 2019, "actual"), "增绿工程": (None, 2020, "target")}


def test_a_year_in_chinese_digits_and_a_range_of_years_date_a_figure():
    """The reports of the 1950s to 1980s write years in Chinese digits (`一九八五年`, `一九八○年`); they date a figure as
    `1985年` does (and `五年` inside `一九八五年` is no five-year stretch), a comparison's base dates nothing, and a
    range of years (`1979到1983年`, `二〇二一年至二〇二五年`) gives its last year from its first."""
    text = ("一九八五年工业总产值增长百分之十八。国家财政收入比一九八○年增加七百八十六亿元。"
            "1979到1983年，农业总产值平均每年增长百分之七点九。二〇二一年至二〇二五年粮食产量年均增长2%。")
    recs = _records_of(text, [("工业总产值", "百分之十八"), ("国家财政收入", "七百八十六"), ("农业总产值", "百分之七点九"),
                              ("粮食产量", "2")], 1986)
    assert recs == {"工业总产值": (None, 1985, "actual"), "国家财政收入": (None, 1986, "actual"),
                    "农业总产值": (1979, 1983, "actual"), "粮食产量": (2021, 2025, "actual")}
    # in a range of years a state is of its last year, and the first of a change from one state to another of its first
    from govie.records import build_records
    from govie.schema import Document, Relation, Span
    text = "2020年到2025年，工业投资占固定资产投资比重从17.9%提升到35.5%。"
    at = text.index
    spans = [Span(1, "INDICATOR", at("比重"), at("从")), Span(2, "VALUE", at("17.9"), at("%提")),
             Span(3, "VALUE", at("35.5"), len(text) - 2), Span(4, "UNIT", at("%提"), at("提升")),
             Span(5, "UNIT", len(text) - 2, len(text) - 1)]
    rels = [Relation(1, 1, 2, "HAS_VALUE"), Relation(2, 1, 3, "HAS_VALUE"), Relation(3, 2, 4, "HAS_UNIT"),
            Relation(4, 3, 5, "HAS_UNIT")]
    recs = build_records(Document("d", text, {"year": 2026}, spans, rels))
    assert sorted((r.value_text, r.period_from, r.period) for r in recs) == [("17.9", None, 2020), ("35.5", None, 2025)]


def test_arabic_years_changes_only_years_one_character_for_one():
    from govie.text import arabic_years
    text = "一九八五年比一九八○年增加一千九百八十五亿元，二〇〇二年，一九八五这个数"
    out = arabic_years(text)
    assert out == "1985年比1980年增加一千九百八十五亿元，2002年，一九八五这个数" and len(out) == len(text)
