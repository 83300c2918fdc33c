"""Documents <-> a character-level IOB2 ``datasets.Dataset``, losing nothing.

One row per document, one token per character (``"".join(tokens) == text``),
``ner_tags`` a sequence of :class:`datasets.ClassLabel` over
:data:`govie.schema.IOB2_TAGS`.  Entity ids (in span order), relations, meta
and any extra keys ride along in their own columns, so
``from_dataset(to_dataset(docs)) == docs``.
"""
from __future__ import annotations

import json
from typing import Iterable

from .schema import IOB2_TAGS, Document, Relation, Span

TAG2ID = {t: i for i, t in enumerate(IOB2_TAGS)}


def features():
    from datasets import ClassLabel, Features, Sequence, Value
    return Features({
        "id": Value("string"),
        "tokens": Sequence(Value("string")),
        "ner_tags": Sequence(ClassLabel(names=list(IOB2_TAGS))),
        "entity_ids": Sequence(Value("int64")),
        "relations": Value("string"),
        "meta": Value("string"),
        "extra": Value("string"),
    })


def spans_to_tags(n: int, spans: Iterable[Span]) -> list[str]:
    """IOB2 tags of a text of ``n`` characters; spans must not overlap."""
    tags = ["O"] * n
    for s in sorted(spans, key=lambda s: s.start):
        if any(t != "O" for t in tags[s.start:s.end]):
            raise ValueError(f"span {s.id} ({s.start}-{s.end}) overlaps another span")
        tags[s.start] = f"B-{s.label}"
        for k in range(s.start + 1, s.end):
            tags[k] = f"I-{s.label}"
    return tags


def tags_to_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Strict IOB2 reading: an ``I-X`` that does not continue a ``B-X``/``I-X`` starts nothing."""
    out, start, label = [], None, None
    for i, t in enumerate(list(tags) + ["O"]):
        if t.startswith("I-") and label == t[2:]:
            continue
        if start is not None:
            out.append((start, i, label))
            start, label = None, None
        if t.startswith("B-"):
            start, label = i, t[2:]
    return out


def doc_to_row(doc: Document) -> dict:
    ordered = sorted(doc.entities, key=lambda s: s.start)
    return {
        "id": doc.id,
        "tokens": list(doc.text),
        "ner_tags": [TAG2ID[t] for t in spans_to_tags(len(doc.text), ordered)],
        "entity_ids": [s.id for s in ordered],
        "relations": json.dumps([r.to_dict() for r in doc.relations], ensure_ascii=False),
        "meta": json.dumps(doc.meta, ensure_ascii=False),
        "extra": json.dumps(doc.extra, ensure_ascii=False),
    }


def row_to_doc(row: dict) -> Document:
    tags = [IOB2_TAGS[i] for i in row["ner_tags"]]
    spans = tags_to_spans(tags)
    ids = row.get("entity_ids") or list(range(1, len(spans) + 1))
    if len(ids) != len(spans):
        raise ValueError(f"document {row['id']!r}: {len(spans)} spans in the tags but {len(ids)} entity ids")
    ents = [Span(i, lab, s, e) for i, (s, e, lab) in zip(ids, spans)]
    rels = [Relation(r["id"], r["from_id"], r["to_id"], r["type"]) for r in json.loads(row.get("relations") or "[]")]
    return Document(row["id"], "".join(row["tokens"]), json.loads(row.get("meta") or "{}"),
                    ents, rels, json.loads(row.get("extra") or "{}"))


def to_dataset(docs: Iterable[Document]):
    """A ``datasets.Dataset`` with one row per document."""
    from datasets import Dataset
    return Dataset.from_list([doc_to_row(d) for d in docs], features=features())


def from_dataset(ds) -> list[Document]:
    return [row_to_doc(row) for row in ds]


