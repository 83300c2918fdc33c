"""Corpus-scale extraction as a Ray Data pipeline: ``govie batch`` and :func:`run_batch`.

The same call runs on a laptop (a local Ray instance started for the call and
stopped after it) and on a Ray cluster (``address="ray://head:10001"``, or
``RAY_ADDRESS``, or a Ray the caller already connected to)::

    from govie.batch import run_batch
    result = run_batch("reports/**/*.txt", "out/", model="default")
    print(result)   # 3000 documents (3000 files) -> … records, … entities, … relations in /…/out

Pipeline::

    read_binary_files(paths, include_paths=True)   # one row per file, raw bytes
      -> map_batches(parse)                         # documents: decode, split, JSON lines
      -> materialize, repartition, materialize      # even batches for the actors
      -> map_batches(Extractor, ActorPoolStrategy(size=concurrency), batch_size=B)  # govie.load once per actor
      -> materialize
      -> write_parquet(out/documents|entities|relations|records)

Ray is an optional extra (``pip install 'govie[ray]'``): it is imported inside
the functions here only, so ``import govie`` never imports it.

Output: four Parquet folders under ``out_dir`` (each a set of part files; read
one with ``pandas.read_parquet(out_dir + "/records")``), keyed by ``doc_id``,
``path`` and ``line``:

* ``records``: one row per record (indicator–value pair), every
  :class:`govie.records.Record` field, the exact value (``value``, ``low``,
  ``high``) as a string and ``number`` as a float, ``record_id`` its position in
  ``Extraction.records``;
* ``entities``: ``entity_id, label, start, end, text, score``;
* ``relations``: ``relation_id, type, head_id, head_label, head_text, tail_id,
  tail_label, tail_text, score``;
* ``documents``: one row per document, also those without any record:
  ``chars``, ``n_entities``, ``n_relations``, ``n_records`` and ``meta`` (JSON).

Offsets (``start``/``end``) are Python ``str`` indices into the document's
text, exactly as in :class:`govie.Extraction`.

Why the inputs are read this way:

* A ``.txt`` file is **one document** by default. A report is a document:
  the record builder needs the whole text (the headings give the year and
  whether a figure is a result or a target, the sentence before a value gives
  预计/力争). Files are read as bytes (``ray.data.read_binary_files`` with
  ``include_paths``) and decoded exactly like :func:`govie.io.read_text`:
  UTF-8 (a BOM is dropped), else GB18030, and a file that is neither is an
  error naming it. ``ray.data.read_text`` decodes one fixed encoding, so a
  GB18030 report would fail or come out garbled.
* ``lines=True`` makes every non-blank line of a ``.txt`` file its own
  document (``doc_id`` ``"STEM:LINE"``, ``line`` = the 1-based line number,
  offsets into that line). Use it for corpora that are one paragraph per line;
  records then lose the context of the rest of the report. The lines are split
  here and not by ``ray.data.read_text``, which keeps no line numbers (and
  drops empty lines, so they could not be recovered) and has the encoding
  problem above.
* A ``.jsonl`` file is the SCHEMA doccano layout, one document per line
  (``id``, ``text``, optional ``meta``; other keys are ignored). It is parsed
  here with :mod:`json`, not with ``ray.data.read_json(lines=True)``: that
  goes through pandas, which turns the id ``"001"`` into the number 1 and
  pads every ``meta`` with the keys of the other documents, and it reports bad
  lines without the file and line. Errors name the file, the line and the
  document, as ``govie validate`` does.
* Any other file is read as text, like ``govie extract`` does.

The corpus text is materialized in Ray's object store (it spills to disk when
it is larger) before the extraction actors start: a pool of actors that holds
every CPU would otherwise starve the read and split tasks (a deadlock, seen
with ``concurrency`` equal to the CPUs), and the parsed documents can then be
cut into even batches.
"""
from __future__ import annotations

import functools
import glob as _glob
import io
import json
import logging
import math
import os
import shutil
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Iterator

from .io import decode_text  # batch decodes files exactly like govie.io.read_text
from .errors import GovieInputError, Problem

TABLES = ("documents", "entities", "relations", "records")
MANIFEST = "govie-batch.json"
_KEYS = ("doc_id", "path", "line")
_FOLDER_SUFFIXES = (".txt", ".jsonl")
DEFAULT_BATCH_SIZE = 8          # whole reports: a few seconds each with the default model
DEFAULT_LINES_BATCH_SIZE = 256  # one paragraph per row


