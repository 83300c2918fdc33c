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
    """A Chinese numeral (`一亿二千万`), also with Arabic digits before its magnitudes (`1万6千`, `12万3千`)."""
    if not s:
        raise NumberError("empty Chinese numeral")
    if len(s) > 1 and all(c in _CN_DIGIT for c in s):  # a digit string: 二〇二三
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    done, wan, section, digit = 0, 0, 0, 0
    for ch in re.findall(r"\d+|.", s):
        if ch.isdigit():
            digit = int(ch)
        elif ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_SMALL:
            section += (digit or 1) * _CN_SMALL[ch]
            digit = 0
        elif ch in ("万", "萬"):
            wan = ((wan + section + digit) or 1) * 10 ** 4  # a bare 万 (`上万支`) is ten thousand
            section = digit = 0
        elif ch in ("亿", "億"):
            done = ((done + wan + section + digit) or 1) * 10 ** 8
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
    if re.fullmatch(r"(?:\d+[万亿千百十]+)+", t):  # `1万6千` (16000), `2万5千`, `1亿3千万`
        return Decimal(_chinese_int(t))
    part = _part(t)
    if part is not None:
        return part[0]
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


_HALF = ("一半", "半数", "半")
_OF = re.compile(r"(.+)分之(.+)")  # `三分之一`: the denominator first
_SLASH = re.compile(r"(\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)")
_RATIO = re.compile(r"(\d+(?:\.\d+)?)[:∶](\d+(?:\.\d+)?)")


def _part(t: str) -> tuple[Decimal, str] | None:
    """A fraction (`一半`, `三分之一`, `1/3`: the quotient, ``"fraction"``) or a ratio of two terms (`2.04∶1`: the
    first over the second, ``"ratio"``) in the folded ``t``; ``None`` for anything else. A quotient whose decimals do
    not end (`1/3`) has :mod:`decimal`'s 28 significant digits."""
    if t in _HALF:
        return Decimal(1) / 2, "fraction"
    m = _OF.fullmatch(t)
    if m:
        whole, part = _single(m.group(1)), _single(m.group(2))
        return (part / whole, "fraction") if whole else None
    for rx, form in ((_SLASH, "fraction"), (_RATIO, "ratio")):
        m = rx.fullmatch(t)
        if m and Decimal(m.group(2)):
            return Decimal(m.group(1)) / Decimal(m.group(2)), form
    return None


def parse_number(text: str) -> Decimal | tuple[Decimal, Decimal]:
    """A number, or ``(low, high)`` for a range such as ``5-7`` or ``5至7``. A fraction (`三分之一`, `1/3`) or a
    ratio (`2.04∶1`) is its quotient."""
    t = _fold(text)
    parts = [p for p in _RANGE_SPLIT.split(t) if p] if not re.fullmatch(r"[+-]?\d+(\.\d+)?", t) else [t]
    if len(parts) == 2:
        return _single(parts[0]), _single(parts[1])
    if len(parts) != 1:
        raise NumberError(f"cannot read {text!r} as a number")
    return _single(parts[0])


# a Chinese numeral written as a whole number (`一千四百三十`, `三亿七千九百一十一万`, `二十`), one section of it
_CN_D = "[一二三四五六七八九两]"
_CN_SECTION = rf"(?:{_CN_D}千)?(?:零?{_CN_D}百)?(?:零?[一二三四五六七八九]?十)?(?:零?[一二三四五六七八九])?"
_CN_WHOLE = re.compile(rf"(?:{_CN_SECTION}亿)?(?:零?{_CN_SECTION}万)?(?:零?{_CN_SECTION})?")
# the units a numeral is read before, after an optional `多`/`余` (`千瓦` before the numerals' `千`)
_CN_UNIT_AFTER = ("(?=[多余]?[万亿]?[多余]?(?:千瓦|千米|千克|千公里|个|元|美元|港元|吨|人|项|所|座|台|辆|户|公里|公斤|公顷|"
                  "平方|立方|亩|倍|番|名|家|种|套|张|部|条|株|头|只|件|艘|架|份|批|斤|年|岁|小时|天|处|位|支))")
