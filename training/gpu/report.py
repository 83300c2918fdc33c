"""Tables of the GPU runs' results (benchmarks/results/gpu/*.json, written by teachers.py and students.py).

    python training/gpu/report.py > benchmarks/results/gpu/summary.md
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results" / "gpu"
CONFIGS = ROOT / "training" / "configs"


# Rounds 1-4 ran on 2026-11-22 (10 training documents, the 6-document test split of then);
# rounds 5-7 on 2026-11-23 (17 training documents, the 7-document test split of then); round 8 the
# same day after four more reviews joined (20 training documents, the 8-document test split).
def data(rnd: int) -> str:
    return ("10 train docs, 6-doc test" if rnd <= 4 else "17 train docs, 7-doc test" if rnd <= 7
            else "20 train docs, 8-doc test")


def main() -> None:
    for f in sorted(RESULTS.glob("teachers-*.json")):
        t, rnd = json.loads(f.read_text(encoding="utf-8")), int(f.stem.split("-")[1])
        print(f"Teacher candidates, round {rnd} ({data(rnd)}; {t['device']}; all trained at once, each stopped "
              f"after {t['budget']:.0f} s if its schedule was longer; best by dev entity micro-F1: "
              f"{', '.join(t['best'])}):\n")
        print("| config | dev entity F1 | test entity F1 | test relation F1 | steps | train time |")
        print("|---|---|---|---|---|---|")
        for name, c in sorted(t["candidates"].items(), key=lambda kv: -kv[1]["dev_f1"]):
            print(f"| {name} | {c['dev_f1']:.3f} | {c['test_f1']:.3f} | {c['test_rel_f1']:.3f} | {c['steps']} "
                  f"| {c['train_seconds']:.0f} s |")
        print()
    print("Students (distill-bilstm-L12* configs; CONFIG--TEACHERS; each round's students trained at once, "
          "each stopped after the round's time budget if its schedule was longer; the model's own spans, "
          "without govie.wordsnap):\n")
    print("| round | data | student | dev entity F1 | test entity F1 | test relation F1 | steps (of schedule) "
          "| train time |")
    print("|---|---|---|---|---|---|---|---|")
    for f in sorted(RESULTS.glob("students-*.json")):
        for name, s in json.loads(f.read_text(encoding="utf-8")).items():
            cfg = yaml.safe_load((CONFIGS / f"{name.split('--')[0]}.yaml").read_text(encoding="utf-8"))["train"]
            planned = math.ceil(s["windows"] / cfg["batch_size"]) * cfg["epochs"]
            print(f"| {f.stem.split('-')[1]} | {data(int(f.stem.split('-')[1]))} | {name} | {s['dev_f1']:.3f} | {s['test_f1']:.3f} | "
                  f"{s['test_rel_f1']:.3f} | {s['steps']} ({planned}) | {s['train_seconds']:.0f} s |")


if __name__ == "__main__":
    main()
