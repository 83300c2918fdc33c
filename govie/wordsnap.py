"""Word-boundary repair of predicted span ends, and no one-character names.

The character models sometimes stop a name one or two characters short, inside
a word (`农业综合机械化水` for `农业综合机械化水平`, `武警部` for `武警部队`). A
name of a thing (INDICATOR, PROJECT, ENTITY) does not end inside a word, so
:func:`snap_ends` moves such an end forward to the end of the word that the
shipped pkuseg segmenter (:mod:`govie.segmenter`) finds there, when the added
characters are CJK, belong to no other span and hold no predicate character
(:data:`CUE_CHARS`: `参保率` + `达` stays `参保率`), and not when the span is already a whole name of the
shipped organization list (pkuseg fuses `武警官兵` and `央视春晚`, but the ENTITY is `武警`, `央视`). REGION ends are
left alone: a
place name is often the first part of a longer word (`浙江健儿`, `港澳同胞`,
`辽宁省内`). Only a few characters around each end are segmented, so the cost
is small (README, "Word-boundary repair": chosen on dev, scored on test).

A REGION, ENTITY or PROJECT of one character is a fragment (`乌` of `乌镇`, `安` of
`平安龙江`): none of the 4,190 REGION, ENTITY and PROJECT spans of the training
split's gold has one character, so :func:`drop_one_char_names` removes such
spans and the relations that use them.

A measure's name does not end with a function character either: the model sometimes
keeps the adverb, preposition or conjunction that follows it (`赤字率拟` of `赤字率拟按3%`,
`参保率均` of `参保率均达到95%`, `救助金近` of `救助金近800亿元`). None of the
INDICATOR spans of the gold ends with one of :data:`TAIL_FUNCTION_CHARS`
(`tests/test_wordsnap.py` checks it), so :func:`trim_function_tails` cuts them off; from a name
(REGION, ENTITY, PROJECT) it cuts a final `等` (`隋唐洛阳城等` of `隋唐洛阳城等重点项目`): SCHEMA leaves a head
after `等` out of the name, and no gold span of any label ends with `等`.

No gold span holds half a pair of brackets or quotes (one of 63,265 does, where the report never
closes its quote), while the model sometimes stops inside a pair (`蒙牛乳业“灯塔工厂`, `晓星氨纶（三期`,
`甘肃）自由贸易试验区` of `中国（甘肃）自由贸易试验区`, `和美乡村` as `省级“和美乡村`). :func:`mend_brackets`
cuts a name before its unclosed opening mark or at its unopened closing mark; an INDICATOR that opens a
quote closed within its clause and followed by no CJK character becomes the quoted words (the training
gold has 84 such INDICATORs of the quoted words alone and none from before the quote to its close).

A boundary never falls inside a Latin word either (`CP` of `CPI`, `EFl` of `EFlops`): :func:`whole_latin_words`
moves it out to the word's edge; no gold span has one.

    >>> snap_ends("农业综合机械化水平达到88%", [Span(1, "INDICATOR", 0, 8)])   # doctest: +SKIP
    [Span(id=1, label='INDICATOR', start=0, end=9, score=None)]
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from .normalize import NumberError, parse_number
from .resources import organizations
from .schema import NAME_LABELS, Relation, Span
from .text import CN_YEAR

SNAP_LABELS = frozenset({"INDICATOR", "PROJECT", "ENTITY"})
CONTEXT = 8  # characters segmented on each side of an end
# Predicate characters that follow a measure's name (GUIDELINES: cue words stay out). The
# segmenter sometimes fuses one with the name's last character (`参保率达`, `获奖数居`):
# an end is never moved over one of them.
CUE_CHARS = frozenset("达居为占至到超增降较")
# Adverbs, prepositions and conjunctions that follow a measure's name (`拟` plans to, `均` all, `近` nearly,
# `从` from, `由` from, `都` all, `或` or, `和` and, `等` and so on) and never end one in the gold.
TAIL_FUNCTION_CHARS = frozenset("拟均近或等从和都由")
# A name ends with none of these (`和`, `都`, `由` can: `成都`, `首都`).
NAME_TAIL_CHARS = frozenset("等")
BRACKETS = {"（": "）", "(": ")", "“": "”", "‘": "’", "《": "》", "「": "」", "【": "】"}
CLOSERS = {v: k for k, v in BRACKETS.items()}
QUOTES = frozenset("“‘")
CLAUSE_ENDS = frozenset("，。；：！？,;!?\n")
QUOTE_REACH = 16  # characters searched after an INDICATOR's end for the close of its quote


@lru_cache(maxsize=1)
def _segmenter():
    from .segmenter import load_pkuseg
    return load_pkuseg()


def _cjk(s: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in s)


def snap_ends(text: str, spans: list[Span], labels=SNAP_LABELS, context: int = CONTEXT, seg=None,
              names: frozenset[str] | None = None) -> list[Span]:
    """``spans`` with each end of a ``labels`` span that falls inside a word moved to that word's end, except
    where the span's text is a whole name of ``names`` (default: the shipped organization list)."""
    if not any(s.label in labels for s in spans):
        return spans
    seg = seg or _segmenter()
    names = organizations() if names is None else names
    covered = bytearray(len(text) + 1)
    for s in spans:
        covered[s.start:s.end] = b"\x01" * (s.end - s.start)
    out = []
    for s in spans:
        if (s.label in labels and 0 < s.end < len(text) and _cjk(text[s.end - 1:s.end + 1])
                and text[s.start:s.end] not in names):
            a = max(s.start, s.end - context, text.rfind("\n", 0, s.end) + 1)  # within the end's line
            b = min(len(text), s.end + context)
            nl = text.find("\n", s.end, b)
            piece = text[a:b if nl < 0 else nl]
            pos = a
            for w in seg.cut(piece):
                k = text.find(w, pos, a + len(piece))
                if k < 0:
                    break
                pos = k + len(w)
                if k < s.end < pos:
                    tail = text[s.end:pos]
                    if _cjk(tail) and not CUE_CHARS.intersection(tail) and not any(covered[s.end:pos]):
                        s = replace(s, end=pos)
                    break
                if k >= s.end:
                    break
        out.append(s)
    return out


