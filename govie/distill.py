"""Distillation: a fine-tuned teacher labels unlabeled reports, a fast student learns.

    govie distill --teacher runs/e5-L12-lex-long --corpus '../shared/corpus/provincial-2025/*.txt' ... \\
        --out runs/distill-bilstm-L12-gold8 --config training/configs/distill-bilstm-L12-gold8.yaml

1. :func:`corpus_lines` reads the corpus one paragraph a line, drops exact
   duplicates and every line whose 12-character runs are mostly (>= 30%) in a
   dev or test gold document: scores stay on text the student never saw, while
   boilerplate phrases shared by all reports do not knock out whole reports.
   The lines are shuffled with a fixed seed, so any prefix is a sample of all.
2. :func:`label_corpus` runs each teacher over those lines and keeps, per
   character, its tag distribution (soft labels, float16 ``soft.npy``) and its
   decoded spans and relations (``docs.jsonl``, the SCHEMA layout). Cached under
   ``--labels`` (default ``runs/teacher-labels/NAME-HASH``), keyed by the
   teacher and the lines.
3. :func:`distill` trains the student (the config's ``model``) on the gold
   training split (hard tags) plus the corpus (cross-entropy against the mean
   of the teachers' distributions; relation pairs from the first teacher's
   decoded output), then writes a model directory like ``govie train``.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import time
from pathlib import Path

import numpy as np
import torch

from .model import IOB2_TAGS, GovieModel, ModelConfig
from .schema import Document
from .training import read_corpus

SHINGLE = 12


def _shingles(text: str) -> set[str]:
    t = "".join(text.split())
    return {t[i:i + SHINGLE] for i in range(max(0, len(t) - SHINGLE + 1))}


def corpus_lines(globs: list[str], exclude: list[str], min_chars: int = 8, max_overlap: float = 0.3,
                 seed: int = 13) -> list[str]:
    """Distinct paragraphs (lines with Chinese text, at least ``min_chars``), in a
    seeded random order, less those with more than ``max_overlap`` of their
    12-character runs in a text of ``exclude``."""
    banned: set[str] = set()
    for t in exclude:
        banned |= _shingles(t)
    seen, out = set(), []
    for _, text in read_corpus(globs):
        for line in text.split("\n"):
            line = line.strip()
            if len(line) < min_chars or line in seen or not any("\u4e00" <= c <= "\u9fff" for c in line):
                continue
            seen.add(line)
            sh = _shingles(line)
            if banned and sh and len(sh & banned) / len(sh) > max_overlap:
                continue
            out.append(line)
    random.Random(seed).shuffle(out)
    return out


def _digest(lines: list[str]) -> str:
    h = hashlib.sha256()
    for t in lines:
        h.update(t.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()[:12]


class TeacherLabels:
    """One teacher's labels of a list of lines: hard documents and soft distributions."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.manifest = json.loads((self.path / "manifest.json").read_text(encoding="utf-8"))
        self.soft = np.load(self.path / "soft.npy", mmap_mode="r")
        self.offsets = self.manifest["offsets"]

    def documents(self) -> list[Document]:
        from .io import read_jsonl
        return read_jsonl(self.path / "docs.jsonl")

    def dist(self, k: int) -> np.ndarray:
        return self.soft[self.offsets[k]:self.offsets[k + 1]]


def _label_shard(model, tok, name: str, lines: list[str], out_dir: Path, batch_size: int) -> TeacherLabels:
    t0 = time.time()
    return _write_shard(out_dir, name, lines, model.predict(lines, tok, batch_size, char_probs=True), t0)


def _write_shard(out_dir: Path, name: str, lines: list[str], labeled, started: float | None,
                 **extra) -> TeacherLabels:
    """Write one shard: ``labeled`` gives (spans, relations, tag distribution) for each line;
    the manifest's ``seconds`` count from ``started`` (0 for labels copied, not made)."""
    offsets, parts = [0], []
    with open(out_dir / "docs.jsonl", "w", encoding="utf-8") as fh:
        for k, (text, (spans, rels, dist)) in enumerate(zip(lines, labeled)):
            doc = Document(f"line{k}", text, {}, spans, rels)
            fh.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
            parts.append(np.asarray(dist).astype(np.float16))
            offsets.append(offsets[-1] + len(text))
    np.save(out_dir / "soft.npy", np.concatenate(parts) if parts else np.zeros((0, len(IOB2_TAGS)), np.float16))
    (out_dir / "manifest.json").write_text(json.dumps(
        {"teacher": name, "lines_sha256": _digest(lines), "lines": len(lines), "chars": offsets[-1],
         "seconds": time.time() - started if started is not None else 0.0, "offsets": offsets, **extra}),
        encoding="utf-8")
    return TeacherLabels(out_dir)


