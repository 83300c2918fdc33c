"""Bake-off on the gold test split: accuracy, speed, size for each model.

    python benchmarks/bakeoff.py --models rules runs/bilstm-char runs/e5-L6 ... [--split test]
    python benchmarks/bakeoff.py --models default --docs ID ... --name batch-e   # named gold documents
    python benchmarks/bakeoff.py --models default --gold data/annotations/pending.jsonl --name batch-f

For each model: entity micro-F1 and per-label F1 (seqeval strict IOB2),
relation F1 end to end, training time (from the model's training_log.json),
batch-extraction speed in characters per second over the split's texts
(the pipeline's full extract: spans, relations, records), first-call time
(import + model load + first extraction, in a fresh process), peak memory of
that process, and model size on disk. Writes
benchmarks/results/bakeoff-<split or name>.json and .md; prints the markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import date
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LABELS = ("INDICATOR", "VALUE", "UNIT", "ENTITY", "PROJECT", "REGION")

_PROBE = r"""
import json, sys, time
t0 = time.time()
import govie
pipe = govie.load(sys.argv[1])
texts = json.load(open(sys.argv[2], encoding="utf-8"))
pipe(texts[0][:2000])
first = time.time() - t0
t1 = time.time()
n = 0
for ex in pipe.pipe(texts, batch_size=16):
    n += len(ex.text)
dt = time.time() - t1
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork+exec from the parent process
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(json.dumps({"first_call_s": first, "chars": n, "seconds": dt, "peak_rss_mb": int(hwm) / 1024}))
"""


def dir_size_mb(path: Path) -> float:
    if not path.exists():
        return 0.0
    files = [p for p in path.rglob("*") if p.is_file() and "checkpoints" not in p.parts]
    return sum(p.stat().st_size for p in files) / 1e6


def load_split(split: str, ids: list[str] | None = None, gold_file: Path | None = None):
    """(gold documents, their texts) of a split, or of the gold documents ``ids``, or
    of every document in ``gold_file`` (annotated documents not yet in a split)."""
    from govie.io import read_jsonl
    path = gold_file or ROOT / "data" / "annotations" / "gold.jsonl"
    gold = {d.id: d for d in read_jsonl(path)}
    if ids is None:
        ids = list(gold) if gold_file else \
            json.loads((ROOT / "data" / "splits.json").read_text(encoding="utf-8"))[split]
    missing = [i for i in ids if i not in gold]
    if missing:
        raise SystemExit(f"not in {path}: {', '.join(missing)}")
    docs = [gold[i] for i in ids]
    return docs, [d.text for d in docs]


def machine_line(threads: int) -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")),
               platform.processor() or platform.machine())
    return f"{cpu} ({platform.machine()}), {os.cpu_count()} cores, torch threads {threads}, " \
           f"Python {platform.python_version()}"


def measure(name: str, docs, texts, threads: int = 2) -> dict:
    """Accuracy (in this process) and speed, first call and peak memory (in a fresh
    process with ``threads`` threads) of one model name or directory."""
    import govie
    from govie.evaluate import score
    from govie.schema import Document

    tpath = ROOT / "benchmarks" / "results" / f"_texts_{os.getpid()}.json"
    tpath.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    try:
        pipe = govie.load(name)
        pred = [Document(d.id, d.text, d.meta, ex.to_document().entities, ex.to_document().relations)
                for d, ex in zip(docs, pipe.pipe(texts, ids=[d.id for d in docs]))]
        s = score(docs, pred)
        probe = subprocess.run([sys.executable, "-c", _PROBE, name, str(tpath)], capture_output=True, text=True,
                               env=env, cwd=ROOT)
    finally:
        tpath.unlink()
    if probe.returncode != 0:
        raise SystemExit(f"speed probe failed for {name}:\n{probe.stderr[-2000:]}")
    sp = json.loads(probe.stdout.strip().splitlines()[-1])
    base = name.split("@")[0]  # NAME@int8 / @torch / @onnx: a load-time variant of a trained model
    bdir = Path(base) if Path(base).exists() else ROOT / "govie" / "models" / base
    infos = training_logs(bdir)
    info = infos[0]
    train_s = sum(i.get("train_seconds", 0.0) for i in infos)
    gpu = info.get("device", "cpu").split(" (")[0] if not info.get("device", "cpu").startswith("cpu") else ""
    row = {"model": name, "entity_micro_f1": s["entities"]["micro"]["f1"],
            "per_label_f1": {k: s["entities"].get(k, {}).get("f1", 0.0) for k in LABELS},
            "relation_f1": s["relations"]["micro"]["f1"], "train_seconds": train_s, "train_device": gpu,
            "chars_per_second": sp["chars"] / sp["seconds"], "first_call_s": sp["first_call_s"],
            "peak_rss_mb": sp["peak_rss_mb"], "size_mb": dir_size_mb(bdir),
            "corpus_saw_split_text": saw_any_split_text(infos, docs)}
    held = set.intersection(*(set(i.get("distill", {}).get("held_out", [])) for i in infos))
    if row["corpus_saw_split_text"] and held & {d.id for d in docs}:
        keep = [i for i, d in enumerate(docs) if d.id in held]
        h = score([docs[i] for i in keep], [pred[i] for i in keep])
        row["held_out"] = {"documents": [docs[i].id for i in keep], "entity_micro_f1": h["entities"]["micro"]["f1"],
                           "per_label_f1": {k: h["entities"].get(k, {}).get("f1", 0.0) for k in LABELS},
                           "relation_f1": h["relations"]["micro"]["f1"]}
    return row


def training_logs(model_dir: Path) -> list[dict]:
    """The training log of a model directory; of an ensemble (govie.ensemble), its members' logs
    (training time is their sum; the corpus held a split's text if any member's did)."""
    from govie.ensemble import member_dirs
    dirs = member_dirs(model_dir) if (model_dir / "govie_config.json").exists() else None
    logs = [d / "training_log.json" for d in (dirs or [model_dir])]
    return [json.loads(log.read_text()) if log.exists() else {} for log in logs]


def saw_any_split_text(infos: list[dict], docs) -> bool | None:
    """:func:`saw_split_text` over an ensemble's members: True if any member's corpus held the text
    (None when no member is a distilled model)."""
    saw = [saw_split_text(i, docs) for i in infos]
    return None if all(x is None for x in saw) else any(saw)


def saw_split_text(info: dict, docs) -> bool | None:
    """Whether a distilled model's unlabeled corpus held text of these documents
    (None: not a distilled model). The log names the held-out documents
    (``distill.held_out``); older logs give only the number of corpus lines,
    which is then compared with the corpus less today's dev and test text."""
    d = info.get("distill")
    if not d:
        return None
    if "held_out" in d:
        return not {doc.id for doc in docs} <= set(d["held_out"])
    return d["lines"] > _corpus_lines_now(tuple(d["corpus"]))


