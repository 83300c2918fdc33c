"""ONNX Runtime backend for ``bilstm`` GovieModels (the shipped default and its students).

    from govie.onnx_backend import OnnxTagger
    pipe = govie.Pipeline(OnnxTagger("govie/models/default"))
    pipe.pipe(texts)          # same Extractions as govie.load("default"), faster

Only the neural encoder runs in ONNX Runtime: character embedding + lexicon
(and word-start) feature embeddings + the packed BiLSTM. Everything else is
:meth:`govie.model.GovieModel.predict` unchanged (windows, lexicon features,
batching, NER head, constrained Viterbi, relation head, span clean-up): the
tagger loads the torch model and replaces ``encode`` on that one instance.

Padding: the graph is exported from the packed-sequence code path, so the
ONNX ``LSTM`` nodes receive ``sequence_lens`` (computed in the graph from the
attention mask) and each window's states are independent of its batch, as in
torch. ``python benchmarks/onnx_runtime.py`` checks the outputs against torch
(max abs difference) and the decoded spans and relations on the whole test
split (identical), and measures the speed.

The exported graph is cached by the checksum of the model's weights and config
under ``$GOVIE_CACHE/onnx/`` (``~/.cache/govie/onnx``), so only the first load
of a model exports it (about a second). Requires ``onnxruntime``, and ``onnx``
to export (torch's TorchScript ONNX exporter, ``dynamo=False``, writes the
graph with it; the dynamo exporter would need ``onnxscript`` too). With an
already exported graph (``onnx_path`` or the cache) only ``onnxruntime``.
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .model import GovieModel
from .schema import Relation, Span
from .wordsnap import snap_batch

#: bump when the exported graph changes, to invalidate cached files
EXPORT_VERSION = 1
OPSET = 17


class _Encoder(nn.Module):
    """``GovieModel.encode`` (+ the NER linear, for checking) with a fixed input list."""

    def __init__(self, model: GovieModel):
        super().__init__()
        self.m = model
        self.lex = model.config.lexicon_features
        self.seg = model.config.word_features

    def forward(self, input_ids, attention_mask, *feats):
        k = 0
        lex = seg = None
        if self.lex:
            lex, k = feats[k], k + 1
        if self.seg:
            seg = feats[k]
        h = GovieModel.encode(self.m, input_ids, attention_mask, lex, seg)
        return h, self.m.ner(h)


def input_names(model: GovieModel) -> list[str]:
    names = ["input_ids", "attention_mask"]
    if model.config.lexicon_features:
        names.append("lex_ids")
    if model.config.word_features:
        names.append("seg_ids")
    return names


def export_encoder(model: GovieModel, f=None) -> bytes:
    """The encoder as ONNX (inputs :func:`input_names`, int64 (batch, seq); outputs
    ``hidden`` (batch, seq, hidden) and ``logits`` (batch, seq, tags)). Writes to
    ``f`` (a path) too when given."""
    if model.config.encoder != "bilstm":
        raise ValueError(f"the ONNX backend handles bilstm models, not {model.config.encoder!r}")
    model.eval()
    names = input_names(model)
    B, T = 3, 12
    ex = [torch.randint(4, max(5, model.config.vocab_size), (B, T)), torch.ones(B, T, dtype=torch.long)]
    ex[1][1, 7:] = 0  # ragged lengths, so that the packed path is traced in general
    ex[1][2, 3:] = 0
    ex += [torch.zeros(B, T, dtype=torch.long) for _ in names[2:]]
    axes = {n: {0: "batch", 1: "seq"} for n in names + ["hidden", "logits"]}
    buf = io.BytesIO()
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(_Encoder(model).eval(), tuple(ex), buf, dynamo=False, opset_version=OPSET,
                          input_names=names, output_names=["hidden", "logits"], dynamic_axes=axes,
                          do_constant_folding=True)
    data = buf.getvalue()
    if f is not None:
        Path(f).write_bytes(data)
    return data


def weights_key(model_dir: Path) -> str:
    """Checksum of a model directory's weights and config (the cache key)."""
    h = hashlib.sha256(f"govie-onnx-{EXPORT_VERSION}-{torch.__version__}".encode())
    for name in ("govie_config.json", "model.safetensors"):
        h.update((Path(model_dir) / name).read_bytes())
    return h.hexdigest()[:24]


