"""Names from the shipped lexicons where the model left a gap or chose the wrong label.

The model sees the rule baseline's lexicon tags as a feature, yet on documents it
never trained on it still leaves some well-known names untagged (a province's
own name in `爱心甘肃`, `联合国`, `农业农村部`) and calls a bare place name an
ENTITY when an organization word follows (`广东代表团`). Three
repairs, each limited to the lexicon entries whose gold behaviour is clear on
the training and dev splits (README, "Lexicon repair"; the counts below are the
train+dev gold occurrences of the rule baseline's matches,
``python training/lexfill_counts.py``):

* :func:`relabel_places`: a predicted ENTITY whose whole text is a province,
  prefecture or county name of ``regions.tsv`` (full or short form) becomes a
  REGION (3,252 such gold spans are REGION, 7 ENTITY, all brands such as `兴化`, `麒麟`,
  `钟山`, 1 INDICATOR; a place name standing for its airport is a PROJECT, `厦门、福州机场`,
  so PROJECT spans are left alone); relations the new label does not allow
  are dropped.
* :func:`widen_to_organizations`: predicted spans that lie inside an organization
  of ``organizations.txt`` without covering it (`中国` of `中国商飞`, `银行` of `建设银行`),
  with no predicted span reaching across the name's ends, become one ENTITY of the
  whole name: the gold never has a span inside such a name (0 of its 725
  matches), and where no longer gold span holds the name it is an ENTITY 538 times
  of 556 (the rest: 16 PROJECT, 1 REGION, 1 bare; 169 matches lie inside a longer gold span,
  a project or a named product); relations of the replaced spans are dropped.
* :func:`fill_names`: a rule-baseline match that overlaps no predicted span is
  added when it is an organization of ``organizations.txt`` (538 of the 556
  matches outside other gold spans are gold ENTITY spans) or one of these
  places, whole words of the shipped segmenter where marked (W): provinces
  (full names 111 of 111, short forms 1,639 of 1,646), prefecture cities (W: full names 118 of 118, short forms 1,020 of
  1,068), counties' full names (W: 102 of 106), macro-regions, rivers, lakes,
  landforms and the provinces' literary names (`陇原`, `八闽`; W: 1,242 of 1,278; no short forms seen) and countries (W: 79 of 91, short forms 8 of 8) except `中国`, which the reports
  mostly use inside fixed phrases (`中国式现代化`, `中国特色`: 76 of its 161
  matches were untagged in session 9). County short forms (`利通`, `长寿`, `民丰`) and towns
  (`社区`, `开发区`) are never added: too many are ordinary words.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from .schema import Relation, Span, with_labels

RELABEL_LEVELS = frozenset({"province", "city", "county"})
#: level -> (full names, short forms, whole words of the segmenter required); a form is
#: ``(right, matches)``, its train+dev gold count from the module docstring, or None when not added
FILL_LEVELS = {"province": ((111, 111), (1646, 1653), False), "city": ((118, 118), (1021, 1069), True),
               "county": ((102, 106), None, True), "macro": ((1245, 1281), (0, 0), True),
               "country": ((79, 91), (8, 8), True)}
ORGANIZATION_COUNTS = (561, 579)
#: train+dev gold spans that lie inside an organization match without covering it, and the matches
WIDEN_COUNTS = (0, 748)
NEVER_FILLED = frozenset({"中国"})
CONTEXT = 8  # characters segmented on each side of a match


@lru_cache(maxsize=1)
def _lexicons():
    from . import resources
    from .rules.baseline import RuleTagger
    return RuleTagger(), resources.regions(), resources.organizations()


def _whole_words(text: str, start: int, end: int, seg) -> bool:
    """True when the segmenter puts word boundaries at ``start`` and ``end`` (within a line)."""
    a = max(0, start - CONTEXT, text.rfind("\n", 0, start) + 1)
    nl = text.find("\n", end)
    b = min(len(text), end + CONTEXT, nl if nl >= 0 else len(text))
    cuts, pos = {a}, a
    for w in seg.cut(text[a:b]):
        k = text.find(w, pos, b)
        if k < 0:
            return False
        pos = k + len(w)
        cuts.update((k, pos))
        if pos > end:
            break
    return start in cuts and end in cuts


def fill_score(counts: tuple[int, int]) -> float:
    """The score of an added span: the add-one smoothed share of its kind of match that is a gold span
    on the train and dev splits, ``(right + 1) / (matches + 2)``."""
    right, matches = counts
    return (right + 1) / (matches + 2)


def _fillable(surface: str, level: str, canonical: str) -> tuple[tuple[int, int] | None, bool]:
    """(gold counts of this kind of match or None when it is never added, needs whole words)."""
    if surface in NEVER_FILLED or level not in FILL_LEVELS:
        return None, False
    full, short, words = FILL_LEVELS[level]
    return (full if surface == canonical else short), words


def relabel_places(text: str, spans: list[Span], relations: list[Relation]) -> tuple[list[Span], list[Relation]]:
    """ENTITY spans that are exactly a province, prefecture or county name become REGION."""
    regions = _lexicons()[1]
    new = {}
    for s in spans:
        if s.label == "ENTITY":
            hit = regions.get(text[s.start:s.end])
            if hit and hit[0] in RELABEL_LEVELS:
                new[s.id] = replace(s, label="REGION")
    return with_labels(spans, relations, new)


def widen_to_organizations(text: str, spans: list[Span], relations: list[Relation],
                           matches=None) -> tuple[list[Span], list[Relation]]:
    """Spans inside an organization name of the lexicon (not the whole name), with none reaching across
    its ends, replaced by one ENTITY of the name (new id, scored by :func:`fill_score` of
    ``ORGANIZATION_COUNTS``); relations of the replaced spans are dropped. ``matches``: the rule
    baseline's ``spans(text)``, when the caller has them already."""
    rules, _, orgs = _lexicons()
    out, gone = list(spans), set()
    next_id = max((s.id for s in spans), default=-1) + 1
    for start, end, label in (rules.spans(text) if matches is None else matches):
        if label != "ENTITY" or text[start:end] not in orgs:
            continue
        inside = [s for s in out if start <= s.start and s.end <= end]
        if not inside or any(s.start == start and s.end == end for s in inside) or any(
                s.start < end and start < s.end and not (start <= s.start and s.end <= end) for s in out):
            continue
        ids = {s.id for s in inside}
        gone |= ids
        out = [s for s in out if s.id not in ids] + [Span(next_id, "ENTITY", start, end, fill_score(ORGANIZATION_COUNTS))]
        next_id += 1
    if not gone:
        return spans, relations
    return out, [r for r in relations if r.from_id not in gone and r.to_id not in gone]


