"""Apply a reviewed harmonization edit list to the gold, each edit anchored to the exact text it changes.

    python training/annotation/edit_gold.py data/annotations/edits/NAME.jsonl            # show what changes
    python training/annotation/edit_gold.py data/annotations/edits/NAME.jsonl --write    # and rewrite the gold

One JSON object a line; ``#`` lines are comments.  A span is named by its surface and a nearby offset,
``{"text": "开行", "near": 5324}``: exactly one gold span with that surface must start within
``WINDOW`` characters of ``near`` (where several do, the one starting exactly at ``near``), else the edit
is refused with its file and line.  Operations:

- ``{"doc": ID, "op": "drop", "span": S}``: remove the span and every relation that touches it;
- ``{"doc": ID, "op": "move", "span": S, "to": {"text": T, "near": N}}``: give the span the offsets of
  the occurrence of ``T`` nearest ``N`` (label and relations kept; ``T`` must be where the text has it);
- ``{"doc": ID, "op": "add", "to": {"text": T, "near": N}, "label": L}``: a new span over that occurrence;
- ``{"doc": ID, "op": "relabel", "span": S, "label": L}``: the same offsets and relations, another label;
- ``{"doc": ID, "op": "link", "from": S, "type": R, "to": S}`` / ``"unlink"``: add or remove a relation.

Edits apply in file order, so a later edit can name a span an earlier one added or moved.  Every edited
document must pass :func:`govie.validate.validate_document` before anything is written; only the lines of
edited documents change in the gold file.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from govie.errors import GovieInputError, Problem  # noqa: E402
from govie.schema import Document, Relation, Span  # noqa: E402
from govie.validate import validate_document  # noqa: E402

WINDOW = 40
GOLD = Path("data/annotations/gold.jsonl")


def _find_span(doc: Document, ref: dict, where: str) -> Span:
    hits = [s for s in doc.entities if doc.text[s.start:s.end] == ref["text"] and abs(s.start - ref["near"]) <= WINDOW]
    if len(hits) > 1:  # two spans of one surface close together (`经济总量` twice in a sentence): the exact start
        hits = [s for s in hits if s.start == ref["near"]] or hits
    if len(hits) != 1:
        raise GovieInputError(f"{where}: {len(hits)} spans {ref['text']!r} start within {WINDOW} of {ref['near']}"
                              f" in document {doc.id!r}; expected exactly one")
    return hits[0]


def _find_text(doc: Document, ref: dict, where: str) -> tuple[int, int]:
    t, near = ref["text"], ref["near"]
    starts = [i for i in range(max(0, near - WINDOW), min(len(doc.text), near + WINDOW + 1))
              if doc.text.startswith(t, i)]
    if not starts:
        raise GovieInputError(f"{where}: {t!r} does not occur within {WINDOW} of {near} in document {doc.id!r}")
    a = min(starts, key=lambda i: abs(i - near))
    return a, a + len(t)


def apply_edit(doc: Document, e: dict, where: str) -> str:
    """Apply one edit to ``doc`` in place; return a one-line description."""
    op = e["op"]
    if op == "drop":
        s = _find_span(doc, e["span"], where)
        gone = [r for r in doc.relations if s.id in (r.from_id, r.to_id)]
        doc.entities.remove(s)
        doc.relations[:] = [r for r in doc.relations if r not in gone]
        return f"drop {s.label} {e['span']['text']!r}@{s.start} and {len(gone)} relation(s)"
    if op == "move":
        s = _find_span(doc, e["span"], where)
        a, b = _find_text(doc, e["to"], where)
        doc.entities[doc.entities.index(s)] = Span(s.id, s.label, a, b)
        return f"move {s.label} {doc.text[s.start:s.end]!r}@{s.start} -> {doc.text[a:b]!r}@{a}"
    if op == "relabel":
        s = _find_span(doc, e["span"], where)
        doc.entities[doc.entities.index(s)] = Span(s.id, e["label"], s.start, s.end)
        return f"relabel {s.label} {doc.text[s.start:s.end]!r}@{s.start} -> {e['label']}"
    if op == "add":
        a, b = _find_text(doc, e["to"], where)
        new_id = max((s.id for s in doc.entities), default=0) + 1
        doc.entities.append(Span(new_id, e["label"], a, b))
        return f"add {e['label']} {doc.text[a:b]!r}@{a}"
    if op in ("link", "unlink"):
        h, t = _find_span(doc, e["from"], where), _find_span(doc, e["to"], where)
        if op == "link":
            new_id = max((r.id for r in doc.relations), default=0) + 1
            doc.relations.append(Relation(new_id, h.id, t.id, e["type"]))
        else:
            old = [r for r in doc.relations if (r.from_id, r.to_id, r.type) == (h.id, t.id, e["type"])]
            if not old:
                raise GovieInputError(f"{where}: no relation {e['from']['text']!r} {e['type']} {e['to']['text']!r}")
            doc.relations.remove(old[0])
        return f"{op} {doc.text[h.start:h.end]!r} {e['type']} {doc.text[t.start:t.end]!r}"
    raise GovieInputError(f"{where}: unknown op {op!r}; expected drop, move, relabel, add, link or unlink")


def apply_edits(docs: dict[str, Document], edits_path: Path) -> list[str]:
    """Apply every edit of ``edits_path`` to ``docs`` (by id); validate the edited documents."""
    log, touched = [], set()
    for n, line in enumerate(edits_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{edits_path}:{n}"
        try:
            e = json.loads(line)
        except json.JSONDecodeError as err:
            raise GovieInputError(Problem(f"not JSON: {err}", str(edits_path), n)) from None
        if e.get("doc") not in docs:
            raise GovieInputError(f"{where}: unknown document {e.get('doc')!r}")
        log.append(f"{e['doc']}: {apply_edit(docs[e['doc']], e, where)}")
        touched.add(e["doc"])
    for i in sorted(touched):
        docs[i].entities.sort(key=lambda s: s.start)
        problems = validate_document(docs[i], path=str(edits_path))
        if problems:
            raise GovieInputError(problems[0])
    return log


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("edits", type=Path)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--write", action="store_true", help="rewrite the edited documents' lines of --gold")
    args = ap.parse_args(argv)
    lines = args.gold.read_text(encoding="utf-8").splitlines()
    docs = {d.id: d for d in (Document.from_dict(json.loads(x)) for x in lines)}
    before = {i: json.dumps(d.to_dict(), ensure_ascii=False) for i, d in docs.items()}
    for entry in apply_edits(docs, args.edits):
        print(entry)
    out = []
    for x in lines:
        i = json.loads(x)["id"]
        now = json.dumps(docs[i].to_dict(), ensure_ascii=False)
        out.append(now if now != before[i] else x)
    changed = sum(a != b for a, b in zip(lines, out))
    print(f"{changed} document(s) changed" + ("" if args.write else " (dry run; --write to save)"))
    if args.write:
        args.gold.write_text("\n".join(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
