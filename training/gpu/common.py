"""What teachers.py and students.py share: the corpus, launching runs side by side, collecting scores."""
from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ["../shared/corpus/provincial-2025/*.txt", "../shared/corpus/provincial-2026/*.txt",
          "../shared/corpus/national/*.jsonl", "../shared/seeds/*.txt"]


def launch(runs: Path, name: str, config: str, budget: float, args: list[str]) -> subprocess.Popen:
    """``govie ARGS --config C`` in the background, where C is ``training/configs/CONFIG.yaml``
    with ``train.max_seconds = budget`` (kept in ``runs/gpu-configs/NAME.yaml``); log in ``runs/NAME.log``."""
    cfg = yaml.safe_load((ROOT / "training/configs" / f"{config}.yaml").read_text(encoding="utf-8"))
    cfg["train"]["max_seconds"] = budget
    cfg["train"].pop("threads", None)
    path = runs / "gpu-configs" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    log = open(runs / f"{name}.log", "w")
    return subprocess.Popen([sys.executable, "-m", "govie.cli", *args, "--config", str(path)],
                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)


def collect(runs: Path, procs: dict[str, subprocess.Popen], full: bool = False) -> dict[str, dict]:
    """Wait for each run; its dev/test scores, steps and seconds (``full``: all metrics and the log too)."""
    summary = {}
    for name, p in procs.items():
        rc = p.wait()
        m = runs / name / "metrics.json"
        if rc or not m.exists():
            print(f"{name}: failed (rc {rc})\n" + (runs / f"{name}.log").read_text()[-3000:], flush=True)
            continue
        metrics = json.loads(m.read_text())
        if "dev" not in metrics:  # a config without a dev split (CI's tiny ones)
            metrics["dev"] = metrics["test"]
        tlog = json.loads((runs / name / "training_log.json").read_text())
        steps = max((e.get("step", 0) for e in tlog["log_history"]), default=0)
        summary[name] = {"dev_f1": metrics["dev"]["entities"]["micro"]["f1"],
                         "test_f1": metrics["test"]["entities"]["micro"]["f1"],
                         "test_rel_f1": metrics["test"]["relations_end_to_end"]["micro"]["f1"],
                         "train_seconds": metrics["train_seconds"], "steps": steps, "windows": tlog["windows"]}
        if full:
            summary[name].update(metrics=metrics, log_history=tlog["log_history"])
        print(f"{name}: dev {summary[name]['dev_f1']:.3f} test {summary[name]['test_f1']:.3f} "
              f"rel {summary[name]['test_rel_f1']:.3f} steps {steps} {metrics['train_seconds']:.0f}s", flush=True)
    return summary


def split_tar(members: list[tuple[Path, str]], tar: Path, prefix: Path) -> None:
    """Tar ``(file, name in archive)`` pairs and cut the archive into 15 MB parts ``PREFIX00, PREFIX01, ...``."""
    with tarfile.open(tar, "w") as tf:
        for f, arcname in members:
            tf.add(f, arcname=arcname)
    subprocess.run(["split", "-b", "15M", "-d", str(tar), str(prefix)], check=True)
