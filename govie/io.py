"""Reading and writing annotations: doccano JSONL (relation) and Label Studio JSON."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import GovieInputError, Problem
from .schema import RELATION_DIRECTIONS, Document, Relation, Span
from .validate import iter_json_lines


# ---------------------------------------------------------------- doccano JSONL
def iter_jsonl(path: str | Path) -> Iterator[Document]:
    """Yield the documents of a doccano JSONL file.

    Raises :class:`GovieInputError` naming the file and line on malformed input.
    Schema-level checks (overlaps, direction table...) are :mod:`govie.validate`'s.
    """
    path = str(path)
    if not Path(path).exists():
        raise GovieInputError("no such file", path=path)
    for _, obj, problem in iter_json_lines(path):
        if problem is not None:
            raise GovieInputError(problem)
        yield Document.from_dict(obj)


def read_jsonl(path: str | Path) -> list[Document]:
    return list(iter_jsonl(path))


def dumps_document(doc: Document, scores: bool = False) -> str:
    return json.dumps(doc.to_dict(scores), ensure_ascii=False)


def write_jsonl(docs: Iterable[Document], path: str | Path, scores: bool = False) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(dumps_document(d, scores) + "\n")


# ---------------------------------------------------------------- Label Studio
_LS_FROM, _LS_TO = "label", "text"


def to_label_studio(docs: Iterable[Document]) -> list[dict[str, Any]]:
    """Label Studio tasks (one per document) with spans and relations as an annotation."""
    tasks = []
    for doc in docs:
        result: list[dict[str, Any]] = []
        for s in doc.entities:
            result.append({"id": f"e{s.id}", "from_name": _LS_FROM, "to_name": _LS_TO, "type": "labels",
                           "value": {"start": s.start, "end": s.end, "text": doc.text[s.start:s.end],
                                     "labels": [s.label]}})
        for r in doc.relations:
            result.append({"type": "relation", "from_id": f"e{r.from_id}", "to_id": f"e{r.to_id}",
                           "direction": "right", "labels": [r.type], "govie_id": r.id})
        data = {"text": doc.text, "doc_id": doc.id, "meta": doc.meta}
        if doc.extra:
            data["extra"] = doc.extra
        tasks.append({"data": data, "annotations": [{"result": result}]})
    return tasks


def from_label_studio(tasks: list[dict[str, Any]], *, path: str | None = None,
                      default_relation: str | None = None) -> list[Document]:
    """Documents from Label Studio JSON export (the first annotation of each task).

    A relation without a label is an error unless ``default_relation`` names the
    type to give it.  Region ids are mapped to integer entity ids in order.
    """
    if default_relation is not None and default_relation not in RELATION_DIRECTIONS:
        raise GovieInputError(f"--default-relation {default_relation!r} is not one of "
                              f"{', '.join(RELATION_DIRECTIONS)}", path=path)
    if not isinstance(tasks, list):
        raise GovieInputError("Label Studio export must be a JSON list of tasks", path=path)
    docs = []
    for ti, task in enumerate(tasks):
        where = f"task {ti}"
        data = task.get("data", {}) if isinstance(task, dict) else {}
        text = data.get("text")
        if not isinstance(text, str):
            raise GovieInputError(f"{where}: data.text is missing", path=path)
        doc_id = str(data.get("doc_id", task.get("id", ti)))
        anns = task.get("annotations") or task.get("predictions") or []
        result = anns[0].get("result", []) if anns else []
        ents: list[Span] = []
        rels: list[Relation] = []
        id_map: dict[str, int] = {}
        for item in result:
            if item.get("type") == "labels":
                v = item["value"]
                labels = v.get("labels") or []
                if len(labels) != 1:
                    raise GovieInputError(f"{where}: region {item.get('id')} has {len(labels)} labels, "
                                          "expected exactly one", path=path, doc_id=doc_id)
                start, end = int(v["start"]), int(v["end"])
                if "text" in v and text[start:end] != v["text"]:
                    raise GovieInputError(f"{where}: region {item.get('id')} text {v['text']!r} does not "
                                          f"match text[{start}:{end}] = {text[start:end]!r}",
                                          path=path, doc_id=doc_id)
                rid = str(item.get("id"))
                if rid.startswith("e") and rid[1:].isdigit() and int(rid[1:]) not in id_map.values():
                    eid = int(rid[1:])
                else:
                    eid = max(list(id_map.values()) + [0]) + 1
                id_map[rid] = eid
                ents.append(Span(eid, labels[0], start, end))
        next_rel = 1
        for item in result:
            if item.get("type") != "relation":
                continue
            labels = item.get("labels") or []
            if not labels:
                if default_relation is None:
                    raise GovieInputError(f"{where}: relation {item.get('from_id')} -> {item.get('to_id')} "
                                          "has no label; label it in Label Studio or pass "
                                          "--default-relation TYPE", path=path, doc_id=doc_id)
                labels = [default_relation]
            a, b = str(item["from_id"]), str(item["to_id"])
            for x in (a, b):
                if x not in id_map:
                    raise GovieInputError(f"{where}: relation refers to unknown region {x!r}",
                                          path=path, doc_id=doc_id)
            direction = item.get("direction", "right")
            if direction == "left":
                a, b = b, a
            elif direction == "bi":
                raise GovieInputError(f"{where}: relation {a} <-> {b} is bidirectional; govie relations "
                                      "are directed", path=path, doc_id=doc_id)
            rid = int(item.get("govie_id", next_rel))
            next_rel = max(next_rel, rid) + 1
            for lab in labels:
                rels.append(Relation(rid, id_map[a], id_map[b], lab))
        meta = data.get("meta") or {}
        extra = data.get("extra") or {}
        docs.append(Document(doc_id, text, dict(meta), ents, rels, dict(extra)))
    return docs


def read_label_studio(path: str | Path, default_relation: str | None = None) -> list[Document]:
    path = str(path)
    try:
        with open(path, encoding="utf-8") as fh:
            tasks = json.load(fh)
    except FileNotFoundError:
        raise GovieInputError("no such file", path=path) from None
    except json.JSONDecodeError as e:
        raise GovieInputError(f"invalid JSON: {e.msg}", path=path, line=e.lineno) from None
    return from_label_studio(tasks, path=path, default_relation=default_relation)


def write_label_studio(docs: Iterable[Document], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(to_label_studio(docs), fh, ensure_ascii=False, indent=1)


def problems_to_error(problems: list[Problem]) -> GovieInputError:
    return GovieInputError(problems[0])


# ---------------------------------------------------------------- plain text
def read_text(path: str | Path) -> str:
    """A report as text: UTF-8 (a BOM is dropped), else GB18030/GBK.

    Raises :class:`GovieInputError` for a missing file, a binary file, or bytes
    that are neither encoding (naming the byte offset).
    """
    path = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise GovieInputError("no such file", path=path) from None
    except IsADirectoryError:
        raise GovieInputError("is a directory, not a text file", path=path) from None
    return decode_text(data, path)


def decode_text(data: bytes, path: str) -> str:
    """Bytes of a report as text: UTF-8 (BOM allowed) or GB18030; a clear error naming
    the file and line otherwise."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise GovieInputError(f"binary file (NUL byte at offset {nul}); govie reads UTF-8 or GB18030 text",
                              path=path, line=line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        utf8_err = e
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        line = data.count(b"\n", 0, utf8_err.start) + 1
        raise GovieInputError(f"neither UTF-8 nor GB18030 text (bad byte at offset {utf8_err.start})",
                              path=path, line=line) from None
