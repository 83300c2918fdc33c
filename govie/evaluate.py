"""Scoring: seqeval strict IOB2 entity scores and strict relation scores.

An entity is right when its label, start and end are all right (seqeval
``mode="strict"``, ``scheme=IOB2`` over character tags).  A relation is right
when its type and both spans (label, start, end) are right.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .dataset import spans_to_tags
from .schema import LABELS, RELATION_TYPES, Document


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    support: int

    def as_dict(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1, "support": self.support}


def _prf(tp: int, n_pred: int, n_gold: int) -> PRF:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(p, r, f, n_gold)


def _pair(gold: Iterable[Document], pred: Iterable[Document]) -> list[tuple[Document, Document]]:
    gold, pred = list(gold), list(pred)
    pmap = {d.id: d for d in pred}
    pairs = []
    for g in gold:
        p = pmap.get(g.id)
        if p is None:
            raise ValueError(f"no prediction for document {g.id!r}")
        if p.text != g.text:
            raise ValueError(f"document {g.id!r}: prediction text differs from gold text")
        pairs.append((g, p))
    return pairs


def entity_scores(gold: Iterable[Document], pred: Iterable[Document]) -> dict:
    """Per-label, micro and macro precision/recall/F1 with seqeval (strict, IOB2)."""
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2
    y_true, y_pred = [], []
    for g, p in _pair(gold, pred):
        y_true.append(spans_to_tags(len(g.text), g.entities))
        y_pred.append(spans_to_tags(len(p.text), p.entities))
    rep = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    out = {lab: {"precision": rep[lab]["precision"], "recall": rep[lab]["recall"],
                 "f1": rep[lab]["f1-score"], "support": int(rep[lab]["support"])}
           for lab in LABELS if lab in rep}
    for avg in ("micro avg", "macro avg"):
        out[avg.split()[0]] = {"precision": rep[avg]["precision"], "recall": rep[avg]["recall"],
                               "f1": rep[avg]["f1-score"], "support": int(rep[avg]["support"])}
    return out


def _relation_keys(d: Document) -> set:
    by = {s.id: s for s in d.entities}
    return {(r.type, (by[r.from_id].label, by[r.from_id].start, by[r.from_id].end),
             (by[r.to_id].label, by[r.to_id].start, by[r.to_id].end))
            for r in d.relations if r.from_id in by and r.to_id in by}


def relation_scores(gold: Iterable[Document], pred: Iterable[Document]) -> dict:
    """Strict relation scores: type and both spans (label, start, end) exact."""
    tp: dict[str, int] = {t: 0 for t in RELATION_TYPES}
    npred = dict(tp)
    ngold = dict(tp)
    for g, p in _pair(gold, pred):
        gk, pk = _relation_keys(g), _relation_keys(p)
        for k in gk:
            ngold[k[0]] = ngold.get(k[0], 0) + 1
        for k in pk:
            npred[k[0]] = npred.get(k[0], 0) + 1
        for k in gk & pk:
            tp[k[0]] = tp.get(k[0], 0) + 1
    out = {t: _prf(tp[t], npred[t], ngold[t]).as_dict() for t in RELATION_TYPES if ngold[t] or npred[t]}
    out["micro"] = _prf(sum(tp.values()), sum(npred.values()), sum(ngold.values())).as_dict()
    return out


def score(gold: Iterable[Document], pred: Iterable[Document]) -> dict:
    gold, pred = list(gold), list(pred)
    return {"entities": entity_scores(gold, pred), "relations": relation_scores(gold, pred)}


def _entity_keys(d: Document) -> set:
    """The document's entities as seqeval strict IOB2 reads them from its character tags."""
    from seqeval.scheme import IOB2, Entities
    return set(Entities([spans_to_tags(len(d.text), d.entities)], IOB2).entities[0])


def _micro_f1(counts) -> float:
    tp, n_pred, n_gold = (sum(c[k] for c in counts) for k in range(3))
    return _prf(tp, n_pred, n_gold).f1


