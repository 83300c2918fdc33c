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
# same day after four more reviews joined (20 training documents, the 8-document test split); rounds
# 9-10 after ten more (27 training documents, 3-document dev, the 10-document test split).
def data(rnd: int) -> str:
    return ("10 train docs, 6-doc test" if rnd <= 4 else "17 train docs, 7-doc test" if rnd <= 7
            else "20 train docs, 8-doc test" if rnd == 8 else "27 train docs, 3-doc dev, 10-doc test")


def rounds(kind: str) -> list[Path]:
    """``kind``-N.json files in round order (students-10 after students-8)."""
    return sorted(RESULTS.glob(f"{kind}-*.json"), key=lambda f: int(f.stem.split("-")[1]))


def planned_steps(config: str, windows: int) -> int:
    cfg = yaml.safe_load((CONFIGS / f"{config}.yaml").read_text(encoding="utf-8"))["train"]
    return math.ceil(windows / cfg["batch_size"]) * cfg["epochs"]


def main() -> None:
    for f in rounds("teachers"):
        t, rnd = json.loads(f.read_text(encoding="utf-8")), int(f.stem.split("-")[1])
        print(f"Teacher candidates, round {rnd} ({data(rnd)}; {t['device']}; all trained at once, each stopped "
              f"after {t['budget']:.0f} s if its schedule was longer; best by dev entity micro-F1: "
              f"{', '.join(t['best'])}):\n")
        print("| config | dev entity F1 | test entity F1 | test relation F1 | steps (of schedule) | train time |")
        print("|---|---|---|---|---|---|")
        for name, c in sorted(t["candidates"].items(), key=lambda kv: -kv[1]["dev_f1"]):
            plan = f" ({planned_steps(name, c['windows'])})" if "windows" in c else ""
            print(f"| {name} | {c['dev_f1']:.3f} | {c['test_f1']:.3f} | {c['test_rel_f1']:.3f} | {c['steps']}{plan} "
                  f"| {c['train_seconds']:.0f} s |")
        print()
    print("Students (distill-bilstm-L12* configs; CONFIG--TEACHERS; each round's students trained at once, "
          "each stopped after the round's time budget if its schedule was longer; the model's own spans, "
          "without govie.wordsnap):\n")
    print("| round | data | student | dev entity F1 | test entity F1 | test relation F1 | steps (of schedule) "
          "| train time |")
    print("|---|---|---|---|---|---|---|---|")
    for f in rounds("students"):
        for name, s in json.loads(f.read_text(encoding="utf-8")).items():
            planned = planned_steps(name.split("--")[0], s["windows"])
            print(f"| {f.stem.split('-')[1]} | {data(int(f.stem.split('-')[1]))} | {name} | {s['dev_f1']:.3f} | {s['test_f1']:.3f} | "
                  f"{s['test_rel_f1']:.3f} | {s['steps']} ({planned}) | {s['train_seconds']:.0f} s |")


if __name__ == "__main__":
    main()
