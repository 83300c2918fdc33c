"""Training with the transformers Trainer: YAML config in, model directory out.

    govie train --config training/configs/NAME.yaml

The model directory holds ``govie_config.json``, ``model.safetensors``, the
tokenizer, ``train_config.yaml``, ``training_log.json`` (the Trainer's log
history) and ``metrics.json`` (dev and test scores with the project's scorer).
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .dataset import row_to_doc, spans_to_tags, to_dataset
from .io import read_jsonl
from .model import (LABEL_IDS, REL_LABELS, TAG2ID, GovieModel, ModelConfig, candidate_pairs, lexicon_tags,
                    windows, word_start_tags)
from .schema import Document


def load_config(path: str | Path) -> dict[str, Any]:
    import yaml
    with open(path, encoding="utf-8") as fh:
        cfg = yaml.safe_load(fh)
    cfg.setdefault("seed", 13)
    cfg.setdefault("data", {})
    cfg["data"].setdefault("gold", ["data/annotations/gold.jsonl"])
    cfg["data"].setdefault("splits", "data/splits.json")
    cfg.setdefault("train", {})
    return cfg


def split_docs(cfg: dict, split: str) -> list[Document]:
    docs = {d.id: d for p in cfg["data"]["gold"] for d in read_jsonl(p)}
    splits = json.loads(Path(cfg["data"]["splits"]).read_text(encoding="utf-8"))
    ids = cfg["data"].get(f"{split}_docs") or splits[split]
    missing = [i for i in ids if i not in docs]
    if missing:
        raise ValueError(f"split {split!r} names documents not in the gold files: {missing}")
    return [docs[i] for i in ids]


# ------------------------------------------------------------------ features
def window_features(doc: Document, tokenizer, cfg: ModelConfig, stats: dict | None = None) -> list[dict]:
    tags = spans_to_tags(len(doc.text), doc.entities)
    by_pair = {(r.from_id, r.to_id): REL_LABELS.index(r.type) for r in doc.relations}
    out = []
    lex = lexicon_tags(doc.text) if cfg.lexicon_features else None
    seg = word_start_tags(doc.text) if cfg.word_features else None
    for w in windows(doc.text, tokenizer, cfg.max_tokens, lex, seg):
        offs = w["offsets"]
        start_at = {s: k for k, (s, _) in enumerate(offs)}
        end_at = {e: k for k, (_, e) in enumerate(offs)}
        ner = []
        for s, _ in offs:
            t = tags[s]
            ner.append(TAG2ID[t])
        spans, labels, ids = [], [], []
        lo, hi = offs[0][0], offs[-1][1]
        for sp in doc.entities:
            if sp.start < lo or sp.end > hi:
                continue
            if sp.start in start_at and sp.end in end_at:
                spans.append([start_at[sp.start] + 1, end_at[sp.end] + 2])  # +1 for [CLS]
                labels.append(LABEL_IDS[sp.label])
                ids.append(sp.id)
            elif stats is not None:
                stats["misaligned"] = stats.get("misaligned", 0) + 1
        if stats is not None:
            stats["spans"] = stats.get("spans", 0) + len(spans)
        lab_by_id = {sp.id: sp.label for sp in doc.entities}
        pairs = candidate_pairs([lab_by_id[i] for i in ids], [s[0] for s in spans], cfg.max_pair_distance)
        out.append({"char_starts": [a for a, _ in offs], "input_ids": w["ids"], "lex_ids": w.get("lex", [0] * len(w["ids"])),
                    "seg_ids": w.get("seg", [0] * len(w["ids"])),
                    "ner_labels": ner, "spans": spans, "span_labels": labels,
                    "pairs": [list(p) for p in pairs],
                    "pair_labels": [by_pair.get((ids[i], ids[j]), 0) for i, j in pairs]})
    return out


def build_dataset(docs: list[Document], tokenizer, cfg: ModelConfig, stats: dict | None = None,
                  soft_offsets: dict[str, int] | None = None):
    """A ``datasets.Dataset`` of model windows, mapped from the character IOB2 dataset.

    With ``soft_offsets`` (document id -> offset of its first character in a
    soft-label array) the windows carry ``soft_idx`` (each token's row in that
    array) and no hard tags: the documents are a teacher's output, learned from
    its distributions (:mod:`govie.distill`). Otherwise ``soft_idx`` is empty."""
    ds = to_dataset(docs)

    def to_windows(batch):
        rows = {k: [] for k in ("input_ids", "lex_ids", "seg_ids", "ner_labels", "spans", "span_labels", "pairs",
                                "pair_labels", "soft_idx")}
        for i in range(len(batch["id"])):
            doc = row_to_doc({k: batch[k][i] for k in batch})
            for f in window_features(doc, tokenizer, cfg, stats):
                if soft_offsets is not None:
                    f["soft_idx"] = [soft_offsets[doc.id] + a for a in f["char_starts"]]
                    f["ner_labels"] = [-100] * len(f["ner_labels"])
                else:
                    f["soft_idx"] = []
                for k in rows:
                    rows[k].append(f[k])
        return rows

    # explicit types: a first batch of windows without spans or pairs must not fix those columns as null
    from datasets import Features, List, Value
    ints, pairs = List(Value("int64")), List(List(Value("int64")))
    features = Features({"input_ids": ints, "lex_ids": ints, "seg_ids": ints, "ner_labels": ints, "spans": pairs,
                         "span_labels": ints, "pairs": pairs, "pair_labels": ints, "soft_idx": ints})
    return ds.map(to_windows, batched=True, batch_size=4, remove_columns=ds.column_names, load_from_cache_file=False,
                  features=features)


class Collator:
    """Pads windows into tensors; with ``soft`` (a characters x tags array) the
    rows with ``soft_idx`` get the teacher distributions as ``soft_labels``."""

    def __init__(self, tokenizer, soft=None, soft_weight: float = 1.0):
        self.tok = tokenizer
        self.soft = soft
        self.soft_weight = soft_weight

    def __call__(self, rows: list[dict]) -> dict[str, torch.Tensor]:
        B = len(rows)
        T = max(len(r["input_ids"]) for r in rows) + 2
        S = max(1, max(len(r["spans"]) for r in rows))
        P = max(1, max(len(r["pairs"]) for r in rows))
        ids = torch.full((B, T), self.tok.pad_id, dtype=torch.long)
        mask = torch.zeros((B, T), dtype=torch.long)
        ner = torch.full((B, T), -100, dtype=torch.long)
        lex = torch.zeros((B, T), dtype=torch.long)
        seg = torch.zeros((B, T), dtype=torch.long)
        spans = torch.zeros((B, S, 2), dtype=torch.long)
        span_labels = torch.zeros((B, S), dtype=torch.long)
        pairs = torch.zeros((B, P, 2), dtype=torch.long)
        pair_labels = torch.full((B, P), -100, dtype=torch.long)
        for b, r in enumerate(rows):
            seq = [self.tok.cls_id] + list(r["input_ids"]) + [self.tok.sep_id]
            ids[b, :len(seq)] = torch.tensor(seq)
            mask[b, :len(seq)] = 1
            ner[b, 1:len(r["ner_labels"]) + 1] = torch.tensor(r["ner_labels"])
            lex[b, 1:len(r["lex_ids"]) + 1] = torch.tensor(r["lex_ids"])
            seg[b, 1:len(r["seg_ids"]) + 1] = torch.tensor(r["seg_ids"])
            if r["spans"]:
                spans[b, :len(r["spans"])] = torch.tensor(r["spans"])
                span_labels[b, :len(r["span_labels"])] = torch.tensor(r["span_labels"])
            if r["pairs"]:
                pairs[b, :len(r["pairs"])] = torch.tensor(r["pairs"])
                pair_labels[b, :len(r["pair_labels"])] = torch.tensor(r["pair_labels"])
        out = {"input_ids": ids, "attention_mask": mask, "lex_ids": lex, "seg_ids": seg, "ner_labels": ner,
               "spans": spans, "span_labels": span_labels, "pairs": pairs, "pair_labels": pair_labels}
        if self.soft is not None:
            soft = torch.zeros((B, T, self.soft.shape[1]), dtype=torch.float32)
            smask = torch.zeros((B, T), dtype=torch.bool)
            for b, r in enumerate(rows):
                idx = r.get("soft_idx") or []
                if idx:
                    soft[b, 1:len(idx) + 1] = torch.from_numpy(np.asarray(self.soft[idx], dtype=np.float32))
                    smask[b, 1:len(idx) + 1] = True
            out.update(soft_labels=soft, soft_mask=smask, soft_weight=torch.tensor(self.soft_weight))
        return out


def _trainer_class():
    from transformers import Trainer

    class GovieTrainer(Trainer):
        """The Trainer with a separate learning rate for the new heads (``head_lr``)."""

        head_lr: float | None = None

        def create_optimizer(self, *args, **kwargs):
            if self.optimizer is None and self.head_lr:
                enc, heads = [], []
                for n, p in self.model.named_parameters():
                    if p.requires_grad:
                        (enc if n.startswith(("encoder.", "embed.", "lstm.")) else heads).append(p)
                wd = self.args.weight_decay
                self.optimizer = torch.optim.AdamW([{"params": enc, "lr": self.args.learning_rate},
                                                    {"params": heads, "lr": self.head_lr}], weight_decay=wd)
                return self.optimizer
            return super().create_optimizer(*args, **kwargs)

    return GovieTrainer


def _stop_after(steps: int | None = None, seconds: float | None = None):
    """Stop after ``steps`` optimizer steps or ``seconds`` of training, whichever comes first."""
    from transformers import TrainerCallback

    t0 = time.time()

    class StopAfter(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            if (steps and state.global_step >= steps) or (seconds and time.time() - t0 >= seconds):
                control.should_training_stop = True
            return control

    return StopAfter()


def prune_vocabulary(model: GovieModel, tokenizer, texts: list[str]) -> dict[int, int]:
    """Keep only the pieces that ``texts`` use (and the special tokens); returns old id -> new id.

    The embedding matrix shrinks to the kept rows; the tokenizer maps ids through
    the returned table, unknown pieces to ``<unk>``.
    """
    keep = {tokenizer.pad_id, tokenizer.cls_id, tokenizer.sep_id, tokenizer.unk_id}
    keep.update(tokenizer.hf.all_special_ids)
    for t in texts:
        keep.update(tokenizer.encode(t).ids)
    order = sorted(keep)
    mapping = {old: new for new, old in enumerate(order)}
    emb = model.encoder.embeddings.word_embeddings
    new = torch.nn.Embedding(len(order), emb.embedding_dim, padding_idx=mapping.get(tokenizer.pad_id))
    new.weight.data = emb.weight.data[torch.tensor(order)].clone()
    model.encoder.embeddings.word_embeddings = new
    model.encoder.config.vocab_size = len(order)
    model.config.vocab_size = len(order)
    model.config.extra.setdefault("bert_config", {})["vocab_size"] = len(order)
    tokenizer.set_id_map(mapping)
    return mapping


def read_corpus(globs: list[str]) -> list[tuple[str, str]]:
    """(source, text) of every file a glob matches: ``.txt`` whole, ``.jsonl`` one
    document a line (``content`` or ``text``)."""
    import glob

    from .io import read_text
    out = []
    for g in globs:
        paths = sorted(glob.glob(g))
        if not paths:
            raise FileNotFoundError(f"{g}: no file matches")
        for p in paths:
            if p.endswith(".jsonl"):
                with open(p, encoding="utf-8") as fh:
                    for k, line in enumerate(fh, 1):
                        if line.strip():
                            d = json.loads(line)
                            out.append((f"{p}:{k}", d.get("content") or d.get("text") or ""))
            else:
                out.append((p, read_text(p)))
    return out


def corpus_texts(globs: list[str]) -> list[str]:
    return [text for _, text in read_corpus(globs)]


def make_tokenizer(cfg: dict, mcfg: ModelConfig, train_docs: list[Document]):
    """The run's tokenizer: characters of the training documents, the char vocabulary of the
    model directory ``train.vocab_from`` (a model trained from scratch that can join that model
    in an ensemble, which needs one vocabulary), or e5's sentencepiece pieces."""
    from .tokenization import CharTokenizer, PieceTokenizer, load_tokenizer
    source = cfg.get("train", {}).get("vocab_from")
    if source:
        if mcfg.tokenizer != "char":
            raise ValueError(f"train.vocab_from ({source}) needs model.tokenizer: char, not {mcfg.tokenizer!r}")
        if not (Path(source) / "char_vocab.json").exists():
            raise FileNotFoundError(f"train.vocab_from: {source} has no char_vocab.json (not a char model directory)")
        return load_tokenizer(Path(source))
    if mcfg.tokenizer == "char":
        return CharTokenizer.build([d.text for d in train_docs])
    from .encoder import load_encoder
    _, hf = load_encoder(num_layers=mcfg.num_layers)
    return PieceTokenizer(hf)