def shards(lines: list[str], shard_chars: int) -> list[list[str]]:
    """Consecutive runs of lines of about ``shard_chars`` characters."""
    out, cur, n = [], [], 0
    for t in lines:
        cur.append(t)
        n += len(t)
        if n >= shard_chars:
            out.append(cur)
            cur, n = [], 0
    if cur:
        out.append(cur)
    return out


_WORKER: dict = {}


def _worker_init(teacher: str, threads: int) -> None:
    from .tokenization import load_tokenizer
    torch.set_num_threads(threads)
    _WORKER["model"], _WORKER["tok"] = GovieModel.load(teacher), load_tokenizer(teacher)


def _worker_label(name: str, lines: list[str], out_dir: str, batch_size: int) -> str:
    _label_shard(_WORKER["model"], _WORKER["tok"], name, lines, Path(out_dir), batch_size)
    return out_dir


def _first_chars(todo: list[list[str]], max_chars: int | None) -> list[list[str]]:
    """The leading shards that hold the first ``max_chars`` characters (all with ``None``)."""
    if max_chars is None:
        return todo
    keep, n = [], 0
    for sh in todo:
        if n >= max_chars:
            break
        keep.append(sh)
        n += sum(len(t) for t in sh)
    return keep


def teacher_id(teacher: str | Path) -> str:
    """The teacher's directory and a digest of its weights: labels are reused only from the same
    weights, so a model re-bundled at the same path (``govie/models/default``) labels anew."""
    from .encoder import _sha256
    path = Path(teacher).resolve()
    weights = sorted(path.glob("model.safetensors")) + sorted(path.glob("members/*/model.safetensors"))
    return f"{path}@{_digest([_sha256(w) for w in weights])}"


def label_corpus(teacher: str | Path, lines: list[str], out_dir: str | Path, batch_size: int = 32,
                 shard_chars: int = 100_000, max_chars: int | None = None, workers: int = 1) -> list[TeacherLabels]:
    """Run ``teacher`` over ``lines`` (the first ``max_chars`` of them), shard by
    shard; a shard already labeled by this teacher (same lines, same weights: :func:`teacher_id`)
    is reused, so an interrupted run resumes and a longer one extends a shorter one.

    ``workers > 1`` labels shards in that many processes, each with its own copy
    of the teacher (on ``$GOVIE_DEVICE``, e.g. several on one GPU): the decoding
    around the network is Python and keeps one core busy per process."""
    from .tokenization import load_tokenizer
    out_dir = Path(out_dir)
    name = teacher_id(teacher)
    dirs, pending = [], []
    for k, sh in enumerate(_first_chars(shards(lines, shard_chars), max_chars)):
        d = out_dir / f"shard-{k:04d}"
        dirs.append(d)
        m = d / "manifest.json"
        if m.exists():
            man = json.loads(m.read_text(encoding="utf-8"))
            if man.get("teacher") == name and man.get("lines_sha256") == _digest(sh):
                continue
        d.mkdir(parents=True, exist_ok=True)
        pending.append((sh, d))
    total, done, t0 = sum(len(t) for sh, _ in pending for t in sh), 0, time.time()

    def report(k: int, sh: list[str]) -> None:
        nonlocal done
        done += sum(len(t) for t in sh)
        rate = done / max(1e-9, time.time() - t0)
        print(f"  {Path(teacher).name}: {k}/{len(pending)} shards to label, {rate:,.0f} chars/s, "
              f"{(total - done) / rate / 60:.1f} min left", flush=True)

    if workers > 1 and pending:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        threads = max(1, (os.cpu_count() or 1) // workers)
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_worker_init, initargs=(str(teacher), threads)) as pool:
            futs = [pool.submit(_worker_label, name, sh, str(d), batch_size) for sh, d in pending]
            for k, (f, (sh, _)) in enumerate(zip(futs, pending), 1):
                f.result()
                report(k, sh)
    elif pending:
        model, tok = GovieModel.load(teacher), load_tokenizer(teacher)
        for k, (sh, d) in enumerate(pending, 1):
            _label_shard(model, tok, name, sh, d, batch_size)
            report(k, sh)
    return [TeacherLabels(d) for d in dirs]


