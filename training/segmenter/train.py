"""Train the govie pkuseg model with spacy_pkuseg's own trainer and ship it small.

    nice -n 19 python training/segmenter/train.py [--train runs/segmenter/train.txt] \
        [--iters 4] [--out govie/resources/pkuseg]

1. ``spacy_pkuseg.train(train_file, test_file, work_dir, train_iter=...)`` on the
   file written by ``build_data.py``. The test file is UD_Chinese-GSDSimp
   test.seg.txt, used by the trainer ONLY to print a score after each iteration
   (no model selection, no early stopping: the last iteration is kept).
2. Shrink the model for shipping. Inference (``pkuseg._cut``) needs only
   ``features.msgpack`` (unigram set + feature index + tag index) and
   ``weights.npz``. The trainer's ``bigram`` set is used only to *build*
   features, so it is emptied; features whose weights are all below
   ``--prune`` in absolute value are removed (their contribution to every
   Viterbi score is < prune), the unigram set is cut to the words that a kept
   feature mentions (an unlisted word yields only feature names that are not in
   the index, so decoding is unchanged), and the weights are rounded to float16
   precision (stored as float64, as ``spacy_pkuseg.inference`` expects) in a
   compressed npz.
3. Score the full and the shipped model on GSDSimp test (pure model, no user
   dictionary) and write ``runs/segmenter/train_record.json``.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import srsly

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DEFAULT_SHARED = ROOT.parent / "shared"
GSD_TEST = "corpus/ud-chinese/UD_Chinese-GSDSimp/test.seg.txt"
_ITER = re.compile(r"iter(\d+)\s+diff=(\S+)\s+train-time\(sec\)=(\S+)\s+f-score=(\S+)%")


class _Tee(io.TextIOBase):
    def __init__(self, *streams):
        self.streams = streams

    def write(self, s):
        for st in self.streams:
            st.write(s)
            st.flush()
        return len(s)


def _feature_words(feat: str) -> list[str]:
    """Words a feature name refers to (for w-1./w1./ww.l./ww.r. features)."""
    if feat.startswith(("w-1.", "w1.")):
        return [feat.split(".", 1)[1]]
    if feat.startswith(("ww.l.", "ww.r.")):
        return feat[5:].split("*")
    return []


def shrink(src: Path, dst: Path, prune: float, float16: bool = True) -> dict:
    data = srsly.read_msgpack(src / "features.msgpack")
    npz = np.load(src / "weights.npz")
    n_tag, n_feature = (int(x) for x in npz["sizes"])
    w = npz["w"]
    node = w[: n_feature * n_tag].reshape(n_feature, n_tag)
    edge = w[n_feature * n_tag:]
    idx_to_feat = [None] * n_feature
    for f, i in data["feature_to_idx"].items():
        idx_to_feat[i] = f
    keep = np.abs(node).max(axis=1) >= prune
    keep[0] = True  # "$$" (always-on bias feature, index 0)
    kept_idx = np.flatnonzero(keep)
    feature_to_idx = {idx_to_feat[i]: j for j, i in enumerate(kept_idx)}
    words = set()
    for f in feature_to_idx:
        words.update(_feature_words(f))
    unigram = sorted(w_ for w_ in data["unigram"] if w_ in words)
    new_w = np.concatenate([node[kept_idx].reshape(-1), edge])
    if float16:
        new_w = new_w.astype(np.float16).astype(np.float64)
    dst.mkdir(parents=True, exist_ok=True)
    for p in dst.iterdir():
        if p.name in ("features.msgpack", "weights.npz"):
            p.unlink()
    srsly.write_msgpack(dst / "features.msgpack", {
        "unigram": unigram,
        "bigram": [],
        "feature_to_idx": feature_to_idx,
        "tag_to_idx": data["tag_to_idx"],
    })
    np.savez_compressed(dst / "weights.npz", sizes=np.array([n_tag, len(kept_idx)]), w=new_w)
    return {
        "features_full": n_feature, "features_kept": int(len(kept_idx)),
        "unigram_full": len(data["unigram"]), "unigram_kept": len(unigram),
        "bigram_full": len(data["bigram"]),
        "bytes_full": sum((src / n).stat().st_size for n in ("features.msgpack", "weights.npz")),
        "bytes_shipped": sum((dst / n).stat().st_size for n in ("features.msgpack", "weights.npz")),
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=ROOT / "runs/segmenter/train.txt")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--out", type=Path, default=ROOT / "govie/resources/pkuseg")
    ap.add_argument("--work", type=Path, default=ROOT / "runs/segmenter/full",
                    help="where the trainer writes the unpruned model")
    ap.add_argument("--iters", type=int, default=4)
    ap.add_argument("--feature-trim", type=int, default=0,
                    help="spacy_pkuseg config.featureTrim: drop features seen <= this many times")
    ap.add_argument("--prune", type=float, default=0.07,
                    help="drop features with all |w| below this (0.07: ~4.7 MB, 99%% of lines segmented as by "
                         "the full model; 0.05: ~6 MB; 0.1: ~3.4 MB, 96%%)")
    ap.add_argument("--shrink-only", action="store_true", help="skip training; shrink --work into --out")
    ap.add_argument("--record", type=Path, default=ROOT / "runs/segmenter/train_record.json")
    args = ap.parse_args(argv)

    import spacy_pkuseg
    from spacy_pkuseg.config import config

    test_file = args.shared / GSD_TEST
    record = {"train_file": str(args.train), "iters": args.iters, "feature_trim": args.feature_trim,
              "prune": args.prune, "test_file_role": "GSDSimp test: printed per iteration only"}
    meta = Path(str(args.train) + ".meta.json")
    if meta.exists():
        record["data"] = json.loads(meta.read_text(encoding="utf-8"))

    if args.shrink_only and args.record.exists():  # keep the training part of the record
        old = json.loads(args.record.read_text(encoding="utf-8"))
        record.update({k: old[k] for k in ("iters", "feature_trim", "train_seconds", "trainer_iterations")
                       if k in old})
    if not args.shrink_only:
        config.featureTrim = args.feature_trim
        if args.work.exists():
            shutil.rmtree(args.work)
        log = io.StringIO()
        t0 = time.time()
        with contextlib.redirect_stdout(_Tee(sys.stdout, log)):
            spacy_pkuseg.train(str(args.train), str(test_file), str(args.work), train_iter=args.iters)
        record["train_seconds"] = round(time.time() - t0, 1)
        record["trainer_iterations"] = [
            {"iter": int(m[1]), "diff": float(m[2]), "train_sec": float(m[3]), "gsd_test_f1": float(m[4])}
            for m in _ITER.finditer(log.getvalue())
        ]

    record["shrink"] = shrink(args.work, args.out, args.prune)
    print(json.dumps(record["shrink"]), file=sys.stderr)

    from training.segmenter.evaluate import read_gold, score_segmenter

    gold = read_gold(test_file)
    segs = {}
    for name, model_dir in (("full", args.work), ("shipped", args.out)):
        segs[name] = seg = spacy_pkuseg.pkuseg(str(model_dir), user_dict=None)
        record[f"gsd_test_{name}"] = score_segmenter(seg.cut, gold)
        print(name, record[f"gsd_test_{name}"], file=sys.stderr)
    # fidelity of the shrunk model on in-domain text (training lines, unspaced)
    with open(args.train, encoding="utf-8") as f:
        sample = ["".join(line.split()) for _, line in zip(range(3000), f) if line.strip()]
    same = sum(segs["full"].cut(t) == segs["shipped"].cut(t) for t in sample)
    record["shipped_vs_full_identical_lines"] = f"{same}/{len(sample)}"
    print("shipped == full on", record["shipped_vs_full_identical_lines"], "training lines", file=sys.stderr)
    args.record.parent.mkdir(parents=True, exist_ok=True)
    args.record.write_text(json.dumps(record, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