_CN_NUMERAL = re.compile(rf"(?<![第“零〇○一二三四五六七八九十百千万亿两点])[一二三四五六七八九十两][零一二三四五六七八九十百千万亿两]*"
                         rf"(?:点[零〇○一二三四五六七八九]+)?{_CN_UNIT_AFTER}")
_CN_PERCENT = re.compile(r"百分之([零一二三四五六七八九十百]+(?:点[零〇○一二三四五六七八九]+)?)(?![到至—－\-零一二三四五六七八九十])")
_ARABIC_NUMBER = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?(?![0-9.]|\s*年)")  # no year


def _arabic(numeral: str) -> str | None:
    """A Chinese numeral (`一千四百三十`, `十二点八`) in Arabic digits, or ``None`` where it is not one number written
    whole (`十四五`, `一九八五`)."""
    whole, _, frac = numeral.partition("点")
    if whole == "零" or (not whole and frac):
        value = 0
    elif whole and _CN_WHOLE.fullmatch(whole):
        value = _chinese_int(whole)
    else:
        return None
    return f"{value}.{''.join(str(_CN_DIGIT[c]) for c in frac)}" if frac else str(value)


def arabic_numerals(text: str) -> tuple[str, list[tuple[int, int]]] | None:
    """``text`` with its Chinese numerals of a quantity written in Arabic digits, as later reports write them
    (`百分之十二点八` -> `12.8%`, `一千四百三十亿元` -> `1430亿元`, `三亿七千九百一十一万吨` -> `37911万吨`), and for each
    character of the new text the range of ``text`` it stands for (a numeral's digits the whole numeral, a
    percent's digits and `%` the whole `百分之…`); ``None`` when there is none. A `百分之…` always counts. Another
    numeral counts when it has two characters or more, reads as one whole number and a unit follows it, in a text
    that writes its quantities so (two numerals or more, and more than a quarter as many as its Arabic numbers, years
    aside: else its numerals are set phrases, `十二个方面`, `过三千亿元城市`, `延长三十年`); single digits (`三年`,
    `一个`), ordinals (`第十五个`), quoted names (`“二十条”`), plan names (`十四五`) and digit strings (`一九八五`)
    stay. The models, trained on Arabic numbers, read them far better (:func:`govie.pipeline.model_view`)."""
    found = []  # (start, end, replacement), the replacement standing for text[start:end]
    for m in _CN_PERCENT.finditer(text):
        digits = _arabic(m.group(1))
        if digits is not None:
            found.append((m.start(), m.end(), digits + "%"))
    taken = bytearray(len(text))
    for a, b, _ in found:
        taken[a:b] = b"\x01" * (b - a)
    percents, arabic = len(found), len(_ARABIC_NUMBER.findall(text))
    for m in _CN_NUMERAL.finditer(text):
        a, b, numeral = m.start(), m.end(), m.group()
        if len(numeral) < 2 or any(taken[a:b]) or not any(c in "十百千万亿点" for c in numeral):
            continue
        mag = numeral[-1] if numeral[-1] in "万亿" and len(numeral) > 1 else ""
        if mag:  # the last magnitude stays a character of its own (`114万人`, `37911万吨`, `10亿`)
            if "点" in numeral:
                continue
            total = _chinese_int(numeral) if _CN_WHOLE.fullmatch(numeral) else None
            if total is None or total % _CN_BIG[mag]:
                continue
            digits, b = str(total // _CN_BIG[mag]), b - 1
        else:
            digits = _arabic(numeral)
        if digits is not None:
            found.append((a, b, digits))
    if len(found) - percents < 2 or 4 * (len(found) - percents) <= arabic:  # quantities in Arabic digits: `百分之…` only
        found = found[:percents]
    if not found:
        return None
    out, ranges, pos = [], [], 0
    for a, b, rep in sorted(found):
        out.append(text[pos:a])
        ranges.extend((i, i + 1) for i in range(pos, a))
        out.append(rep)
        ranges.extend([(a, b)] * len(rep))
        pos = b
    out.append(text[pos:])
    ranges.extend((i, i + 1) for i in range(pos, len(text)))
    return "".join(out), ranges


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
    "微克": "ug", "毫克": "mg",
    "%": "percent", "％": "percent", "‰": "permille", "个百分点": "percentage_point", "百分点": "percentage_point",
    "个千分点": "permille_point", "千分点": "permille_point", "吨公里": "t_km", "人公里": "person_km",
    "倍": "times", "成": "percent",
    "m2": "m2", "m3": "m3", "km": "km", "km2": "km2", "kg": "kg", "kW": "kW", "MW": "MW", "GW": "GW", "kWh": "kWh",
    "GWh": "GWh", "标准箱": "TEU", "升": "L", "千升": "L", "延长米": "m", "微米": "um", "°C": "celsius", "自然日": "day",
    "个自然日": "day", "分钱": "CNY", "毛钱": "CNY", "P": "PFLOPS", "PF": "PFLOPS", "Pflops": "PFLOPS",
    "PFlops": "PFLOPS", "Eflops": "PFLOPS", "EFlops": "PFLOPS", "E": "PFLOPS", "百亿亿次/秒": "PFLOPS",
}
_COUNT = set("个家户项座所条套场次件台辆艘架批种类处栋间张册部只头株棵片块宗笔起支根组轮趟班列床箱对款枚份盏颗群例档节门期回单") | {
    "张床位", "个床位", "批次", "艘次", "班次", "航次", "辆次", "车次", "架次", "户次", "台次", "件次", "剂次", "台套",
    "头只", "个等级"}