def trim_function_tails(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` with the :data:`TAIL_FUNCTION_CHARS` at the end of each INDICATOR span and the
    :data:`NAME_TAIL_CHARS` at the end of each name cut off (never to nothing)."""
    out = []
    for s in spans:
        tail = TAIL_FUNCTION_CHARS if s.label == "INDICATOR" else NAME_TAIL_CHARS if s.label in NAME_LABELS else ()
        end = s.end
        while end - s.start > 1 and text[end - 1] in tail:
            end -= 1
        out.append(s if end == s.end else replace(s, end=end))
    return out


def _unpaired(piece: str) -> tuple[int, int]:
    """(offset of the first closing mark with no opening one before it, offset of the last opening mark
    with no closing one after it) in ``piece``, -1 where there is none."""
    stack, first_close = [], -1
    for k, ch in enumerate(piece):
        if ch in BRACKETS:
            stack.append(k)
        elif ch in CLOSERS:
            if stack and piece[stack[-1]] == CLOSERS[ch]:
                stack.pop()
            elif first_close < 0:
                first_close = k
    return first_close, stack[-1] if stack else -1


def _quoted(text: str, s: Span, k: int) -> Span | None:
    """The quoted words of INDICATOR ``s`` whose quote opens at ``k``, when the quote closes within
    :data:`QUOTE_REACH` characters of its clause after the span and no CJK character follows the close."""
    close = BRACKETS[text[k]]
    for j in range(s.end, min(len(text), s.end + QUOTE_REACH)):
        if text[j] == close:
            after = text[j + 1:j + 2]
            if j > k + 1 and (not after or not _cjk(after)):
                return replace(s, start=k + 1, end=j)
            return None
        if text[j] in CLAUSE_ENDS:
            return None
    return None


def mend_brackets(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` with each half pair of brackets or quotes mended: a name is cut before its unclosed
    opening mark or at its unopened closing mark (never to nothing); an INDICATOR that opens a quote
    becomes the quoted words where :func:`_quoted` finds them, and is cut before an unclosed bracket."""
    out = []
    for s in spans:
        piece = text[s.start:s.end]
        close, open_ = _unpaired(piece)
        new = s
        if s.label in NAME_LABELS:
            if open_ > 0:
                new = replace(s, end=s.start + open_)
            elif close > 0:
                new = replace(s, end=s.start + close)
        elif s.label == "INDICATOR" and open_ >= 0 and close < 0:
            k = s.start + open_
            if text[k] in QUOTES:
                new = _quoted(text, s, k) or s
            elif open_ > 0:
                new = replace(s, end=k)
        out.append(new)
    return out


def _latin(c: str) -> bool:
    return c.isascii() and c.isalpha()


def whole_latin_words(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` with every boundary inside a run of Latin letters moved out to the run's edge (`CP` of `CPI`, `GD`
    of `GDP增速`, `EFl` of `EFlops`) where that touches no other span: none of the 64,000 gold spans starts or ends
    inside such a run (``tests/test_wordsnap.py`` checks it)."""
    out = []
    for k, s in enumerate(spans):
        a, b = s.start, s.end
        while 0 < a < len(text) and _latin(text[a - 1]) and _latin(text[a]):
            a -= 1
        while 0 < b < len(text) and _latin(text[b - 1]) and _latin(text[b]):
            b += 1
        if (a, b) != (s.start, s.end) and not any(o.start < b and a < o.end for j, o in enumerate(spans) if j != k):
            s = replace(s, start=a, end=b)
        out.append(s)
    return out


def drop_one_char_names(spans: list[Span], relations: list) -> tuple[list[Span], list]:
    """``spans`` without the one-character ``NAME_LABELS`` spans, ``relations`` without those that use them."""
    gone = {s.id for s in spans if s.label in NAME_LABELS and s.end - s.start == 1}
    if not gone:
        return spans, relations
    return ([s for s in spans if s.id not in gone],
            [r for r in relations if r.from_id not in gone and r.to_id not in gone])


_MAGNITUDES = ("万", "亿", "万亿", "千万", "百万", "十万")


def join_split_numbers(text: str, spans: list[Span], relations: list) -> tuple[list[Span], list]:
    """One VALUE for a run of touching VALUE spans, or of VALUE, magnitude UNIT (`亿`, `万`) and VALUE, that together
    read as one number: the model sometimes cuts a long Chinese numeral at its magnitude (`四` + `亿` + `零七百` of
    `四亿零七百多万吨`, `二十六` + `亿` + `六千` of `二十六亿六千万美元`, the style of the 1980s reports; the gold keeps
    `1亿3千` one VALUE) or a range at its word (`两到` + `三`). The joined span keeps the first one's id and takes the
    relations of the VALUEs, once; a magnitude UNIT inside it is dropped with its relations (a UNIT after it that
    begins with the numeral's last term: :func:`numeral_units`)."""
    def reads(a: int, b: int) -> bool:
        try:
            parse_number(text[a:b])
        except NumberError:
            return False
        return True

    run = sorted((s for s in spans if s.label in ("VALUE", "UNIT")), key=lambda s: s.start)
    into: dict[int, int] = {}  # a joined VALUE's id -> the first VALUE's id
    dropped: set[int] = set()  # the magnitude UNITs inside a joined VALUE
    ends: dict[int, int] = {}  # the first VALUE's id -> the joined end
    k = 0
    while k < len(run):
        first = run[k]
        end, j = first.end, k
        while first.label == "VALUE":
            nxt = run[j + 1:j + 3]
            if nxt and nxt[0].label == "VALUE" and nxt[0].start == end and reads(first.start, nxt[0].end):
                into[nxt[0].id], end, j = first.id, nxt[0].end, j + 1
            elif len(nxt) == 2 and nxt[0].label == "UNIT" and text[nxt[0].start:nxt[0].end] in _MAGNITUDES \
                    and nxt[0].start == end and nxt[1].label == "VALUE" and nxt[1].start == nxt[0].end \
                    and reads(first.start, nxt[1].end):
                dropped.add(nxt[0].id)
                into[nxt[1].id], end, j = first.id, nxt[1].end, j + 2
            else:
                break
        if end != first.end:
            ends[first.id] = end
        k = j + 1
    if not ends:
        return spans, relations
    out = [replace(s, end=ends[s.id]) if s.id in ends else s for s in spans if s.id not in into and s.id not in dropped]
    seen, rels = set(), []
    for r in relations:
        if r.from_id in dropped or r.to_id in dropped:
            continue
        r = replace(r, from_id=into.get(r.from_id, r.from_id), to_id=into.get(r.to_id, r.to_id))
        if (r.from_id, r.to_id, r.type) not in seen:
            seen.add((r.from_id, r.to_id, r.type))
            rels.append(r)
    return out, rels


_NUMERAL = frozenset("〇○零一二三四五六七八九十百千万亿两")
_NUMERAL_TAIL = (_NUMERAL - {"万", "亿"}) | {"点"}  # a magnitude after a numeral belongs to its UNIT (`1300` + `亿元`)
PERCENT = "百分之"
_MAGNITUDE_RANK = {"十": 1, "百": 2, "千": 3, "万": 4, "亿": 5}


# a year in Arabic digits (`1985年`; the models read `一九八五年` so, :func:`govie.pipeline.model_view`)
_ARABIC_YEAR = re.compile(r"(?<![0-9.])(?:19|20)[0-9]{2}(?=\s*年)")


def whole_numerals(text: str, spans: list[Span], relations: list) -> tuple[list[Span], list]:
    """The VALUEs of numbers written in Chinese numerals, as the reports of the 1950s to 1980s write them: a VALUE
    inside a year (`三` of `一九七三年`, `七七` of `一九七七年`, `1` of `1985年`; SCHEMA: a year gets no span) and the UNIT `年` after
    one are dropped with their relations, and a VALUE that is part of a longer numeral grows to the whole of it over
    characters of no other span (`百二十` of `一百二十个`, `百分之十九点` of `百分之十九点五`, `十九点五` and `百` of
    `百分之…`, `一千七百万` of `二亿一千七百万吨`), when the whole reads as a number; a magnitude after it stays its
    UNIT's (`一千四百三十` + `亿元`; but see :func:`numeral_units`)."""
    years = [m.span() for rx in (CN_YEAR, _ARABIC_YEAR) for m in rx.finditer(text)]
    ends = {b for _, b in years}
    drop = {s.id for s in spans if s.label == "VALUE" and any(a <= s.start and s.end <= b for a, b in years)
            or s.label == "UNIT" and s.start in ends and text[s.start:s.end] == "年"}
    taken = [False] * (len(text) + 1)
    for s in spans:
        if s.id not in drop:
            for i in range(s.start, s.end):
                taken[i] = True
    starts = {s.start: s for s in spans if s.id not in drop}
    out = []
    for s in spans:
        if s.id in drop:
            continue
        if s.label == "VALUE":
            a, b = s.start, s.end
            while a > 0 and not taken[a - 1] and text[a - 1] in _NUMERAL:
                a -= 1
            if text.startswith(PERCENT, a) and b < a + 3 and not any(taken[b:a + 3]):
                b = a + 3  # `百` of `百分之五十`
            while b < len(text) and not taken[b] and text[b] in _NUMERAL_TAIL:
                b += 1
            while b > s.end and text[b - 1] == "点":
                b -= 1
            if text[max(a - 3, 0):a] == PERCENT and not any(taken[max(a - 3, 0):a]):
                a -= 3
            if (a, b) != (s.start, s.end) and not any(y0 < b and a < y1 for y0, y1 in years):
                after = starts.get(b)  # `百` + `七十六` of `百分之七十六`: grown to touch it, then joined
                try:
                    parse_number(text[a:after.end if after is not None and after.label == "VALUE" else b])
                except NumberError:
                    pass
                else:
                    s = replace(s, start=a, end=b)
                    for i in range(a, b):  # a VALUE after it grows only up to it (`一` + `百零` | `五`: then joined)
                        taken[i] = True
        out.append(s)
    if not drop and len(out) == len(spans) and all(x is y for x, y in zip(out, spans)):
        return spans, relations
    return out, [r for r in relations if r.from_id not in drop and r.to_id not in drop]


_DIGITS = frozenset("一二三四五六七八九两0123456789０１２３４５６７８９")
_THOUSAND_UNITS = ("千瓦", "千米", "千克", "千伏", "千帕", "千卡", "千焦", "千兆", "千赫", "千升")  # units, not magnitudes


def _rank(text: str) -> int:
    return max((_MAGNITUDE_RANK.get(c, -1) for c in text), default=-1)


def numeral_units(text: str, spans: list[Span], relations: list) -> tuple[list[Span], list]:
    """The magnitude between a numeral and the UNIT after it goes where the number reads right, as the gold writes it.
    A UNIT that begins with the numeral's last term gives that term to the VALUE when the numeral holds a larger
    magnitude (`2万5` + `千公里`: `2万5千` + `公里`; `三亿五千` + `万平方米`: `三亿五千万` + `平方米`; never the `千` of
    `千瓦`, `千米`, ...). A VALUE that ends with `万` or `亿` and holds no larger magnitude gives it to a UNIT of
    measure after it (`二百二十四万` + `吨`: `二百二十四` + `万吨`, as `1300` + `万吨`; `两万` + `亿` and a numeral of
    magnitudes alone, `千万` + `吨`, stay)."""
    units = {u.start: u for u in spans if u.label == "UNIT"}
    moved: dict[int, tuple[int, int]] = {}  # a span's id -> its new (start, end)
    for v in spans:
        u = units.get(v.end) if v.label == "VALUE" else None
        if u is None:
            continue
        unit, last = text[u.start:u.end], text[v.end - 1]
        if len(unit) > 1 and not unit.startswith(_THOUSAND_UNITS) \
                and _MAGNITUDE_RANK.get(unit[0], 9) < _rank(text[v.start:v.end]):
            moved[v.id], moved[u.id] = (v.start, v.end + 1), (u.start + 1, u.end)
        elif last in "万亿" and any(c in _DIGITS for c in text[v.start:v.end - 1]) \
                and _rank(text[v.start:v.end - 1]) < _MAGNITUDE_RANK[last] \
                and (unit[0] not in _MAGNITUDE_RANK or unit.startswith(_THOUSAND_UNITS)):
            moved[v.id], moved[u.id] = (v.start, v.end - 1), (u.start - 1, u.end)
    if not moved:
        return spans, relations
    return [replace(s, start=moved[s.id][0], end=moved[s.id][1]) if s.id in moved else s for s in spans], relations


def link_stray_units(text: str, spans: list[Span], relations: list) -> tuple[list[Span], list]:
    """A HAS_UNIT from a VALUE without a unit to the UNIT without a value right after it (nothing between them, or
    only `多`, `余`: `一亿一千四百多万吨`). None of the gold documents' predictions has such a pair; the 1980s reports'
    long numerals do."""
    has = {r.from_id for r in relations if r.type == "HAS_UNIT"} | {r.to_id for r in relations if r.type == "HAS_UNIT"}
    units = {s.start: s for s in spans if s.label == "UNIT" and s.id not in has}
    new, next_id = [], max((r.id for r in relations), default=0) + 1
    for v in spans:
        if v.label != "VALUE" or v.id in has:
            continue
        gap = 0
        while text[v.end + gap:v.end + gap + 1] in ("多", "余") and gap < 2:
            gap += 1
        u = units.pop(v.end + gap, None)
        if u is not None:
            new.append(Relation(next_id + len(new), v.id, u.id, "HAS_UNIT"))
    return spans, relations + new


def snap_batch(texts: list[str], results: list[tuple[list[Span], list]],
               lexicon: bool = True, cues: bool = True) -> list[tuple[list[Span], list]]:
    """:func:`snap_ends`, :func:`trim_function_tails`, :func:`mend_brackets`, :func:`whole_latin_words`,
    :func:`drop_one_char_names`, :func:`whole_numerals`, :func:`join_split_numbers`, :func:`numeral_units` and
    :func:`link_stray_units` over a tagger's ``(spans, relations)`` per text, then (``lexicon``) :func:`govie.lexfill.repair`, then (``cues``)
    :func:`govie.cues.repair` (the list cues); relations refer to span ids."""
    from .cues import repair as cue_repair
    from .lexfill import repair
    out = []
    for t, (spans, rels) in zip(texts, results):
        spans = whole_latin_words(t, mend_brackets(t, trim_function_tails(t, snap_ends(t, spans))))
        spans, rels = numeral_units(t, *join_split_numbers(t, *whole_numerals(t, *drop_one_char_names(spans, rels))))
        out.append(link_stray_units(t, spans, rels))
    if lexicon:
        out = [repair(t, *r) for t, r in zip(texts, out)]
    return [cue_repair(t, *r) for t, r in zip(texts, out)] if cues else out
