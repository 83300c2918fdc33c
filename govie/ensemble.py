"""Several trained models as one: their tag and relation probabilities averaged.

An ensemble is a model directory like any other (``govie.load(DIR)``, ``govie evaluate
--model DIR``, a distillation teacher), laid out as::

    DIR/govie_config.json     the first member's config, with extra.ensemble = ["members/a", ...]
    DIR/char_vocab.json       the members' shared tokenizer
    DIR/members/a/ ...        each member a whole model directory

:func:`make_ensemble` writes one from model directories. At inference
:meth:`govie.model.GovieModel.predict` runs unchanged on :class:`GovieEnsemble`: ``encode``
concatenates the members' states, ``ner`` and ``relation_logits`` return the log of the
members' mean probabilities (so the constrained Viterbi decodes the averaged tag
distribution, and a relation is kept where the averaged probability of a type beats NONE).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import torch
from torch import nn

from .model import GovieModel, ModelConfig

#: what the members must agree on: the inputs predict builds once for all of them
SHARED = ("encoder", "tokenizer", "max_tokens", "lexicon_features", "word_features", "max_pair_distance")
MEMBER_FILES = ("govie_config.json", "model.safetensors", "char_vocab.json", "metrics.json",
                "training_log.json", "train_config.yaml")


def member_dirs(model_dir: Path) -> list[Path] | None:
    """The member directories of an ensemble directory, or None for a single model."""
    cfg = ModelConfig.load(Path(model_dir) / "govie_config.json")
    names = cfg.extra.get("ensemble")
    return [Path(model_dir) / n for n in names] if names else None


def _mean_log_prob(logits: list[torch.Tensor]) -> torch.Tensor:
    p = torch.stack([torch.softmax(x.float(), -1) for x in logits]).mean(0)
    return torch.log(p.clamp_min(1e-12))


def check_members(configs: list[ModelConfig]) -> None:
    """Raise ValueError unless there are two or more configs that agree on :data:`SHARED`."""
    if len(configs) < 2:
        raise ValueError("an ensemble needs at least two members")
    first = configs[0]
    for k, c in enumerate(configs[1:], 1):
        for name in SHARED:
            if getattr(c, name) != getattr(first, name):
                raise ValueError(f"ensemble member {k}: {name} is {getattr(c, name)!r}, "
                                 f"member 0 has {getattr(first, name)!r}")


class GovieEnsemble(nn.Module):
    """Members with the same inputs (tokenizer, windows, features); their probabilities averaged."""

    predict = GovieModel.predict

    def __init__(self, members: list[GovieModel]):
        super().__init__()
        check_members([m.config for m in members])
        self.members = nn.ModuleList(members)
        self.config = members[0].config
        self.sizes = [m.config.hidden_size for m in members]

    def encode(self, input_ids, attention_mask, lex_ids=None, seg_ids=None) -> torch.Tensor:
        # m.encode, not GovieModel.encode: the ONNX backend swaps it on each member
        return torch.cat([m.encode(input_ids, attention_mask, lex_ids, seg_ids) for m in self.members], -1)

    def _parts(self, h: torch.Tensor):
        return zip(self.members, torch.split(h, self.sizes, -1))

    def ner(self, h: torch.Tensor) -> torch.Tensor:
        return _mean_log_prob([m.ner(x) for m, x in self._parts(h)])

    def relation_logits(self, h, spans, span_labels, pairs) -> torch.Tensor:
        return _mean_log_prob([m.relation_logits(x, spans, span_labels, pairs) for m, x in self._parts(h)])

    @classmethod
    def load(cls, model_dir: Path, quantize: bool = False, device: str | None = None) -> "GovieEnsemble":
        dirs = member_dirs(model_dir)
        if not dirs:
            raise ValueError(f"{model_dir}: not an ensemble (no extra.ensemble in govie_config.json)")
        vocab = (Path(model_dir) / "char_vocab.json").read_bytes()
        for d in dirs:
            if not (d / "govie_config.json").exists():
                raise FileNotFoundError(f"{model_dir}: ensemble member {d} has no govie_config.json")
            if (d / "char_vocab.json").read_bytes() != vocab:
                raise ValueError(f"{model_dir}: ensemble member {d} has another character vocabulary")
        return cls([GovieModel.load(d, quantize=quantize, device=device) for d in dirs])


def make_ensemble(members: list[str | Path], out: str | Path, overwrite: bool = False) -> Path:
    """Write an ensemble directory at ``out`` from trained model directories (copied in).
    An existing non-empty ``out`` is an error unless ``overwrite`` (then it is replaced)."""
    out = Path(out)
    if len(members) < 2:
        raise ValueError("an ensemble needs at least two members")
    srcs = [Path(m) for m in members]
    for s in srcs:
        if not (s / "govie_config.json").exists():
            raise FileNotFoundError(f"{s}: not a model directory (no govie_config.json)")
        if member_dirs(s):
            raise ValueError(f"{s}: an ensemble cannot be a member")
    # the members agree (inputs, vocabulary) before anything is written
    check_members([ModelConfig.load(s / "govie_config.json") for s in srcs])
    vocab = (srcs[0] / "char_vocab.json").read_bytes()
    for s in srcs[1:]:
        if (s / "char_vocab.json").read_bytes() != vocab:
            raise ValueError(f"{s}: has another character vocabulary than {srcs[0]}")
    names = [s.name for s in srcs]
    if len(set(names)) < len(names):
        names = [f"m{k}-{n}" for k, n in enumerate(names)]
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{out}: exists and is not empty (overwrite=True replaces it)")
        shutil.rmtree(out)
    elif out.exists():
        out.rmdir()
    (out / "members").mkdir(parents=True)
    for s, n in zip(srcs, names):
        (out / "members" / n).mkdir()
        for f in MEMBER_FILES:
            if (s / f).exists():
                shutil.copy(s / f, out / "members" / n / f)
    cfg = json.loads((srcs[0] / "govie_config.json").read_text(encoding="utf-8"))
    cfg["extra"] = {**cfg.get("extra", {}), "ensemble": [f"members/{n}" for n in names]}
    (out / "govie_config.json").write_text(json.dumps(cfg, indent=1, ensure_ascii=False), encoding="utf-8")
    shutil.copy(srcs[0] / "char_vocab.json", out / "char_vocab.json")
    (out / "ENSEMBLE").write_text("".join(f"members/{n}: {s}\n" for s, n in zip(srcs, names)), encoding="utf-8")
    return out
