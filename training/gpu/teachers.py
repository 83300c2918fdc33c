"""Train teacher candidates side by side on one GPU, keep the best, label the corpus.

Run on the GPU machine after ``. training/gpu/setup.sh``::

    python3 training/gpu/teachers.py --out $OUT --budget 210 \\
        e5-L12-lex e5-L12-lex-long e5-L12 e5-L12-frozen

1. ``govie train`` for each config (``training/configs/NAME.yaml``), all at
   once (one process each; the GPU is mostly idle in any one of them), each
   stopped after ``--budget`` seconds of training if its schedule is longer
   (``train.max_seconds``; the log says at which step).
2. The ``--label`` best by dev entity micro-F1 label the distillation corpus
   (``label_corpus`` with ``--workers`` processes each), packed small with
   ``labels_io.pack``.
3. Writes to ``--out``: ``teachers.json`` (every candidate's dev/test scores,
   steps, seconds), ``labels-NAME.tar.xz``, and the best teacher's directory as
   ``best-teacher.tar.part-*`` (15 MB parts; tokenizer.json left out: it is the
   e5 tokenizer ``load_encoder`` makes anywhere).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from common import CORPUS, collect, launch, split_tar  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("configs", nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--budget", type=float, default=210, help="seconds of training per candidate at most")
    ap.add_argument("--label", type=int, default=2, help="how many of the best label the corpus")
    ap.add_argument("--workers", type=int, default=6, help="labeling processes per teacher")
    ap.add_argument("--max-chars", type=int, help="label only the first N corpus characters (a trial run)")
    ap.add_argument("--corpus", nargs="+", default=CORPUS, help="corpus globs (default: the configs' corpus)")
    ap.add_argument("--runs", default=str(ROOT / "runs"), help="where model directories and labels go")
    ap.add_argument("--student-config", default="training/configs/distill-bilstm-L12.yaml")
    args = ap.parse_args()
    out = Path(args.out)
    t0 = time.time()
    runs = Path(args.runs)
    procs = {name: launch(runs, name, name, args.budget, ["train", "--output", str(runs / name)])
             for name in args.configs}
    summary = collect(runs, procs, full=True)
    best = sorted(summary, key=lambda n: -summary[n]["dev_f1"])[:args.label]
    (out / "teachers.json").write_text(json.dumps({"best": best, "budget": args.budget, "candidates": summary,
                                                   "device": _device()}, indent=1), encoding="utf-8")
    print(f"teachers done at {time.time() - t0:.0f}s; labeling with {best}", flush=True)

    from govie.distill import corpus_lines, label_corpus
    from govie.training import load_config, split_docs
    import labels_io
    cfg = load_config(ROOT / args.student_config)
    held_out = [doc.text for s in ("dev", "test") for doc in split_docs(cfg, s)]
    lines = corpus_lines(args.corpus, held_out)
    d = cfg.get("distill", {})

    def label(name: str) -> None:  # each teacher in its own pool of worker processes, at the same time
        t1 = time.time()
        label_corpus(runs / name, lines, runs / "teacher-labels" / name, batch_size=int(d.get("batch_size", 32)),
                     shard_chars=int(d.get("shard_chars", 100_000)), max_chars=args.max_chars, workers=args.workers)
        labels_io.pack(runs / "teacher-labels" / name, out / f"labels-{name}.tar.xz")
        print(f"{name}: labeled in {time.time() - t1:.0f}s", flush=True)

    with ThreadPoolExecutor(len(best)) as pool:
        list(pool.map(label, best))
    split_tar([(f, f"{best[0]}/{f.name}") for f in sorted((runs / best[0]).iterdir())
               if f.is_file() and f.name != "tokenizer.json"], runs / "best-teacher.tar", out / "best-teacher.tar.part-")
    print(f"all done at {time.time() - t0:.0f}s", flush=True)


def _device() -> str:
    import torch
    return f"{torch.cuda.get_device_name(0)}, {os.cpu_count()} CPU cores" if torch.cuda.is_available() else "cpu"


if __name__ == "__main__":
    main()
