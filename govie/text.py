"""Sentence splitting that keeps offsets into the original text.

It survives scraped report text: 50,000-character lines, missing or broken
punctuation, and list items such as ``1.``, ``（一）`` or ``一、`` that start a
new item in the middle of a line.  Sentences never exceed ``max_len``
characters: an over-long one is cut at the last comma-like mark, else at a
character-class boundary, so a downstream model always sees bounded input.
"""
from __future__ import annotations

import re

_END = "。！？!?；;"
_CLOSERS = "”’」』）)】"
# a list item marker that starts a new unit inside a long line
_ITEM = re.compile(r"(?:(?<=[\s。；;！？!?：:])|^)(?:（[一二三四五六七八九十]{1,3}）|\([一二三四五六七八九十]{1,3}\)"
                   r"|[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、](?!\d)|[①-⑳])")
_SOFT = "，,、：:"
# the full-width digits, Latin letters, decimal point and percent sign (`１９９６`, `９．７％`, `ＧＤＰ`); not the
# full-width punctuation (`，`, `（`, `：`), which is what Chinese text is written and the models were trained with
_FULLWIDTH = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B),
                                      ord("．"), ord("％")]}
# a middle dot between two digits is a decimal point in older and typeset texts (`增长19·5％`, `1·2万亿元`)
_DECIMAL_DOT = re.compile(r"(?<=[0-9０-９])[·・•](?=[0-9０-９])")


def fold_forms(text: str) -> str:
    """``text`` as the models read it, one character for one, so every offset stays valid: full-width digits,
    letters, `．` and `％` as their ASCII forms, and a middle dot between digits as a decimal point
    (`１９９６年增长１９·５％` -> `1996年增长19.5%`). Older reports and text copied from PDFs write numbers this way;
    the models, trained on ASCII numbers, read the folded text (:mod:`govie.pipeline`) while spans, records and
    output keep the original (:mod:`govie.normalize` reads both forms)."""
    return _DECIMAL_DOT.sub(".", text.translate(_FULLWIDTH))


# a year written in Chinese digits, one character a digit (`一九八五年`, `一九八○年`, `二〇〇二年`)
_CN_DIGIT = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
             "七": "7", "八": "8", "九": "9"}
CN_YEAR = re.compile(r"(?:一九|二[〇○零])[〇○零一二三四五六七八九]{2}(?=\s*年)")


# the same without `年` after it (`一九七九和一九八○两年`, `一九八○比一九七五年`), a run of four Chinese digits alone
_CN_YEAR_BARE = re.compile(r"(?<![〇○零一二三四五六七八九十百千万亿两])(?:一九|二[〇○零])[〇○零一二三四五六七八九]{2}"
                           r"(?![〇○零一二三四五六七八九十百千万亿两])")


def arabic_years(text: str, bare: bool = False) -> str:
    """``text`` with each year written in Chinese digits as Arabic digits, one character for one
    (`一九八五年比一九八○年增加` -> `1985年比1980年增加`), so that the reports of the 1950s to 1980s date their figures as
    later ones do. Numbers that are no year (`一千九百八十五`, `一九八五` without `年`) stay, unless ``bare``: then a run
    of four Chinese digits from 1900 to 2099 is a year too (`一九七九和一九八○两年`, as the models read it)."""
    return (_CN_YEAR_BARE if bare else CN_YEAR).sub(lambda m: "".join(_CN_DIGIT[c] for c in m.group()), text)


_CHAR_GAP = re.compile(r"(?<=\S) (?=\S)")
_DIGIT_GAP = re.compile(r"(?<=[0-9]) (?=\S)")
_DIGIT_PAIR = re.compile(r"[0-9] (?=[0-9])")
SPACED_MIN_GAPS = 3  # spaces a text needs between characters (or digits) before they count as a way of writing


