"""From spans and relations to the indicator table: one row per indicator–value pair."""
from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Any

from .normalize import _CLAUSE_BREAK, NumberError, blank_name, normalize
from .schema import Document, Span
from .text import arabic_years, fold_forms, spacing_gaps, split_sentences, without_positions

_YEAR = re.compile(r"((?:19|20)\d\d)\s*年(?![代度]?\s*[-—至到])")
# a range of years (`1979到1983年`, `1979—1983年`, `2021年至2025年`): its last year, from its first
_YEARS = re.compile(r"((?:19|20)\d\d)\s*年?\s*[-—–~～至到]\s*((?:19|20)\d\d)\s*年(?![代度])")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+部分)")
_PART = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
_OPENING_YEAR = re.compile(r"((?:19|20)\d\d)\s*年(?:是|，|,)")
# a part of the report (`一、2024年工作回顾`, `第二部分`, an unnumbered title line): its review or plan words set the
# status of the lines under it; a sub-heading (`（一）锚定目标攻坚，…`) names a theme, not a part, and sets none
_SUBHEADING = re.compile(r"^\s*(?:（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))")
# A five-year plan named as the time of a figure: `“十四五”时期`, `十四五期间`, `十四五以来` cover its five
# years (period_from .. period); `十四五末` is its last year. A bare name (`编制“十五五”规划`) is not a time.
_PLAN = re.compile(r"十([一二三四五六七八九])五[”\"’']?\s*(时期|期间|以来|期末|末)")
_PLAN_NO = {c: 10 + i for i, c in enumerate("一二三四五六七八九", 1)}
# the words of a figure for several years (`年均增长`, `累计`, `五年新增`, `十年来`)
_MULTI_YEAR = re.compile(r"年均|平均每年|每年平均|累计|[五十]年(?!代)|[两三四五六七八九十]年来")
# A heading's time named from the report's year (`一、过去五年工作回顾`, the State Council's 2008 report;
# `三、对今年政府工作的建议`): (pattern, last year, first year) relative to it
_HEADING_RELATIVE = ((re.compile(r"过去的?五年"), -1, -5), (re.compile("今年"), 0, None), (re.compile("过去一年"), -1, None))
# A paragraph of a review that opens a stretch of its own time, up to the next one or the next part: `这五年，…`,
# `——这是…的五年。`, `五年来，…`, `“十四五”时期是…的五年。` (the five years) or `刚刚过去的2025年，…`, `过去一年，…`,
# `一年来，…` (one year). A five-year review part interleaves the two (README, "How right is the table?").
_OPENING = re.compile(r"^(?:各位代表[！!，,]\s*)?(?:——)?")
_FIVE_OPENING = re.compile(r"五年来|过去的?五年|这五年|的五年|五年间")
_ONE_OPENING = re.compile(r"^(?:刚刚过去的|过去的)?((?:19|20)\d\d)\s*年(?:是|，|,|很|极)|过去一年|一年来|^今年(?:是|，|,)")
# In five years' stretch a level is a sum over the five years when the clause says something was done or added in
# them (`新增…9个`, `建成520个`, `实施…超2000个`); else it is the state at their end (`机械化率90%`, `装机达到…`).
_FLOW = re.compile(r"新增|净增|新建|新设|新开|新改|建成|开工|改造|治理|实施|完成|引进|培育|组建|创建|认定|获批|开通|"
                   r"投入|筹集|招引|签约|出让|减免|发放|化解|解决|输转|帮扶|退出|累计|支持|配备|参与|利用|援助|资助|吸引")
# an indicator that names a rate or ratio (`研发投入强度`, `…占比`) is a state, whatever flow words its name holds
_STATE_NAME = re.compile(r"(?:率|比例|比率|比重|占比|指数|强度)$")
# a change or growth in a five years' stretch is over the five years unless it is said to be over one year
_ONE_YEAR_CHANGE = re.compile(r"同比|上年|全年|去年")
# the first value of a change from one state to another (`由9.8%降至7.5%`, `从每月70元提高到88元`) is the state
# before the time the text is about: the end of the year before it
_FROM = re.compile(r"[由从](?:每[月年人户天])?\s*$")
_TO = re.compile(r"^\s*(?:(?:提高|提升|增加|增长|上升|下降|降低|减少|缩小|扩大|压缩|压减|缩减|缩短|跃升|攀升|回落|上调|下调|"
                 r"降|升|增|减)(?:到|至)|(?:调整|变|降|升)为)")
