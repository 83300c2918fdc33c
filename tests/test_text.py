from govie.text import fold_forms, join_wrapped_lines, spacing_gaps, split_sentences, without_positions


def _check(text, max_len=400):
    sents = split_sentences(text, max_len)
    covered = set()
    prev_end = 0
    for a, b in sents:
        assert a >= prev_end and a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        assert b - a <= max_len
        covered.update(range(a, b))
        prev_end = b
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())
    return sents


def test_long_line_of_seed_004(seeds):
    text = (seeds / "004_c3c3174adef9897d.txt").read_text(encoding="utf-8")
    line = max(text.split("\n"), key=len)
    assert len(line) > 19000
    sents = _check(line)
    assert len(sents) > 100


def test_every_seed_is_covered(seeds):
    for p in sorted(seeds.glob("*.txt")):
        _check(p.read_text(encoding="utf-8"))


def test_list_items_start_new_units():
    text = "主要任务是：（一）稳增长 （二）促改革 1.扩大投资 2.提振消费"
    parts = [text[a:b] for a, b in split_sentences(text)]
    assert parts == ["主要任务是：", "（一）稳增长", "（二）促改革", "1.扩大投资", "2.提振消费"]


def test_decimals_are_not_list_items():
    text = "增长1.5%，达到2.3倍。"
    assert [text[a:b] for a, b in split_sentences(text)] == [text]


def test_no_punctuation_at_all_is_cut_to_max_len():
    text = "地区生产总值增长" * 200
    sents = _check(text, max_len=100)
    assert max(b - a for a, b in sents) <= 100


def test_fold_forms_maps_full_width_digits_and_letters_one_for_one():
    assert fold_forms("１９９６年增长９．７％，ＧＤＰ与ｃｐｉ") == "1996年增长9.7%，GDP与cpi"
    # Chinese punctuation, the ideographic space and everything else stay: the models were trained with them
    text = "（一）全年，“两个”：；！？\u3000～／＋"
    assert fold_forms(text) == text
    full = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
    assert len(fold_forms(full)) == len(full)


def test_fold_forms_reads_a_middle_dot_between_digits_as_a_decimal_point():
    assert fold_forms("全年增长19·5％，达到１·２万亿元") == "全年增长19.5%，达到1.2万亿元"
    assert fold_forms("马克·吐温、第3·季度") == "马克·吐温、第3·季度"


def test_a_wrapped_sentence_is_joined_one_character_for_one():
    text = ("全年地区生产总值6.36万亿元、增长5.1%，规上工业增加值\n增长8.1%。\n"
            "今年稳健的货币政策要灵活适度，广义货币M\n\u200b\n2\n增长8.3%，居民消费价格上涨0.2%\r\n左右。\n")
    out = join_wrapped_lines(text)
    assert len(out) == len(text)
    assert out == text.replace("增加值\n增长", "增加值 增长").replace("M\n\u200b\n2\n增长", "M   2 增长") \
        .replace("0.2%\r\n左右", "0.2%  左右")
    # a break after punctuation, after a short line (a heading) or before a list item stays
    for kept in ("增长5.1%。\n全年", "一、2024年工作回顾\n过去一年", "规上工业增加值增长8.1%，固定资产投资\n（一）坚持扩大内需"):
        assert join_wrapped_lines(kept) == kept, kept


def test_a_text_with_a_space_after_every_digit_has_those_spaces_found():
    text = "1 9 9 7 年国内生产总值达到7 4 7 7 2 亿元，平均每年增长1 1 %，工业增加值增长1 5 .3 %。"
    gaps = spacing_gaps(text)
    assert [text[i] for i in gaps] == [" "] * len(gaps) and all(text[i - 1].isdigit() for i in gaps)
    view, kept = without_positions(text, gaps)
    assert view == "1997年国内生产总值达到74772亿元，平均每年增长11%，工业增加值增长15.3%。"
    a = view.index("74772")
    assert text[kept[a]:kept[a + 4] + 1] == "7 4 7 7 2"  # a span of the view mapped back
    # numbers set apart from words, a list of years or one spaced number are other ways of writing: nothing found
    for other in ("全市地区生产总值达到 925 万人，增长 6.5%，新增 3 家", "2023 2024 2025年", "增长1 1 %，达到12345亿元，67890吨",
                  "GDP growth was 5.2 percent in 2024", "一、 2024年工作回顾\n过去一年"):
        assert spacing_gaps(other) == [], other


def test_a_text_with_a_space_between_every_two_characters_has_those_spaces_found():
    text = "全 省 地 区 生 产 总 值 增 长 6 . 5 % ，\n达 到 1 2 3 4 亿 元 。"
    view, kept = without_positions(text, spacing_gaps(text))
    assert view == "全省地区生产总值增长6.5%，\n达到1234亿元。"
    assert all(text[k] == c for k, c in zip(kept, view))