# ---------------------------------------------------------------- inputs
def resolve_inputs(inputs: str | os.PathLike | Iterable[str | os.PathLike]) -> list[str]:
    """The input files, in order, without duplicates: globs (``**`` recursive) are
    expanded, a folder stands for its ``.txt`` and ``.jsonl`` files (recursively),
    and a URI (``s3://...``) is passed to Ray as it is.

    Raises :class:`GovieInputError` naming the pattern or file for a glob that
    matches nothing, a missing file or an empty folder.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    out: list[str] = []
    seen: set[str] = set()
    for item in inputs:
        s = os.fspath(item)
        if "://" in s:
            found = [s]
        elif _glob.has_magic(s):
            found = []
            for m in sorted(_glob.glob(os.path.expanduser(s), recursive=True)):
                found.extend(_folder_files(Path(m)) if os.path.isdir(m) else [m])
            if not found:
                raise GovieInputError(f"no file matches {s!r}", path=s)
        else:
            p = Path(s).expanduser()
            if p.is_dir():
                found = _folder_files(p)
                if not found:
                    raise GovieInputError("folder holds no .txt or .jsonl file", path=s)
            elif p.is_file():
                found = [str(p)]
            elif p.exists():
                raise GovieInputError("not a regular file", path=s)
            else:
                raise GovieInputError("no such file", path=s)
        for f in found:
            key = f if "://" in f else os.path.abspath(f)
            if key not in seen:
                seen.add(key)
                out.append(key)
    if not out:
        raise GovieInputError("no input files given")
    return out


def _folder_files(p: Path) -> list[str]:
    return sorted(str(q) for q in p.rglob("*") if q.is_file() and q.suffix.lower() in _FOLDER_SUFFIXES)



def iter_documents(data: bytes, path: str, lines: bool = False) -> Iterator[tuple[str, int | None, str, dict]]:
    """``(doc_id, line, text, meta)`` of every document in one input file's bytes."""
    name = PurePosixPath(path).name
    stem = PurePosixPath(path).stem
    if name.lower().endswith(".jsonl"):
        yield from _iter_jsonl(data, path)
        return
    text = decode_text(data, path)
    meta = {"source": name}
    if not lines:
        yield stem, None, text, meta
        return
    for i, ln in enumerate(text.split("\n"), 1):
        if ln.endswith("\r"):
            ln = ln[:-1]
        if ln.strip():
            yield f"{stem}:{i}", i, ln, dict(meta)


def _iter_jsonl(data: bytes, path: str) -> Iterator[tuple[str, int | None, str, dict]]:
    from .validate import json_lines
    fh = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig")  # universal newlines, like open()
    for lineno, obj, problem in json_lines(fh, path):
        if problem:  # the first problem stops the run (validate collects them all)
            raise GovieInputError(problem.message, path=path, line=problem.line, doc_id=problem.doc_id)
        yield str(obj["id"]), lineno, obj["text"], dict(obj.get("meta") or {})


# ---------------------------------------------------------------- table layouts
def _record_columns() -> list[tuple[str, str]]:
    from .records import Record
    cols = []
    for f in fields(Record):
        base = str(f.type).split("|")[0].strip()
        cols.append((f.name, "int" if base == "int" else "str"))
        if f.name == "value":
            cols.append(("number", "float"))
    return cols