# a glossary at the end of a report (`名词解释`) defines terms; its numbers are of no time
_GLOSSARY = re.compile(r"^(?:附[：:]?)?(?:名词解释|注释|名词注释)")
_TIMELESS = (0, None)
# a year named relative to the report's (`去年…超收7239亿元`); `比去年`, `较去年` compare, they date nothing
_RELATIVE = re.compile(r"(?<![比较同与上])(去|今|明)年")
_ACTUAL_HEAD = re.compile(r"执行情况|完成情况|工作回顾|回顾")
_TARGET_HEAD = re.compile(r"预期目标|主要目标|计划草案|计划|目标|安排|任务|工作重点|重点工作|总体要求|部署|"
                          r"今年(?:重点|主要|的?工作)")  # a news item's `今年重点做好十个方面…`
# a review or plan heading inside a long line, where a web page lost the line breaks (`…意见和建议。2019年工作回顾过去一年，
# …`, `…2020年工作安排2020年是…`): a year and a part's name right after the end of a sentence
_INLINE_HEAD = re.compile(r"(?<=[。！？!?\s])((?:19|20)\d\d)\s*年\s*(?:(?:政府|主要)?工作回顾|(?:主要|重点)?工作(?:安排|任务)|重点工作)")
# the value of a rule in force (`将…现行16%的税率降至13%`): a fact, whatever the plan does to it
_IN_FORCE = re.compile(r"现行\s*$")
_EST = ("预计",)
_TARGET = ("力争", "目标", "预期", "计划", "确保", "争取", "拟", "要", "将")


@dataclass
class Record:
    indicator: str | None
    value_text: str
    unit_text: str | None
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    unit: str | None
    classifier: str | None
    kind: str
    qualifier: str | None
    period: int | None
    period_from: int | None
    status: str
    region: str | None
    subject: str | None
    sentence: str
    start: int
    end: int
    indicator_start: int | None
    indicator_end: int | None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("value", "low", "high"):
            if d[k] is not None:
                d[k] = format(d[k].normalize(), "f") if d[k] == d[k].to_integral() else str(d[k])
        return d


def _headings(text: str, year: int | None = None) -> list[tuple[int, tuple[int, int | None] | None, str | None]]:
    """(offset, (year, first year or None) or None, status hint) of every heading-like line, and of every paragraph
    of a review that opens a stretch of its own time (:data:`_FIVE_OPENING`, :data:`_ONE_OPENING`; no hint, or
    ``"target"`` where it opens the report's year in a part of no status). A hint ``""``: a part of no status.
    ``year``: the year the report was delivered."""
    out = []
    pos = 0
    lines = text.split("\n")
    for k, line in enumerate(lines):
        stripped = line.strip()
        if _GLOSSARY.match(stripped) and len(stripped) <= 12:
            out.append((pos, _TIMELESS, "actual"))
        # a lead-in (`一年来，…我们主要做了以下工作：`) is a sentence, not a heading
        elif stripped and len(stripped) <= 80 and not stripped.endswith(("：", ":")) and (
                _HEADING.match(stripped) or (_ACTUAL_HEAD.search(stripped) or _TARGET_HEAD.search(stripped))
                and not stripped.endswith(("。", "；"))):
            times = _times(stripped)
            if not times and year is not None:  # `一、过去五年工作回顾`, `三、对今年政府工作的建议`, `一、过去一年…`
                times = next(([(0, year + last, None if first is None else year + first)]
                              for rx, last, first in _HEADING_RELATIVE if rx.search(stripped)), [])
            # `“十四五”时期和2025年工作回顾`: the year written is the lines' default, the plan's years their frame
            single = [t for t in times if t[2] is None]
            time = (single or times)[0][1:] if times else None
            if time is None and _PART.match(stripped):
                # a part titled without a year (`一、牢记殷殷嘱托，…取得新成效`) that opens with one (`2024年是…`)
                first = next((x.strip() for x in lines[k + 1:k + 3] if x.strip()), "")
                m = _OPENING_YEAR.match(first)
                # else the document's year: a part's year does not run on into the next part
                time = (int(m.group(1)), None) if m else (None, None)
            hint = None
            if not _SUBHEADING.match(stripped):
                hint = "actual" if _ACTUAL_HEAD.search(stripped) else ("target" if _TARGET_HEAD.search(stripped) else None)
                if hint is None and _PART.match(stripped):
                    # a part titled without review or plan words (`三、一鼓作气勇争先，…`) about the report's own year
                    # (`2026年是“十五五”开局之年`) is its plan; about an earlier one, its review; else it has no
                    # status of its own ("") and none of the part before it
                    known = time and time[0] is not None and year is not None
                    hint = ("target" if time[0] >= year else "actual") if known else (
                        None if _part_hint(out) == "target" else "")  # the parts after the plan's go on with it
            if time is not None or hint is not None:
                out.append((pos, time, hint))
        elif stripped and out and year is not None:
            frame = _opening_frame(stripped, out, year)
            if frame is not None:
                # `2025年是“十四五”规划收官…之年` opening a 2025 report's untitled part: its plan
                plan = _part_hint(out) == "" and frame[1] is None and frame[0] >= year
                out.append((pos, frame, "target" if plan else None))
        if len(stripped) > 80:
            for m in _INLINE_HEAD.finditer(line):
                hint = "actual" if _ACTUAL_HEAD.search(m.group()) else "target"
                out.append((pos + m.start(), (int(m.group(1)), None), hint))
        pos += len(line) + 1
    return out


