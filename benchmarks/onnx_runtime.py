"""ONNX Runtime vs torch for a ``bilstm`` model: profile, exactness, speed, memory.

    python benchmarks/onnx_runtime.py --model govie/models/default [--split test] [--threads 2] [--reps 7]

1. Profile of the torch pipeline (``Pipeline.pipe`` over the split's texts):
   where the time goes (lexicon features, windows + tokenization, BiLSTM,
   NER linear, Viterbi, relation head, the rest of ``predict``, records,
   Extraction construction), timed by wrapping those functions, plus the
   top functions of a cProfile run.
2. Exactness of :mod:`govie.onnx_backend`: the encoder's outputs against
   torch on every batch of the split (max abs difference), each window alone
   vs inside its padded batch (padding independence), and the decoded spans
   and relations of the whole split (must be identical).
3. Speed, with torch and ONNX Runtime interleaved in one process
   (A, B, A, B, ...; medians, since the machine may be shared): end-to-end
   chars/s (spans, relations, records) and encoder-only chars/s (the same
   recorded batches through ``encode`` + NER linear vs the ONNX session).
   First call (import + load + first extraction) and peak RSS (VmHWM) in fresh
   processes, ONNX with the exported graph cached and with the export on load.

torch means :class:`govie.pipeline.ModelTagger` and ONNX Runtime
:class:`govie.onnx_backend.OnnxTagger`, both named explicitly (``govie.load``
picks a backend by itself). Writes benchmarks/results/onnx-runtime.json and
prints a markdown table.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_PROBE = r"""
import json, sys, time
t0 = time.time()
import torch
torch.set_num_threads(int(sys.argv[4]))
import govie
from govie.pipeline import ModelTagger, Pipeline
if sys.argv[1] == "torch":  # explicit taggers: govie.load() picks a backend by itself
    pipe = Pipeline(ModelTagger(sys.argv[2]))
else:
    from govie.onnx_backend import OnnxTagger
    pipe = Pipeline(OnnxTagger(sys.argv[2], cache_dir=sys.argv[5]))