def make_model(mcfg: ModelConfig) -> GovieModel:
    if mcfg.encoder == "e5":
        from .encoder import load_encoder
        enc, _ = load_encoder(num_layers=mcfg.num_layers)
        mcfg.hidden_size = enc.config.hidden_size
        mcfg.extra["bert_config"] = {k: v for k, v in enc.config.to_dict().items()
                                     if k in ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                                              "intermediate_size", "max_position_embeddings", "type_vocab_size",
                                              "layer_norm_eps", "hidden_act", "pad_token_id")}
        return GovieModel(mcfg, enc)
    return GovieModel(mcfg)


def fit(model: GovieModel, train_ds, collator, cfg: dict, out_dir: Path):
    """Train ``model`` with the Trainer under the config's ``train`` section; (trainer, seconds)."""
    from transformers import TrainingArguments

    t = cfg["train"]
    args = TrainingArguments(
        output_dir=str(out_dir / "checkpoints"), per_device_train_batch_size=t.get("batch_size", 16),
        learning_rate=float(t.get("lr", 1e-3)), num_train_epochs=float(t.get("epochs", 10)),
        max_steps=int(t.get("max_steps", -1)), weight_decay=float(t.get("weight_decay", 0.01)),
        warmup_steps=int(t.get("warmup_steps", 0)), logging_steps=int(t.get("logging_steps", 10)),
        save_strategy="no", report_to=[], seed=cfg["seed"], data_seed=cfg["seed"],
        remove_unused_columns=False, dataloader_num_workers=0, use_cpu=not torch.cuda.is_available(),
        disable_tqdm=bool(t.get("quiet", True)))
    t0 = time.time()
    trainer = _trainer_class()(model=model, args=args, train_dataset=train_ds, data_collator=collator)
    trainer.head_lr = float(t["head_lr"]) if t.get("head_lr") else None
    if t.get("stop_after_steps") or t.get("max_seconds"):  # stop early, keeping the full run's schedule
        trainer.add_callback(_stop_after(int(t.get("stop_after_steps") or 0) or None,
                                         float(t.get("max_seconds") or 0) or None))
    trainer.train()
    return trainer, time.time() - t0