def cached_encoder(model_dir: Path, model: GovieModel, cache_dir: Path | None = None) -> Path:
    """Path of the exported encoder of ``model_dir``, exporting it on first use."""
    root = Path(cache_dir) if cache_dir is not None else \
        Path(os.environ.get("GOVIE_CACHE") or Path.home() / ".cache" / "govie") / "onnx"
    path = root / f"encoder-{weights_key(model_dir)}.onnx"
    if not path.exists():
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=root, suffix=".tmp")
        os.close(fd)
        try:
            export_encoder(model, tmp)
            os.replace(tmp, path)  # atomic: a concurrent loader sees the whole file or none
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return path


def make_session(model_bytes_or_path, threads: int | None = None, spinning: bool = False):
    """An ONNX Runtime CPU session with ``threads`` intra-op threads (default: torch's).

    ``spinning=False``: the pool's threads sleep between runs instead of spinning,
    which would take a core from the Python decoding between runs on small machines."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads or torch.get_num_threads()
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
    so.log_severity_level = 3
    src = str(model_bytes_or_path) if isinstance(model_bytes_or_path, (str, Path)) else model_bytes_or_path
    return ort.InferenceSession(src, so, providers=["CPUExecutionProvider"])


class OnnxEncoder:
    """Callable with ``GovieModel.encode``'s signature, running the ONNX graph."""

    def __init__(self, session, names: list[str]):
        self.session = session
        self.names = names

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                 lex_ids: torch.Tensor | None = None, seg_ids: torch.Tensor | None = None) -> torch.Tensor:
        given = {"input_ids": input_ids, "attention_mask": attention_mask, "lex_ids": lex_ids, "seg_ids": seg_ids}
        feeds = {n: given[n].numpy() for n in self.names}
        (h,) = self.session.run(["hidden"], feeds)
        T = input_ids.shape[1]
        if h.shape[1] < T:  # the ONNX graph pads to the longest length, torch to the input's (total_length)
            h = np.concatenate([h, np.zeros((h.shape[0], T - h.shape[1], h.shape[2]), h.dtype)], 1)
        return torch.from_numpy(h)


class OnnxTagger:
    """:class:`govie.pipeline.ModelTagger` with the BiLSTM encoder in ONNX Runtime.

    ``threads``: ONNX Runtime intra-op threads (default ``torch.get_num_threads()``).
    ``onnx_path``: an exported encoder (:func:`export_encoder`); default: the cache."""

    def __init__(self, model_dir, batch_size: int = 16, threads: int | None = None,
                 onnx_path: str | Path | None = None, cache_dir: Path | None = None,
                 snap_words: bool = True) -> None:
        from .tokenization import load_tokenizer
        self.name = str(model_dir) + "@onnx"
        from .ensemble import member_dirs
        self.model = GovieModel.load(model_dir)
        if self.model.config.encoder != "bilstm":
            raise ValueError(f"{model_dir}: the ONNX backend handles bilstm models, "
                             f"not {self.model.config.encoder!r}")
        self.tokenizer = load_tokenizer(model_dir)
        self.batch_size = batch_size
        self.snap_words = snap_words
        # predict() is reused as is: only the encoder of this instance (of each ensemble member) is swapped
        members = member_dirs(Path(model_dir))
        if members is None:
            path = onnx_path if onnx_path is not None else cached_encoder(Path(model_dir), self.model, cache_dir)
            self.session = make_session(path, threads)
            self.model.encode = OnnxEncoder(self.session, input_names(self.model))
            return
        if onnx_path is not None:
            raise ValueError(f"{model_dir}: an ensemble's members are exported one by one; no onnx_path")
        for d, m in zip(members, self.model.members):
            m.encode = OnnxEncoder(make_session(cached_encoder(d, m, cache_dir), threads), input_names(m))

    def tag_batch(self, texts: list[str]) -> list[tuple[list[Span], list[Relation]]]:
        out = self.model.predict(texts, self.tokenizer, batch_size=self.batch_size)
        return snap_batch(texts, out) if self.snap_words else out