def _part_hint(heads: list) -> str | None:
    """The status hint in force after ``heads``: the last one given."""
    return next((h[2] for h in reversed(heads) if h[2] is not None), None)


def _opening_frame(paragraph: str, heads: list, year: int) -> tuple[int, int | None] | None:
    """The time a review paragraph opens (its first sentence, up to 40 characters; a five-year one also its second),
    given the headings and frames ``heads`` above it; ``None`` when it opens none or stands in a plan part."""
    if _part_hint(heads) == "target":
        return None
    sentences = re.split(r"[。！!]", paragraph[_OPENING.match(paragraph).end():], maxsplit=2)
    first = sentences[0][:40]
    five, one = _FIVE_OPENING.search(first), _ONE_OPENING.search(first)
    if not five and not one and len(sentences) > 1:  # `2025年主要目标任务的完成，…。回望过去五年，…`
        five = _FIVE_OPENING.search(sentences[1][:40])
    plan = _PLAN.search(first)
    if plan and plan.group(2).endswith("末"):
        plan = None
    if one and not (five and five.start() < one.start()) and not (plan and plan.start() < one.start()):
        return (int(one.group(1)) if one.group(1) else year if one.group().startswith("今年") else year - 1, None)
    if plan:
        return plan_years(plan.group(1))[::-1]
    if five:
        above = next((h[1] for h in reversed(heads) if h[1] is not None), None)
        return above if above is not None and above[1] is not None else (year - 1, year - 5)
    return None


def plan_years(name_digit: str) -> tuple[int, int]:
    """First and last year of the five-year plan 十N五 (N a Chinese digit): 十四五 → (2021, 2025)."""
    start = 1981 + 5 * (_PLAN_NO[name_digit] - 6)  # the regular cycle since the sixth plan (1981–1985)
    return start, start + 4


def _times(s: str) -> list[tuple[int, int, int | None]]:
    """(offset, year, first year or None) of each year, range of years or five-year-plan time written in ``s``."""
    ranges = [(m.start(), m.end(), int(m.group(2)), int(m.group(1))) for m in _YEARS.finditer(s)
              if int(m.group(1)) < int(m.group(2)) and not _compared(s, m.start())]
    out = [(a, last, first) for a, _, last, first in ranges]
    out += [(m.start(), int(m.group(1)), None) for m in _YEAR.finditer(s) if not _compared(s, m.start())
            and not any(a <= m.start() < b for a, b, _, _ in ranges)]
    for m in _PLAN.finditer(s):
        if not _compared(s, m.start()):
            a, b = plan_years(m.group(1))
            out.append((m.start(), b, None if m.group(2).endswith("末") else a))
    return sorted(out)


def _compared(s: str, at: int) -> bool:
    """Whether the time at ``s[at:]`` is the base of a comparison (`比2020年增长`, `较“十三五”时期增长148%`), not the
    time of a figure."""
    return s[:at].rstrip("“”\"'‘’ ").endswith(("比", "较", "与", "同"))


