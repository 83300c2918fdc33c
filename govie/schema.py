"""The annotation schema of ``SCHEMA.md`` (v1.1) in code: the one source of truth.

Labels, relation types, the relation direction table and the typed objects for
spans, relations and documents.  Offsets are Python ``str`` indices, end
exclusive, exactly as in the doccano "JSONL (relation)" layout.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.1"

LABELS: tuple[str, ...] = ("INDICATOR", "VALUE", "UNIT", "ENTITY", "PROJECT", "REGION")

#: relation type -> (allowed head labels, allowed tail labels)
RELATION_DIRECTIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "HAS_VALUE": (frozenset({"INDICATOR", "ENTITY", "PROJECT", "REGION"}), frozenset({"VALUE"})),
    "HAS_UNIT": (frozenset({"VALUE"}), frozenset({"UNIT"})),
    "SUBJECT_OF": (frozenset({"ENTITY", "PROJECT", "REGION"}), frozenset({"INDICATOR"})),
    "PARTICIPATES_IN": (frozenset({"ENTITY"}), frozenset({"PROJECT"})),
    "LOCATED_IN": (frozenset({"PROJECT", "ENTITY"}), frozenset({"REGION"})),
}
RELATION_TYPES: tuple[str, ...] = tuple(RELATION_DIRECTIONS)

#: the labels of names (as opposed to measures, numbers and units)
NAME_LABELS: frozenset[str] = frozenset({"ENTITY", "PROJECT", "REGION"})

#: IOB2 tag set, "O" first; used by the character dataset and every tagger.
IOB2_TAGS: tuple[str, ...] = ("O",) + tuple(f"{p}-{lab}" for lab in LABELS for p in ("B", "I"))

#: characters of punctuation category that may still start or end a span
#: (they are units: ``%`` is UNIT in ``6%``).
_SPAN_EDGE_ALLOWED = frozenset("%％‰")


def relation_allowed(rel_type: str, head_label: str, tail_label: str) -> bool:
    """True when ``head_label -> tail_label`` is allowed for ``rel_type``."""
    heads_tails = RELATION_DIRECTIONS.get(rel_type)
    return heads_tails is not None and head_label in heads_tails[0] and tail_label in heads_tails[1]


def with_labels(spans: list["Span"], relations: list["Relation"],
                new: dict[int, "Span"]) -> tuple[list["Span"], list["Relation"]]:
    """``spans`` with those of ``new`` (span id -> relabelled span) replaced, and ``relations`` without those
    the new labels do not allow."""
    if not new:
        return spans, relations
    spans = [new.get(s.id, s) for s in spans]
    label = {s.id: s.label for s in spans}
    return spans, [r for r in relations if relation_allowed(r.type, label[r.from_id], label[r.to_id])]


def is_bad_edge_char(ch: str) -> bool:
    """Whitespace or punctuation, which may not start or end a span."""
    if ch in _SPAN_EDGE_ALLOWED:
        return False
    if ch.isspace():
        return True
    cat = unicodedata.category(ch)
    return cat.startswith("P") or cat.startswith("Z") or cat == "Cc"


@dataclass(frozen=True)
class Span:
    """An entity span: ``text[start:end]`` carries ``label``."""

    id: int
    label: str
    start: int
    end: int
    score: float | None = None

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]

    def to_dict(self, scores: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "label": self.label,
                             "start_offset": self.start, "end_offset": self.end}
        if scores and self.score is not None:
            d["score"] = round(float(self.score), 4)
        return d


@dataclass(frozen=True)
class Relation:
    """A directed relation ``from_id -> to_id`` of ``type``."""

    id: int
    from_id: int
    to_id: int
    type: str
    score: float | None = None

    def to_dict(self, scores: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "from_id": self.from_id,
                             "to_id": self.to_id, "type": self.type}
        if scores and self.score is not None:
            d["score"] = round(float(self.score), 4)
        return d


@dataclass
class Document:
    """One document of the doccano JSONL (relation) layout.

    ``extra`` keeps any top-level key the file had beyond the schema's, so that
    reading and writing a file loses nothing.
    """

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    entities: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def span_by_id(self) -> dict[int, Span]:
        return {s.id: s for s in self.entities}

    def span_text(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def to_dict(self, scores: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "text": self.text, "meta": dict(self.meta),
                             "entities": [s.to_dict(scores) for s in self.entities],
                             "relations": [r.to_dict(scores) for r in self.relations]}
        d.update(self.extra)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Document":
        """Build from a parsed JSON object; raises KeyError/TypeError/ValueError on bad shape."""
        known = {"id", "text", "meta", "entities", "relations"}
        ents = [Span(int(e["id"]), str(e["label"]), int(e["start_offset"]), int(e["end_offset"]),
                     e.get("score")) for e in d.get("entities", [])]
        rels = [Relation(int(r["id"]), int(r["from_id"]), int(r["to_id"]), str(r["type"]),
                         r.get("score")) for r in d.get("relations", [])]
        return cls(id=str(d["id"]), text=d["text"], meta=dict(d.get("meta") or {}),
                   entities=ents, relations=rels,
                   extra={k: v for k, v in d.items() if k not in known})