def saved_labels(path: str | Path, lines: list[str], shard_chars: int = 100_000,
                 max_chars: int | None = None, reshard_dir: str | Path | None = None) -> list[TeacherLabels]:
    """Labels a teacher made earlier (a ``label_corpus`` output directory, perhaps
    from another machine), checked shard by shard against ``lines``.

    When the lines differ (a document moved into dev or test takes its lines out
    of the corpus, and the seeded shuffle then orders the rest anew) and
    ``reshard_dir`` is given, the labels are looked up line by line (each line's
    labels depend on that line alone) and written there as new shards; a line
    the saved labels lack is an error."""
    path = Path(path)
    todo = _first_chars(shards(lines, shard_chars), max_chars)
    out = []
    for k, sh in enumerate(todo):
        m = path / f"shard-{k:04d}" / "manifest.json"
        lab = TeacherLabels(m.parent) if m.exists() else None
        if lab is None or lab.manifest["lines_sha256"] != _digest(sh):
            if reshard_dir is not None:
                return _reshard(path, todo, Path(reshard_dir))
            if lab is None:
                raise FileNotFoundError(f"{path}: no labels for shard {k} ({m} missing)")
            raise ValueError(f"{m}: these labels were made from other corpus lines (or shard_chars)")
        out.append(lab)
    return out


def _reshard(path: Path, todo: list[list[str]], out_dir: Path) -> list[TeacherLabels]:
    """Write the labels of ``path`` for the shards ``todo`` under ``out_dir`` (cached there by their digests)."""
    cached = [out_dir / f"shard-{k:04d}" / "manifest.json" for k in range(len(todo))]
    if all(m.exists() and json.loads(m.read_text(encoding="utf-8"))["lines_sha256"] == _digest(sh)
           for m, sh in zip(cached, todo)):
        return [TeacherLabels(m.parent) for m in cached]
    index: dict[str, tuple[TeacherLabels, Document, int]] = {}
    for m in sorted(path.glob("shard-*/manifest.json")):
        lab = TeacherLabels(m.parent)
        for k, doc in enumerate(lab.documents()):
            index[doc.text] = (lab, doc, k)
    missing = [t for sh in todo for t in sh if t not in index]
    if missing:
        raise ValueError(f"{path}: no labels for {len(missing)} of the corpus lines "
                         f"(the first: {missing[0][:40]!r}); label the corpus with the teacher again")
    out = []
    for k, sh in enumerate(todo):
        d = out_dir / f"shard-{k:04d}"
        d.mkdir(parents=True, exist_ok=True)
        found = [index[text] for text in sh]
        first = found[0][0].manifest
        out.append(_write_shard(d, first["teacher"], sh,
                                [(doc.entities, doc.relations, lab.dist(j)) for lab, doc, j in found], None,
                                resharded_from=str(path),
                                **({"quantized": first["quantized"]} if "quantized" in first else {})))
    return out


def held_out_ids(ids: list[str], init: str | Path | None = None) -> list[str]:
    """Of the dev and test documents ``ids`` (whose text left this corpus), those whose text the
    student never saw in any form: a warm start (``init_from``) also carries what its init model's
    corpus held, as that model's training log lists it (none, when the log does not say)."""
    if not init:
        return list(ids)
    log = Path(init) / "training_log.json"
    info = json.loads(log.read_text(encoding="utf-8")).get("distill") if log.exists() else None
    if info is None:  # not distilled: it saw gold training documents only
        return list(ids) if log.exists() else []
    never_seen = set(info.get("held_out", ()))  # no list: claim nothing
    return [i for i in ids if i in never_seen]


