"""Mention replacement: copies of gold documents whose names are swapped for other names of their label.

Names at test time are mostly unseen (other counties' firms, parks, towns). A copy of a training document in
which each ENTITY, PROJECT and REGION span holds another name of its label, drawn at random from the training
gold, keeps every context and changes the names in it, so that a model learns to tag a name from its context
and its shape more than from having seen it (mention replacement, Dai and Adel, COLING 2020). The offsets of
all spans move with the text; relations keep their span ids.

    >>> pools = name_pools(train_docs)                       # doctest: +SKIP
    >>> swapped = swap_names(doc, pools, random.Random(13))  # doctest: +SKIP
"""
from __future__ import annotations

import random
from dataclasses import replace

from .schema import NAME_LABELS, Document


def name_pools(docs: list[Document], labels: tuple[str, ...] = tuple(sorted(NAME_LABELS))) -> dict[str, list[str]]:
    """The distinct surfaces of each label's gold spans in ``docs`` (two characters or more, on one line), sorted."""
    pools: dict[str, set[str]] = {label: set() for label in labels}
    for doc in docs:
        for s in doc.entities:
            surface = doc.text[s.start:s.end]
            if s.label in pools and len(surface) > 1 and "\n" not in surface:
                pools[s.label].add(surface)
    return {label: sorted(names) for label, names in pools.items()}


def swap_names(doc: Document, pools: dict[str, list[str]], rng: random.Random, suffix: str = "-swap") -> Document:
    """A copy of ``doc`` (id + ``suffix``) with each span of a label of ``pools`` replaced by a random other name
    of that label; the other spans keep their text and move with it."""
    parts, spans, pos, shift = [], [], 0, 0
    for s in sorted(doc.entities, key=lambda s: s.start):
        old = doc.text[s.start:s.end]
        choices = pools.get(s.label) or []
        new = rng.choice(choices) if choices else old
        if len(choices) > 1:
            while new == old:
                new = rng.choice(choices)
        parts += [doc.text[pos:s.start], new]
        spans.append(replace(s, start=s.start + shift, end=s.start + shift + len(new)))
        shift += len(new) - len(old)
        pos = s.end
    parts.append(doc.text[pos:])
    return Document(doc.id + suffix, "".join(parts), dict(doc.meta), spans, list(doc.relations))