# computing power in PFLOPS: `万P` (ten thousand PFLOPS), `EFlops` and `百亿亿次/秒` (10^18 a second) a thousand
_UNIT_MULT = {"成": 10, "千升": 1000, "分钱": Decimal("0.01"), "毛钱": Decimal("0.1"), "Eflops": 1000, "EFlops": 1000,
              "E": 1000, "百亿亿次/秒": 1000}


@dataclass(frozen=True)
class Unit:
    """A unit read: ``multiplier`` times ``canonical``; ``classifier`` for counts (家, 个...)."""

    text: str
    canonical: str | None
    multiplier: Decimal
    classifier: str | None = None


_PER = re.compile(r"/|每")
# units read only in a unit per another: first (`分/千瓦时`: fen, a hundredth of a yuan) or after a `/` (`元/月`)
_PER_FIRST = {"分": ("CNY", Decimal("0.01"))}
_PER_AFTER = {"月": ("month", Decimal(1)), "分": ("minute", Decimal(1))}


def parse_unit(text: str | None) -> Unit:
    """``亿元`` -> Unit(canonical 'CNY', multiplier 1e8); a unit per another (`微克/立方米`, `万吨/年`, `微克每立方米`)
    -> their canonical forms joined by ``/`` and the quotient of their multipliers; unknown units keep
    ``canonical=None``."""
    if not text:
        return Unit("", "number", Decimal(1))
    t = _SPACES_IN.sub("", unicodedata.normalize("NFKC", text).strip())  # a letter-spaced text's `亿 元`
    terms = _PER.split(t)
    if len(terms) > 1 and all(terms) and t not in _BASE:
        only = [_PER_FIRST] + [_PER_AFTER] * (len(terms) - 1)
        units = [Unit(x, *own[x]) if x in own else parse_unit(x) for x, own in zip(terms, only)]
        if any(u.canonical in (None, "number") for u in units):
            return Unit(text, None, Decimal(1))
        mult = units[0].multiplier
        for u in units[1:]:
            mult /= u.multiplier
        return Unit(text, "/".join(u.canonical for u in units), mult)
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
_LOWER_BEFORE = ("超过", "突破", "不低于", "不少于", "至少", "逾", "超", "跃上", "迈上", "站上", "跨越", "跨过", "连跨")
_UPPER_BEFORE = ("不超过", "不高于", "控制在", "低于", "不到")
_APPROX_AFTER = ("左右", "上下")
_LOWER_AFTER = ("以上", "余", "多")
_UPPER_AFTER = ("以内", "以下")