def finish(out_dir: Path, model: GovieModel, tok, cfg: dict, config_path, trainer, train_seconds: float,
           windows: int, log_extra: dict) -> None:
    """Write the model directory: weights, tokenizer, config copy, training log, dev/test metrics."""
    from .evaluate import evaluate_splits

    t = cfg["train"]
    model.save(out_dir, tok, fp16=bool(t.get("save_fp16", False)))
    shutil.copy(config_path, out_dir / "train_config.yaml")
    (out_dir / "training_log.json").write_text(json.dumps(
        {"log_history": trainer.state.log_history, "train_seconds": train_seconds, "windows": windows,
         "device": torch.cuda.get_device_name(0) if torch.cuda.is_available()
         else f"cpu, {torch.get_num_threads()} threads", **log_extra}, indent=1), encoding="utf-8")
    splits = {}
    for split in t.get("evaluate_on", ["dev", "test"]):
        try:
            docs = split_docs(cfg, split)
        except (KeyError, ValueError):
            continue
        if docs:
            splits[split] = docs
    metrics = {"train_seconds": train_seconds, **(evaluate_splits(out_dir, splits) if splits else {})}
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=1), encoding="utf-8")


def train(config_path: str | Path, output: str | Path | None = None) -> Path:
    from transformers import set_seed

    cfg = load_config(config_path)
    set_seed(cfg["seed"])
    if cfg["train"].get("threads"):
        torch.set_num_threads(int(cfg["train"]["threads"]))
    out_dir = Path(output or cfg.get("output") or f"runs/{Path(config_path).stem}")
    out_dir.mkdir(parents=True, exist_ok=True)
    mcfg = ModelConfig(**cfg.get("model", {}))
    train_docs = split_docs(cfg, "train")
    tok = make_tokenizer(cfg, mcfg, train_docs)
    mcfg.vocab_size = len(tok)
    model = make_model(mcfg)
    t = cfg["train"]
    if t.get("prune_vocab_corpus") and tok.kind == "piece":
        # before training: the optimizer then updates a small embedding matrix
        texts = corpus_texts(t["prune_vocab_corpus"]) + [d.text for d in train_docs]
        before = model.encoder.embeddings.word_embeddings.num_embeddings
        mapping = prune_vocabulary(model, tok, texts)
        (out_dir / "piece_map.json").write_text(json.dumps({str(k): v for k, v in mapping.items()}), encoding="utf-8")
        print(f"vocabulary pruned from {before} to {len(mapping)} pieces")
    if t.get("freeze_embeddings") and model.encoder is not None:
        for p in model.encoder.embeddings.parameters():
            p.requires_grad = False
    stats: dict = {}
    train_ds = build_dataset(train_docs, tok, mcfg, stats)
    trainer, seconds = fit(model, train_ds, Collator(tok), cfg, out_dir)
    finish(out_dir, model, tok, cfg, config_path, trainer, seconds, len(train_ds), {"alignment": stats})
    return out_dir