texts = json.load(open(sys.argv[3], encoding="utf-8"))
pipe(texts[0][:2000])
first = time.time() - t0
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork+exec from the parent process
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
import resource
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"first_call_s": first, "first_call_cpu_s": ru.ru_utime + ru.ru_stime, "peak_rss_mb": int(hwm) / 1024}))
"""


def _key(result):
    spans, rels = result
    return ([(s.id, s.label, s.start, s.end) for s in spans], [(r.id, r.from_id, r.to_id, r.type) for r in rels])


def profile(pipe, texts, passes: int = 3) -> dict:
    """Seconds per stage of ``pipe.pipe(texts)`` (wrapped functions; of ``passes`` timed
    passes the fastest, the least disturbed by other jobs) and cProfile's top functions."""
    import torch
    from torch import nn

    import govie.model as gm
    import govie.onnx_backend as go
    import govie.pipeline as gp

    T: dict[str, float] = defaultdict(float)
    C: dict[str, float] = defaultdict(float)  # process CPU seconds: robust when the machine is shared

    def timed(name, f):
        def w(*a, **k):
            t, c = time.perf_counter(), time.process_time()
            try:
                return f(*a, **k)
            finally:
                T[name] += time.perf_counter() - t
                C[name] += time.process_time() - c
        return w

    class TimedModule(nn.Module):
        def __init__(self, inner, name):
            super().__init__()
            self.inner, self.tname = inner, name

        def forward(self, *a):
            t, c = time.perf_counter(), time.process_time()
            try:
                return self.inner(*a)
            finally:
                T[self.tname] += time.perf_counter() - t
                C[self.tname] += time.process_time() - c

    tagger, model = pipe.tagger, pipe.tagger.model
    saved_mod = {n: getattr(gm, n) for n in ("lexicon_tags", "windows", "viterbi")}
    saved_br, saved_fd = gp.build_records, gp.Extraction.__dict__["from_document"]
    saved_snap = {m: m.snap_batch for m in (gp, go)}  # each tagger module's own name for it
    had = {n: n in model.__dict__ for n in ("encode", "relation_logits")}
    saved_inst = {n: getattr(model, n) for n in ("encode", "relation_logits")}
    saved_ner = model.ner
    try:
        for n in saved_mod:
            setattr(gm, n, timed(n, saved_mod[n]))
        gp.build_records = timed("build_records", saved_br)
        for m, f in saved_snap.items():
            m.snap_batch = timed("snap_batch", f)
        gp.Extraction.from_document = classmethod(timed("from_document", saved_fd.__func__))
        model.encode = timed("encode", saved_inst["encode"])
        model.relation_logits = timed("relation_logits", saved_inst["relation_logits"])
        model.ner = TimedModule(saved_ner, "ner")
        tagger.tag_batch = timed("tag_batch", tagger.tag_batch)
        list(pipe.pipe(texts))  # warm-up
        best = None
        for _ in range(passes):
            T.clear()
            C.clear()
            t0, c0 = time.perf_counter(), time.process_time()
            n = sum(len(ex.text) for ex in pipe.pipe(texts))
            total, ctotal = time.perf_counter() - t0, time.process_time() - c0
            if best is None or total < best[0]:
                best = (total, ctotal, dict(T), dict(C))
        total, ctotal, stages, cstages = best
    finally:
        for k, f in saved_mod.items():
            setattr(gm, k, f)
        gp.build_records, gp.Extraction.from_document = saved_br, saved_fd
        for m, f in saved_snap.items():
            m.snap_batch = f
        for k, f in saved_inst.items():
            if had[k]:
                setattr(model, k, f)
            else:
                model.__dict__.pop(k, None)
        model.ner = saved_ner
        tagger.__dict__.pop("tag_batch", None)
    prof = cProfile.Profile()  # a separate pass, without the wrappers
    prof.enable()
    list(pipe.pipe(texts))
    prof.disable()
    def breakdown(stages, total):
        parts = {
            "lexicon features (lexicon_tags: rule tagger)": stages.get("lexicon_tags", 0.0),
            "windows + tokenization": stages.get("windows", 0.0),
            "BiLSTM encoder forward (encode)": stages.get("encode", 0.0),
            "NER linear": stages.get("ner", 0.0),
            "constrained Viterbi": stages.get("viterbi", 0.0),
            "relation head forward (relation_logits)": stages.get("relation_logits", 0.0),
        }
        parts["word-boundary repair (snap_batch: pkuseg around span ends)"] = stages.get("snap_batch", 0.0)
        parts["rest of predict (tensors, log_softmax, span scores, pairs, offsets)"] = \
            stages["tag_batch"] - sum(parts.values())
        parts["records (build_records)"] = stages.get("build_records", 0.0)
        parts["Extraction construction + pipe loop"] = total - stages["tag_batch"] - stages.get("build_records", 0.0)
        return parts
    parts, cparts = breakdown(stages, total), breakdown(cstages, ctotal)
    st = pstats.Stats(prof)
    top = sorted(st.stats.items(), key=lambda kv: -kv[1][2])[:15]  # by own time
    ptotal = st.total_tt
    top_rows = [{"function": f"{Path(f[0]).name}:{f[1]}({f[2]})", "calls": v[1], "own_s": v[2], "cum_s": v[3],
                 "own_pct": 100 * v[2] / ptotal} for f, v in top]
    return {"chars": n, "seconds": total, "cpu_seconds": ctotal, "torch_threads": torch.get_num_threads(),
            "stages_s": parts, "stages_pct": {k: 100 * v / total for k, v in parts.items()},
            "stages_cpu_s": cparts, "stages_cpu_pct": {k: 100 * v / ctotal for k, v in cparts.items()},
            "cprofile_total_s": ptotal, "cprofile_top_own_time": top_rows}


def record_batches(tagger, texts) -> list[tuple]:
    """The encoder inputs ``predict`` builds for ``texts`` (ids, mask, lex, seg)."""
    model = tagger.model
    had = "encode" in model.__dict__
    inner = model.encode
    rec = []

    def enc(ids, mask, lex=None, seg=None):
        rec.append((ids, mask, lex, seg))
        return inner(ids, mask, lex, seg)
    model.encode = enc
    try:
        tagger.tag_batch(texts)
    finally:
        if had:
            model.encode = inner
        else:
            del model.__dict__["encode"]
    return rec