def distill(config_path: str | Path, teachers: list[str | Path], corpus: list[str],
            output: str | Path | None = None, labels_dir: str | Path | None = None) -> Path:
    """Label ``corpus`` with ``teachers`` and train the config's student; returns its directory.

    A teacher is a model directory, or a directory of labels that
    :func:`label_corpus` wrote before (on another machine, say): these are used
    as they are, once checked against the corpus lines.

    Config keys (besides those of ``govie train``), under ``distill``:
    ``max_corpus_chars`` (label and learn from the first N characters of the
    shuffled corpus lines; default all), ``gold_repeat`` (copies of the gold
    training windows per epoch, default 2), ``name_swap`` (how many of those
    copies are name-swapped copies of the gold documents, :mod:`govie.augment`,
    each drawn anew; default 0), ``soft_weight`` (weight of the
    teacher loss, default 1), ``teacher_weights`` (mixing of several teachers'
    distributions, default equal), ``shard_chars``, ``batch_size`` (teacher),
    ``label_workers`` (teacher processes, default 1).
    """
    from datasets import concatenate_datasets
    from transformers import set_seed

    from .tokenization import CharTokenizer
    from .training import Collator, build_dataset, finish, fit, load_config, make_model, split_docs

    cfg = load_config(config_path)
    d = cfg.setdefault("distill", {})
    repeat, swaps = int(d.get("gold_repeat", 2)), int(d.get("name_swap", 0))
    if not 0 <= swaps <= repeat:
        raise ValueError(f"{config_path}: distill.name_swap must be between 0 and gold_repeat ({repeat}), not {swaps}")
    set_seed(cfg["seed"])
    if cfg["train"].get("threads"):
        torch.set_num_threads(int(cfg["train"]["threads"]))
    out_dir = Path(output or cfg.get("output") or f"runs/{Path(config_path).stem}")
    out_dir.mkdir(parents=True, exist_ok=True)
    labels_dir = Path(labels_dir or "runs/teacher-labels")
    if not teachers:
        raise ValueError("distill needs at least one --teacher model directory")
    for t in teachers:
        if not (Path(t) / "govie_config.json").exists() and not (Path(t) / "shard-0000" / "manifest.json").exists():
            raise FileNotFoundError(f"{t}: neither a model directory (no govie_config.json) "
                                    f"nor a directory of teacher labels (no shard-0000/manifest.json)")

    train_docs = split_docs(cfg, "train")
    held_docs = [doc for s in ("dev", "test") for doc in split_docs(cfg, s)]
    lines = corpus_lines(corpus, [doc.text for doc in held_docs])
    shard_chars, max_chars = int(d.get("shard_chars", 100_000)), d.get("max_corpus_chars")
    labels = [label_corpus(t, lines, labels_dir / Path(t).resolve().name, batch_size=int(d.get("batch_size", 32)),
                           shard_chars=shard_chars, max_chars=max_chars, workers=int(d.get("label_workers", 1)))
              if (Path(t) / "govie_config.json").exists()
              else saved_labels(t, lines, shard_chars, max_chars,
                                reshard_dir=labels_dir / f"{Path(t).resolve().name}-{_digest(lines)}")
              for t in teachers]
    w = d.get("teacher_weights") or [1.0 / len(teachers)] * len(teachers)
    soft = sum(wk * np.concatenate([np.asarray(s.soft, dtype=np.float32) for s in lab]) for wk, lab in zip(w, labels))
    docs, soft_offsets, base = [], {}, 0
    for k, shard in enumerate(labels[0]):  # relations and spans of the first teacher
        for doc, a in zip(shard.documents(), shard.offsets):
            doc.id = f"s{k}-{doc.id}"
            soft_offsets[doc.id] = base + a
            docs.append(doc)
        base += shard.offsets[-1]
    print(f"distilling from {len(docs)} teacher-labeled lines ({base:,} chars) and {len(train_docs)} gold documents")

    set_seed(cfg["seed"])  # the same student whether the labels were made now (teacher init draws) or cached
    init = d.get("init_from")
    if init:  # warm start: that model's weights, architecture and vocabulary (new characters read as unknown)
        from .tokenization import load_tokenizer
        model, tok = GovieModel.load(init), load_tokenizer(init)
        mcfg = model.config
    else:
        mcfg = ModelConfig(**cfg.get("model", {}))
    if mcfg.tokenizer != "char":
        raise ValueError(f"{init or config_path}: the distilled student uses the char tokenizer")
    if not init:
        tok = CharTokenizer.build([doc.text for doc in train_docs] + [doc.text for doc in docs])
        mcfg.vocab_size = len(tok)
        model = make_model(mcfg)
    stats: dict = {}
    gold_ds = build_dataset(train_docs, tok, mcfg, stats)
    corpus_ds = build_dataset(docs, tok, mcfg, soft_offsets=soft_offsets)
    swapped = []
    if swaps:
        from .augment import name_pools, swap_names
        pools, rng = name_pools(train_docs), random.Random(cfg["seed"])
        swapped = [build_dataset([swap_names(doc, pools, rng, f"-swap{k}") for doc in train_docs], tok, mcfg)
                   for k in range(swaps)]
    train_ds = concatenate_datasets([gold_ds] * (repeat - swaps) + swapped + [corpus_ds])
    collator = Collator(tok, soft=soft, soft_weight=float(d.get("soft_weight", 1.0)))
    trainer, seconds = fit(model, train_ds, collator, cfg, out_dir)
    teacher_info = [{"teacher": str(t), "labeled_by": lab[0].manifest["teacher"] if lab else None, "weight": wk,
                     "chars": sum(s.manifest["chars"] for s in lab),
                     "label_seconds": sum(s.manifest["seconds"] for s in lab)} for t, wk, lab in zip(teachers, w, labels)]
    finish(out_dir, model, tok, cfg, config_path, trainer, seconds, len(train_ds),
           {"alignment": stats, "distill": {"teachers": teacher_info, "corpus": list(corpus), "lines": len(docs),
                                            "held_out": held_out_ids([doc.id for doc in held_docs], init),
                                            "init_from": init,
                                            "gold_windows": len(gold_ds),
                                            "gold_repeat": repeat, "name_swap": swaps,
                                            "corpus_windows": len(corpus_ds)}})
    return out_dir
