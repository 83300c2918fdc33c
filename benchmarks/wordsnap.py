"""Word-boundary repair and one-character-name removal (govie.wordsnap), then the lexicon repair
(govie.lexfill), then the list cues (govie.cues: relabelling, then filling leading firms), each on and off, same model, dev and test splits.

    python benchmarks/wordsnap.py [MODEL ...]      # default: the bundled default

Per split: entity micro-F1, per-label F1 and end-to-end relation F1 of the
model's own spans and of the repaired ones, plus the spans the repair changed
(how many became exactly right and how many stopped being right), the
one-character names dropped (and how many of them were right), the spans the
lexicon repair added or relabeled (and how many of them are right), the spans the
list cue relabelled ENTITY or added (and how many of them are right), and each repair's speed in characters per second. Writes benchmarks/results/wordsnap.json.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def span_changes(docs, before, after) -> Counter:
    """What one repair stage did to the spans (matched by id), and whether each change hit the gold:
    ends moved (changed / became_exact / stopped_being_exact), spans dropped, added, relabeled."""
    c: Counter = Counter()
    for d, (a, _), (b, _) in zip(docs, before, after):
        g = {(x.start, x.end, x.label) for x in d.entities}
        new = {y.id: y for y in b}
        old = {x.id for x in a}
        for x in a:
            y = new.get(x.id)
            if y is None:
                c["dropped"] += 1
                c["dropped_were_exact"] += (x.start, x.end, x.label) in g
            elif x.end != y.end:
                c["changed"] += 1
                c["became_exact"] += (y.start, y.end, y.label) in g
                c["stopped_being_exact"] += (x.start, x.end, x.label) in g
            elif x.label != y.label:
                c["relabeled"] += 1
                c["relabeled_exact"] += (y.start, y.end, y.label) in g
                c["relabeled_were_exact"] += (x.start, x.end, x.label) in g
        for y in b:
            if y.id not in old:
                c["added"] += 1
                c["added_exact"] += (y.start, y.end, y.label) in g
    return c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*", default=["govie/models/default"])
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "wordsnap.json"))
    args = ap.parse_args()
    from govie.evaluate import score
    from govie.io import read_jsonl
    from govie.model import GovieModel
    from govie.schema import Document, Span
    from govie.tokenization import load_tokenizer
    from govie.cues import repair as cue_repair
    from govie.lexfill import repair
    from govie.wordsnap import snap_batch, snap_ends
    splits = json.loads((ROOT / "data" / "splits.json").read_text(encoding="utf-8"))
    gold = {d.id: d for d in read_jsonl(ROOT / "data" / "annotations" / "gold.jsonl")}
    snap_ends("农业综合机械化水平", [Span(0, "INDICATOR", 0, 8)])  # load and warm the segmenter outside the timing
    repair("写入联合国报告", [], [])  # and the lexicons
    results = []
    for m in args.models:
        model, tok = GovieModel.load(m), load_tokenizer(m)
        row = {"model": m}
        for split in ("dev", "test"):
            docs = [gold[i] for i in splits[split]]
            texts = [d.text for d in docs]
            raw = model.predict(texts, tok)
            n = sum(map(len, texts))
            t0 = time.perf_counter()
            snapped = snap_batch(texts, raw, lexicon=False, cues=False)
            t1 = time.perf_counter()
            repaired = [repair(t, *r) for t, r in zip(texts, snapped)]
            t2 = time.perf_counter()
            cued = [cue_repair(t, *r) for t, r in zip(texts, repaired)]
            t3 = time.perf_counter()
            out = {"chars": n, "snap_chars_per_s": round(n / (t1 - t0)), "lexicon_chars_per_s": round(n / (t2 - t1)),
                   "cues_chars_per_s": round(n / (t3 - t2))}
            for name, res in (("raw", raw), ("snapped", snapped), ("lexicon", repaired), ("cues", cued)):
                s = score(docs, [Document(d.id, d.text, d.meta, sp, r) for d, (sp, r) in zip(docs, res)])
                out[name] = {"entity_micro_f1": s["entities"]["micro"]["f1"],
                             **{k: s["entities"][k]["f1"] for k in s["entities"] if k not in ("micro", "macro")},
                             "relation_f1": s["relations"]["micro"]["f1"]}
            first, second = span_changes(docs, raw, snapped), span_changes(docs, snapped, repaired)
            changed, fixed, broken = first["changed"], first["became_exact"], first["stopped_being_exact"]
            dropped, dropped_exact = first["dropped"], first["dropped_were_exact"]
            added, added_exact = second["added"], second["added_exact"]
            relabeled, relabeled_exact = second["relabeled"], second["relabeled_exact"]
            relabeled_were_exact = second["relabeled_were_exact"]
            third = span_changes(docs, repaired, cued)
            out.update(cue_relabeled=third["relabeled"], cue_relabeled_exact=third["relabeled_exact"],
                       cue_relabeled_were_exact=third["relabeled_were_exact"], cue_added=third["added"],
                       cue_added_exact=third["added_exact"])
            out.update(spans_changed=changed, became_exact=fixed, stopped_being_exact=broken,
                       one_char_names_dropped=dropped, dropped_were_exact=dropped_exact,
                       lexicon_added=added, added_exact=added_exact, lexicon_relabeled=relabeled,
                       relabeled_exact=relabeled_exact, relabeled_were_exact=relabeled_were_exact)
            row[split] = out
            print(f"{m} {split}: entity F1 {out['raw']['entity_micro_f1']:.4f} -> {out['snapped']['entity_micro_f1']:.4f}, "
                  f"relation F1 {out['raw']['relation_f1']:.4f} -> {out['snapped']['relation_f1']:.4f}; "
                  f"{changed} spans changed, {fixed} became exact, {broken} stopped being exact; "
                  f"{dropped} one-character names dropped ({dropped_exact} of them exact); lexicon: entity F1 -> "
                  f"{out['lexicon']['entity_micro_f1']:.4f}, relation F1 -> {out['lexicon']['relation_f1']:.4f}, "
                  f"{added} names added ({added_exact} exact), {relabeled} relabeled REGION ({relabeled_exact} exact, "
                  f"{relabeled_were_exact} were exact before); list cue: entity F1 -> "
                  f"{out['cues']['entity_micro_f1']:.4f}, relation F1 -> {out['cues']['relation_f1']:.4f}, "
                  f"{third['relabeled']} relabeled ENTITY ({third['relabeled_exact']} exact, "
                  f"{third['relabeled_were_exact']} were exact before), {third['added']} leading firms added "
                  f"({third['added_exact']} exact)", flush=True)
        results.append(row)
    Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
