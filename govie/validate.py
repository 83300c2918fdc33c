"""Validation of documents against SCHEMA.md.

Every problem names the file, the line, the document id and what is wrong.
``govie validate FILE...`` runs :func:`validate_file` and exits non-zero on any
problem.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import Problem
from .schema import LABELS, RELATION_DIRECTIONS, Document, is_bad_edge_char, relation_allowed


def validate_document(doc: Document, *, path: str | None = None, line: int | None = None) -> list[Problem]:
    """All schema problems of one document (empty list when it is valid)."""
    out: list[Problem] = []

    def bad(msg: str) -> None:
        out.append(Problem(msg, path, line, doc.id))

    n = len(doc.text)
    ids = Counter(s.id for s in doc.entities)
    for dup, c in sorted(ids.items()):
        if c > 1:
            bad(f"duplicate entity id {dup} ({c} entities share it)")
    rids = Counter(r.id for r in doc.relations)
    for dup, c in sorted(rids.items()):
        if c > 1:
            bad(f"duplicate relation id {dup} ({c} relations share it)")

    good_spans = []
    for s in doc.entities:
        desc = f"entity {s.id} ({s.label} {s.start}-{s.end})"
        if s.label not in LABELS:
            bad(f"{desc}: unknown label {s.label!r}; expected one of {', '.join(LABELS)}")
        if not (0 <= s.start < s.end <= n):
            bad(f"{desc}: offsets out of range for a text of {n} characters")
            continue
        surface = doc.text[s.start:s.end]
        if is_bad_edge_char(surface[0]):
            bad(f"{desc}: span {surface!r} starts with whitespace or punctuation {surface[0]!r}")
        if is_bad_edge_char(surface[-1]):
            bad(f"{desc}: span {surface!r} ends with whitespace or punctuation {surface[-1]!r}")
        good_spans.append(s)

    good_spans.sort(key=lambda s: (s.start, s.end))
    for a, b in zip(good_spans, good_spans[1:]):
        if b.start < a.end:
            bad(f"entities {a.id} ({a.label} {a.start}-{a.end} {doc.text[a.start:a.end]!r}) and "
                f"{b.id} ({b.label} {b.start}-{b.end} {doc.text[b.start:b.end]!r}) overlap")

    by_id = {s.id: s for s in doc.entities}
    seen_triples: Counter = Counter()
    for r in doc.relations:
        desc = f"relation {r.id} ({r.from_id} {r.type} {r.to_id})"
        if r.type not in RELATION_DIRECTIONS:
            bad(f"{desc}: unknown relation type {r.type!r}; expected one of {', '.join(RELATION_DIRECTIONS)}")
            continue
        missing = [i for i in (r.from_id, r.to_id) if i not in by_id]
        if missing:
            bad(f"{desc}: refers to unknown entity id {missing[0]}")
            continue
        h, t = by_id[r.from_id], by_id[r.to_id]
        if r.from_id == r.to_id:
            bad(f"{desc}: relates an entity to itself")
        elif not relation_allowed(r.type, h.label, t.label):
            heads, tails = RELATION_DIRECTIONS[r.type]
            bad(f"{desc}: {h.label} -> {t.label} is against the direction table; "
                f"{r.type} goes {'/'.join(sorted(heads))} -> {'/'.join(sorted(tails))}")
        seen_triples[(r.from_id, r.to_id, r.type)] += 1
    for (f, t, typ), c in sorted(seen_triples.items()):
        if c > 1:
            bad(f"relation {f} {typ} {t} is given {c} times")
    return out


def _shape_problem(obj: Any) -> str | None:
    if not isinstance(obj, dict):
        return f"expected a JSON object per line, got {type(obj).__name__}"
    for key in ("id", "text"):
        if key not in obj:
            return f"missing key {key!r}"
    if not isinstance(obj["text"], str):
        return "'text' must be a string"
    if "meta" in obj and obj["meta"] is not None and not isinstance(obj["meta"], dict):
        return "'meta' must be an object"
    for key, fields in (("entities", ("id", "label", "start_offset", "end_offset")),
                        ("relations", ("id", "from_id", "to_id", "type"))):
        items = obj.get(key, [])
        if not isinstance(items, list):
            return f"{key!r} must be a list"
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                return f"{key}[{i}] must be an object"
            for f in fields:
                if f not in item:
                    return f"{key}[{i}] is missing key {f!r}"
            for f in fields:
                if f not in ("label", "type") and (not isinstance(item[f], int) or isinstance(item[f], bool)):
                    return f"{key}[{i}].{f} must be an integer, got {item[f]!r}"
    return None


def iter_json_lines(path: str) -> Iterator[tuple[int, Any, Problem | None]]:
    """``(line, object, problem)`` for each non-blank line of a JSONL file; a problem
    (unreadable file, bad JSON, wrong shape, not UTF-8) comes with ``object`` None."""
    try:
        fh = open(path, encoding="utf-8")
    except OSError as e:
        yield 0, None, Problem(f"cannot open file: {e.strerror}", path)
        return
    with fh:
        yield from json_lines(fh, path)


def json_lines(fh: Iterable[str], path: str) -> Iterator[tuple[int, Any, Problem | None]]:
    """:func:`iter_json_lines` over an open text stream (``path`` names it in problems)."""
    lineno = 0
    try:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as e:
                yield lineno, None, Problem(f"invalid JSON: {e.msg} at column {e.colno}", path, lineno)
                continue
            shape = _shape_problem(obj)
            if shape:
                doc_id = str(obj["id"]) if isinstance(obj, dict) and "id" in obj else None
                yield lineno, None, Problem(shape, path, lineno, doc_id)
                continue
            yield lineno, obj, None
    except UnicodeDecodeError as e:
        yield lineno + 1, None, Problem(f"not UTF-8 text ({e.reason} at byte {e.start})", path, lineno + 1)


def validate_file(path: str | Path) -> list[Problem]:
    """All problems of a JSONL file, each naming the file, the line and the document."""
    path = str(path)
    out: list[Problem] = []
    doc_ids: dict[str, int] = {}
    for lineno, obj, problem in iter_json_lines(path):
        if problem is not None:
            out.append(problem)
            continue
        doc = Document.from_dict(obj)
        if doc.id in doc_ids:
            out.append(Problem(f"duplicate document id (first on line {doc_ids[doc.id]})", path, lineno, doc.id))
        doc_ids.setdefault(doc.id, lineno)
        out.extend(validate_document(doc, path=path, line=lineno))
    return out
