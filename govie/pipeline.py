"""``govie.extract()``: one call from text to spans, relations and the indicator table."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Protocol

from .records import Record, build_records
from .schema import Document, Relation, Span
from .normalize import arabic_numerals
from .text import arabic_years, fold_forms, join_wrapped_lines, spacing_gaps, without_positions
from .wordsnap import numeral_units, snap_batch


@dataclass(frozen=True)
class Entity:
    id: int
    label: str
    start: int
    end: int
    text: str
    score: float | None = None


@dataclass(frozen=True)
class Link:
    id: int
    type: str
    head: Entity
    tail: Entity
    score: float | None = None


@dataclass
class Extraction:
    """What :func:`govie.extract` returns for one text."""

    text: str
    meta: dict[str, Any]
    entities: list[Entity]
    relations: list[Link]
    records: list[Record] = field(default_factory=list)
    id: str = "doc"

    @classmethod
    def from_document(cls, doc: Document) -> "Extraction":
        ents = {s.id: Entity(s.id, s.label, s.start, s.end, doc.text[s.start:s.end], s.score)
                for s in sorted(doc.entities, key=lambda s: s.start)}
        rels = [Link(r.id, r.type, ents[r.from_id], ents[r.to_id], r.score) for r in doc.relations]
        return cls(doc.text, dict(doc.meta), list(ents.values()), rels, build_records(doc), doc.id)

    def to_document(self) -> Document:
        return Document(self.id, self.text, dict(self.meta),
                        [Span(e.id, e.label, e.start, e.end, e.score) for e in self.entities],
                        [Relation(r.id, r.head.id, r.tail.id, r.type, r.score) for r in self.relations])

    def to_dict(self, scores: bool = False) -> dict[str, Any]:
        """The SCHEMA JSONL layout (``govie validate`` accepts it); ``scores=True`` adds scores."""
        return self.to_document().to_dict(scores)

    def to_dataframe(self):
        """The records as a pandas DataFrame (exact values as strings in ``value``, floats in ``number``)."""
        import pandas as pd
        rows = [r.to_dict() for r in self.records]
        df = pd.DataFrame(rows, columns=list(Record.__dataclass_fields__))
        df.insert(df.columns.get_loc("value") + 1, "number",
                  [float(r.value) if r.value is not None else None for r in self.records])
        return df


class Tagger(Protocol):
    """Anything that turns texts into spans and relations."""

    name: str

    def tag_batch(self, texts: list[str]) -> list[tuple[list[Span], list[Relation]]]: ...


class RulesTagger:
    name = "rules"

    def __init__(self) -> None:
        from .rules import RuleTagger
        self._t = RuleTagger()

    def tag_batch(self, texts: list[str]) -> list[tuple[list[Span], list[Relation]]]:
        return [self._t.tag(t) for t in texts]


def model_view(text: str) -> tuple[str, list[tuple[int, int]] | None]:
    """The text the tagger reads, and for each of its characters the range of ``text`` it stands for (``None``: the
    same offsets). Full-width digits read as ASCII, `19·5` as `19.5`, a year in Chinese digits as Arabic ones and a
    wrapped sentence as one line, one character for one; Chinese numerals of a quantity as Arabic numbers
    (`百分之十二点八` as `12.8%`, :func:`govie.normalize.arabic_numerals`); in a letter-spaced text (`7 4 7 7 2 亿元`,
    `国 内 生 产`) those spaces are left out, found as :func:`govie.records.build_records` finds them
    (:mod:`govie.text`). Spans are mapped back, so the output keeps the text as given."""
    folded = arabic_years(fold_forms(text), bare=True)
    numerals = arabic_numerals(folded)
    base, ranges = numerals or (folded, None)
    view, gaps = join_wrapped_lines(base), spacing_gaps(base)
    if gaps:
        view, kept = without_positions(view, gaps)
        ranges = [ranges[k] if ranges else (k, k + 1) for k in kept]
    return view, ranges


def map_back(text: str, spans: list[Span], rels: list[Relation], ranges: list[tuple[int, int]]
             ) -> tuple[list[Span], list[Relation]]:
    """Spans of a :func:`model_view` in offsets of the text as given. Where a numeral was read as an Arabic number
    a span may come back inside another (the `%` of `12.8%` inside `百分之十二点八`): it is dropped, with its
    relations."""
    spans = [replace(s, start=ranges[s.start][0], end=ranges[s.end - 1][1]) for s in spans]
    if all(b - a == 1 for a, b in ranges):
        return spans, rels
    spans, rels = numeral_units(text, spans, rels)  # a numeral's last magnitude as the gold writes it (`…万` + `吨`)
    drop, ordered = set(), sorted(spans, key=lambda s: (s.start, -s.end))
    for o, s in zip(ordered, ordered[1:]):  # the tagger's spans never overlap: only those of one numeral can
        if s.start < o.end:
            drop.add(o.id if s.label == "VALUE" and o.label != "VALUE" else s.id)
    return ([s for s in spans if s.id not in drop],
            [r for r in rels if r.from_id not in drop and r.to_id not in drop])


class Pipeline:
    """A loaded extractor; reuse it (``govie.load()``) to load the model once."""

    def __init__(self, tagger: Tagger):
        self.tagger = tagger

    @property
    def name(self) -> str:
        return self.tagger.name

    def __call__(self, text: str, *, meta: dict | None = None, doc_id: str = "doc") -> Extraction:
        return next(self.pipe([text], metas=[meta], ids=[doc_id]))

    def pipe(self, texts: Iterable[str], *, batch_size: int = 16, metas: Iterable[dict | None] | None = None,
             ids: Iterable[str] | None = None) -> Iterator[Extraction]:
        texts = iter(texts)
        metas = iter(metas) if metas is not None else None
        ids = iter(ids) if ids is not None else None
        k = 0
        while True:
            batch = [t for _, t in zip(range(batch_size), texts)]
            if not batch:
                return
            for t in batch:
                if not isinstance(t, str):
                    raise TypeError(f"govie.extract expects str, got {type(t).__name__}")
            views = [model_view(t) for t in batch]
            tagged = self.tagger.tag_batch([v for v, _ in views])
            for text, (_, kept), (spans, rels) in zip(batch, views, tagged):
                if kept is not None:
                    spans, rels = map_back(text, spans, rels, kept)
                meta = (next(metas, None) if metas is not None else None) or {}
                doc_id = next(ids, None) if ids is not None else None
                yield Extraction.from_document(Document(doc_id or f"doc{k}", text, dict(meta), spans, rels))
                k += 1


class ModelTagger:
    """A trained model directory (see :mod:`govie.training`); ``snap_words=False`` gives the
    model's own spans, without :mod:`govie.wordsnap` (as in its ``metrics.json``)."""

    def __init__(self, model_dir, batch_size: int = 16, quantize: bool = False, snap_words: bool = True) -> None:
        from .model import GovieModel
        from .tokenization import load_tokenizer
        self.name = str(model_dir) + ("@int8" if quantize else "")
        self.model = GovieModel.load(model_dir, quantize=quantize)
        self.tokenizer = load_tokenizer(model_dir)
        self.batch_size = batch_size  # GovieModel.predict runs under torch.no_grad(); no global switch
        self.snap_words = snap_words  # govie.wordsnap: span ends moved out of the middle of words

    def tag_batch(self, texts: list[str]) -> list[tuple[list[Span], list[Relation]]]:
        out = self.model.predict(texts, self.tokenizer, batch_size=self.batch_size)
        return snap_batch(texts, out) if self.snap_words else out