def interleave(fns: dict, reps: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall seconds and process CPU seconds of each function, run A, B, A, B, ..."""
    wall, cpu = {k: [] for k in fns}, {k: [] for k in fns}
    for _ in range(reps):
        for k, f in fns.items():
            t, c = time.perf_counter(), time.process_time()
            f()
            wall[k].append(time.perf_counter() - t)
            cpu[k].append(time.process_time() - c)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="govie/models/default", help="a bilstm model directory")
    ap.add_argument("--split", default="test")
    ap.add_argument("--threads", type=int, default=2, help="torch and ONNX Runtime intra-op threads")
    ap.add_argument("--reps", type=int, default=7, help="interleaved repetitions per variant")
    ap.add_argument("--probe-reps", type=int, default=3, help="fresh processes per variant for first call / RSS")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "onnx-runtime.json"))
    args = ap.parse_args()

    import numpy as np
    import onnxruntime as ort
    import torch
    torch.set_num_threads(args.threads)

    import govie
    from govie.io import read_jsonl
    from govie.onnx_backend import OnnxTagger, export_encoder, input_names, make_session, weights_key
    from govie.pipeline import ModelTagger, Pipeline

    splits = json.loads((ROOT / "data" / "splits.json").read_text(encoding="utf-8"))
    gold = {d.id: d for d in read_jsonl(ROOT / "data" / "annotations" / "gold.jsonl")}
    texts = [gold[i].text for i in splits[args.split]]
    chars = sum(map(len, texts))
    cache = Path(tempfile.mkdtemp(prefix="govie-onnx-"))

    tt = ModelTagger(args.model)
    t0 = time.perf_counter()
    ot = OnnxTagger(args.model, threads=args.threads, cache_dir=cache)
    load_export_s = time.perf_counter() - t0
    p_torch, p_onnx = Pipeline(tt), Pipeline(ot)

    # 1. profile (torch path; the ONNX path too, for the table)
    prof_torch = profile(p_torch, texts)
    prof_onnx = profile(p_onnx, texts)

    # 2. exactness
    batches = record_batches(tt, texts)
    names = input_names(tt.model)
    sess = make_session(export_encoder(tt.model), args.threads)

    def feeds(b):
        d = {"input_ids": b[0], "attention_mask": b[1], "lex_ids": b[2], "seg_ids": b[3]}
        return {n: d[n].numpy() for n in names}
    max_h = max_lg = max_pad = 0.0
    with torch.no_grad():
        for b in batches:
            h = tt.model.encode(*b)
            lg = tt.model.ner(h)
            oh, olg = sess.run(["hidden", "logits"], feeds(b))
            mk = b[1].bool().numpy()
            max_h = max(max_h, float(np.abs(oh - h.numpy())[mk].max()))
            max_lg = max(max_lg, float(np.abs(olg - lg.numpy())[mk].max()))
            for r in range(0, b[0].shape[0], 5):  # every 5th window alone, unpadded
                n = int(b[1][r].sum())
                one = [None if x is None else x[r:r + 1, :n] for x in b]
                (oh1,) = sess.run(["hidden"], feeds(one))
                max_pad = max(max_pad, float(np.abs(oh1[0] - oh[r, :n]).max()))
    pred_t, pred_o = tt.tag_batch(texts), ot.tag_batch(texts)
    same = [_key(a) == _key(b) for a, b in zip(pred_t, pred_o)]
    score_diff = max([abs(x.score - y.score) for a, b in zip(pred_t, pred_o) for x, y in zip(a[0], b[0])]
                     + [abs(x.score - y.score) for a, b in zip(pred_t, pred_o) for x, y in zip(a[1], b[1])] + [0.0])
    exact = {"encoder_max_abs_diff_hidden": max_h, "encoder_max_abs_diff_logits": max_lg,
             "alone_vs_padded_batch_max_abs_diff": max_pad, "batches": len(batches),
             "spans_and_relations_identical": all(same), "documents_identical": f"{sum(same)}/{len(same)}",
             "spans": sum(len(a[0]) for a in pred_t), "relations": sum(len(a[1]) for a in pred_t),
             "max_score_diff": score_diff}

    # 3. speed, interleaved
    e2e, e2e_cpu = interleave({"torch": lambda: list(p_torch.pipe(texts)), "onnx": lambda: list(p_onnx.pipe(texts))},
                     args.reps)

    def fwd_torch():
        with torch.no_grad():
            for b in batches:
                tt.model.ner(tt.model.encode(*b))
    fb = [feeds(b) for b in batches]

    def fwd_onnx():
        for f in fb:
            sess.run(["hidden", "logits"], f)
    fwd_torch(), fwd_onnx()
    fwd, fwd_cpu = interleave({"torch": fwd_torch, "onnx": fwd_onnx}, args.reps)

    tpath = cache / "texts.json"
    tpath.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    probes: dict[str, list[dict]] = {"torch": [], "onnx": [], "onnx_export_on_load": []}
    for _ in range(args.probe_reps):
        for variant in probes:
            cdir = cache if variant != "onnx_export_on_load" else Path(tempfile.mkdtemp(dir=cache, prefix="cold-"))
            kind = "torch" if variant == "torch" else "onnx"
            r = subprocess.run([sys.executable, "-c", _PROBE, kind, args.model, str(tpath), str(args.threads),
                                str(cdir)], capture_output=True, text=True, env=env, cwd=ROOT)
            if r.returncode != 0:
                raise SystemExit(f"probe {variant} failed:\n{r.stderr[-2000:]}")
            probes[variant].append(json.loads(r.stdout.strip().splitlines()[-1]))
    shutil.rmtree(cache, ignore_errors=True)

    med = statistics.median
    rows = {}
    for v in ("torch", "onnx"):
        rows[v] = {"e2e_chars_per_s": chars / med(e2e[v]), "e2e_seconds": e2e[v],
                   "e2e_cpu_seconds": e2e_cpu[v], "encoder_chars_per_s": chars / med(fwd[v]),
                   "encoder_seconds": fwd[v], "encoder_cpu_seconds": fwd_cpu[v],
                   "first_call_s": med([p["first_call_s"] for p in probes[v]]),
                   "first_call_cpu_s": med([p["first_call_cpu_s"] for p in probes[v]]),
                   "peak_rss_mb": med([p["peak_rss_mb"] for p in probes[v]]), "probes": probes[v]}
    rows["onnx_export_on_load"] = {"first_call_s": med([p["first_call_s"] for p in probes["onnx_export_on_load"]]),
                                   "first_call_cpu_s": med([p["first_call_cpu_s"] for p in probes["onnx_export_on_load"]]),
                                   "peak_rss_mb": med([p["peak_rss_mb"] for p in probes["onnx_export_on_load"]]),
                                   "probes": probes["onnx_export_on_load"]}
    ratios = {"e2e_speedup": rows["onnx"]["e2e_chars_per_s"] / rows["torch"]["e2e_chars_per_s"],
              "encoder_speedup": rows["onnx"]["encoder_chars_per_s"] / rows["torch"]["encoder_chars_per_s"],
              "e2e_cpu_ratio": med(e2e_cpu["torch"]) / med(e2e_cpu["onnx"]),
              "encoder_cpu_ratio": med(fwd_cpu["torch"]) / med(fwd_cpu["onnx"]),
              "e2e_speedup_per_rep": [a / b for a, b in zip(e2e["torch"], e2e["onnx"])],
              "encoder_speedup_per_rep": [a / b for a, b in zip(fwd["torch"], fwd["onnx"])]}

    machine = (f"{platform.machine()}, {os.cpu_count()} cores, threads {args.threads}, Python "
               f"{platform.python_version()}, torch {torch.__version__}, onnxruntime {ort.__version__}")
    lines = [f"Model `{args.model}`, split `{args.split}` ({len(texts)} documents, {chars:,} characters); "
             f"{date.today().isoformat()}; {machine}; {args.reps} interleaved repetitions, medians.", "",
             "| backend | end-to-end chars/s | end-to-end CPU s | encoder-only chars/s | encoder CPU s | first call "
             "| first call CPU | peak RSS | spans + relations |",
             "|---|---|---|---|---|---|---|---|---|"]
    ident = "identical" if exact["spans_and_relations_identical"] else f"DIFFER ({exact['documents_identical']} docs same)"
    for v, label in (("torch", "torch"), ("onnx", "onnxruntime")):
        r = rows[v]
        lines.append(f"| {label} | {r['e2e_chars_per_s']:,.0f} | {med(r['e2e_cpu_seconds']):.2f} | "
                     f"{r['encoder_chars_per_s']:,.0f} | {med(r['encoder_cpu_seconds']):.2f} | "
                     f"{r['first_call_s']:.1f} s | {r['first_call_cpu_s']:.1f} s | {r['peak_rss_mb']:,.0f} MB | "
                     f"{'reference' if v == 'torch' else ident} |")
    lines.append(f"| onnxruntime vs torch | ×{ratios['e2e_speedup']:.2f} | ÷{ratios['e2e_cpu_ratio']:.2f} | "
                 f"×{ratios['encoder_speedup']:.2f} | ÷{ratios['encoder_cpu_ratio']:.2f} | "
                 f"×{rows['onnx']['first_call_s'] / rows['torch']['first_call_s']:.2f} | "
                 f"×{rows['onnx']['first_call_cpu_s'] / rows['torch']['first_call_cpu_s']:.2f} | "
                 f"×{rows['onnx']['peak_rss_mb'] / rows['torch']['peak_rss_mb']:.2f} | |")
    lines += ["", "Chars/s are wall clock; CPU s is the process's CPU time of one pass (less sensitive to other "
              "jobs on a shared machine); the ratio row gives onnxruntime/torch speed (×) and torch/onnxruntime CPU (÷).",
              "", f"ONNX first call with the export on load (empty cache): {rows['onnx_export_on_load']['first_call_s']:.1f} s "
              f"({rows['onnx_export_on_load']['first_call_cpu_s']:.1f} s CPU), peak RSS {rows['onnx_export_on_load']['peak_rss_mb']:,.0f} MB. Encoder max |diff| vs torch: hidden "
              f"{max_h:.1e}, logits {max_lg:.1e}; window alone vs in its padded batch {max_pad:.1e}.", "",
              "Where the time goes (wrapped functions; the fastest of 3 warm passes; wall clock, and process CPU "
              "time):", "",
              "| stage | torch wall | torch CPU | onnxruntime wall | onnxruntime CPU |", "|---|---|---|---|---|"]
    for k in prof_torch["stages_s"]:
        lines.append(" | ".join([f"| {k}"] + [f"{p[pk + '_pct'][k]:.1f}% ({p[pk + '_s'][k]:.2f} s)"
                                              for p in (prof_torch, prof_onnx) for pk in ("stages", "stages_cpu")]) + " |")
    lines.append(f"| total | {prof_torch['seconds']:.2f} s | {prof_torch['cpu_seconds']:.2f} s | "
                 f"{prof_onnx['seconds']:.2f} s | {prof_onnx['cpu_seconds']:.2f} s |")
    md = "\n".join(lines)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    src = Path(args.model) / "SOURCE"
    out.write_text(json.dumps({"date": date.today().isoformat(), "machine": machine, "model": args.model,
                               "model_source": src.read_text(encoding="utf-8").strip() if src.exists() else None,
                               "model_config": {k: getattr(tt.model.config, k) for k in (
                                   "vocab_size", "embedding_size", "hidden_size", "num_layers", "lexicon_features",
                                   "word_features")},
                               "weights_key": weights_key(Path(args.model)),
                               "split": args.split, "chars": chars, "reps": args.reps,
                               "load_with_export_in_process_s": load_export_s, "exactness": exact,
                               "rows": rows, "ratios": ratios, "profile_torch": prof_torch,
                               "profile_onnx": prof_onnx, "markdown": md}, indent=1, ensure_ascii=False),
                   encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
