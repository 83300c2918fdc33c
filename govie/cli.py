"""The ``govie`` command line."""
from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from pathlib import Path

from .errors import GovieInputError

DEFAULT_SPLITS = "data/splits.json"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, w: int) -> str:
    return s + " " * max(0, w - _width(s))


def _cut(s: str, w: int) -> str:
    out, n = "", 0
    for c in s:
        cw = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if n + cw > w - 1:
            return out + "…"
        out, n = out + c, n + cw
    return out


def format_table(records: list, title: str = "") -> str:
    """Records as a readable text table, one section per (period, status)."""
    cols = [("indicator", 28), ("value", 14), ("number", 18), ("unit", 16), ("kind", 7), ("qual", 11),
            ("region/subject", 18)]
    lines = [title] if title else []
    groups: dict = {}
    for r in records:
        groups.setdefault((r.period, r.status), []).append(r)
    for (period, status), rows in groups.items():
        lines.append(f"\n== {period if period is not None else 'unknown year'} · {status} ({len(rows)} rows) ==")
        lines.append("  ".join(_pad(c, w) for c, w in cols))
        for r in rows:
            num = (f"{r.low}–{r.high}" if r.low is not None else
                   (format(r.value.normalize(), "f") if r.value is not None else ""))
            unit = r.unit or ""
            if r.classifier:
                unit += f"({r.classifier})"
            cells = [r.indicator or "", r.value_text + (r.unit_text or ""), num, unit, r.kind, r.qualifier or "",
                     r.subject or r.region or ""]
            lines.append("  ".join(_pad(_cut(str(c), w), w) for c, (_, w) in zip(cells, cols)))
    return "\n".join(lines)


def cmd_validate(args) -> int:
    from .validate import validate_file
    n_bad = 0
    for f in args.files:
        problems = validate_file(f)
        for p in problems:
            print(p, file=sys.stderr)
        n_bad += len(problems)
        if not problems:
            print(f"{f}: OK")
    if n_bad:
        print(f"{n_bad} problem(s) found", file=sys.stderr)
    return 1 if n_bad else 0


def cmd_preannotate(args) -> int:
    from .io import dumps_document, read_text
    from .rules import preannotate
    with _open_out(args.output) as out:
        for f in args.files:
            text = read_text(f)
            doc = preannotate(Path(f).stem, text, {"source": Path(f).name, "annotator": "govie.rules"})
            out.write(dumps_document(doc) + "\n")
    return 0


class _open_out:
    def __init__(self, path: str | None):
        self.path = path

    def __enter__(self):
        self.fh = open(self.path, "w", encoding="utf-8", newline="") if self.path else sys.stdout
        return self.fh

    def __exit__(self, *exc):
        if self.path:
            self.fh.close()


def _inputs(path: str) -> list[tuple[str, str, dict, str]]:
    """(where, text, meta, id) of each document in a file: a text file is one
    document; a ``.jsonl`` file (the SCHEMA layout, e.g. gold data) is one a line,
    keeping its ids and meta, so that ``govie evaluate --gold F --pred OUT`` pairs them."""
    from .io import read_jsonl, read_text
    if path.endswith(".jsonl"):
        return [(f"{path}:{d.id}", d.text, d.meta, d.id) for d in read_jsonl(path)]
    return [(path, read_text(path), {"source": Path(path).name}, Path(path).stem)]


