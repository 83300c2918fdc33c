"""govie.batch on a local Ray instance: the Parquet tables equal Pipeline.pipe on the same inputs."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import govie
from govie.errors import GovieInputError
from govie.io import read_text

if not os.environ.get("CI"):  # CI installs the ray extra (.ci/run): there a missing Ray must fail
    pytest.importorskip("ray.data")
pq = pytest.importorskip("pyarrow.parquet")

from govie.batch import TABLES, iter_documents, run_batch, table_schema  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "examples" / "shenyang-2023-plan-report.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ray_local():
    """One small local Ray for the module; run_batch must use it and leave it running."""
    import ray
    started = not ray.is_initialized()
    if started:
        kwargs = dict(num_cpus=2, object_store_memory=96 * 2**20, include_dashboard=False,
                      logging_level="WARNING")
        try:
            ray.init(**kwargs)
        except Exception:  # start-up has a fixed 30 s limit: retry once on a busy machine
            ray.shutdown()
            ray.init(**kwargs)
    yield ray
    if started:
        ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    d = tmp_path_factory.mktemp("corpus")
    a = d / "沈阳-a.txt"
    a.write_text(SAMPLE[:3000], encoding="utf-8")
    b = d / "沈阳-b.txt"  # GB18030 with CRLF line ends: decoded like govie.io.read_text, \r kept
    b.write_bytes(SAMPLE[9000:12000].replace("\n", "\r\n").encode("gb18030"))
    assert read_text(b) == SAMPLE[9000:12000].replace("\n", "\r\n")
    c = d / "docs.jsonl"
    c.write_text(json.dumps({"id": "001", "text": SAMPLE[14000:16000], "meta": {"region": "沈阳市", "year": 2024}},
                            ensure_ascii=False) + "\n\n"
                 + json.dumps({"id": 7, "text": "全市地区生产总值1300亿元，增长8%。预计明年增长6%左右。",
                               "entities": []}, ensure_ascii=False) + "\n", encoding="utf-8")
    return [a, b, c]


def _inputs(files: list[Path], lines: bool = False):
    """(doc_id, path, line, text, meta) of each document, read here without govie.batch."""
    out = []
    for f in files:
        path = os.path.abspath(f)
        if f.suffix == ".jsonl":
            for n, raw in enumerate(f.read_text(encoding="utf-8").split("\n"), 1):
                if raw.strip():
                    obj = json.loads(raw)
                    out.append((str(obj["id"]), path, n, obj["text"], obj.get("meta") or {}))
        elif lines:
            for n, ln in enumerate(read_text(f).splitlines(), 1):
                if ln.strip():
                    out.append((f"{f.stem}:{n}", path, n, ln, {"source": f.name}))
        else:
            out.append((f.stem, path, None, read_text(f), {"source": f.name}))
    return out


def _expected(files, model, lines=False):
    docs = _inputs(files, lines)
    exs = list(govie.load(model).pipe([d[3] for d in docs], metas=[d[4] for d in docs], ids=[d[0] for d in docs]))
    tables = {t: [] for t in TABLES}
    for (doc_id, path, line, text, meta), ex in zip(docs, exs):
        key = {"doc_id": doc_id, "path": path, "line": line}
        assert ex.id == doc_id
        tables["documents"].append({**key, "chars": len(text), "n_entities": len(ex.entities),
                                    "n_relations": len(ex.relations), "n_records": len(ex.records), "meta": meta})
        for e in ex.entities:
            tables["entities"].append({**key, "entity_id": e.id, "label": e.label, "start": e.start, "end": e.end,
                                       "text": text[e.start:e.end], "score": e.score})
        for r in ex.relations:
            tables["relations"].append({**key, "relation_id": r.id, "type": r.type, "head_id": r.head.id,
                                        "head_label": r.head.label, "head_text": r.head.text, "tail_id": r.tail.id,
                                        "tail_label": r.tail.label, "tail_text": r.tail.text, "score": r.score})
        for i, r in enumerate(ex.records):
            d = r.to_dict()
            d["number"] = float(r.value) if r.value is not None else None
            tables["records"].append({**key, "record_id": i, **d})
    return tables


def _read(out: Path, table: str) -> list[dict]:
    t = pq.read_table(out / table)
    assert t.schema == table_schema(table)
    rows = t.to_pylist()
    if table == "documents":
        for r in rows:
            r["meta"] = json.loads(r["meta"])
    id_col = {"documents": None, "entities": "entity_id", "relations": "relation_id", "records": "record_id"}[table]
    return sorted(rows, key=lambda r: (r["path"], r["line"] or 0, r["doc_id"], r[id_col] if id_col else 0))


def _check(out: Path, files, model, lines=False, result=None):
    want = _expected(files, model, lines)
    for t in TABLES:
        got = _read(out, t)
        exp = sorted(want[t], key=lambda r: (r["path"], r["line"] or 0, r["doc_id"],
                                             r.get({"entities": "entity_id", "relations": "relation_id",
                                                    "records": "record_id"}.get(t, ""), 0)))
        assert len(got) == len(exp), t
        for g, e in zip(got, exp):
            # scores may differ in the last float bits: the model pads each batch of windows
            # (Ray's batches are not extract_many's); everything else is exact
            gs, es = g.pop("score", None), e.pop("score", None)
            assert g == e, (t, g, e)
            assert (gs is None) == (es is None) and (gs is None or abs(gs - es) < 1e-4), (t, g, gs, es)
    if result is not None:
        assert (result.documents, result.entities, result.relations, result.records) == (
            len(want["documents"]), len(want["entities"]), len(want["relations"]), len(want["records"]))
    return want


@pytest.mark.parametrize("model,batch_size,concurrency", [("rules", 1, 2), ("default", 2, 1)])
def test_batch_equals_pipe(ray_local, corpus, tmp_path, model, batch_size, concurrency):
    out = tmp_path / "out"
    result = run_batch([str(corpus[0].parent / "*.txt"), corpus[2]], out, model=model, batch_size=batch_size,
                       concurrency=concurrency, quiet=True)
    assert ray_local.is_initialized()  # the caller's Ray is left running
    want = _check(out, corpus, model, result=result)
    assert result.files == 3 and result.documents == 4 and result.records > 10
    assert {r["doc_id"] for r in want["records"]} >= {"沈阳-a", "001", "7"}
    manifest = json.loads((out / "govie-batch.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["records"] == result.records and manifest["model"] == model
    with pytest.raises(GovieInputError, match="already holds govie batch output"):
        run_batch(corpus[2], out, model=model, quiet=True)


def test_batch_lines_and_empty_tables(ray_local, corpus, tmp_path):
    out = tmp_path / "lines"
    result = run_batch(corpus, out, model="rules", lines=True, quiet=True)
    want = _check(out, corpus, "rules", lines=True, result=result)
    assert len({r["line"] for r in want["documents"] if r["path"].endswith("b.txt")}) > 1
    # no record at all: every table still reads back, with its columns
    none = tmp_path / "none.jsonl"
    none.write_text('{"id": "x", "text": "各位代表："}\n', encoding="utf-8")
    result = run_batch(none, tmp_path / "out2", model="rules", quiet=True, overwrite=True)
    assert result.records == 0 and pq.read_table(tmp_path / "out2" / "records").num_rows == 0
    assert pq.read_table(tmp_path / "out2" / "documents").num_rows == 1


def test_batch_bad_input(ray_local, corpus, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(GovieInputError, match="no-such.txt: no such file"):
        run_batch([corpus[0], tmp_path / "no-such.txt"], out, model="rules")
    with pytest.raises(GovieInputError, match=r"no file matches .*\*\.txt"):
        run_batch(str(tmp_path / "empty" / "*.txt"), out, model="rules")
    bad = tmp_path / "bad.txt"
    bad.write_bytes("第一行\n".encode("utf-8") + b"\xff\xfe broken\n")
    with pytest.raises(GovieInputError, match=r"bad\.txt:2: neither UTF-8 nor GB18030"):
        run_batch([corpus[0], bad], out, model="rules", quiet=True)
    badj = tmp_path / "bad.jsonl"
    badj.write_text('{"id": 1, "text": "x"}\n{"id": 2, "text": \n', encoding="utf-8")
    with pytest.raises(GovieInputError, match=r"bad\.jsonl:2: invalid JSON"):
        run_batch(badj, out, model="rules", quiet=True)
    assert not (out / "records").exists()  # nothing written on bad input
    with pytest.raises(ValueError, match="unknown model"):
        run_batch(corpus[0], out, model="no-such-model")


def test_iter_documents_decodes_like_read_text(corpus):
    for f in corpus[:2]:
        [(doc_id, line, text, meta)] = iter_documents(f.read_bytes(), str(f))
        assert (doc_id, line, text, meta) == (f.stem, None, read_text(f), {"source": f.name})
    bom = "\ufeff全市增长8%。".encode("utf-8")
    assert next(iter_documents(bom, "x.txt"))[2] == "全市增长8%。"


def test_cli_batch_starts_and_stops_its_own_ray(corpus, tmp_path):
    """``govie batch`` as a user runs it: a local Ray started for the run and stopped after it."""
    out = tmp_path / "cli"
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    cmd = [sys.executable, "-m", "govie.cli", "batch", str(corpus[0].parent / "*.txt"), str(corpus[2]),
           "--out", str(out), "--model", "rules", "--num-cpus", "1", "--batch-size", "2", "-q"]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    assert "4 documents (3 files)" in p.stdout and f"records: {out / 'records'}" in p.stdout
    _check(out, corpus, "rules")
    p = subprocess.run([sys.executable, "-m", "govie.cli", "batch", str(tmp_path / "missing.txt"),
                        "--out", str(tmp_path / "x")], capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 2 and "missing.txt: no such file" in p.stderr


def test_import_govie_does_not_import_ray():
    code = "import sys, govie, govie.cli, govie.batch; assert 'ray' not in sys.modules, 'ray imported'"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)