_NEG = re.compile(r"下降|降低|减少|回落|下滑|缩减|缩小|缩短|削减|精简|收窄|下跌|降幅|低于|少于|压减|压缩|减轻|减负|递减")
_CUES = (  # (kind, pattern); the cue nearest the value wins
    # `…生产总值的比例` is a part of a named whole; a `比例` named by the indicator is its level (`转型比例达60%`)
    ("share", re.compile(r"占比|比重|占|份额|的比例|贡献(?!率)")),
    ("growth", re.compile(r"增长(?!点|极|率)|增速|增幅|上涨|涨幅|上升|提速|同比|递增|递减|下降|降低|减少|回落|下滑|下跌|降幅|"
                          r"压减|压缩|减轻|减负|缩减|缩短|削减|精简")),
    # `新增` as the verb (`今年要新增8000万吨…的节能能力`); inside the indicator it names an increment, a level
    # (`拉动消费近390亿元`: the amount a policy brought, a level; `拉动…增长` reads its `增长`)
    ("change", re.compile(r"增加(?!值)|提高|提升|扩大|缩小|高于|低于|多于|少于|新增|净增")),
)
# words of an increase inside the indicator's name name it (`新增高新技术企业`, `合作提升项目`), they say nothing of
# its value; a rate named by the indicator (`对全球经济增长的贡献率`) is its level whatever words it holds
_INCREASE = re.compile(r"增加|提高|提升|扩大|新增|净增")
_RATE_NAME = re.compile(r"(?:率|比例|比率|指数)$")
# raising or upgrading things counted (`巩固提升农村饮水安全工程12处`) counts them, it changes no quantity; so does
# upgrading things measured (`建设提升“四好农村路”600公里`)
_UPGRADE = ("提高", "提升", "扩大")
_UPGRADED_MEASURE = ("km", "m", "m2", "km2", "mu")
# a cue that names a campaign (`乡村建设品质提升行动完成投资310亿元`) is no verb of the value
_NAMED_CAMPAIGN = re.compile(r"行动|工程|计划|专项")
# a value right after these is the new level, not a change: 增至71%, 提高到25%, 降到10%以下
_TO_LEVEL = re.compile(r"(?:至|到|为|达到|达|(?:稳定|保持|控制|维持)在)\s*(?:(?:19|20)\d\d\s*年(?:底|末)?的?)?\s*$")
_GROWTH_IS = re.compile(r"(?:增长|增速|增幅|涨幅)(?:预期目标|目标|预期)?(?:为|是|(?:控制|保持|稳定|维持)在|达到?)\s*$")
_PART_DOES = re.compile(r"\**(?:以上|以下|左右)?[\u4e00-\u9fff](?<![的，])")
_SHARE_AFTER = re.compile(r"\s*(?:以上|以下|左右)?的")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?\n]")
_BOUND_WORD = re.compile(r"不(?:少于|低于|高于|多于|超过)")
# an indicator that names an increment itself (`新增旅居人口`) takes no `新增` of an earlier item as its verb
_INCREMENT_NAME = re.compile(r"新增|净增")


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


_RANGE_START = re.compile(r"\d[^\d\s，。；,;、]{0,3}$")
_RANGE_NEXT = re.compile(r"\s*[-－—–~～]\s*\d")  # `－`: a full-width dash (`6%－6.5%`)
_RANGE_BEFORE = re.compile(r"\d\s*(?:%|‰|个百分点)?\s*[-－—–~～]\s*\**$")
_LIST_TAIL = re.compile(r"(?:\s*[、和及与]\s*[-+]?\d+(?:\.\d+)?\s*[^\d、，。；,;\s]{0,4}?)+\s*(左右|上下|以上|以内|以下)")
_QUAL_BEFORE = ((_UPPER_BEFORE, "upper_bound"), (_APPROX_BEFORE, "approximate"), (_LOWER_BEFORE, "lower_bound"))
_GROWTH_NOUN = re.compile(r"增速|涨幅|增幅|增长率")
# the value before ours in a list of numbers (`不低于740元/月和485元/月`, `分别超过8万元、4.5万元`)
_LIST_PREV = re.compile(r"([-+]?\d+(?:\.\d+)?)([^\d、，。；,;\s和及与]{0,5}?)\s*[、和及与]\s*$")