def cmd_extract(args) -> int:
    from .pipeline import load
    pipe = load(args.model)
    files = args.files
    progress = None
    if len(files) > 1 and not args.quiet:
        try:
            from tqdm import tqdm
            progress = tqdm(total=len(files), unit="file", file=sys.stderr)
        except ImportError:
            progress = None
    failed = 0
    with _open_out(args.output) as out:
        writer = None
        for f in files:
            try:
                items = _inputs(f)
            except GovieInputError as e:
                print(f"error: {e}", file=sys.stderr)
                failed += 1
                continue
            for where, text, meta, doc_id in items:
                if not text.strip():
                    kind = "document" if f.endswith(".jsonl") else "file"
                    print(f"warning: {where}: empty {kind}, nothing to extract", file=sys.stderr)
                elif not any("\u4e00" <= c <= "\u9fff" for c in text):
                    print(f"warning: {where}: no Chinese characters in the text", file=sys.stderr)
                ex = pipe(text, meta=meta, doc_id=doc_id)
                if args.format == "jsonl":
                    d = ex.to_dict(scores=args.scores)
                    out.write(json.dumps(d, ensure_ascii=False) + "\n")
                elif args.format == "records":
                    for r in ex.records:
                        row = {"source": meta.get("source") or where, **r.to_dict()}
                        out.write(json.dumps(row, ensure_ascii=False) + "\n")
                elif args.format == "csv":
                    for r in ex.records:
                        row = {"source": meta.get("source") or where, **r.to_dict()}
                        if writer is None:
                            writer = csv.DictWriter(out, fieldnames=list(row))
                            writer.writeheader()
                        writer.writerow(row)
                elif args.format == "html":
                    from .render import render
                    out.write(render(ex, page=True))
                else:
                    out.write(format_table(ex.records, title=f"# {where}  ({len(ex.entities)} entities, "
                                                            f"{len(ex.relations)} relations, {len(ex.records)} records)"))
                    out.write("\n")
            if progress:
                progress.update(1)
    if progress:
        progress.close()
    return 1 if failed else 0


def cmd_evaluate(args) -> int:
    from .evaluate import evaluate_model, format_report, score
    from .io import read_jsonl
    if args.model:
        args.split = args.split or "test"
        from .training import load_config, split_docs
        cfg_path = Path(args.model) / "train_config.yaml"
        cfg = load_config(cfg_path) if cfg_path.exists() else {"data": {}}
        if args.gold:
            cfg["data"]["gold"] = [args.gold]
        cfg["data"].setdefault("gold", ["data/annotations/gold.jsonl"])
        cfg["data"]["splits"] = args.splits or cfg["data"].get("splits", DEFAULT_SPLITS)
        cfg["data"].pop(f"{args.split}_docs", None) if args.splits else None
        docs = split_docs(cfg, args.split)
        r = evaluate_model(args.model, docs)
        print(f"# {args.model} on {args.split} ({len(docs)} documents), end to end")
        print(format_report({"entities": r["entities"], "relations": r["relations_end_to_end"]}))
        print("\n# relations with gold entities")
        print(format_report({"entities": {}, "relations": r["relations_gold_entities"]}).split("\n", 2)[-1])
        result = r
    elif args.gold and args.pred:
        gold, pred = read_jsonl(args.gold), read_jsonl(args.pred)
        if args.split and not args.splits:  # --split names a split of the default splits file
            if not Path(DEFAULT_SPLITS).exists():
                raise GovieInputError(f"--split {args.split} needs --splits FILE "
                                      f"({DEFAULT_SPLITS} does not exist here)")
            args.splits = DEFAULT_SPLITS
        if args.splits:  # score only the documents of one split of a splits file
            args.split = args.split or "test"
            ids = set(json.loads(Path(args.splits).read_text(encoding="utf-8"))[args.split])
            missing = sorted(ids - {d.id for d in gold})
            if missing:
                raise GovieInputError(f"{args.splits}: split {args.split!r} names documents not in "
                                      f"{args.gold}: {missing[:5]}")
            gold = [d for d in gold if d.id in ids]
        result = score(gold, pred)
        print(format_report(result))
        if args.errors:
            from .evaluate import error_breakdown, format_errors
            result["errors"] = error_breakdown(gold, pred)
            print("\n" + format_errors(result["errors"]))
        if args.compare:
            from .evaluate import format_comparison, paired_bootstrap
            other = read_jsonl(args.compare)
            result["comparison"] = {w: paired_bootstrap(gold, pred, other, what=w, n_resamples=args.bootstrap)
                                    for w in ("entities", "relations")}
            print(f"\n# A = {args.pred}, B = {args.compare}")
            for c in result["comparison"].values():
                print(format_comparison(c))
    else:
        raise GovieInputError("give --model DIR [--split test], or --gold A.jsonl --pred B.jsonl")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


def cmd_train(args) -> int:
    from .training import train
    return _report_trained(train(args.config, args.output))