# `要` and `将` inside other words (`主要`, `重要`, `需要`, `要求`, `将士`) are no target cue
_NOT_CUE = re.compile(r"[主重需纲首摘]要|要[求素点件]|将士")


def _clause_starts(s: str) -> list[int]:
    """The offsets at which the clauses of ``s`` begin (0 and after each clause break)."""
    return [0] + [m.end() for m in _CLAUSE_BREAK.finditer(s)]


def _status(sentence_before: str, heading_hint: str | None) -> str:
    """Estimate after `预计` in the sentence; target after a plan word; else the part's status (actual when none).
    Under a review (``heading_hint`` actual) a plan word counts only in the value's own clause: `聚焦…目标任务体系，
    …增长8.4%` is a result, `力争…达到` a target."""
    text = _NOT_CUE.sub(lambda m: "＿" * len(m.group()), sentence_before)
    clause = text[_clause_starts(text)[-1]:]
    scope = clause if heading_hint == "actual" else text
    best, where = None, -1
    for w in _EST:
        p = text.rfind(w)
        if p > where:
            best, where = "estimate", p
    for w in _TARGET:
        if w == "争取" and heading_hint == "actual":
            continue  # a review's `争取中央资金…` is money obtained
        p = scope.rfind(w)
        if p >= 0 and p + len(text) - len(scope) > where:
            best, where = "target", p + len(text) - len(scope)
    if best:
        return best
    return heading_hint or "actual"


def _over_the_years(kind: str, before: str, value: str, name: str = "") -> bool:
    """Whether a value in a stretch of several years (a five-year review) is a figure for all of them: a change over
    them, or a sum of what was done in them (:data:`_FLOW`), not the state at their end. A level of a rate or ratio
    (the indicator ``name`` says so: `研发投入强度`) is a state whatever words its name holds."""
    if kind == "level" and _STATE_NAME.search(name):
        return False
    starts = _clause_starts(before)
    clause = before[starts[-1]:]
    if clause.startswith("其中"):  # `新增公路19.2万公里，其中高速公路2.8万公里`
        clause = before[starts[max(len(starts) - 2, 0)]:]
    if kind in ("growth", "change", "multiple"):
        return not _ONE_YEAR_CHANGE.search(clause + value)
    return kind == "level" and bool(_FLOW.search(clause))


def build_records(doc: Document) -> list[Record]:
    """One record per HAS_VALUE relation of ``doc``, read as the models read it (:func:`govie.text.fold_forms`:
    `２００１年` names a year as `2001年` does), its years in Chinese digits as Arabic ones
    (:func:`govie.text.arabic_years`: `一九八五年`). A letter-spaced text (`增 长 6 . 5 %`, `7 4 7 7 2 亿元`:
    :func:`govie.text.spacing_gaps`) is read without its spaces, and its records keep the text and offsets as
    given."""
    # `２００１年` and `一九八五年` date a figure as `2001年` and `1985年` do; one character for one
    folded = arabic_years(fold_forms(doc.text))
    gaps = spacing_gaps(folded)
    if not gaps:
        return _records(replace(doc, text=folded), doc.text, None)
    view, kept = without_positions(folded, gaps)
    at = {k: i for i, k in enumerate(kept)}
    spans = [replace(s, start=at[s.start], end=at[s.end - 1] + 1) for s in doc.entities]
    return _records(replace(doc, text=view, entities=spans), doc.text, kept)