def fill_names(text: str, spans: list[Span], relations: list[Relation], seg=None,
               matches=None) -> tuple[list[Span], list[Relation]]:
    """``spans`` followed by the organization and place matches of the rule baseline that overlap none
    of them (new ids after the largest one, scored by :func:`fill_score`); ``matches`` as in
    :func:`widen_to_organizations`."""
    rules, regions, orgs = _lexicons()
    covered = bytearray(len(text) + 1)
    for s in spans:
        covered[s.start:s.end] = b"\x01" * (s.end - s.start)
    next_id = max((s.id for s in spans), default=-1) + 1
    added = []
    for start, end, label in (rules.spans(text) if matches is None else matches):
        if label not in ("ENTITY", "REGION") or any(covered[start:end]):
            continue
        surface = text[start:end]
        if label == "ENTITY":
            if surface not in orgs:
                continue
            counts = ORGANIZATION_COUNTS
        else:
            counts, words = _fillable(surface, *regions[surface])
            if counts is None:
                continue
            if words:
                if seg is None:
                    from .wordsnap import _segmenter
                    seg = _segmenter()
                if not _whole_words(text, start, end, seg):
                    continue
        added.append(Span(next_id, label, start, end, fill_score(counts)))
        next_id += 1
    if not added:
        return spans, relations
    return spans + added, relations


def repair(text: str, spans: list[Span], relations: list[Relation]) -> tuple[list[Span], list[Relation]]:
    """:func:`relabel_places`, then :func:`widen_to_organizations`, then :func:`fill_names` (the rule
    baseline's matches found once for both)."""
    matches = list(_lexicons()[0].spans(text))
    spans, relations = widen_to_organizations(text, *relabel_places(text, spans, relations), matches=matches)
    return fill_names(text, spans, relations, matches=matches)
