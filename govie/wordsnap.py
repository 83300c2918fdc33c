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
(`tests/test_wordsnap.py` checks it), so :func:`trim_function_tails` cuts them off.

    >>> snap_ends("农业综合机械化水平达到88%", [Span(1, "INDICATOR", 0, 8)])   # doctest: +SKIP
    [Span(id=1, label='INDICATOR', start=0, end=9, score=None)]
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from .resources import organizations
from .schema import Span

SNAP_LABELS = frozenset({"INDICATOR", "PROJECT", "ENTITY"})
NAME_LABELS = frozenset({"REGION", "ENTITY", "PROJECT"})
CONTEXT = 8  # characters segmented on each side of an end
# Predicate characters that follow a measure's name (GUIDELINES: cue words stay out). The
# segmenter sometimes fuses one with the name's last character (`参保率达`, `获奖数居`):
# an end is never moved over one of them.
CUE_CHARS = frozenset("达居为占至到超增降较")
# Adverbs, prepositions and conjunctions that follow a measure's name (`拟` plans to, `均` all, `近` nearly,
# `从` from, `由` from, `都` all, `或` or, `和` and, `等` and so on) and never end one in the gold.
TAIL_FUNCTION_CHARS = frozenset("拟均近或等从和都由")


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
    """``spans`` with the :data:`TAIL_FUNCTION_CHARS` at the end of each INDICATOR span cut off (never to
    nothing)."""
    out = []
    for s in spans:
        end = s.end
        while s.label == "INDICATOR" and end - s.start > 1 and text[end - 1] in TAIL_FUNCTION_CHARS:
            end -= 1
        out.append(s if end == s.end else replace(s, end=end))
    return out


def drop_one_char_names(spans: list[Span], relations: list) -> tuple[list[Span], list]:
    """``spans`` without the one-character ``NAME_LABELS`` spans, ``relations`` without those that use them."""
    gone = {s.id for s in spans if s.label in NAME_LABELS and s.end - s.start == 1}
    if not gone:
        return spans, relations
    return ([s for s in spans if s.id not in gone],
            [r for r in relations if r.from_id not in gone and r.to_id not in gone])


def snap_batch(texts: list[str], results: list[tuple[list[Span], list]],
               lexicon: bool = True) -> list[tuple[list[Span], list]]:
    """:func:`snap_ends`, :func:`trim_function_tails` and :func:`drop_one_char_names` over a tagger's
    ``(spans, relations)`` per text, then (``lexicon``) :func:`govie.lexfill.repair`; relations refer to span
    ids."""
    from .lexfill import repair
    out = [drop_one_char_names(trim_function_tails(t, snap_ends(t, spans)), rels)
           for t, (spans, rels) in zip(texts, results)]
    return [repair(t, *r) for t, r in zip(texts, out)] if lexicon else out
