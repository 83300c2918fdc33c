"""Build an annotated part by locating spans in the raw text, never by retyping it.

    import sys; sys.path.insert(0, "/work/main")
    from training.annotation.builder import PartBuilder
    b = PartBuilder("/work/annot/DOC/p00.raw.txt")
    g = b.span("地区生产总值", "INDICATOR")           # next occurrence after the cursor
    v = b.span("1300", "VALUE"); u = b.span("亿元", "UNIT")
    b.rel(g, "HAS_VALUE", v); b.rel(v, "HAS_UNIT", u)
    v2 = b.span("8", "VALUE", ctx="增长8%")          # find the context first, then the span inside it
    b.write("/work/annot/DOC/p00.ann.txt")          # validates, then writes the markup

Spans must be added in text order: each search starts at the end of the
previous span (or at ``b.seek(...)``).  ``write`` refuses overlapping spans,
unknown labels, relations against the direction table, spans that start or
end with whitespace or punctuation, and checks the markup round-trip.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from govie.markup import parse_markup, to_markup  # noqa: E402
from govie.schema import Document, Relation, Span  # noqa: E402
from govie.validate import validate_document  # noqa: E402


class PartBuilder:
    def __init__(self, raw_path: str):
        self.raw_path = raw_path
        self.text = Path(raw_path).read_text(encoding="utf-8")
        self.cursor = 0
        self.spans: list[Span] = []
        self.rels: list[Relation] = []

    def _context(self, pos: int) -> str:
        return repr(self.text[max(0, pos - 20):pos + 40])

    def seek(self, ctx: str) -> int:
        """Move the cursor to the start of the next occurrence of ``ctx``."""
        i = self.text.find(ctx, self.cursor)
        if i < 0:
            raise ValueError(f"seek: {ctx!r} not found after position {self.cursor} "
                             f"(text there: {self._context(self.cursor)})")
        self.cursor = i
        return i

    def span(self, surface: str, label: str, ctx: str | None = None) -> int:
        """Annotate the next occurrence of ``surface`` (inside the next ``ctx`` if given)."""
        start_from = self.cursor
        if ctx is not None:
            c = self.text.find(ctx, self.cursor)
            if c < 0:
                raise ValueError(f"span {surface!r}: context {ctx!r} not found after position "
                                 f"{self.cursor} (text there: {self._context(self.cursor)})")
            k = ctx.find(surface)
            if k < 0:
                raise ValueError(f"span {surface!r} is not inside its context {ctx!r}")
            i = c + k
        else:
            i = self.text.find(surface, start_from)
            if i < 0:
                raise ValueError(f"span {surface!r} ({label}) not found after position {self.cursor} "
                                 f"(text there: {self._context(self.cursor)})")
        sid = len(self.spans) + 1
        self.spans.append(Span(sid, label, i, i + len(surface)))
        self.cursor = i + len(surface)
        return sid

    def rel(self, head: int, rel_type: str, tail: int) -> None:
        self.rels.append(Relation(len(self.rels) + 1, head, tail, rel_type))

    def document(self) -> Document:
        return Document("part", self.text, {}, list(self.spans), list(self.rels))

    def write(self, out_path: str) -> None:
        doc = self.document()
        problems = validate_document(doc, path=out_path)
        if problems:
            raise ValueError("\n".join(str(p) for p in problems))
        markup = to_markup(self.text, doc.entities, doc.relations)
        back = parse_markup(markup, self.text, path=out_path)
        assert [(s.start, s.end, s.label) for s in back.entities] == \
            [(s.start, s.end, s.label) for s in sorted(doc.entities, key=lambda s: s.start)]
        Path(out_path).write_text(markup, encoding="utf-8")
        from collections import Counter
        print(f"wrote {out_path}: {len(doc.entities)} entities "
              f"{dict(Counter(s.label for s in doc.entities))}, {len(doc.relations)} relations "
              f"{dict(Counter(r.type for r in doc.relations))}")