def spacing_gaps(text: str) -> list[int]:
    """The positions of the spaces that a letter-spaced text puts between its characters, or ``[]`` when the text is
    not written that way. Two ways are found (read on ASCII digits, after :func:`fold_forms`):

    - a space between every two characters (`国 内 生 产 总 值 增 长 6 . 5 %`, the text layer of some PDFs): at
      least half of the text's other characters are followed by one space and a character;
    - a space after every digit (`1 9 9 7 年国内生产总值达到7 4 7 7 2 亿元`, old web copies of full-width text): at
      least half of the digits are followed by one space, and at least :data:`SPACED_MIN_GAPS` by a space and a digit.

    A text that sets numbers or words apart (`达到 925 万人`, `GDP growth`) is written neither way; ``[]``."""
    gaps = [m.start() for m in _CHAR_GAP.finditer(text)]
    if len(gaps) >= SPACED_MIN_GAPS and 2 * len(gaps) >= len(text) - text.count(" ") - text.count("\n"):
        return gaps
    gaps = [m.start() for m in _DIGIT_GAP.finditer(text)]
    if not gaps or len(_DIGIT_PAIR.findall(text)) < SPACED_MIN_GAPS:
        return []
    digits = sum("0" <= c <= "9" for c in text)
    return gaps if 2 * len(gaps) >= digits else []


def without_positions(text: str, drop: list[int]) -> tuple[str, list[int]]:
    """``text`` without the characters at ``drop`` and, for each character kept, its offset in ``text``: a span
    ``[a, b)`` of the shorter text is ``[kept[a], kept[b - 1] + 1)`` of ``text``."""
    dropped = set(drop)
    kept = [i for i in range(len(text)) if i not in dropped]
    return "".join(text[i] for i in kept), kept


def _hard_units(text: str) -> list[tuple[int, int]]:
    """Split at newlines, sentence-final punctuation and mid-line list markers."""
    cuts = {0, len(text)}
    for i, ch in enumerate(text):
        if ch == "\n":
            cuts.add(i + 1)
        elif ch in _END:
            j = i + 1
            while j < len(text) and text[j] in _CLOSERS:
                j += 1
            cuts.add(j)
    for m in _ITEM.finditer(text):
        cuts.add(m.start())
    bounds = sorted(cuts)
    return list(zip(bounds, bounds[1:]))


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut_long(text: str, start: int, end: int, max_len: int) -> list[tuple[int, int]]:
    out = []
    while end - start > max_len:
        window = text[start:start + max_len]
        k = max(window.rfind(c) for c in _SOFT)
        if k < max_len // 4:
            k = max(window.rfind(" "), window.rfind("\u3000"))
        if k < max_len // 4:
            k = max_len - 1
            # do not cut inside a run of digits or latin letters
            while k > max_len // 2 and (window[k].isalnum() and window[k].isascii()
                                         and window[k + 1 if k + 1 < len(window) else k].isascii()):
                k -= 1
        out.append((start, start + k + 1))
        start += k + 1
    out.append((start, end))
    return out


# a line break with the whitespace around it (`\u200b`, the zero-width space of web text, counts as whitespace)
_BREAK = re.compile(r"[ \t\r\u3000\u200b\xa0]*\n[\s\u200b]*")
WRAP_MIN_LINE = 20  # characters of the line before a break for it to be a wrap


def _wordlike(c: str) -> bool:
    return c.isalnum() or c in "%％"


def join_wrapped_lines(text: str) -> str:
    """``text`` with each line break that wraps a sentence (a PDF's or a web page's hard wrap: the line before it,
    joined lines counted as one, has at least :data:`WRAP_MIN_LINE` characters and ends inside a sentence, on a letter, digit or CJK character,
    and the next line goes on with one and opens no list item) as spaces, one character for one, so the models read
    the sentence whole (`规上工业增加值⏎增长8.1%`) and may link across the wrap; every other break stays."""
    out, line_start = list(text), 0
    for m in _BREAK.finditer(text):
        a, b = m.start(), m.end()
        if 0 < a and b < len(text) and _wordlike(text[a - 1]) and _wordlike(text[b]) \
                and a - line_start >= WRAP_MIN_LINE and not _ITEM.match(text, b):
            out[a:b] = " " * (b - a)  # the line goes on: its start stays
        else:
            line_start = b
    return "".join(out)


def split_sentences(text: str, max_len: int = 400) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence; ``text[start:end]`` has no outer whitespace.

    Together the sentences cover every non-whitespace character of ``text``.
    """
    out = []
    for a, b in _hard_units(text):
        a, b = _strip(text, a, b)
        if a >= b:
            continue
        for x, y in _cut_long(text, a, b, max_len):
            x, y = _strip(text, x, y)
            if x < y:
                out.append((x, y))
    return out