def _list_head(text: str, v_start: int) -> tuple[int, int, int] | None:
    """The first value of the list of numbers that the value at ``v_start`` goes on (`485` of `提高到不低于740元/月和
    485元/月`): its start, end and its unit's end; ``None`` when the value is no later item of such a list."""
    head, pos = None, v_start
    while (m := _LIST_PREV.search(text, max(0, pos - 24), pos)) is not None:
        head, pos = (m.start(), m.end(1), m.end(2)), m.start()
    return head


_QUAL_AFTER = ((_APPROX_AFTER, "approximate"), (_LOWER_AFTER, "lower_bound"), (_UPPER_AFTER, "upper_bound"))


def _said(text: str, v_start: int) -> str | None:
    """The qualifier of the longest word right before a value (`不低于`, not its `低于`), else ``None``."""
    before = text[max(0, v_start - 6):v_start].rstrip("*")[-4:]
    said = max(((w, qual) for words, qual in _QUAL_BEFORE for w in words if before.endswith(w)),
               key=lambda x: len(x[0]), default=None)
    return said[1] if said else None


def qualifier_of(text: str, v_start: int, v_end: int, u_end: int | None = None) -> str | None:
    """Approximate / lower_bound / upper_bound from the words around a value; a web page's bold marks around it
    (`**5.5%**以上`) are read through."""
    before = text[max(0, v_start - 6):v_start].rstrip("*")[-4:]
    rest = text[(u_end if u_end is not None else v_end):].lstrip("*")
    after = rest[:3]
    if any(after.startswith(w) for w in _APPROX_AFTER):  # `控制在4.5%左右`: the word on the number wins
        return "approximate"
    said = _said(text, v_start)
    if said:
        return said
    if text[v_end:v_end + 1] in ("余", "多"):  # 2000余人次
        return "lower_bound"
    if before.endswith("上") and text[v_start:v_end] in ("百", "千", "万", "亿"):  # 上万支: ten thousand or more
        return "lower_bound"
    for words, qual in _QUAL_AFTER:
        if any(after.startswith(w) for w in words):
            return qual
    # the ends of a range (`增长4.5%—5%`, `1-2个`): the first a floor, the last a ceiling
    if _RANGE_NEXT.match(rest):
        return "lower_bound"
    if _RANGE_BEFORE.search(text, max(0, v_start - 12), v_start):
        return "upper_bound"
    # `分别超过8万元、4.5万元`: the word before a list's first value qualifies each; `分别增长5%和7%左右`: the word after
    # its last value does
    head = _list_head(text, v_start)
    if head and (said := _said(text, head[0])):
        return said
    tail = _LIST_TAIL.match(rest)
    if tail and "分别" in text[max(0, v_start - 30):v_start]:
        return next(q for words, q in _QUAL_AFTER if tail.group(1) in words)
    return None


def blank_name(s: str, at: int, name: tuple[int, int] | None) -> str:
    """``s`` (the text from offset ``at``) with the characters of ``name`` (offsets in the text) inside it blanked,
    the same length."""
    if name is None or name[1] <= at or name[0] >= at + len(s):
        return s
    a, b = max(name[0] - at, 0), min(name[1] - at, len(s))
    return s[:a] + "＿" * (b - a) + s[b:]


def _own_verb(text: str, cue_end: int, v_start: int, indicator: tuple[int, int] | None) -> bool:
    """Whether the list item of the value at ``v_start`` (after the last `、` since a verb ending at ``cue_end``) says
    more than its indicator's name (quoted words, `共`, `等`, `和` aside): a verb of its own."""
    sep = text.rfind("、", cue_end, v_start)
    if sep < 0:
        return False
    item = re.sub(r"“[^”]*”|[共等和及与]", "", blank_name(text[sep + 1:v_start], sep + 1, indicator))
    return bool(re.search(r"[\u4e00-\u9fff]", item))


