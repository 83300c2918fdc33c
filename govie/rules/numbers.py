"""Quantities in Chinese report text: a number (arabic, Chinese, decimal, range) and its unit.

``find_quantities`` follows the VALUE/UNIT rules of SCHEMA.md: qualifiers
(约, 超, 余, 左右...) stay outside both spans, and dates, years, ordinals, list
numbers and numbers inside names or codes (``5G``, ``4号线``, ``“20条”``) are not
quantities.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MAGNITUDES = ("万亿", "千亿", "百亿", "十亿", "亿", "千万", "百万", "十万", "万", "千", "百")
CURRENCIES = ("元", "美元", "欧元", "日元", "港元", "英镑", "元人民币")
MEASURES = (
    "个百分点", "百分点", "%", "％", "‰", "倍", "成",
    "人次", "人", "户", "家", "个", "项", "座", "所", "条", "套", "场", "次", "件", "台", "辆", "艘", "架",
    "名", "位", "批", "种", "类", "处", "栋", "间", "张", "册", "部", "只", "头", "株", "棵", "片", "块",
    "宗", "笔", "起", "支", "根", "组", "轮", "趟", "班", "列", "标箱", "箱", "床", "张床位", "个床位",
    "吨标准煤", "吨", "千克", "公斤", "斤", "克", "亩", "公顷", "平方米", "平米", "平方公里", "平方千米", "立方米", "方",
    "公里", "千米", "米", "千瓦时", "千瓦", "千伏安", "千伏", "兆瓦", "吉瓦", "瓦", "度",
    "天", "个工作日", "工作日", "年", "个月", "周", "小时", "分钟", "秒", "岁", "余年",
    "TEU", "GW", "MW", "kW", "KW", "Mbps", "GB", "TB", "PB",
)


def _unit_forms() -> list[str]:
    forms = set(MEASURES) | set(CURRENCIES) | set(MAGNITUDES)
    for m in MAGNITUDES:
        for u in CURRENCIES + MEASURES:
            if u not in ("%", "％", "‰", "个百分点", "百分点", "倍", "成", "余年"):
                forms.add(m + u)
    forms.discard("余年")
    forms.add("年")
    return sorted(forms, key=len, reverse=True)


UNIT_FORMS = _unit_forms()
_UNIT_RE = "|".join(re.escape(u) for u in UNIT_FORMS)

_DIG = "0-9０-９"
_ARABIC = rf"[{_DIG}](?:[{_DIG}]*(?:[,，][{_DIG}]{{3}}(?![{_DIG}]))*)(?:[.．][{_DIG}]+)?"
_CN_DIGITS = "零〇一二两三四五六七八九十百千万"
_CHINESE = rf"[{_CN_DIGITS}]+(?:点[零〇一二三四五六七八九]+)?"
_RANGE_SEP = r"(?:-|—|–|~|～|至|到)"
_NUMBER = rf"(?:{_ARABIC}(?:{_RANGE_SEP}{_ARABIC})?|{_CHINESE}(?:{_RANGE_SEP}{_CHINESE})?)"
_QTY = re.compile(rf"(?P<num>{_NUMBER})(?P<q>余|多)?(?P<unit>{_UNIT_RE})?")

_ORDINAL_BEFORE = ("第", "前", "号")
_DATE_AFTER = re.compile(r"^(?:月|日|号|时|点(?![零〇一二三四五六七八九])|届|大|中全会|五|号线|线|路|期(?!间)|"
                         r"[a-zA-Zａ-ｚＡ-Ｚ]|[+＋])")
_CN_ONLY = re.compile(rf"^[{_CN_DIGITS}]+$")


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    unit_start: int | None = None
    unit_end: int | None = None

    @property
    def unit(self) -> tuple[int, int] | None:
        return None if self.unit_start is None else (self.unit_start, self.unit_end)


def _is_year(num: str, unit: str | None, text: str, end: int) -> bool:
    digits = re.sub(r"[^0-9０-９]", "", num)
    if unit in ("年", None) and re.fullmatch(r"(19|20)\d\d(\s*(-|—|–|~|～|至|到)\s*((19|20)?\d\d))?", num) and (
            unit == "年" or "-" in num or "至" in num or "—" in num):
        return True
    if unit == "年" and re.fullmatch(r"(19|20)\d\d", num):
        return True
    if unit is None and re.fullmatch(r"(19|20)\d\d", num) and text[end:end + 1] in ("—", "-", "至", "到", "～"):
        return True
    return len(digits) == 8 and num.isdigit() and num.startswith("20")


def find_quantities(text: str) -> list[Quantity]:
    """All VALUE (+ UNIT) quantities of ``text``, in order."""
    out: list[Quantity] = []
    for m in _QTY.finditer(text):
        num, unit = m.group("num"), m.group("unit")
        s, e = m.span("num")
        before = text[s - 1] if s > 0 else "\n"
        after_num = text[e:e + 8]
        chinese = bool(_CN_ONLY.match(num.replace("点", "")))
        if before in _ORDINAL_BEFORE or (before.isascii() and before.isalpha()):
            continue
        if before in "+＋" or (s >= 1 and text[s - 1] in "-—" and s >= 2 and text[s - 2] in "年"):
            continue
        if unit is None and _DATE_AFTER.match(after_num):
            continue
        if unit is not None and _DATE_AFTER.match(text[m.end():m.end() + 8]) and unit in ("年", "个", "条", "次"):
            continue
        if _is_year(num, unit, text, e):
            continue
        if unit == "年" and m.end() < len(text) and text[m.end()] in "代度初底末前后中":
            continue
        if chinese:
            if unit is None or (len(num) < 2 and num not in "十百千万"):
                continue
            if unit in ("万", "千", "百") or unit in ("年", "成", "度", "方", "天", "周", "批", "类", "种", "次", "位", "部", "大", "轮", "支", "片", "起", "组"):
                continue
        # a number in quotes with its unit is a name (“20条”), not a quantity
        if before in "“\"「『" and m.end() < len(text) and text[m.end()] in "”\"」』":
            continue
        # list numbers: "1." / "1、" that start an item
        if unit is None and re.match(r"[.．、]\D", after_num[:2] or "") and (s == 0 or text[s - 1] in "\n （(：:。；"):
            continue
        if unit is None and not chinese and re.match(r"^\s*$", num):
            continue
        if unit is None:
            out.append(Quantity(s, e))
        else:
            us, ue = m.span("unit")
            out.append(Quantity(s, e, us, ue))
    return out