def paired_bootstrap(gold: Iterable[Document], pred_a: Iterable[Document], pred_b: Iterable[Document], *,
                     what: str = "entities", n_resamples: int = 1000, seed: int = 0,
                     level: float = 0.95) -> dict:
    """Micro-F1 of two predictions of the same documents, B − A, with a paired bootstrap over documents.

    Each resample draws as many documents as there are, with replacement, and scores A and B on the same
    draw (entities as :func:`entity_scores` counts them, or relations as :func:`relation_scores`), so the
    interval says how much the difference depends on which documents happen to be in the split.
    Returns ``a``, ``b``, ``delta`` (on all documents), ``low`` and ``high`` (the central ``level``
    interval of the resampled deltas), ``b_better`` (the share of resamples where B scores higher),
    ``n_resamples`` and ``documents``.
    """
    import numpy as np
    keys = {"entities": _entity_keys, "relations": _relation_keys}[what]
    gold = list(gold)
    a_pairs, b_pairs = _pair(gold, pred_a), _pair(gold, pred_b)
    counts = []  # per document: (tp, n_pred, n_gold) for A and for B
    for (g, pa), (_, pb) in zip(a_pairs, b_pairs):
        gk, ak, bk = keys(g), keys(pa), keys(pb)
        counts.append(((len(gk & ak), len(ak), len(gk)), (len(gk & bk), len(bk), len(gk))))
    arr = np.array(counts, dtype=np.int64)  # (docs, 2, 3)
    n = len(arr)
    a_all, b_all = _micro_f1(arr[:, 0]), _micro_f1(arr[:, 1])
    rng = np.random.default_rng(seed)
    deltas = np.empty(n_resamples)
    for k in range(n_resamples):
        draw = arr[rng.integers(0, n, n)].sum(0)
        deltas[k] = _micro_f1([draw[1]]) - _micro_f1([draw[0]])
    lo, hi = np.quantile(deltas, [(1 - level) / 2, 1 - (1 - level) / 2]) if n else (0.0, 0.0)
    return {"what": what, "a": a_all, "b": b_all, "delta": b_all - a_all, "low": float(lo), "high": float(hi),
            "level": level, "b_better": float((deltas > 0).mean()) if n else 0.0,
            "n_resamples": n_resamples, "documents": n}


def format_comparison(c: dict) -> str:
    return (f"{c['what']} micro-F1: A {c['a']:.4f}, B {c['b']:.4f}, B − A {c['delta']:+.4f} "
            f"({c['level']:.0%} paired bootstrap interval over {c['documents']} documents {c['low']:+.4f} … "
            f"{c['high']:+.4f}; B higher in {c['b_better']:.0%} of {c['n_resamples']} resamples)")


ERROR_KINDS = ("exact", "boundary", "label", "label+boundary", "missed")  # of a gold span
ERROR_COLUMNS = ERROR_KINDS + ("spurious",)  # and of a predicted span that overlaps no gold span


def error_breakdown(gold: Iterable[Document], pred: Iterable[Document]) -> dict[str, dict[str, int]]:
    """Where the strict entity errors come from, per label.

    Each gold span counts once, under its own label, as the first that applies:
    ``exact`` (a predicted span with its label, start and end), ``label`` (a
    predicted span with its start and end, another label), ``boundary`` (an
    overlapping predicted span with its label, other extent), ``label+boundary``
    (only overlapping predicted spans with other labels and extents) or
    ``missed`` (no predicted span overlaps it). Each predicted span that overlaps
    no gold span counts as ``spurious`` under the predicted label. The exact
    count per label is the true positives of :func:`entity_scores`.
    """
    out: dict[str, dict[str, int]] = {}

    def row(label: str) -> dict[str, int]:
        return out.setdefault(label, dict.fromkeys(ERROR_COLUMNS, 0))

    for g, p in _pair(gold, pred):
        exact = {(s.label, s.start, s.end) for s in p.entities}
        extent = {(s.start, s.end) for s in p.entities}
        for s in g.entities:
            over = [q for q in p.entities if q.start < s.end and s.start < q.end]
            if (s.label, s.start, s.end) in exact:
                kind = "exact"
            elif (s.start, s.end) in extent:
                kind = "label"
            elif any(q.label == s.label for q in over):
                kind = "boundary"
            else:
                kind = "label+boundary" if over else "missed"
            row(s.label)[kind] += 1
        for q in p.entities:
            if not any(s.start < q.end and q.start < s.end for s in g.entities):
                row(q.label)["spurious"] += 1
    return {lab: out[lab] for lab in LABELS if lab in out}


