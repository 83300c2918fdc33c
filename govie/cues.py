"""Names whose label the words after their list decide.

A list of names closed by `等` and a head noun says what the names are: in `牧原、宇通、华兰等一批龙头企业`
and `宁夏警官职业学院等院校` they are organizations, whatever the character model called them (it
calls a firm it has never seen a PROJECT, or a brand that is also a place a REGION). The first head noun
of :data:`HEADS` after `等` decides (`中德、中日等园区新签约企业` lists parks, not firms); where it is one of
:data:`ORGANIZATION_HEADS`, :func:`relabel_listed_organizations` makes every predicted PROJECT or REGION
of the list an ENTITY. In the gold of the training and dev splits, :data:`ORGANIZATION_COUNTS` of the
REGION, ENTITY and PROJECT spans of such lists are ENTITY spans (the one exception: `北方工业大学延庆校区等
市属高校新校区`, a campus); ``python training/cue_counts.py`` recounts them.

Where the list's head also says its members are firms that stand out (`等一批行业领军企业`, `等全球知名企业`,
`等头部企业`: :data:`FIRM_TAIL`), a listed name the model left untagged is one too: :func:`fill_listed_firms` adds
an ENTITY span for every item after the list's first (whose start a verb may share: `支持超聚变`) that no
predicted span touches (`超聚变、中创智领、许继、平高等领军企业`), or for the rest of an item after a predicted place
(`意大利世科姆`). In the train and dev gold :data:`FIRM_COUNTS` of such items are ENTITY spans (the exception:
`高新数字、建筑材料等龙头企业`, sectors); lists of sectors say `等领域…`, `等行业…`, which the pattern leaves out.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .lexfill import fill_score
from .schema import NAME_LABELS, Relation, Span, with_labels

ORGANIZATION_HEADS = ("企业", "公司", "集团", "车企", "药企", "厂商", "机构", "院校", "高校", "大学")
#: every head noun that can close a list, organizations or not; the first one after `等` decides
HEADS = ORGANIZATION_HEADS + ("科研院所", "院所", "单位", "银行", "医院", "实验室", "平台", "园区", "基地",
                              "项目", "工程", "中心", "港口", "机场", "景区")
#: (ENTITY spans, all REGION/ENTITY/PROJECT spans) of such lists in the train+dev gold
ORGANIZATION_COUNTS = (171, 172)
# a character inside one clause of a list's tail (Chinese or ASCII punctuation ends it)
_IN_CLAUSE = r"[^，。；、,;\n]"
TAIL = re.compile(r"等(?:一批|多家|\d+[家个所]|[一二两三四五六七八九十百千]+[家个所]|全球知名|国内外知名|知名)?"
                  + _IN_CLAUSE + r"{0,8}?(" + "|".join(sorted(HEADS, key=len, reverse=True)) + ")")
#: `等` and a head that calls the listed names leading firms (not after `等领域`, `等行业`, `等产业`: sectors)
FIRM_TAIL = re.compile(r"等(?!领域|行业|产业)" + _IN_CLAUSE + r"{0,6}?(?:龙头|领军|头部|知名|新锐|骨干|一流|独角兽|链主)"
                       + _IN_CLAUSE + r"{0,4}?(?:企业|公司|集团)")
#: (ENTITY items, all items) of the lists :func:`fill_listed_firms` fills, in the train+dev gold
FIRM_COUNTS = (31, 32)
# (ASCII `,;:!?` too: some texts punctuate Chinese with them)
LIST_STOPS = frozenset("、，。；：！？,;:!?\n（）()“”《》")


def list_heads(text: str, spans: list[Span]) -> dict[int, str]:
    """span id -> the head noun closing the `、` list of names it belongs to (for REGION, ENTITY and PROJECT spans
    followed, over `、` and further such spans, by `等` and a head noun of :data:`HEADS`)."""
    names = sorted((s for s in spans if s.label in NAME_LABELS), key=lambda s: (s.start, -s.end))
    by_start = {s.start: s for s in names}
    out = {}
    for s in names:
        cur = s
        while cur.end < len(text) and text[cur.end] == "、" and cur.end + 1 in by_start:
            cur = by_start[cur.end + 1]
        m = TAIL.match(text, cur.end)
        if m:
            out[s.id] = m.group(1)
    return out


def relabel_listed_organizations(text: str, spans: list[Span],
                                 relations: list[Relation]) -> tuple[list[Span], list[Relation]]:
    """PROJECT and REGION spans of a list closed by an organization head (:func:`list_heads`) become
    ENTITY; relations the new label does not allow are dropped."""
    heads = list_heads(text, spans)
    new = {s.id: replace(s, label="ENTITY") for s in spans
           if s.label != "ENTITY" and heads.get(s.id) in ORGANIZATION_HEADS}
    return with_labels(spans, relations, new)


def firm_list_items(text: str) -> list[tuple[int, int]]:
    """(start, end) of the items after the first of every `、` list closed by :data:`FIRM_TAIL`: names of two to
    ten characters without digits."""
    out = []
    for m in FIRM_TAIL.finditer(text):
        items, end = [], m.start()
        while True:
            k = end
            while k > 0 and text[k - 1] not in LIST_STOPS:
                k -= 1
            items.append((k, end))
            if k == 0 or text[k - 1] != "、":
                break
            end = k - 1
        out += [(a, b) for a, b in items[:-1] if 2 <= b - a <= 10 and not any(c.isdigit() for c in text[a:b])]
    return sorted(out)


def fill_listed_firms(text: str, spans: list[Span],
                      relations: list[Relation]) -> tuple[list[Span], list[Relation]]:
    """An ENTITY span for each item of :func:`firm_list_items` that no span touches, or for its rest after the
    places that start it; scored by :data:`FIRM_COUNTS`."""
    added: list[Span] = []
    next_id = max((s.id for s in spans), default=-1) + 1
    for a, b in firm_list_items(text):
        touching = [s for s in spans + added if s.start < b and a < s.end]  # two lists can share items
        if touching:
            if any(s.label != "REGION" for s in touching) or min(s.start for s in touching) != a:
                continue
            a = max(s.end for s in touching)
        if b - a >= 2:
            added.append(Span(next_id, "ENTITY", a, b, fill_score(FIRM_COUNTS)))
            next_id += 1
    return (spans + added, relations) if added else (spans, relations)


def repair(text: str, spans: list[Span], relations: list[Relation]) -> tuple[list[Span], list[Relation]]:
    """The list cues in order: :func:`relabel_listed_organizations`, then :func:`fill_listed_firms`."""
    return fill_listed_firms(text, *relabel_listed_organizations(text, spans, relations))
