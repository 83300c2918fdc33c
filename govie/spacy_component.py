"""govie as a spaCy pipeline component.

    import spacy
    nlp = spacy.blank("zh")
    nlp.add_pipe("govie")                      # config: {"model": "default", "batch_size": 16}
    doc = nlp(text)
    doc.ents                                   # every predicted span, exact character offsets
    doc._.relations                            # [(type, head Span, tail Span, score), ...]
    doc._.records                              # the indicator table (govie Record objects)
    doc._.govie                                # the govie Extraction

The factory is exposed through the ``spacy_factories`` entry point, so
``nlp.add_pipe("govie")`` works without importing govie first.

Every predicted span becomes an entity: where the tokenizer (jieba or pkuseg
word segmentation, for instance) has no token boundary at a span's start or
end, the component splits the token so that the boundary exists.  All spans
are also kept in ``doc.spans["govie"]`` (with their scores in the group's
``attrs["scores"]``).
"""
from __future__ import annotations

import warnings
from itertools import islice
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .pipeline import Extraction, Pipeline, load

SPANS_KEY = "govie"

__all__ = ["GovieComponent", "make_govie", "register_extensions", "align_spans", "SPANS_KEY"]


def register_extensions() -> None:
    """``Doc._.relations``, ``Doc._.records`` and ``Doc._.govie``; safe to call repeatedly."""
    for name in ("relations", "records", "govie"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def _split_for_boundaries(doc: Doc, boundaries: Iterable[int]) -> int:
    """Split tokens so that every character offset in ``boundaries`` is a token boundary.

    Returns the number of tokens split.  Offsets that fall on a token's
    trailing whitespace (``token.whitespace_``) cannot be made boundaries by
    splitting and are left alone.
    """
    cuts = sorted(set(boundaries))
    if not cuts:
        return 0
    import bisect
    todo: list[tuple[object, list[str]]] = []
    for tok in doc:
        lo, hi = tok.idx, tok.idx + len(tok.text)
        if hi - lo < 2:
            continue
        i = bisect.bisect_right(cuts, lo)
        inner = []
        while i < len(cuts) and cuts[i] < hi:
            inner.append(cuts[i])
            i += 1
        if not inner:
            continue
        edges = [lo, *inner, hi]
        orths = [doc.text[a:b] for a, b in zip(edges, edges[1:])]
        todo.append((tok, orths))
    if not todo:
        return 0
    with doc.retokenize() as retok:
        for tok, orths in todo:
            # no parse to keep in a blank pipeline: attach every piece to the first one
            retok.split(tok, orths, heads=[(tok, 0)] * len(orths))
    return len(todo)


def align_spans(doc: Doc, spans: list[tuple[int, int, str]]) -> tuple[list[Span], int]:
    """spaCy spans for ``(start, end, label)`` character spans, retokenizing ``doc`` where needed.

    Returns the spans (one per input, in input order) and the number of tokens
    that had to be split.  Raises ``ValueError`` for a span that still cannot
    be aligned (its offsets lie outside the text or on whitespace that spaCy
    keeps as trailing space of a token).
    """
    out: list[Span | None] = [doc.char_span(s, e, label=lab, alignment_mode="strict") for s, e, lab in spans]
    n_split = 0
    if any(sp is None for sp in out):
        missing = [spans[k] for k, sp in enumerate(out) if sp is None]
        n_split = _split_for_boundaries(doc, (x for s, e, _ in missing for x in (s, e)))
        # token indices changed: rebuild all spans on the new tokens
        out = [doc.char_span(s, e, label=lab, alignment_mode="strict") for s, e, lab in spans]
    bad = [spans[k] for k, sp in enumerate(out) if sp is None]
    if bad:
        s, e, lab = bad[0]
        raise ValueError(f"govie: {len(bad)} span(s) cannot be aligned to spaCy tokens, "
                         f"e.g. {lab} {s}-{e} {doc.text[s:e]!r}")
    return out, n_split  # type: ignore[return-value]


class GovieComponent:
    """Sets ``doc.ents``, ``doc.spans["govie"]``, ``doc._.relations``, ``doc._.records`` and ``doc._.govie``."""

    def __init__(self, nlp: Language, name: str = "govie", model: str = "default", batch_size: int = 16):
        register_extensions()
        self.name = name
        self.model = model
        self.batch_size = int(batch_size)
        self.pipeline: Pipeline = load(model)

    def __call__(self, doc: Doc) -> Doc:
        ex = next(self.pipeline.pipe([doc.text], batch_size=1))
        return self.set_annotations(doc, ex)

    def pipe(self, stream: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """Batch the docs through the govie pipeline (``Pipeline.pipe``).

        ``batch_size`` (spaCy's, ``nlp.pipe(..., batch_size=N)``, default
        ``nlp.batch_size``) is how many docs are taken from the stream at a
        time; within such a chunk the model sees batches of the component's
        own ``batch_size`` (its config), which bounds the model's memory.
        """
        chunk = max(1, int(batch_size or self.batch_size))
        stream = iter(stream)
        while True:
            docs = list(islice(stream, chunk))
            if not docs:
                return
            exs = self.pipeline.pipe([d.text for d in docs], batch_size=self.batch_size)
            for doc, ex in zip(docs, exs):
                yield self.set_annotations(doc, ex)

    def set_annotations(self, doc: Doc, ex: Extraction) -> Doc:
        if ex.text != doc.text:  # the pipeline works on doc.text; anything else is a bug
            raise ValueError("govie: extraction text differs from the Doc's text")
        ents = ex.entities
        spans, _ = align_spans(doc, [(e.start, e.end, e.label) for e in ents])
        by_id = {e.id: sp for e, sp in zip(ents, spans)}
        group = list(spans)
        doc.spans[SPANS_KEY] = group
        doc.spans[SPANS_KEY].attrs["scores"] = [e.score for e in ents]
        kept = filter_spans(spans)  # only differs when a model predicts overlapping spans
        if len(kept) != len(spans):
            warnings.warn(f"govie: {len(spans) - len(kept)} overlapping span(s) left out of doc.ents; "
                          f"all spans are in doc.spans[{SPANS_KEY!r}]", stacklevel=2)
        doc.set_ents(kept, default="outside")
        doc._.relations = [(r.type, by_id[r.head.id], by_id[r.tail.id], r.score) for r in ex.relations]
        doc._.records = list(ex.records)
        doc._.govie = ex
        return doc


@Language.factory("govie", default_config={"model": "default", "batch_size": 16})
def make_govie(nlp: Language, name: str, model: str, batch_size: int) -> GovieComponent:
    """spaCy factory ``"govie"``: wraps ``govie.load(model)``."""
    return GovieComponent(nlp, name, model=model, batch_size=batch_size)
