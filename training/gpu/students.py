"""Distill students side by side on one GPU from teacher labels made by teachers.py.

Run on the GPU machine after ``. training/gpu/setup.sh``, with the
``labels-NAME.tar.xz`` files from teachers.py carried in ``.dev/labels``::

    python3 training/gpu/students.py --out $OUT --budget 300 \\
        distill-bilstm-L12:e5-L12-lex-long distill-bilstm-L12:e5-L12-lex-long+e5-L12-lex ...

Each argument is CONFIG:TEACHER[+TEACHER...] (``training/configs/CONFIG.yaml``;
teacher label sets, averaged); the student directory is
``runs/CONFIG--TEACHERS``. Every student trains in its own process, stopped
after ``--budget`` seconds of training if its schedule is longer
(``train.max_seconds``; the log says at which step). Writes ``students.json``
(scores, steps, seconds) and the student directories as
``students.tar.part-*`` (15 MB parts) to ``--out``.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from common import CORPUS, collect, launch, split_tar  # noqa: E402


def main() -> None:
    import labels_io
    ap = argparse.ArgumentParser()
    ap.add_argument("specs", nargs="+", metavar="CONFIG:TEACHER[+TEACHER...]")
    ap.add_argument("--out", required=True)
    ap.add_argument("--budget", type=float, default=300, help="seconds of training per student at most")
    ap.add_argument("--labels", default=str(ROOT / ".dev" / "labels"), help="folder of labels-NAME.tar.xz files")
    ap.add_argument("--corpus", nargs="+", default=CORPUS, help="corpus globs (default: the configs' corpus)")
    ap.add_argument("--runs", default=str(ROOT / "runs"), help="where model directories go")
    args = ap.parse_args()
    out, runs, t0 = Path(args.out), Path(args.runs), time.time()
    for tar in sorted(Path(args.labels).glob("labels-*.tar.xz")):
        name = tar.name[len("labels-"):-len(".tar.xz")]
        labels_io.unpack(tar, runs / "teacher-labels" / name)
    procs = {}
    for spec in args.specs:
        config, teachers = spec.split(":")
        name = f"{config}--{teachers}"
        procs[name] = launch(runs, name, config, args.budget,
                             ["distill", "--out", str(runs / name), "--corpus", *args.corpus, "--teacher",
                              *[str(runs / "teacher-labels" / t) for t in teachers.split("+")]])
    summary = collect(runs, procs)
    (out / "students.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    split_tar([(f, f"{name}/{f.name}") for name in summary for f in sorted((runs / name).iterdir()) if f.is_file()]
              + [(runs / f"{name}.log", f"{name}/distill.log") for name in summary],
              runs / "students.tar", out / "students.tar.part-")
    print(f"all done at {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