def _records(doc: Document, given: str, kept: list[int] | None) -> list[Record]:
    """:func:`build_records` on ``doc``, whose characters are those of ``given`` at the offsets ``kept`` (``None``:
    the same text): the records' texts and offsets are those of ``given``."""
    text = doc.text
    if kept is None:
        orig, at = (lambda a, b: given[a:b]), (lambda x: x)
    else:
        orig, at = (lambda a, b: given[kept[a]:kept[b - 1] + 1]), kept.__getitem__
    by_id = {s.id: s for s in doc.entities}
    unit_of: dict[int, Span] = {}
    subj_of: dict[int, list[Span]] = {}
    for r in doc.relations:
        if r.type == "HAS_UNIT" and r.from_id in by_id and r.to_id in by_id:
            unit_of[r.from_id] = by_id[r.to_id]
        elif r.type == "SUBJECT_OF" and r.from_id in by_id:
            subj_of.setdefault(r.to_id, []).append(by_id[r.from_id])
    sents = split_sentences(text)
    sent_starts = [a for a, _ in sents]
    meta_year = doc.meta.get("year")
    heads = _headings(text, meta_year if isinstance(meta_year, int) else None)
    head_pos = [h[0] for h in heads]
    meta_region = doc.meta.get("region")
    records = []
    for r in doc.relations:
        if r.type != "HAS_VALUE" or r.from_id not in by_id or r.to_id not in by_id:
            continue
        head, val = by_id[r.from_id], by_id[r.to_id]
        unit = unit_of.get(val.id)
        k = bisect.bisect_right(sent_starts, val.start) - 1
        sa, sb = sents[k] if k >= 0 else (0, len(text))
        v_text = text[val.start:val.end]  # the normalizer reads the text without its spacing
        u_text = text[unit.start:unit.end] if unit else None
        try:
            n = normalize(v_text, u_text, context=text, v_start=val.start,
                          indicator=(head.start, head.end) if head.label == "INDICATOR" else None)
        except NumberError:
            n = None
        h = bisect.bisect_right(head_pos, val.start) - 1
        head_time = next((heads[j][1] for j in range(h, -1, -1) if heads[j][1] is not None), (None, None))
        if head_time == (None, None):
            head_time = (meta_year, None)
        head_hint = next((heads[j][2] for j in range(h, -1, -1) if heads[j][2] is not None), None) or None
        before = text[sa:val.start]
        times = _times(before)  # the sentence's last time, else its heading's, else the document's year
        if isinstance(meta_year, int):
            times = sorted(times + [(m.start(), meta_year + "去今明".index(m.group(1)) - 1, None)
                                    for m in _RELATIVE.finditer(before)])
        period, period_from = times[-1][1:] if times else head_time
        after = text[(unit.end if unit else val.end):]
        from_state = period and _FROM.search(before) and _TO.match(after)  # `由9.8%降至7.5%`: 9.8%
        if from_state and not times:
            period, period_from = (period_from or period) - 1, None  # the state before the time in view
        elif from_state and period_from is not None:
            period, period_from = period_from, None  # `2020年到2025年，…比重从17.9%提升到35.5%`: 17.9% is 2020's
        elif period_from is not None and (times or not _MULTI_YEAR.search(text[sa:val.end])) \
                and not _over_the_years(n.kind if n else "level", before, text[val.start:val.end],
                                        text[head.start:head.end] if head.label == "INDICATOR" else ""):
            # a state in a range of years is its last year's (35.5%: 2025); a heading's plan frames the lines, and
            # a figure of several years under it says so
            period_from = None
        if (period, period_from) == _TIMELESS:
            period = None
        if head_hint == "target" and times and isinstance(meta_year, int) and times[-1][1] < meta_year:
            head_hint = "actual"  # a plan part's `去年…超收7239亿元`: its own sentence dates it before the plan
        region, subject = meta_region, None
        indicator = None
        if head.label == "INDICATOR":
            indicator = head
            for s in subj_of.get(head.id, []):
                if s.label == "REGION":
                    region = orig(s.start, s.end)
                else:
                    subject = orig(s.start, s.end)
        else:
            if head.label == "REGION":
                region = orig(head.start, head.end)
            else:
                subject = orig(head.start, head.end)
        # the words of the indicator's name (`…特殊支持计划专家`) are no cue of status
        name_blanked = blank_name(before, sa, indicator and (indicator.start, indicator.end))
        records.append(Record(
            indicator=orig(indicator.start, indicator.end) if indicator else None,
            value_text=orig(val.start, val.end), unit_text=orig(unit.start, unit.end) if unit else None,
            value=n.value if n else None, low=n.low if n else None, high=n.high if n else None,
            unit=n.unit if n else None, classifier=n.classifier if n else None,
            kind=n.kind if n else "level", qualifier=n.qualifier if n else None,
            period=period, period_from=period_from,
            status="actual" if _IN_FORCE.search(before) else _status(name_blanked, head_hint),
            region=region, subject=subject,
            sentence=orig(sa, sb), start=at(val.start), end=at(val.end - 1) + 1,
            indicator_start=at(indicator.start) if indicator else None,
            indicator_end=at(indicator.end - 1) + 1 if indicator else None))
    records.sort(key=lambda x: (x.start, x.indicator_start or 0))
    return records