@functools.lru_cache(maxsize=None)
def _schemas() -> dict[str, Any]:
    import pyarrow as pa
    t = {"int": pa.int64(), "str": pa.string(), "float": pa.float64()}
    keys = [("doc_id", pa.string()), ("path", pa.string()), ("line", pa.int64())]
    entity = [("entity_id", pa.int64()), ("label", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
              ("text", pa.string()), ("score", pa.float64())]
    relation = [("relation_id", pa.int64()), ("type", pa.string()),
                ("head_id", pa.int64()), ("head_label", pa.string()), ("head_text", pa.string()),
                ("tail_id", pa.int64()), ("tail_label", pa.string()), ("tail_text", pa.string()),
                ("score", pa.float64())]
    record = [("record_id", pa.int64())] + [(n, t[k]) for n, k in _record_columns()]
    return {
        "input": pa.schema(keys + [("text", pa.large_string()), ("meta", pa.string()), ("error", pa.string())]),
        "result": pa.schema(keys + [("chars", pa.int64()), ("meta", pa.string()),
                                    ("entities", pa.list_(pa.struct(entity))),
                                    ("relations", pa.list_(pa.struct(relation))),
                                    ("records", pa.list_(pa.struct(record)))]),
        "documents": pa.schema(keys + [("chars", pa.int64()), ("n_entities", pa.int64()),
                                       ("n_relations", pa.int64()), ("n_records", pa.int64()),
                                       ("meta", pa.string())]),
        "entities": pa.schema(keys + entity),
        "relations": pa.schema(keys + relation),
        "records": pa.schema(keys + record),
    }


def table_schema(name: str):
    """The pyarrow schema of one output table (``documents``, ``entities``, ``relations``, ``records``)."""
    return _schemas()[name]


def extraction_rows(ex) -> dict[str, list[dict[str, Any]]]:
    """The nested rows of one :class:`govie.Extraction`: entities, relations, records."""
    ents = [{"entity_id": e.id, "label": e.label, "start": e.start, "end": e.end, "text": e.text,
             "score": None if e.score is None else float(e.score)} for e in ex.entities]
    rels = [{"relation_id": r.id, "type": r.type,
             "head_id": r.head.id, "head_label": r.head.label, "head_text": r.head.text,
             "tail_id": r.tail.id, "tail_label": r.tail.label, "tail_text": r.tail.text,
             "score": None if r.score is None else float(r.score)} for r in ex.relations]
    recs = []
    for i, r in enumerate(ex.records):
        d = r.to_dict()
        d["number"] = float(r.value) if r.value is not None else None
        recs.append({"record_id": i, **d})
    return {"entities": ents, "relations": rels, "records": recs}


# ---------------------------------------------------------------- Ray stages (run on workers)
def _parse_files(batch, lines: bool = False):
    """Stage 1: a batch of files (``bytes``, ``path``) -> a batch of documents.

    A file that cannot be read becomes one row with ``error`` set (the
    :class:`~govie.errors.Problem` as JSON): an exception raised here reaches
    the driver wrapped by Ray, without the file and line in a usable form.
    """
    import pyarrow as pa
    cols: dict[str, list] = {"doc_id": [], "path": [], "line": [], "text": [], "meta": [], "error": []}

    def add(doc_id, path, line, text, meta, error=None):
        for k, v in zip(cols, (doc_id, path, line, text, json.dumps(meta, ensure_ascii=False), error)):
            cols[k].append(v)

    for data, path in zip(batch.column("bytes").to_pylist(), batch.column("path").to_pylist()):
        try:
            docs = list(iter_documents(data, path, lines))
        except GovieInputError as e:
            add("", path, e.problem.line, "", {}, json.dumps(asdict(e.problem), ensure_ascii=False))
            continue
        for doc_id, line, text, meta in docs:
            add(doc_id, path, line, text, meta)
    return pa.table(cols, schema=table_schema("input"))


class Extractor:
    """Stage 2, a stateful Ray Data callable: loads ``govie.load(model)`` once per
    actor and runs :meth:`govie.Pipeline.pipe` on each batch of documents."""

    def __init__(self, model: str = "default"):
        from .pipeline import load
        self.pipe = load(model)

    def __call__(self, batch):
        import pyarrow as pa
        ids = batch.column("doc_id").to_pylist()
        texts = batch.column("text").to_pylist()
        metas = [json.loads(m) for m in batch.column("meta").to_pylist()]
        out: dict[str, list] = {"doc_id": ids, "path": batch.column("path").to_pylist(),
                                "line": batch.column("line").to_pylist(), "chars": [len(t) for t in texts],
                                "meta": batch.column("meta").to_pylist(),
                                "entities": [], "relations": [], "records": []}
        for ex in self.pipe.pipe(texts, metas=metas, ids=ids):
            for k, v in extraction_rows(ex).items():
                out[k].append(v)
        return pa.table(out, schema=table_schema("result"))


def _table(batch, name: str):
    """Stage 3: per-document results -> the rows of one output table."""
    import pyarrow as pa
    import pyarrow.compute as pc
    schema = table_schema(name)
    keys = batch.select(list(_KEYS))
    if name == "documents":
        cols = keys.columns + [batch.column("chars")]
        cols += [pc.list_value_length(batch.column(k)).cast(pa.int64()) for k in ("entities", "relations", "records")]
        cols.append(batch.column("meta"))
        return pa.Table.from_arrays(cols, schema=schema)
    lists = batch.column(name).combine_chunks()
    parents = pc.list_parent_indices(lists)
    flat = pc.list_flatten(lists)
    cols = keys.take(parents).columns + flat.flatten()
    return pa.Table.from_arrays(cols, schema=schema)


# ---------------------------------------------------------------- driver
@dataclass
class BatchResult:
    """What :func:`run_batch` wrote."""

    out_dir: str
    files: int
    documents: int
    entities: int
    relations: int
    records: int
    model: str
    tables: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return (f"{self.documents} documents ({self.files} files) -> {self.records} records, "
                f"{self.entities} entities, {self.relations} relations in {self.out_dir}")


def _import_ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as e:
        raise ModuleNotFoundError(f"govie batch needs Ray Data ({e}); install it with: pip install 'govie[ray]'") \
            from None
    return ray


def _check_model(model: str) -> str:
    """Fail before Ray starts on an unknown model; a model folder is made absolute for the workers."""
    from .pipeline import _resolve
    _resolve(model)
    base, at, q = model.partition("@")
    if Path(base).is_dir() and (Path(base) / "govie_config.json").exists():
        return str(Path(base).resolve()) + at + q
    return model


def _local(path: str) -> bool:
    return "://" not in path


def _prepare_out(out_dir: str | os.PathLike, overwrite: bool) -> str:
    s = os.fspath(out_dir)
    if not _local(s):
        return s
    p = Path(s).expanduser().resolve()
    if p.exists() and not p.is_dir():
        raise GovieInputError("output exists and is not a folder", path=str(p))
    busy = [t for t in TABLES if (p / t).exists() and any((p / t).iterdir())]
    if busy and not overwrite:
        raise GovieInputError(f"already holds govie batch output ({', '.join(busy)}); pass overwrite=True "
                              "(--overwrite) or choose an empty folder", path=str(p))
    return str(p)


def _input_error(docs, paths: list[str]) -> GovieInputError | None:
    """The first file (in input order) that could not be read, as a :class:`GovieInputError`."""
    errors = []
    for b in docs.select_columns(["error"]).iter_batches(batch_format="pyarrow", batch_size=None):
        errors += [json.loads(e) for e in b.column("error").to_pylist() if e is not None]
    if not errors:
        return None
    order = {p: i for i, p in enumerate(paths)}
    errors.sort(key=lambda p: (order.get(p["path"], len(order)), p["path"] or ""))
    problem = Problem(**errors[0])
    if len(errors) > 1:
        problem = Problem(f"{problem.message} (and {len(errors) - 1} more unreadable file(s))",
                          problem.path, problem.line, problem.doc_id)
    return GovieInputError(problem)


def _init_ray(ray, address: str | None, num_cpus: int | None, object_store_memory: int | None,
              quiet: bool) -> bool:
    """Connect to or start Ray; True when this call did (and so must shut it down)."""
    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False} if quiet else {}
    if address is None and not os.environ.get("RAY_ADDRESS"):
        kwargs.update(include_dashboard=False, num_cpus=num_cpus, object_store_memory=object_store_memory)
    elif num_cpus is not None or object_store_memory is not None:
        raise ValueError("num_cpus and object_store_memory only apply to a local Ray instance, "
                         f"not to a cluster at {address or os.environ.get('RAY_ADDRESS')}")
    ray.init(address=address, **kwargs)
    return True