MODELS_DIR = Path(__file__).resolve().parent / "models"
_TAGGERS = {"rules": RulesTagger}
# The shipped default is the distilled character model: the fastest model and also
# the most accurate one measured (README, "Distillation"), so "fast" and
# "accurate" both name it until a bundled model of that name says otherwise.
ALIASES = {"fast": "default", "accurate": "default"}
_LOADED: dict[str, Pipeline] = {}


def _fast_backend_available() -> bool:
    from importlib.util import find_spec
    return os.environ.get("GOVIE_BACKEND", "").lower() != "torch" and find_spec("onnxruntime") is not None \
        and find_spec("onnx") is not None


def _model_tagger(path: Path):
    """The measured-fastest backend for a model directory: ONNX Runtime for the
    character BiLSTM (same spans and relations, ~1.4x faster end to end; README),
    torch otherwise or with ``GOVIE_BACKEND=torch``."""
    import json
    enc = json.loads((path / "govie_config.json").read_text(encoding="utf-8")).get("encoder")
    if enc == "bilstm" and _fast_backend_available():
        from .onnx_backend import OnnxTagger
        return OnnxTagger(path)
    return ModelTagger(path)


def _model_dir(key: str) -> Path:
    """The directory behind a cache key ``bundled:NAME`` or ``dir:PATH``."""
    return MODELS_DIR / key[len("bundled:"):] if key.startswith("bundled:") else Path(key[len("dir:"):])


