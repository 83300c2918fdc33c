"""Inline annotation markup, for annotating by hand or with helper agents.

A part is written as its raw text with markers inserted around spans, then a
``---`` line and one relation per line::

    ⟦地区生产总值|INDICATOR|e1⟧增长⟦6|VALUE|e2⟧⟦%|UNIT|e3⟧
    ---
    e1 HAS_VALUE e2
    e2 HAS_UNIT e3

:func:`parse_markup` strips the markers, and when the raw text is given it
requires the stripped text to equal it exactly, so a typo can never change
the document.
"""
from __future__ import annotations

import re

from .errors import GovieInputError
from .schema import Document, Relation, Span

OPEN, CLOSE = "⟦", "⟧"
SEPARATOR = "\n---\n"
_MARK = re.compile(r"⟦([^⟦⟧|]*)\|([A-Z_]+)\|(e\d+)⟧")
_REL = re.compile(r"^\s*(e\d+)\s+([A-Z_]+)\s+(e\d+)\s*$")


def to_markup(text: str, entities: list[Span], relations: list[Relation]) -> str:
    """Render spans and relations of ``text`` as inline markup (ids become ``e<id>``)."""
    out, pos = [], 0
    for s in sorted(entities, key=lambda s: s.start):
        if s.start < pos:
            raise ValueError(f"overlapping spans at {s.start}")
        out.append(text[pos:s.start])
        out.append(f"{OPEN}{text[s.start:s.end]}|{s.label}|e{s.id}{CLOSE}")
        pos = s.end
    out.append(text[pos:])
    rel_lines = [f"e{r.from_id} {r.type} e{r.to_id}" for r in relations]
    return "".join(out) + SEPARATOR + "\n".join(rel_lines) + ("\n" if rel_lines else "")


def _first_difference(a: str, b: str) -> int:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def parse_markup(markup: str, raw: str | None = None, *, path: str | None = None,
                 doc_id: str = "part") -> Document:
    """Parse inline markup into a :class:`Document`; check it against ``raw`` if given."""
    idx = markup.rfind(SEPARATOR)
    if idx < 0:
        if markup.endswith("\n---"):
            idx, rel_block = len(markup) - 4, ""
        else:
            raise GovieInputError("no '---' line separating the text from the relations", path=path)
    else:
        rel_block = markup[idx + len(SEPARATOR):]
    body = markup[:idx]

    text_parts: list[str] = []
    spans: list[Span] = []
    pos = out_len = 0
    seen: dict[str, int] = {}
    for m in _MARK.finditer(body):
        chunk = body[pos:m.start()]
        text_parts.append(chunk)
        out_len += len(chunk)
        surface, label, eid = m.group(1), m.group(2), m.group(3)
        line = body.count("\n", 0, m.start()) + 1
        if eid in seen:
            raise GovieInputError(f"marker id {eid} is used twice", path=path, line=line)
        seen[eid] = 1
        if not surface:
            raise GovieInputError(f"marker {eid} has an empty span", path=path, line=line)
        spans.append(Span(int(eid[1:]), label, out_len, out_len + len(surface)))
        text_parts.append(surface)
        out_len += len(surface)
        pos = m.end()
    text_parts.append(body[pos:])
    text = "".join(text_parts)
    for ch in (OPEN, CLOSE):
        if ch in text:
            i = text.index(ch)
            line = text.count("\n", 0, i) + 1
            raise GovieInputError(f"malformed marker near {text[max(0, i - 10):i + 20]!r} "
                                  "(expected ⟦surface|LABEL|eN⟧)", path=path, line=line)
    if raw is not None and text != raw:
        i = _first_difference(text, raw)
        line = raw.count("\n", 0, i) + 1
        raise GovieInputError(f"text differs from the raw part at character {i}: markup has "
                              f"{text[max(0, i - 15):i + 15]!r}, raw has {raw[max(0, i - 15):i + 15]!r}",
                              path=path, line=line)
    rels: list[Relation] = []
    ids = {s.id for s in spans}
    body_lines = body.count("\n") + 2
    for k, line in enumerate(rel_block.splitlines()):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _REL.match(line)
        if not m:
            raise GovieInputError(f"bad relation line {line!r} (expected 'e1 HAS_VALUE e2')",
                                  path=path, line=body_lines + k + 1)
        a, typ, b = int(m.group(1)[1:]), m.group(2), int(m.group(3)[1:])
        for x in (a, b):
            if x not in ids:
                raise GovieInputError(f"relation {line.strip()!r} names e{x}, which has no marker",
                                      path=path, line=body_lines + k + 1)
        rels.append(Relation(len(rels) + 1, a, b, typ))
    return Document(doc_id, text, {}, spans, rels)


def merge_parts(doc_id: str, text: str, parts: list[tuple[int, Document]], meta: dict) -> Document:
    """Join annotated parts (each with its start offset in ``text``) into one document.

    Entity and relation ids are renumbered 1..n in text order.
    """
    ents: list[Span] = []
    rels: list[Relation] = []
    for offset, part in sorted(parts, key=lambda p: p[0]):
        if text[offset:offset + len(part.text)] != part.text:
            raise GovieInputError(f"part at offset {offset} does not match the document text", doc_id=doc_id)
        local = {}
        for s in sorted(part.entities, key=lambda s: s.start):
            new = Span(len(ents) + 1, s.label, s.start + offset, s.end + offset)
            local[s.id] = new.id
            ents.append(new)
        for r in part.relations:
            rels.append(Relation(len(rels) + 1, local[r.from_id], local[r.to_id], r.type))
    return Document(doc_id, text, dict(meta), ents, rels)
