"""The rule tagger: lexicon and pattern matching plus nearest-neighbour relation linking."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import resources
from ..schema import Document, Relation, Span
from ..text import split_sentences
from .numbers import find_quantities

_CJK = r"\u4e00-\u9fff"
_ORG_SUFFIX = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "大学", "学院", "研究院", "研究所",
               "实验室", "银行", "商会", "协会", "医院", "交易所", "管委会")
_ORG_RE = re.compile(rf"[{_CJK}A-Za-z0-9]{{2,14}}?(?:{'|'.join(_ORG_SUFFIX)})")
# characters and words that cannot be inside an organization name's prefix
_ORG_BREAK = re.compile(r".*(?:[的和与及在为对由是把将被从向于同跟等了着过也都还又并而或其以共、]|引进|推动|支持|建设|打造|"
                        r"依托|联合|联手|携手|组建|成立|设立|落户|签约|实施|推进|培育|引导|加快|新增|入驻|吸引|围绕|服务)")
_GENERIC_ORG = {"公司", "集团", "大学", "银行", "商会", "协会", "医院", "国有企业", "龙头企业", "上市公司", "各类企业",
                "民营企业", "子公司", "分公司", "总公司", "金融机构", "高校", "科研院所", "研究院", "实验室"}


def _generic_department(text: str, c: "_Cand") -> bool:
    """A ministry's name that is the start of a generic word: `农业部门`, `国家安全部门`, `农业部长`."""
    return c.label == "ENTITY" and text[c.end - 1] == "部" and text[c.end:c.end + 1] in ("门", "长")


@dataclass
class _Cand:
    start: int
    end: int
    label: str
    prio: int


class _Lexicon:
    """Longest-match lookup: names indexed by their first two characters."""

    def __init__(self, names, label: str, prio: int, min_len: int = 2):
        self.label, self.prio = label, prio
        self.names = frozenset(n for n in names if len(n) >= min_len)
        index: dict[str, set[int]] = {}
        for n in self.names:
            index.setdefault(n[:2], set()).add(len(n))
        self.index = {k: sorted(v, reverse=True) for k, v in index.items()}

    def matches(self, text: str) -> list[_Cand]:
        out, i, n = [], 0, len(text)
        index, names = self.index, self.names
        while i < n - 1:
            lens = index.get(text[i:i + 2])
            if lens:
                for L in lens:
                    if i + L <= n and text[i:i + L] in names:
                        out.append(_Cand(i, i + L, self.label, self.prio))
                        i += L
                        break
                else:
                    i += 1
            else:
                i += 1
        return out


class RuleTagger:
    """Tag a text with the rule baseline.  ``tag(text)`` returns spans and relations."""

    def __init__(self) -> None:
        # an organization's name and a place name of the same priority: the longer
        # match wins (中国移动 over 中国, 阿里地区 over 阿里), the organization on a tie
        self.lexicons = [_Lexicon(resources.companies(), "ENTITY", 2, 4),
                         _Lexicon(resources.indicators(), "INDICATOR", 2),
                         _Lexicon(resources.organizations(), "ENTITY", 1),
                         _Lexicon(resources.regions(), "REGION", 1)]

    # -- spans
    def _orgs(self, text: str) -> list[_Cand]:
        out = []
        for m in _ORG_RE.finditer(text):
            s, e = m.span()
            surface = m.group()
            b = _ORG_BREAK.match(surface)
            if b:
                s += b.end()
            if e - s >= 4 and text[s:e] not in _GENERIC_ORG:
                out.append(_Cand(s, e, "ENTITY", 3))
        return out

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        cands: list[_Cand] = []
        for q in find_quantities(text):
            cands.append(_Cand(q.start, q.end, "VALUE", 9))
            if q.unit:
                cands.append(_Cand(q.unit[0], q.unit[1], "UNIT", 9))
        cands += self._orgs(text)
        for lex in self.lexicons:
            cands += [c for c in lex.matches(text) if not _generic_department(text, c)]
        # greedy: higher priority, then longer, wins; no overlaps
        cands.sort(key=lambda c: (-c.prio, -(c.end - c.start), c.start))
        taken = [False] * (len(text) + 1)
        chosen = []
        for c in cands:
            if any(taken[c.start:c.end]):
                continue
            for k in range(c.start, c.end):
                taken[k] = True
            chosen.append((c.start, c.end, c.label))
        return sorted(chosen)

    # -- relations
    @staticmethod
    def link(text: str, spans: list[Span]) -> list[tuple[int, int, str]]:
        rels: list[tuple[int, int, str]] = []
        by_start = sorted(spans, key=lambda s: s.start)
        k = 0
        for sa, sb in split_sentences(text):
            while k < len(by_start) and by_start[k].start < sa:
                k += 1
            j = k
            while j < len(by_start) and by_start[j].start < sb:
                j += 1
            sent = [s for s in by_start[k:j] if s.end <= sb]
            k = j
            pending: list[Span] = []  # indicators waiting for values
            last_ind: Span | None = None
            values_since: list[Span] = []
            for i, s in enumerate(sent):
                if s.label == "UNIT" and i > 0 and sent[i - 1].label == "VALUE" and sent[i - 1].end == s.start:
                    rels.append((sent[i - 1].id, s.id, "HAS_UNIT"))
                elif s.label == "INDICATOR":
                    if values_since:
                        pending = []
                        values_since = []
                    pending.append(s)
                    last_ind = s
                    # a region or organization right before names whose measure it is
                    if i > 0 and sent[i - 1].label in ("REGION", "ENTITY", "PROJECT") and \
                            s.start - sent[i - 1].end <= 1:
                        rels.append((sent[i - 1].id, s.id, "SUBJECT_OF"))
                elif s.label == "VALUE":
                    if len(pending) > 1 and "分别" in text[pending[-1].end:s.start] or \
                            (len(pending) > 1 and values_since):
                        k = len(values_since)
                        if k < len(pending):
                            rels.append((pending[k].id, s.id, "HAS_VALUE"))
                    elif last_ind is not None and s.start - last_ind.end <= 40:
                        rels.append((last_ind.id, s.id, "HAS_VALUE"))
                    values_since.append(s)
                elif s.label == "REGION" and i > 0 and sent[i - 1].label in ("PROJECT", "ENTITY"):
                    between = text[sent[i - 1].end:s.start]
                    if re.search(r"落户|位于|落地|在", between) and len(between) <= 8:
                        rels.append((sent[i - 1].id, s.id, "LOCATED_IN"))
        return rels

    def tag(self, text: str) -> tuple[list[Span], list[Relation]]:
        spans = [Span(i + 1, lab, s, e) for i, (s, e, lab) in enumerate(self.spans(text))]
        rels = [Relation(i + 1, a, b, t) for i, (a, b, t) in enumerate(self.link(text, spans))]
        return spans, rels


_TAGGER: RuleTagger | None = None


def preannotate(doc_id: str, text: str, meta: dict | None = None) -> Document:
    """A document pre-annotated by the rule baseline."""
    global _TAGGER
    if _TAGGER is None:
        _TAGGER = RuleTagger()
    spans, rels = _TAGGER.tag(text)
    return Document(doc_id, text, dict(meta or {}), spans, rels)
