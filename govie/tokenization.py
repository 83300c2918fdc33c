"""Tokenizers whose pieces never straddle an entity boundary.

Text is first cut at character-class boundaries (CJK / digit / latin / other,
and every punctuation or space character on its own); a sentencepiece model
then splits each digit or latin chunk, and CJK chunks become one piece per
character.  ``6%`` becomes ``6`` + ``%``, so the VALUE/UNIT boundary is a piece
boundary; CJK word pieces (``两年``, ``局长``) would hide 0.6% of the gold span
boundaries, so CJK is not merged (``training/measure_alignment.py`` counts it).  :class:`CharTokenizer` is one piece per
character (the fast student and CI's tiny models).

Both return ``Encoding``: piece ids and ``(start, end)`` character offsets.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path


def char_class(ch: str) -> str:
    if ch.isspace():
        return "space"
    o = ord(ch)
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF or 0xF900 <= o <= 0xFAFF:
        return "cjk"
    if ch.isdigit() or ch in ".．":
        return "digit"
    if ch.isalpha():
        return "latin"
    return "other"  # punctuation and symbols: each one its own chunk


def presplit(text: str) -> list[tuple[int, int]]:
    """Chunks of one character class; spaces dropped; every 'other' char alone.

    A '.' only stays with digits when a digit follows it (``1.5``), so a
    sentence-final '.' is its own chunk, and never after a number that opens a line: that is a
    list number (``8.6个重大科技专项``: item 8, VALUE ``6``).
    """
    out: list[tuple[int, int]] = []
    start, cls = None, None
    n = len(text)
    for i, ch in enumerate(text):
        c = char_class(ch)
        if c == "digit" and ch in ".．" and not (i + 1 < n and text[i + 1].isdigit()
                                                and start is not None and cls == "digit"
                                                and start > 0 and text[start - 1] != "\n"):
            c = "other"
        if start is not None and (c != cls or c == "other"):
            out.append((start, i))
            start = None
        if c == "space":
            continue
        if start is None:
            start, cls = i, c
    if start is not None:
        out.append((start, n))
    return out


@dataclass
class Encoding:
    ids: list[int]
    offsets: list[tuple[int, int]]


class CharTokenizer:
    """One token per non-space character; vocabulary built from training texts."""

    kind = "char"
    PAD, UNK, CLS, SEP = 0, 1, 2, 3

    def __init__(self, vocab: dict[str, int]):
        self.vocab = vocab

    @classmethod
    def build(cls, texts, min_count: int = 1, max_size: int = 8000) -> "CharTokenizer":
        from collections import Counter
        c = Counter(ch for t in texts for ch in unicodedata.normalize("NFKC", t) if not ch.isspace())
        vocab = {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3}
        for ch, k in c.most_common(max_size):
            if k >= min_count:
                vocab[ch] = len(vocab)
        return cls(vocab)

    @property
    def pad_id(self) -> int:
        return self.PAD

    @property
    def cls_id(self) -> int:
        return self.CLS

    @property
    def sep_id(self) -> int:
        return self.SEP

    def __len__(self) -> int:
        return len(self.vocab)

    def encode(self, text: str) -> Encoding:
        ids, offs = [], []
        for i, ch in enumerate(text):
            if ch.isspace():
                continue
            ids.append(self.vocab.get(unicodedata.normalize("NFKC", ch), self.UNK))
            offs.append((i, i + 1))
        return Encoding(ids, offs)

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps({"kind": "char", "vocab": self.vocab}, ensure_ascii=False), encoding="utf-8")


class PieceTokenizer:
    """A sentencepiece (Unigram) model applied to each character-class chunk."""

    kind = "piece"

    def __init__(self, hf_tokenizer, id_map: dict[int, int] | None = None):
        self.hf = hf_tokenizer
        self._model = hf_tokenizer.backend_tokenizer.model
        self.id_map = id_map  # a pruned vocabulary: original piece id -> row of the model's embeddings
        self._cache: dict[str, int] = {}

    def set_id_map(self, id_map: dict[int, int] | None) -> None:
        self.id_map = id_map
        self._cache.clear()

    def _char_id(self, ch: str) -> int:
        i = self._cache.get(ch)
        if i is None:
            toks = self._model.tokenize(ch)
            i = self._id(toks[0].id) if len(toks) == 1 else self.unk_id
            self._cache[ch] = i
        return i

    def _id(self, i: int) -> int:
        if self.id_map is None:
            return i
        return self.id_map.get(i, self.id_map[self.hf.unk_token_id])

    @property
    def unk_id(self) -> int:
        return self._id(self.hf.unk_token_id)

    @property
    def pad_id(self) -> int:
        return self._id(self.hf.pad_token_id)

    @property
    def cls_id(self) -> int:
        return self._id(self.hf.cls_token_id)

    @property
    def sep_id(self) -> int:
        return self._id(self.hf.sep_token_id)

    def __len__(self) -> int:
        return len(self.id_map) if self.id_map is not None else len(self.hf)

    def encode(self, text: str) -> Encoding:
        ids, offs = [], []
        for a, b in presplit(text):
            chunk = unicodedata.normalize("NFKC", text[a:b])
            if len(chunk) != b - a:  # NFKC changed the length (rare ligatures): fall back to characters
                for k in range(a, b):
                    toks = self._model.tokenize(unicodedata.normalize("NFKC", text[k])) or []
                    ids.append(self._id(toks[0].id) if toks else self.unk_id)
                    offs.append((k, k + 1))
                continue
            if char_class(chunk[0]) == "cjk":
                # one piece per CJK character: a word boundary inside a multi-character
                # CJK piece (连续|两年, 改革局|局长) would make some span impossible
                for k, ch in enumerate(chunk):
                    ids.append(self._char_id(ch))
                    offs.append((a + k, a + k + 1))
                continue
            pos = a  # the model's offsets are in UTF-8 bytes: walk the piece strings instead
            for t in self._model.tokenize(chunk):
                ids.append(self._id(t.id))
                offs.append((pos, pos + len(t.value)))
                pos += len(t.value)
            if pos != b:
                raise AssertionError(f"piece lengths do not add up for {text[a:b]!r}")
        return Encoding(ids, offs)


def load_tokenizer(model_dir: Path):
    model_dir = Path(model_dir)
    char = model_dir / "char_vocab.json"
    if char.exists():
        return CharTokenizer(json.loads(char.read_text(encoding="utf-8"))["vocab"])
    from transformers import AutoTokenizer
    pm = model_dir / "piece_map.json"
    id_map = {int(k): v for k, v in json.loads(pm.read_text(encoding="utf-8")).items()} if pm.exists() else None
    return PieceTokenizer(AutoTokenizer.from_pretrained(str(model_dir)), id_map)