def format_errors(errors: dict[str, dict[str, int]]) -> str:
    lines = [f"{'errors':<12}" + "".join(f"{k:>16}" for k in ERROR_COLUMNS)]
    for lab, row in errors.items():
        lines.append(f"{lab:<12}" + "".join(f"{row[k]:>16}" for k in ERROR_COLUMNS))
    return "\n".join(lines)


def format_report(scores: dict) -> str:
    lines = [f"{'entities':<12}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for k, v in scores["entities"].items():
        lines.append(f"{k:<12}{v['precision']:>10.4f}{v['recall']:>10.4f}{v['f1']:>10.4f}{v['support']:>10}")
    lines.append("")
    lines.append(f"{'relations':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for k, v in scores["relations"].items():
        lines.append(f"{k:<16}{v['precision']:>10.4f}{v['recall']:>10.4f}{v['f1']:>10.4f}{v['support']:>10}")
    return "\n".join(lines)


def evaluate_model(model_dir, docs: list[Document], batch_size: int = 16) -> dict:
    """End-to-end scores and relation scores with gold entities, for a trained model."""
    return evaluate_splits(model_dir, {"docs": docs}, batch_size)["docs"]


def evaluate_splits(model_dir, splits: dict[str, list[Document]], batch_size: int = 16) -> dict[str, dict]:
    """:func:`evaluate_model` for several document lists (e.g. dev and test), loading the model once."""
    from .model import GovieModel
    from .tokenization import load_tokenizer
    model = GovieModel.load(model_dir)
    tok = load_tokenizer(model_dir)
    out = {}
    for name, docs in splits.items():
        texts = [d.text for d in docs]
        pred = [Document(d.id, d.text, d.meta, s, r)
                for d, (s, r) in zip(docs, model.predict(texts, tok, batch_size=batch_size))]
        gold_spans = [[(s.start, s.end, s.label) for s in d.entities] for d in docs]
        with_gold = [Document(d.id, d.text, d.meta, s, r) for d, (s, r) in
                     zip(docs, model.predict(texts, tok, batch_size=batch_size, given_spans=gold_spans))]
        end_to_end = score(docs, pred)
        out[name] = {"entities": end_to_end["entities"], "relations_end_to_end": end_to_end["relations"],
                     "relations_gold_entities": relation_scores(docs, with_gold)}
    return out


TABLE_FIELDS = ("kind", "sign", "qualifier", "period", "period_from", "status")


def table_fields(record) -> dict:
    """The fields of a :class:`govie.records.Record` that the table gold judges (GUIDELINES.md, "The indicator
    table"): kind, sign (``-`` for a negative number), qualifier (``none`` for none), period, period_from, status."""
    number = next((x for x in (record.value, record.low, record.high) if x is not None), None)
    return {"kind": record.kind, "sign": "-" if number is not None and number < 0 else "+",
            "qualifier": record.qualifier or "none", "period": record.period, "period_from": record.period_from,
            "status": record.status}


def table_scores(gold_rows: Iterable[dict], records: dict[str, list]) -> dict:
    """Score table rows against the table gold (``data/annotations/table/gold_table.jsonl``).

    ``records`` maps a document id to its records, offsets into that document. A gold row is *found* when a
    record has its value span and its indicator span (both offsets; a row whose head is not an INDICATOR has none).
    For the found rows, the accuracy of each derived field; ``row`` is the share of all gold rows found with every
    field right (the table's row recall on the sample: a missed pair counts as wrong).
    """
    gold_rows = list(gold_rows)
    index = {}
    for doc_id, recs in records.items():
        for r in recs:
            index.setdefault((doc_id, r.start, r.end, r.indicator_start, r.indicator_end), r)
    right = dict.fromkeys(TABLE_FIELDS, 0)
    found = exact = 0
    for g in gold_rows:
        r = index.get((g["doc"], g["value_start"], g["value_end"], g["indicator_start"], g["indicator_end"]))
        if r is None:
            continue
        found += 1
        got = table_fields(r)
        ok = [f for f in TABLE_FIELDS if got[f] == g[f]]
        for f in ok:
            right[f] += 1
        exact += len(ok) == len(TABLE_FIELDS)
    n = len(gold_rows)
    return {"rows": n, "found": found,
            "fields": {f: (right[f] / found if found else 0.0) for f in TABLE_FIELDS},
            "all_fields": exact / found if found else 0.0, "row": exact / n if n else 0.0}
