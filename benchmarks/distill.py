"""Teacher against distilled student on the gold test split.

    python benchmarks/distill.py --teacher runs/e5-L6 --student runs/distill-bilstm [--split test]

Rows: the teacher; the student with its own relation head; and the student's
entities with the teacher's relation head over them (the option of keeping
relations on the teacher's encoder). Same scorer and speed probe as
``benchmarks/bakeoff.py``; the mixed row's speed is measured in this process
(student extraction plus the teacher's relation pass). Writes
benchmarks/results/distill-<split>.json and .md.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bakeoff import LABELS, load_split, machine_line, measure, table  # noqa: E402


def student_with_teacher_relations(student: str, teacher: str, docs, texts, threads: int) -> dict:
    import torch

    import govie
    from govie.evaluate import score
    from govie.model import GovieModel
    from govie.schema import Document
    from govie.tokenization import load_tokenizer

    torch.set_num_threads(threads)
    pipe = govie.load(student)
    tmodel, ttok = GovieModel.load(teacher), load_tokenizer(teacher)
    pipe(texts[0][:500])
    t0 = time.time()
    exs = list(pipe.pipe(texts))
    given = [[(e.start, e.end, e.label) for e in ex.entities] for ex in exs]
    out = tmodel.predict(texts, ttok, given_spans=given)
    seconds = time.time() - t0
    pred = [Document(d.id, d.text, d.meta, spans, rels) for d, (spans, rels) in zip(docs, out)]
    s = score(docs, pred)
    return {"model": f"{student} + relations of {teacher}", "entity_micro_f1": s["entities"]["micro"]["f1"],
            "per_label_f1": {k: s["entities"].get(k, {}).get("f1", 0.0) for k in LABELS},
            "relation_f1": s["relations"]["micro"]["f1"], "train_seconds": 0.0,
            "chars_per_second": sum(map(len, texts)) / seconds, "first_call_s": float("nan"),
            "peak_rss_mb": float("nan"), "size_mb": float("nan")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--teacher", required=True)
    ap.add_argument("--student", required=True)
    ap.add_argument("--split", default="test")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    docs, texts = load_split(args.split)
    rows = [measure(args.teacher, docs, texts, args.threads), measure(args.student, docs, texts, args.threads),
            student_with_teacher_relations(args.student, args.teacher, docs, texts, args.threads)]
    t, s = rows[0], rows[1]
    delta = {"entity_micro_f1": s["entity_micro_f1"] - t["entity_micro_f1"],
             "relation_f1": s["relation_f1"] - t["relation_f1"],
             "speedup": s["chars_per_second"] / t["chars_per_second"]}
    log = json.loads((Path(args.student) / "training_log.json").read_text(encoding="utf-8"))
    import yaml
    repeat = (yaml.safe_load((Path(args.student) / "train_config.yaml").read_text(encoding="utf-8"))
              .get("distill", {}).get("gold_repeat", 2))
    machine = machine_line(args.threads)
    md = "\n".join([f"Split `{args.split}` ({len(docs)} documents, {sum(map(len, texts)):,} characters); "
                    f"{date.today().isoformat()}; {machine}.", ""] + table(rows) + [
        "", f"Student − teacher: entity micro-F1 {delta['entity_micro_f1']:+.3f}, relation F1 "
            f"{delta['relation_f1']:+.3f}; student speed ×{delta['speedup']:.1f}. The mixed row's speed is "
            "measured in one process (no first-call or memory probe).",
        f"Distillation data: {log['distill']['lines']:,} corpus lines "
        f"({sum(t['chars'] for t in log['distill']['teachers'][:1]):,} characters), "
        f"{log['distill']['corpus_windows']:,} corpus windows + {log['distill']['gold_windows']:,} gold "
        f"training windows × {repeat} per epoch."])
    out = ROOT / "benchmarks" / "results" / f"distill-{args.split}"
    out.with_suffix(".json").write_text(json.dumps({"machine": machine, "date": date.today().isoformat(),
                                                    "rows": rows, "student_minus_teacher": delta,
                                                    "distill": log["distill"]}, indent=1, default=str),
                                        encoding="utf-8")
    out.with_suffix(".md").write_text(md.replace("nan s", "—").replace("nan MB", "—") + "\n", encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