def _resolve(name: str) -> tuple[str, Any]:
    """(cache key, factory) for a model name or directory; ``NAME@int8`` quantizes it
    (torch), ``NAME@torch`` / ``NAME@onnx`` pick the backend."""
    if name.endswith("@int8"):
        key, _ = _resolve(name[:-5])
        if key == "rules":
            raise ValueError("the rule baseline has nothing to quantize")
        base = _model_dir(key)
        return key + "@int8", lambda: ModelTagger(base, quantize=True)
    for suffix in ("@torch", "@onnx"):
        if name.endswith(suffix):
            key, _ = _resolve(name[:-len(suffix)])
            if key == "rules":
                raise ValueError(f"the rule baseline has no {suffix[1:]} backend")
            base = _model_dir(key)
            if suffix == "@torch":
                return key + suffix, lambda: ModelTagger(base)
            from .onnx_backend import OnnxTagger
            return key + suffix, lambda: OnnxTagger(base)
    if name in _TAGGERS:
        return name, _TAGGERS[name]
    if name in ALIASES and not (MODELS_DIR / name / "govie_config.json").exists():
        return _resolve(ALIASES[name])
    bundled = MODELS_DIR / name
    if (bundled / "govie_config.json").exists():
        return f"bundled:{name}", lambda: _model_tagger(bundled)
    if name == "default":  # no bundled default yet: the rule baseline
        return "rules", _TAGGERS["rules"]
    path = Path(name)
    if (path / "govie_config.json").exists():
        return f"dir:{path.resolve()}", lambda: _model_tagger(path)
    known = ["default", *ALIASES, *_TAGGERS, *sorted(p.name for p in MODELS_DIR.glob("*/") if (p / "govie_config.json").exists())]
    raise ValueError(f"unknown model {name!r}: not a bundled model ({', '.join(known)}) "
                     "nor a model directory with govie_config.json")


def load(name: str = "default") -> Pipeline:
    """A reusable pipeline: ``"default"`` (the bundled default model; ``"fast"`` and
    ``"accurate"`` name it too), ``"rules"`` (the rule baseline), another bundled
    model's name, or a model directory."""
    key, factory = _resolve(name)
    if key not in _LOADED:
        _LOADED[key] = Pipeline(factory())
    return _LOADED[key]


def extract(text: str, *, meta: dict | None = None) -> Extraction:
    """Spans, relations and the indicator table of ``text`` with the default model."""
    return load()(text, meta=meta)


def extract_many(texts: Iterable[str], *, batch_size: int = 16,
                 metas: Iterable[dict | None] | None = None) -> Iterator[Extraction]:
    """Stream extractions of many texts, batched through the model."""
    return load().pipe(texts, batch_size=batch_size, metas=metas)