def run_batch(inputs: str | os.PathLike | Iterable[str | os.PathLike], out_dir: str | os.PathLike, *,
              model: str = "default", batch_size: int | None = None, concurrency: int | None = None,
              address: str | None = None, lines: bool = False, num_cpus: int | None = None,
              object_store_memory: int | None = None, overwrite: bool = False,
              quiet: bool = False) -> BatchResult:
    """Extract every document of ``inputs`` on Ray and write Parquet tables under ``out_dir``.

    ``inputs``: a glob (``"reports/**/*.txt"``), a file, a folder, or a list of
    them; ``.jsonl`` files are SCHEMA documents, other files text (see the
    module docstring for why they are read as they are). ``model``: as
    :func:`govie.load`. ``batch_size``: documents per call of an actor (default
    8, or 256 with ``lines``). ``concurrency``: extraction actors, each loading
    the model once (default: the cluster's CPUs, at most one per batch).
    ``address``: a Ray cluster (``"ray://head:10001"``, ``"auto"``); without it
    ``RAY_ADDRESS`` is used if set, else a local Ray instance with ``num_cpus``
    CPUs and ``object_store_memory`` bytes is started. A Ray that this call
    started or connected to is shut down before it returns; one the caller had
    already initialized is used and left running. On a cluster the inputs and
    ``out_dir`` must be paths every node sees (a shared file system, or
    ``s3://`` and other URIs pyarrow reads). ``overwrite`` replaces earlier
    output in ``out_dir``; without it earlier output is an error. ``quiet``
    turns off Ray Data's progress output.

    Bad input (no such file, a glob that matches nothing, bytes that are neither
    UTF-8 nor GB18030, a bad JSON line) raises :class:`GovieInputError` naming
    the file (and line), before anything is written.
    """
    paths = resolve_inputs(inputs)
    model = _check_model(model)
    out = _prepare_out(out_dir, overwrite)
    if batch_size is None:
        batch_size = DEFAULT_LINES_BATCH_SIZE if lines else DEFAULT_BATCH_SIZE
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if concurrency is not None and concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    ray = _import_ray()
    import pyarrow.compute as pc
    started = _init_ray(ray, address, num_cpus, object_store_memory, quiet)
    try:
        ctx = ray.data.DataContext.get_current()
        if quiet:
            logging.getLogger("ray.data").setLevel(logging.ERROR)
            ctx.enable_progress_bars = False
        docs = (ray.data.read_binary_files(paths, include_paths=True)
                .map_batches(_parse_files, fn_kwargs={"lines": lines}, batch_format="pyarrow", batch_size=None)
                .materialize())
        bad = _input_error(docs, paths)
        if bad is not None:
            raise bad
        n_docs = docs.count()
        n_batches = max(1, math.ceil(n_docs / batch_size))
        actors = concurrency or max(1, int(ray.cluster_resources().get("CPU", 1)))
        actors = min(actors, n_batches)
        # materialized before the actors start: a pool holding every CPU would starve the split tasks
        docs = docs.repartition(n_batches).materialize()
        results = (docs.map_batches(Extractor, fn_constructor_kwargs={"model": model}, batch_size=batch_size,
                                    compute=ray.data.ActorPoolStrategy(size=actors), batch_format="pyarrow")
                   .materialize())
        del docs
        tables = {t: (f"{out.rstrip('/')}/{t}" if not _local(out) else str(Path(out) / t)) for t in TABLES}
        if _local(out):
            Path(out).mkdir(parents=True, exist_ok=True)
            for t in TABLES:
                shutil.rmtree(tables[t], ignore_errors=True)
        counts = {"n_entities": 0, "n_relations": 0, "n_records": 0}
        for t in TABLES:
            table = results.map_batches(_table, fn_kwargs={"name": t}, batch_format="pyarrow", batch_size=None)
            if t == "documents":  # small (one row per document): keep it to count from
                table = table.materialize()
                for b in table.iter_batches(batch_format="pyarrow", batch_size=None):
                    for k in counts:
                        counts[k] += int(pc.sum(b.column(k)).as_py() or 0)
            table.write_parquet(tables[t])
        result = BatchResult(out, len(paths), n_docs, counts["n_entities"], counts["n_relations"],
                             counts["n_records"], model, tables)
        if _local(out):
            _finish_local(result, paths, lines, batch_size, actors, ray.__version__)
        return result
    finally:
        if started:
            ray.shutdown()


def _finish_local(result: BatchResult, paths: list[str], lines: bool, batch_size: int, actors: int,
                  ray_version: str) -> None:
    """An empty Parquet file where a table has no rows (so it reads back with its columns), and a manifest."""
    import pyarrow.parquet as pq
    from . import __version__
    for t, d in result.tables.items():
        p = Path(d)
        p.mkdir(parents=True, exist_ok=True)
        if not any(p.glob("*.parquet")):
            pq.write_table(table_schema(t).empty_table(), p / "empty.parquet")
    manifest = {"govie": __version__, "ray": ray_version, "model": result.model, "lines": lines,
                "batch_size": batch_size, "concurrency": actors, "files": paths,
                "counts": {"files": result.files, "documents": result.documents, "entities": result.entities,
                           "relations": result.relations, "records": result.records},
                "tables": {t: Path(d).name for t, d in result.tables.items()}}
    (Path(result.out_dir) / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                                 encoding="utf-8")