def cmd_distill(args) -> int:
    from .distill import distill
    return _report_trained(distill(args.config, args.teacher, args.corpus, args.out, args.labels))


def _report_trained(out: Path) -> int:
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    for split in ("dev", "test"):
        if split in metrics:
            m = metrics[split]
            print(f"{split}: entity micro-F1 {m['entities']['micro']['f1']:.4f}, relation F1 end to end "
                  f"{m['relations_end_to_end']['micro']['f1']:.4f}, with gold entities "
                  f"{m['relations_gold_entities']['micro']['f1']:.4f}")
    print(f"model written to {out}")
    return 0


def cmd_ensemble(args) -> int:
    from .ensemble import make_ensemble
    try:
        out = make_ensemble(args.models, args.out, overwrite=args.overwrite)
    except (FileNotFoundError, FileExistsError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"ensemble of {len(args.models)} models written to {out}")
    return 0


def cmd_convert(args) -> int:
    from .io import read_jsonl, read_label_studio, write_jsonl, write_label_studio
    src = args.input
    fmt_in = args.from_ or ("jsonl" if src.endswith(".jsonl") else "label-studio")
    docs = read_jsonl(src) if fmt_in == "jsonl" else read_label_studio(src, args.default_relation)
    fmt_out = args.to or ("jsonl" if args.output.endswith(".jsonl") else "label-studio")
    (write_jsonl if fmt_out == "jsonl" else write_label_studio)(docs, args.output)
    print(f"{len(docs)} documents: {src} ({fmt_in}) -> {args.output} ({fmt_out})")
    return 0


