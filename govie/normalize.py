"""Exact normalization of quantities: numbers, units, qualifiers and the kind of value.

All arithmetic is :class:`decimal.Decimal`: ``16.4亿`` is exactly 1640000000.

    >>> normalize("16.4", "亿元").value
    Decimal('1640000000')
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .text import fold_forms

# ---------------------------------------------------------------- numbers
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10 ** 4, "萬": 10 ** 4, "亿": 10 ** 8, "億": 10 ** 8}
_SPACES_IN = re.compile(r"(?<=\S) +(?=\S)")
_DIGIT_SPACE = re.compile(r"(?<=[0-9.]) +(?=[0-9.])")
_RANGE_SPLIT = re.compile(r"\s*(?:-|—|–|~|～|至|到)\s*")


class NumberError(ValueError):
    """A string that is not a number govie can read."""


def _fold(text: str) -> str:
    """Full-width digits and marks to ASCII, a middle dot between digits to a decimal point (`19·5`, as
    :func:`govie.text.fold_forms` reads it); thousands separators and the spaces of a number written with a space
    after every digit (`7 4 7 7 2`, `1 5 .3`: :func:`govie.text.spacing_gaps`) removed."""
    t = fold_forms(unicodedata.normalize("NFKC", text).strip())
    t = _DIGIT_SPACE.sub("", t)
    t = t.replace("，", ",")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    return t


def _chinese_int(s: str) -> int:
    if not s:
        raise NumberError("empty Chinese numeral")
    if len(s) > 1 and all(c in _CN_DIGIT for c in s):  # a digit string: 二〇二三
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    done, wan, section, digit = 0, 0, 0, 0
    for ch in s:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_SMALL:
            section += (digit or 1) * _CN_SMALL[ch]
            digit = 0
        elif ch in ("万", "萬"):
            wan = (wan + section + digit) * 10 ** 4
            section = digit = 0
        elif ch in ("亿", "億"):
            done = (done + wan + section + digit) * 10 ** 8
            wan = section = digit = 0
        else:
            raise NumberError(f"not a Chinese numeral character: {ch!r}")
    return done + wan + section + digit


def _single(text: str) -> Decimal:
    t = _fold(text)
    if not t:
        raise NumberError("empty number")
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", t):
        return Decimal(t)
    # mixed arabic + magnitude: 1.1万亿, 3万, 13万2 (= 13.2万)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([万亿千百十]+)(\d)?", t)
    if m:
        mult = Decimal(1)
        for ch in m.group(2):
            mult *= {"万": 10 ** 4, "亿": 10 ** 8, "千": 1000, "百": 100, "十": 10}[ch]
        val = Decimal(m.group(1)) * mult
        if m.group(3):
            val += Decimal(m.group(3)) * mult / 10
        return val
    # Chinese decimal: 三点五
    if "点" in t:
        a, b = t.split("点", 1)
        frac = "".join(str(_CN_DIGIT[c]) for c in b if c in _CN_DIGIT)
        if len(frac) != len(b):
            raise NumberError(f"cannot read {text!r} as a number")
        return Decimal(_chinese_int(a) if a else 0) + Decimal("0." + frac)
    if all(c in _CN_DIGIT or c in _CN_SMALL or c in _CN_BIG for c in t):
        return Decimal(_chinese_int(t))
    raise NumberError(f"cannot read {text!r} as a number")


def parse_number(text: str) -> Decimal | tuple[Decimal, Decimal]:
    """A number, or ``(low, high)`` for a range such as ``5-7`` or ``5至7``."""
    t = _fold(text)
    parts = [p for p in _RANGE_SPLIT.split(t) if p] if not re.fullmatch(r"[+-]?\d+(\.\d+)?", t) else [t]
    if len(parts) == 2:
        return _single(parts[0]), _single(parts[1])
    if len(parts) != 1:
        raise NumberError(f"cannot read {text!r} as a number")
    return _single(parts[0])


# ---------------------------------------------------------------- units
_MAGNITUDE = {"万亿": 10 ** 12, "千亿": 10 ** 11, "百亿": 10 ** 10, "十亿": 10 ** 9, "亿": 10 ** 8,
              "千万": 10 ** 7, "百万": 10 ** 6, "十万": 10 ** 5, "万": 10 ** 4, "千": 10 ** 3, "百": 100}
_BASE = {
    "元": "CNY", "元人民币": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR", "日元": "JPY", "港元": "HKD",
    "英镑": "GBP",
    "人": "person", "名": "person", "位": "person", "人次": "person_time",
    "亩": "mu", "公顷": "ha", "平方米": "m2", "平米": "m2", "平方公里": "km2", "平方千米": "km2", "立方米": "m3",
    "方": "m3", "公里": "km", "千米": "km", "米": "m",
    "吨": "t", "吨标准煤": "tce", "斤": "jin", "公斤": "kg", "千克": "kg", "克": "g",
    "千瓦": "kW", "兆瓦": "MW", "吉瓦": "GW", "瓦": "W", "千瓦时": "kWh", "度": "kWh", "千伏": "kV", "千伏安": "kVA",
    "标箱": "TEU", "TEU": "TEU",
    "年": "year", "余年": "year", "个月": "month", "周": "week", "天": "day", "日": "day", "工作日": "workday",
    "个工作日": "workday", "小时": "hour", "分钟": "minute", "秒": "second", "岁": "year_of_age",
    "%": "percent", "％": "percent", "‰": "permille", "个百分点": "percentage_point", "百分点": "percentage_point",
    "倍": "times", "成": "percent",
}
_COUNT = set("个家户项座所条套场次件台辆艘架批种类处栋间张册部只头株棵片块宗笔起支根组轮趟班列床箱") | {"张床位", "个床位"}
_UNIT_MULT = {"成": 10}


@dataclass(frozen=True)
class Unit:
    """A unit read: ``multiplier`` times ``canonical``; ``classifier`` for counts (家, 个...)."""

    text: str
    canonical: str | None
    multiplier: Decimal
    classifier: str | None = None


def parse_unit(text: str | None) -> Unit:
    """``亿元`` -> Unit(canonical 'CNY', multiplier 1e8); unknown units keep ``canonical=None``."""
    if not text:
        return Unit("", "number", Decimal(1))
    t = _SPACES_IN.sub("", unicodedata.normalize("NFKC", text).strip())  # a letter-spaced text's `亿 元`
    if t in _BASE:
        return Unit(text, _BASE[t], Decimal(_UNIT_MULT.get(t, 1)))
    mult = Decimal(1)
    rest = t
    for mag in sorted(_MAGNITUDE, key=len, reverse=True):
        if rest.startswith(mag) and rest != mag or rest == mag:
            if rest == mag:
                return Unit(text, "number", Decimal(_MAGNITUDE[mag]))
            mult = Decimal(_MAGNITUDE[mag])
            rest = rest[len(mag):]
            break
    if rest in _BASE:
        return Unit(text, _BASE[rest], mult * _UNIT_MULT.get(rest, 1))
    if rest in _COUNT:
        return Unit(text, "count", mult, rest.lstrip("个张") or rest)
    return Unit(text, None, mult)


# ---------------------------------------------------------------- context cues
_APPROX_BEFORE = ("大约", "约", "約", "近", "接近", "将近")
_LOWER_BEFORE = ("超过", "突破", "不低于", "不少于", "至少", "逾", "超")
_UPPER_BEFORE = ("不超过", "不高于", "控制在", "低于", "不到")
_APPROX_AFTER = ("左右", "上下")
_LOWER_AFTER = ("以上", "余", "多")
_UPPER_AFTER = ("以内", "以下")

_NEG = re.compile(r"下降|降低|减少|回落|下滑|缩减|缩小|收窄|下跌|降幅|低于|少于")
_CUES = (  # (kind, pattern); the cue nearest the value wins
    # `…生产总值的比例` is a part of a named whole; a `比例` named by the indicator is its level (`转型比例达60%`)
    ("share", re.compile(r"占比|比重|占|份额|的比例")),
    ("growth", re.compile(r"增长(?!点|极|率)|增速|增幅|上涨|涨幅|上升|提速|同比|下降|降低|减少|回落|下滑|下跌|降幅")),
    ("change", re.compile(r"增加(?!值)|提高|提升|扩大|缩小|拉动|高于|低于|多于|少于")),
)
# a value right after these is the new level, not a change: 增至71%, 提高到25%, 降到10%以下
_TO_LEVEL = re.compile(r"(?:至|到|为|达到|达)\s*$")
_GROWTH_IS = re.compile(r"(?:增长|增速|增幅|涨幅)(?:预期目标|目标|预期)?(?:为|是)\s*$")
_SHARE_AFTER = re.compile(r"\s*(?:以上|以下|左右)?的")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?\n]")


@dataclass(frozen=True)
class Normalized:
    """The reading of one quantity."""

    value: Decimal | None          # normalized number (sign applied for a decrease)
    low: Decimal | None            # range bounds, when a range
    high: Decimal | None
    unit: str | None               # canonical unit
    classifier: str | None
    kind: str                      # level | growth | change | share | multiple
    qualifier: str | None          # approximate | lower_bound | upper_bound | None


_QUAL_BEFORE = ((_UPPER_BEFORE, "upper_bound"), (_APPROX_BEFORE, "approximate"), (_LOWER_BEFORE, "lower_bound"))
_QUAL_AFTER = ((_APPROX_AFTER, "approximate"), (_LOWER_AFTER, "lower_bound"), (_UPPER_AFTER, "upper_bound"))


def qualifier_of(text: str, v_start: int, v_end: int, u_end: int | None = None) -> str | None:
    """Approximate / lower_bound / upper_bound from the words around a value."""
    before = text[max(0, v_start - 4):v_start]
    after = text[(u_end if u_end is not None else v_end):][:3]
    if any(after.startswith(w) for w in _APPROX_AFTER):  # `控制在4.5%左右`: the word on the number wins
        return "approximate"
    for words, qual in _QUAL_BEFORE:
        if any(before.endswith(w) for w in words):
            return qual
    if text[v_end:v_end + 1] in ("余", "多"):  # 2000余人次
        return "lower_bound"
    for words, qual in _QUAL_AFTER:
        if any(after.startswith(w) for w in words):
            return qual
    return None


def kind_of(text: str, v_start: int, unit: Unit, u_end: int | None = None) -> tuple[str, int]:
    """The kind of value and its sign (-1 for a decrease) from the clause before it."""
    m = None
    for m in _CLAUSE_BREAK.finditer(text, max(0, v_start - 40), v_start):
        pass
    window = text[(m.end() if m else max(0, v_start - 40)):v_start]
    # qualifiers between the cue and the number do not count: 增长近3倍, 占全国约40%
    core = re.sub(r"(?:大约|约|約|近|超过|超|突破|不低于|不超过|不少于|不多于|不高于|至少|逾)\s*$", "", window)
    if unit.canonical == "times":
        return "multiple", 1
    found = []
    for kind, rx in _CUES:
        for mm in rx.finditer(core):
            found.append((mm.end(), kind, mm.group()))
    found.sort()
    last = found[-1] if found else None
    neg = bool(last and _NEG.fullmatch(last[2]))
    if unit.canonical == "percentage_point":
        return "change", -1 if neg else 1
    is_pct = unit.canonical in ("percent", "permille")
    has_share = any(k == "share" for _, k, _ in found)
    if _GROWTH_IS.search(core):  # 增长目标为17%, 增速是6%
        return "growth", -1 if neg else 1
    if _TO_LEVEL.search(core):
        return ("share" if has_share and is_pct else "level"), 1
    if last is None:
        # `80%的县级医院`, `60%以上的…机构`, `完成总任务的70%`: a part of the group named
        if is_pct and (u_end is not None and _SHARE_AFTER.match(text, u_end) or core.endswith("的")):
            return "share", 1
        return "level", 1
    kind = last[1]
    if kind == "share":
        return ("share", 1) if is_pct else ("level", 1)
    if is_pct:
        return "growth", -1 if neg else 1
    if unit.canonical in (None, "number") and kind == "growth":
        return "level", 1
    return "change", -1 if neg else 1


def normalize(value_text: str, unit_text: str | None = None, *, context: str | None = None,
              v_start: int | None = None) -> Normalized:
    """Read ``value_text`` + ``unit_text``; with ``context`` and the value's offset in it,
    also the kind (level/growth/change/share/multiple) and the qualifier."""
    num = parse_number(value_text)
    unit = parse_unit(unit_text)
    kind, sign, qual = "level", 1, None
    if context is not None and v_start is not None:
        v_end = v_start + len(value_text)
        u_end = v_end + len(unit_text) if unit_text and context[v_end:v_end + len(unit_text)] == unit_text else None
        if u_end is None and unit_text:
            k = context.find(unit_text, v_end, v_end + 2 + len(unit_text))
            u_end = k + len(unit_text) if k >= 0 else None
        kind, sign = kind_of(context, v_start, unit, u_end)
        qual = qualifier_of(context, v_start, v_end, u_end)
        if v_start > 0 and context[v_start - 1] in "-−" and (v_start < 2 or not context[v_start - 2].isdigit()):
            sign = -sign
    if isinstance(num, tuple):
        low, high = (x * unit.multiplier * sign for x in num)
        return Normalized(None, min(low, high), max(low, high), unit.canonical, unit.classifier, kind, qual)
    return Normalized(num * unit.multiplier * sign, None, None, unit.canonical, unit.classifier, kind, qual)