def kind_of(text: str, v_start: int, unit: Unit, u_end: int | None = None,
            indicator: tuple[int, int] | None = None) -> tuple[str, int]:
    """The kind of value and its sign (-1 for a decrease) from the clause before it; ``indicator``, the offsets of
    the indicator's name, whose own words are read as a name (:data:`_INCREASE`, :data:`_RATE_NAME`)."""
    breaks = [b.end() for b in _CLAUSE_BREAK.finditer(text, max(0, v_start - 40), v_start)]
    w0 = breaks[-1] if breaks else max(0, v_start - 40)
    if text.startswith("其中", w0) and len(breaks) > 1:  # `新增电力装机1800万千瓦，其中非化石能源装机1000万千瓦`
        w0 = breaks[-2]
    window = text[w0:v_start]
    if indicator is not None and _RATE_NAME.search(text[indicator[0]:indicator[1]]):
        window = blank_name(window, w0, indicator)
    elif indicator is not None:  # only the increase words of the name
        for m in _INCREASE.finditer(text, *indicator):
            window = blank_name(window, w0, m.span())
    # qualifiers between the cue and the number do not count: 增长近3倍, 占全国约40%
    core = re.sub(r"(?:大约|约|約|近|超过|超|突破|不低于|不超过|不少于|不多于|不高于|至少|逾)\s*$", "", window)
    # a bound of an earlier item (`耕地保有量不少于5028.04万亩、…面积不少于`) is no fall: `不少于` is no `少于`
    core = _BOUND_WORD.sub(lambda m: "＿" * len(m.group()), core)
    if unit.canonical == "times":
        return "multiple", 1
    found = []
    for kind, rx in _CUES:
        for mm in rx.finditer(core):
            if not _NAMED_CAMPAIGN.match(core, mm.end()):
                found.append((mm.end(), kind, mm.group()))
    found.sort()
    # `新增` is the verb only outside an indicator's name, so a phrase read without one (`城镇新增就业110万人`) has
    # none; and not for a list item with a verb of its own (`新增五星级饭店5家、培育四星级标准饭店40家`)
    if indicator is not None and _INCREMENT_NAME.search(text, *indicator):
        found = [f for f in found if f[2] not in ("新增", "净增")]
    if found and found[-1][2] in ("新增", "净增") and (
            indicator is None or _own_verb(text, w0 + found[-1][0], v_start, indicator)):
        found.pop()
    last = found[-1] if found else None
    neg = bool(last and _NEG.fullmatch(last[2]))
    if unit.canonical in ("percentage_point", "permille_point"):
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
            # `现行16%的税率`: the value of the rate the indicator names after it, a level
            rate_after = indicator is not None and u_end is not None and indicator[0] >= u_end \
                and _RATE_NAME.search(text[indicator[0]:indicator[1]]) \
                and _SHARE_AFTER.fullmatch(text, u_end, indicator[0])
            return ("level" if rate_after else "share"), 1
        # `省级…项目80%以上由企业牵头承担`, `县级综合医院…100%达到国家标准`: the part of the group named that does it
        if is_pct and u_end is not None and indicator is not None and indicator[1] <= v_start \
                and not _RATE_NAME.search(text[indicator[0]:indicator[1]]) \
                and text[indicator[1]:v_start] in ("", "均", "都") and _PART_DOES.match(text, u_end):
            return "share", 1
        return "level", 1
    kind = last[1]
    if kind == "change" and (unit.canonical == "count" or unit.canonical in _UPGRADED_MEASURE and last[2] != "扩大") \
            and last[2] in _UPGRADE and indicator is not None \
            and w0 + last[0] <= indicator[0]:
        return "level", 1
    if kind == "share":
        return ("share", 1) if is_pct else ("level", 1)
    if is_pct:
        return "growth", -1 if neg else 1
    if unit.canonical in (None, "number") and kind == "growth":
        return "level", 1
    return "change", -1 if neg else 1