@lru_cache(maxsize=None)
def _corpus_lines_now(corpus: tuple[str, ...]) -> int:
    """Distillation corpus lines less today's dev and test text (read once per corpus)."""
    from govie.distill import corpus_lines
    held = [doc.text for s in ("dev", "test") for doc in load_split(s)[0]]
    return len(corpus_lines([str(ROOT / c) for c in corpus], held))


def _on(r: dict) -> str:
    """Where a model was trained, when not on this machine's CPU (e.g. a lent GPU)."""
    g = r.get("train_device", "")
    return f" ({g.replace('NVIDIA ', '').split()[0]})" if g else ""


def table(rows: list[dict]) -> list[str]:
    header = ("| model | entity micro-F1 | " + " | ".join(LABELS) + " | relation F1 | train time | chars/s "
              "| first call | peak RSS | size |")
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for r in rows:
        mark = " †" if r.get("corpus_saw_split_text") else ""
        lines.append(f"| {r['model']}{mark} | {r['entity_micro_f1']:.3f} | "
                     + " | ".join(f"{r['per_label_f1'][k]:.3f}" for k in LABELS)
                     + f" | {r['relation_f1']:.3f} | {r['train_seconds'] / 60:.1f} min{_on(r)} | {r['chars_per_second']:,.0f} "
                     f"| {r['first_call_s']:.1f} s | {r['peak_rss_mb']:,.0f} MB | {r['size_mb']:.1f} MB |")
    return lines


def held_out_table(rows: list[dict]) -> list[str]:
    """The † rows scored on the split's documents their distillation corpus did not hold."""
    lines = ["| model † | documents | entity micro-F1 | " + " | ".join(LABELS) + " | relation F1 |",
             "|" + "---|" * (len(LABELS) + 4)]
    for r in rows:
        h = r.get("held_out")
        if h:
            lines.append(f"| {r['model']} | {len(h['documents'])} | {h['entity_micro_f1']:.3f} | "
                         + " | ".join(f"{h['per_label_f1'][k]:.3f}" for k in LABELS) + f" | {h['relation_f1']:.3f} |")
    return lines if len(lines) > 2 else []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", required=True)
    ap.add_argument("--split", default="test")
    ap.add_argument("--docs", nargs="+", help="gold document ids to score instead of the split")
    ap.add_argument("--gold", type=Path, help="score every document of this JSONL file (default: the split "
                    "of data/annotations/gold.jsonl)")
    ap.add_argument("--name", help="what the documents are called in the output (default: the split)")
    ap.add_argument("--threads", type=int, default=2, help="torch threads (the target is a 2-core laptop)")
    args = ap.parse_args()
    name = args.name or (args.split if not (args.docs or args.gold) else "docs")

    docs, texts = load_split(args.split, args.docs, args.gold)
    rows = [measure(m, docs, texts, args.threads) for m in args.models]
    machine = machine_line(args.threads)
    what = f"Documents `{name}`" if args.docs or args.gold else f"Split `{args.split}`"
    lines = [f"{what} ({len(docs)} documents, {sum(map(len, texts)):,} characters); "
             f"{date.today().isoformat()}; {machine}.", ""] + table(rows)
    if any(r.get("corpus_saw_split_text") for r in rows):
        lines += ["", "† distilled over an unlabeled corpus that held text of this split's documents (without "
                  "their gold labels): trained before those documents joined the split; not a held-out score."]
        held = held_out_table(rows)
        if held:
            lines += ["", "The † rows whose training log lists the documents held out of their corpus, scored on "
                      "this split's documents among them (the same predictions, a subset of the documents):", ""] + held
    md = "\n".join(lines)
    out = ROOT / "benchmarks" / "results" / f"bakeoff-{name}"
    out.with_suffix(".json").write_text(json.dumps({"machine": machine, "date": date.today().isoformat(),
                                                    "rows": rows}, indent=1), encoding="utf-8")
    out.with_suffix(".md").write_text(md + "\n", encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