def cmd_batch(args) -> int:
    from .batch import run_batch
    try:
        result = run_batch(args.inputs, args.out, model=args.model, batch_size=args.batch_size,
                           concurrency=args.concurrency, address=args.address, lines=args.lines,
                           num_cpus=args.num_cpus, overwrite=args.overwrite, quiet=args.quiet)
    except (ModuleNotFoundError, ValueError) as e:  # no Ray; bad input, model or option (names the file)
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(result)
    for name, path in result.tables.items():
        print(f"  {name}: {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    ap = argparse.ArgumentParser(prog="govie", description="Structured data from Chinese government reports.")
    ap.add_argument("--version", action="version", version=f"govie {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check doccano JSONL files against SCHEMA.md",
                       description="Check doccano JSONL files against the schema; exit 1 on any problem.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(fn=cmd_validate)

    p = sub.add_parser("preannotate", help="pre-annotate text files with the rule baseline",
                       description="Pre-annotate text files with the rule baseline (doccano JSONL out).")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", help="output JSONL (default: stdout)")
    p.set_defaults(fn=cmd_preannotate)

    p = sub.add_parser("extract", help="extract entities, relations and the indicator table",
                       description="Extract from UTF-8 or GB18030 text files.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=["table", "jsonl", "records", "csv", "html"], default="table",
                   help="table: readable indicator table; jsonl: SCHEMA documents; records/csv: the "
                        "indicator table as JSON lines or CSV; html: a displaCy picture")
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument("--model", default="default", help="model name (default, rules)")
    p.add_argument("--scores", action="store_true", help="add scores to jsonl output")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(fn=cmd_extract)

    p = sub.add_parser("evaluate", help="score predictions against gold annotations",
                       description="seqeval strict IOB2 entity scores and strict relation scores.")
    p.add_argument("--model", help="a trained model directory: predict the split and score it")
    p.add_argument("--split", choices=["train", "dev", "test"],
                   help="with --model: the split to predict (default test); with --gold/--pred: score only "
                        "its documents (all documents of --gold when neither --split nor --splits is given)")
    p.add_argument("--splits", help=f"splits file (default: the model's training config, else {DEFAULT_SPLITS})")
    p.add_argument("--gold", help="gold JSONL")
    p.add_argument("--pred", help="prediction JSONL (same document ids and texts)")
    p.add_argument("--compare", metavar="B.jsonl",
                   help="with --gold/--pred: a second prediction file of the same documents; prints B − A "
                        "micro-F1 with a paired bootstrap interval over documents")
    p.add_argument("--bootstrap", type=int, default=1000, help="resamples for --compare (default 1000)")
    p.add_argument("--json", help="also write the scores as JSON here")
    p.add_argument("--errors", action="store_true",
                   help="with --gold/--pred: also count each gold span as exact, label, boundary, "
                        "label+boundary or missed, and predicted spans that overlap no gold span")
    p.set_defaults(fn=cmd_evaluate)

    p = sub.add_parser("train", help="train a model from a YAML config",
                       description="Train with the transformers Trainer; writes a model directory.")
    p.add_argument("--config", required=True, help="training/configs/NAME.yaml")
    p.add_argument("--output", help="model directory (default: the config's output or runs/NAME)")
    p.set_defaults(fn=cmd_train)

    p = sub.add_parser("distill", help="distill a teacher model into a fast student over unlabeled reports",
                       description="Label the corpus with the teacher(s) (soft labels kept, cached) and train the "
                                   "config's student on them plus the gold training split.")
    p.add_argument("--teacher", nargs="+", required=True, help="teacher model directories, or directories of labels a teacher made before "
                        "(label_corpus output); their mean is learned")
    p.add_argument("--corpus", nargs="+", required=True, help="globs of .txt (one paragraph a line) or .jsonl files")
    p.add_argument("--out", help="student model directory (default: the config's output or runs/NAME)")
    p.add_argument("--config", default="training/configs/distill-bilstm-L12-gold8.yaml", help="student config (YAML)")
    p.add_argument("--labels", help="teacher label cache (default runs/teacher-labels)")
    p.set_defaults(fn=cmd_distill)

    p = sub.add_parser("ensemble", help="join trained models into one whose probabilities are their mean",
                       description="Write a model directory holding copies of the given model directories; "
                                   "it predicts with the mean of their tag and relation probabilities "
                                   "(govie.ensemble). The members must share tokenizer and input features.")
    p.add_argument("models", nargs="+", metavar="MODEL_DIR")
    p.add_argument("--out", required=True, metavar="DIR", help="the ensemble's model directory")
    p.add_argument("--overwrite", action="store_true", help="replace a non-empty --out")
    p.set_defaults(fn=cmd_ensemble)

    p = sub.add_parser("convert", help="convert between doccano JSONL and Label Studio JSON",
                       description="Convert annotations between doccano JSONL and Label Studio JSON.")
    p.add_argument("input")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--from", dest="from_", choices=["jsonl", "label-studio"])
    p.add_argument("--to", choices=["jsonl", "label-studio"])
    p.add_argument("--default-relation", help="type for Label Studio relations that have no label")
    p.set_defaults(fn=cmd_convert)

    p = sub.add_parser("batch", help="extract a corpus on Ray (local or a cluster) into Parquet tables",
                       description="Extract every document of the inputs as a Ray Data pipeline and write "
                                   "Parquet tables (documents, entities, relations, records) under --out. "
                                   "Needs the ray extra: pip install 'govie[ray]'.")
    p.add_argument("inputs", nargs="+", metavar="IN_GLOB",
                   help="files, folders or globs ('reports/**/*.txt'); .jsonl files are SCHEMA documents")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p.add_argument("--address", help="Ray cluster to run on (ray://HEAD:10001, auto); default: RAY_ADDRESS, "
                                     "else a local Ray started for this run")
    p.add_argument("--model", default="default", help="model name (default, rules) or model folder")
    p.add_argument("--batch-size", type=int, help="documents per actor call (default 8; 256 with --lines)")
    p.add_argument("--concurrency", type=int, help="extraction actors, each loads the model once "
                                                   "(default: the cluster's CPUs)")
    p.add_argument("--lines", action="store_true", help="one document per non-blank line of a .txt file "
                                                        "(default: one per file)")
    p.add_argument("--num-cpus", type=int, help="CPUs of the local Ray instance (default: all)")
    p.add_argument("--overwrite", action="store_true", help="replace earlier output in --out")
    p.add_argument("-q", "--quiet", action="store_true", help="no Ray progress output")
    p.set_defaults(fn=cmd_batch)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.fn(args)
    except GovieInputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