_NEXT_ITEM = re.compile(r"\s*(?:和|、|及|与|至|到|-|－|—|～|~)\s*[-+]?\d+(?:\.\d+)?\s*")


def _shared_unit(context: str, u_end: int, unit_text: str) -> Unit | None:
    """The unit of the next item of a list or range when it begins with ``unit_text`` and goes on (`8.4个` of
    `8.4个和19.4个百分点`: percentage points, not a count); ``None`` otherwise."""
    m = _NEXT_ITEM.match(context, u_end)
    if not m or not context.startswith(unit_text, m.end()):
        return None
    for n in range(min(6, len(context) - m.end()), len(unit_text), -1):
        unit = parse_unit(context[m.end():m.end() + n])
        if unit.canonical is not None:
            return unit
    return None


def normalize(value_text: str, unit_text: str | None = None, *, context: str | None = None,
              v_start: int | None = None, indicator: tuple[int, int] | None = None) -> Normalized:
    """Read ``value_text`` + ``unit_text``; with ``context`` and the value's offset in it,
    also the kind (level/growth/change/share/multiple) and the qualifier (``indicator``: the offsets of the
    indicator's name in ``context``)."""
    if unit_text and unit_text[0] in "万萬" and re.search(r"[亿億].*[千百十]$", value_text):
        # `1亿3千` + `多万`: the unit's 万 belongs to the numeral's last term (`1亿3千万`, 130 million)
        value_num, unit_rest = value_text + unit_text[0], unit_text[1:]
    else:
        value_num, unit_rest = value_text, unit_text
    num = parse_number(value_num)
    unit = parse_unit(unit_rest)
    if unit_rest == "番" and not isinstance(num, tuple) and num == num.to_integral():  # `翻两番`: two doublings, ×4
        num, unit = Decimal(2) ** num, Unit(unit_text, "times", Decimal(1))
    part = None if unit_rest or isinstance(num, tuple) else _part(_fold(value_num))
    if part is not None:  # `约占全国1/10` is 10 percent, `收入比2.04∶1` the ratio 2.04
        unit = Unit(value_text, "percent", Decimal(100)) if part[1] == "fraction" else Unit(value_text, "ratio",
                                                                                            Decimal(1))
    kind, sign, qual = "level", 1, None
    if context is not None and v_start is not None:
        v_end = v_start + len(value_text)
        u_end = v_end + len(unit_text) if unit_text and context[v_end:v_end + len(unit_text)] == unit_text else None
        if u_end is None and unit_text:
            k = context.find(unit_text, v_end, v_end + 2 + len(unit_text))
            u_end = k + len(unit_text) if k >= 0 else None
        fuller = _shared_unit(context, u_end, unit_text) if u_end is not None and unit_rest == unit_text else None
        if fuller is not None:  # `高于全国、全省8.4个和19.4个百分点`: the list's last unit is the whole one
            unit = fuller
        kind, sign = kind_of(context, v_start, unit, u_end, indicator)
        head = _list_head(context, v_start)
        # a later item of a list of numbers reads as its first (`提高到88%、83.6%`: levels, not growths), unless it is
        # a growth by a noun before the list (`城镇调查失业率、居民消费价格涨幅分别控制在5%和3%`: the list pairs names)
        if head and not (kind == "growth" and _GROWTH_NOUN.search(context, max(0, head[0] - 30), head[0])):
            kind, sign = kind_of(context, head[0], unit, head[2], indicator)
        qual = qualifier_of(context, v_start, v_end, u_end)
        # a minus sign (`增长-2.3%`), not the dash of a range (`5%-5.5%`, `3万-5万`, `1-2个`)
        if v_start > 0 and context[v_start - 1] in "-−－" and not _RANGE_START.search(context, max(0, v_start - 6),
                                                                                     v_start - 1):
            sign = -sign
    if isinstance(num, tuple):
        low, high = (x * unit.multiplier * sign for x in num)
        return Normalized(None, min(low, high), max(low, high), unit.canonical, unit.classifier, kind, qual)
    return Normalized(num * unit.multiplier * sign, None, None, unit.canonical, unit.classifier, kind, qual)
