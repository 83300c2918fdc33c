"""Copy a trained model directory into the package as the shipped default.

    python training/bundle_default.py runs/NAME [--name default]

Copies the files needed at run time (weights, config, tokenizer) plus the
model's metrics and training log, into govie/models/NAME/, and refuses weights
above the 60 MB budget. Re-bundling replaces the old copy: only one default is
ever committed.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEEP = ("govie_config.json", "model.safetensors", "char_vocab.json", "piece_map.json", "tokenizer.json",
        "tokenizer_config.json", "special_tokens_map.json", "metrics.json", "training_log.json", "train_config.yaml")
MAX_WEIGHTS_MB = 60


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run")
    ap.add_argument("--name", default="default")
    args = ap.parse_args()
    src = Path(args.run)
    weights = sorted(src.glob("model.safetensors")) + sorted(src.glob("members/*/model.safetensors"))  # an ensemble
    if not weights:
        sys.exit(f"{src}: no model.safetensors (nor members/*/model.safetensors of an ensemble)")
    size = sum(w.stat().st_size for w in weights) / 1e6
    if size > MAX_WEIGHTS_MB:
        sys.exit(f"{src}: {size:.1f} MB of weights is over the {MAX_WEIGHTS_MB} MB budget (train with save_fp16 "
                 "and prune_vocab_corpus)")
    dst = ROOT / "govie" / "models" / args.name
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    for f in KEEP + ("ENSEMBLE",):
        if (src / f).exists():
            shutil.copy(src / f, dst / f)
    if (src / "members").is_dir():
        shutil.copytree(src / "members", dst / "members")
    (dst / "SOURCE").write_text(f"bundled from {src} by training/bundle_default.py\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in dst.rglob("*") if p.is_file()) / 1e6
    print(f"bundled {src} -> {dst}: weights {size:.1f} MB, all files {total:.1f} MB")


if __name__ == "__main__":
    main()
