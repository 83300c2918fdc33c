"""Gold for the indicator table's derived fields: a sample of the gold HAS_VALUE pairs of the dev and test
documents, each judged by hand for what the normalizer and ``govie.records`` derive (SCHEMA.md, "What is derived,
not annotated"): the kind of value and its sign, the qualifier, the period (and a multi-year figure's first year) and
the status (actual / estimate / target). GUIDELINES.md, "The indicator table", defines each field.

    python training/annotation/table.py tasks --work DIR        # sample, write the annotators' task files
    python training/annotation/table.py check DIR/FILE.tsv      # an annotator's answers: ids and values
    python training/annotation/table.py merge --work DIR        # passes A and B -> agreement, disagreements
    python training/annotation/table.py final --work DIR        # + the adjudication (and harmonized.tsv) -> data/annotations/table/

A record is read as a user reads a report: the whole report a gold document was cut from, with its title year as
``meta["year"]`` (the year the report was delivered), so that its headings count as they do for a user. Annotators
see the report's title, the headings above the value and its paragraph, never govie's reading.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from govie.io import read_jsonl  # noqa: E402
from govie.records import Record, build_records  # noqa: E402
from govie.schema import Document, Relation, Span  # noqa: E402

SHARED = ROOT.parent / "shared"
GOLD = ROOT / "data" / "annotations" / "gold.jsonl"
SPLITS = ROOT / "data" / "splits.json"
OUT = ROOT / "data" / "annotations" / "table"
PER_DOC = {"dev": 9, "test": 5}
LATER_ROUNDS = (("b", "u"), ("c", "v"), ("d", "w"))  # the test samples drawn after rules were chosen: split test_<letter>, rid prefix
KINDS = ("level", "growth", "change", "share", "multiple")
QUALIFIERS = ("approximate", "lower_bound", "upper_bound", "none")
STATUSES = ("actual", "estimate", "target")
FIELDS = ("kind", "sign", "qualifier", "period", "period_from", "status")


@dataclass
class Report:
    """A whole report (or a seed item) with the gold documents cut from it."""

    title: str
    doc: Document                        # the whole text, the gold spans and relations of its documents
    parts: dict[str, tuple[int, int]]    # gold document id -> its range in ``doc.text``


def _source_text(meta: dict) -> tuple[str, str, int | None]:
    """The whole text a gold document was cut from, its title and the year it was delivered."""
    src = meta["source"]
    if src.endswith(".jsonl"):
        with open(SHARED / src, encoding="utf-8") as fh:
            for k, line in enumerate(fh, 1):
                if k == meta["line"]:
                    d = json.loads(line)
                    return d["content"], d["title"], int(d["year"])
        raise ValueError(f"{src}: no line {meta['line']}")
    path = SHARED / src
    year = re.match(r"(\d{4})", path.name)
    return path.read_text(encoding="utf-8"), path.stem.replace("_", ""), int(year.group(1)) if year else None


def reports(docs: list[Document]) -> list[Report]:
    """Group ``docs`` by the report they were cut from; a document without ``char_range`` (a seed item) is its
    own report, with its own ``meta``."""
    groups: dict[tuple, list[Document]] = {}
    for d in docs:
        key = (d.meta["source"], d.meta.get("line")) if "char_range" in d.meta else ("doc", d.id)
        groups.setdefault(key, []).append(d)
    out = []
    for key, group in groups.items():
        if key[0] == "doc":
            d = group[0]
            out.append(Report(d.id, replace(d, id=f"report:{d.id}"), {d.id: (0, len(d.text))}))
            continue
        text, title, year = _source_text(group[0].meta)
        spans, rels, parts = [], [], {}
        for d in sorted(group, key=lambda d: d.meta["char_range"][0]):
            a, b = d.meta["char_range"]
            if text[a:b] != d.text:
                raise ValueError(f"{d.id}: meta.char_range {a}..{b} does not give the document's text")
            parts[d.id] = (a, b)
            base = len(spans) and max(s.id for s in spans) + 1
            ids = {s.id: base + i for i, s in enumerate(d.entities)}
            spans += [Span(ids[s.id], s.label, s.start + a, s.end + a) for s in d.entities]
            rels += [Relation(0, ids[r.from_id], ids[r.to_id], r.type) for r in d.relations]
        rels = [replace(r, id=i) for i, r in enumerate(rels)]
        meta = {"region": group[0].meta.get("region"), "year": year}
        out.append(Report(title, Document(f"report:{title}", text, meta, spans, rels), parts))
    return out


def located(report: Report, records: list[Record]) -> dict[str, list[Record]]:
    """``records`` of the whole report by the gold document their value lies in (the others left out), with
    offsets into that document."""
    out: dict[str, list[Record]] = {}
    for r in records:
        for doc_id, (a, b) in report.parts.items():
            if a <= r.start and r.end <= b:
                shift = dict(start=r.start - a, end=r.end - a,
                             indicator_start=None if r.indicator_start is None else r.indicator_start - a,
                             indicator_end=None if r.indicator_end is None else r.indicator_end - a)
                out.setdefault(doc_id, []).append(replace(r, **shift))
    return out


def _headings_before(text: str, pos: int, n: int = 4) -> list[str]:
    """The last ``n`` short lines (<= 40 characters, not ending a sentence) before ``pos``: what a reader sees
    as the headings above a passage."""
    lines = [s for s in (line.strip() for line in text[:pos].split("\n")[:-1])
             if s and len(s) <= 40 and not s.endswith(("。", "；", "，", "："))]
    return lines[-n:]


def _context(text: str, r: Record, before: int = 500, after: int = 120) -> str:
    """The value's paragraph (at most ``before`` characters before it), the indicator in ⟦⟧, the value and
    its unit in 【】."""
    line_start = text.rfind("\n", 0, r.start) + 1
    a = max(line_start, r.start - before)
    line_end = text.find("\n", r.end)
    b = min(len(text) if line_end < 0 else line_end, r.end + after)
    v_end = r.end
    if r.unit_text and text.startswith(r.unit_text, r.end):
        v_end = r.end + len(r.unit_text)
    marks = [(r.start, "【"), (v_end, "】")]
    if r.indicator_start is not None and a <= r.indicator_start and r.indicator_end <= b \
            and (r.indicator_end <= r.start or r.indicator_start >= v_end):
        marks += [(r.indicator_start, "⟦"), (r.indicator_end, "⟧")]
    out, pos = [], a
    for at, m in sorted(marks):
        out.append(text[pos:at] + m)
        pos = at
    out.append(text[pos:b])
    return ("…" if a > line_start else "") + "".join(out) + ("…" if b < (len(text) if line_end < 0 else line_end) else "")


def sample(split: str, per_doc: int | None = None, salt: str = "", exclude: set | None = None) -> list[dict]:
    """The sampled gold records of ``split``'s documents, with what the annotators see; ``salt`` draws another
    sample, ``exclude`` leaves out the (doc, value_start, value_end, indicator_start) of an earlier one."""
    per_doc = per_doc or PER_DOC[split]
    exclude = exclude or set()
    ids = json.loads(SPLITS.read_text(encoding="utf-8"))[split]
    gold = {d.id: d for d in read_jsonl(GOLD)}
    tasks = []
    for rep in reports([gold[i] for i in ids]):
        recs = build_records(rep.doc)
        for doc_id, rs in sorted(located(rep, recs).items(), key=lambda kv: ids.index(kv[0])):
            a, _ = rep.parts[doc_id]
            rs = [r for r in rs if (doc_id, r.start, r.end, r.indicator_start) not in exclude]
            chosen = sorted(random.Random(doc_id + salt).sample(range(len(rs)), min(per_doc, len(rs))))
            for k in chosen:
                r = rs[k]
                whole = replace(r, start=r.start + a, end=r.end + a,
                                indicator_start=None if r.indicator_start is None else r.indicator_start + a,
                                indicator_end=None if r.indicator_end is None else r.indicator_end + a)
                tasks.append({"doc": doc_id, "value_start": r.start, "value_end": r.end,
                              "indicator_start": r.indicator_start, "indicator_end": r.indicator_end,
                              "report": rep.title, "report_year": rep.doc.meta.get("year"),
                              "headings": _headings_before(rep.doc.text, whole.start),
                              "indicator": r.indicator, "value": r.value_text, "unit": r.unit_text,
                              "context": _context(rep.doc.text, whole)})
    return tasks


def read_answers(path: Path) -> dict[str, dict]:
    """An annotator's TSV (``rid kind sign qualifier period period_from status note``), checked: every error
    names the file and line."""
    out = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#") or line.startswith("rid\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7:
                raise ValueError(f"{path}:{n}: {len(cols)} columns, expected at least 7")
            rid, kind, sign, qual, period, period_from, status = (c.strip() for c in cols[:7])
            problems = []
            if kind not in KINDS:
                problems.append(f"kind {kind!r} not one of {KINDS}")
            if sign not in ("+", "-"):
                problems.append(f"sign {sign!r} not + or -")
            if qual not in QUALIFIERS:
                problems.append(f"qualifier {qual!r} not one of {QUALIFIERS}")
            for name, v in (("period", period), ("period_from", period_from)):
                if v != "-" and not re.fullmatch(r"(19|20)\d\d", v):
                    problems.append(f"{name} {v!r} not a year or -")
            if period_from != "-" and period != "-" and int(period_from) >= int(period):
                problems.append(f"period_from {period_from} not before period {period}")
            if status not in STATUSES:
                problems.append(f"status {status!r} not one of {STATUSES}")
            if rid in out:
                problems.append(f"{rid} answered twice")
            if problems:
                raise ValueError(f"{path}:{n}: " + "; ".join(problems))
            out[rid] = {"kind": kind, "sign": sign, "qualifier": qual, "period": None if period == "-" else int(period),
                        "period_from": None if period_from == "-" else int(period_from), "status": status,
                        "note": cols[7].strip() if len(cols) > 7 else ""}
    return out


def cmd_tasks(args) -> None:
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    if args.after:  # a later sample of test, drawn after rules were chosen: none of the earlier rounds' rows
        earlier = [json.loads(line) for path in args.after for line in open(path, encoding="utf-8")]
        seen = {(r["doc"], r["value_start"], r["value_end"], r["indicator_start"]) for r in earlier}
        letter, rid = LATER_ROUNDS[len(args.after) - 1]
        for k, t in enumerate(sample("test", salt=letter, exclude=seen)):
            rows.append({"rid": f"{rid}{k:03d}", "split": f"test_{letter}", **t})
    else:
        for split in ("dev", "test"):
            for k, t in enumerate(sample(split)):
                rows.append({"rid": f"{split[0]}{k:03d}", "split": split, **t})
    (work / "sample.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    chunks = [rows[i::args.chunks] for i in range(args.chunks)]
    for c, chunk in enumerate(chunks):
        with open(work / f"chunk{c}.txt", "w", encoding="utf-8") as fh:
            for r in chunk:
                fh.write(f"## {r['rid']}\n报告: {r['report']}（{r['report_year']}年作）\n")
                fh.write("标题: " + " ▸ ".join(r["headings"]) + "\n")
                fh.write(f"指标: {r['indicator'] or '（无，主语见上下文）'}   数值: {r['value']}   单位: {r['unit'] or '（无）'}\n")
                fh.write(f"上下文: {r['context']}\n\n")
    print(f"{len(rows)} records ({sum(r['split'] == 'dev' for r in rows)} dev) in {args.chunks} chunks under {work}")


def cmd_check(args) -> None:
    ans = read_answers(Path(args.file))
    print(f"{args.file}: {len(ans)} answers, all valid")


def _load_passes(work: Path) -> tuple[list[dict], dict[str, dict], dict[str, dict]]:
    rows = [json.loads(line) for line in open(work / "sample.jsonl", encoding="utf-8")]
    a, b = {}, {}
    for f in sorted(work.glob("*.a.tsv")):
        a.update(read_answers(f))
    for f in sorted(work.glob("*.b.tsv")):
        b.update(read_answers(f))
    return rows, a, b


def agreement(a: dict[str, dict], b: dict[str, dict]) -> dict:
    """Per field, the share of records both passes answered on which they agree, and all fields at once."""
    both = sorted(set(a) & set(b))
    out = {"records": len(both)}
    for f in FIELDS:
        out[f] = round(sum(a[r][f] == b[r][f] for r in both) / len(both), 4) if both else None
    out["all"] = round(sum(all(a[r][f] == b[r][f] for f in FIELDS) for r in both) / len(both), 4) if both else None
    return out


def cmd_merge(args) -> None:
    work = Path(args.work)
    rows, a, b = _load_passes(work)
    missing = [r["rid"] for r in rows if r["rid"] not in a or r["rid"] not in b]
    if missing:
        print(f"not answered by both passes: {len(missing)} ({', '.join(missing[:10])} …)")
    print(json.dumps(agreement(a, b), indent=1))
    with open(work / "disagreements.txt", "w", encoding="utf-8") as fh:
        n = 0
        for r in rows:
            x, y = a.get(r["rid"]), b.get(r["rid"])
            if not x or not y or all(x[f] == y[f] for f in FIELDS):
                continue
            n += 1
            fh.write(f"## {r['rid']}\n报告: {r['report']}（{r['report_year']}年作）\n标题: {' ▸ '.join(r['headings'])}\n")
            fh.write(f"指标: {r['indicator']}   数值: {r['value']}   单位: {r['unit']}\n上下文: {r['context']}\n")
            for name, p in (("A", x), ("B", y)):
                fh.write(f"{name}: " + "\t".join("-" if p[f] is None else str(p[f]) for f in FIELDS)
                         + (f"\t# {p['note']}" if p["note"] else "") + "\n")
            fh.write("\n")
    print(f"{n} disagreements in {work / 'disagreements.txt'}")


def cmd_final(args) -> None:
    work = Path(args.work)
    rows, a, b = _load_passes(work)
    adj = {}
    for f in sorted(work.glob("*.adj.tsv")):
        adj.update(read_answers(f))
    # rows judged before a decision of a later review, brought in line with it (each with its reason)
    harmonized = read_answers(OUT / "harmonized.tsv") if (OUT / "harmonized.tsv").exists() else {}
    OUT.mkdir(parents=True, exist_ok=True)
    final, open_ = [], []
    for r in rows:
        x, y = a[r["rid"]], b[r["rid"]]
        if r["rid"] in harmonized:
            ans = harmonized[r["rid"]]
        elif all(x[f] == y[f] for f in FIELDS):
            ans = x
        elif r["rid"] in adj:
            ans = adj[r["rid"]]
        else:
            open_.append(r["rid"])
            continue
        final.append({"id": r["rid"], "split": r["split"], "doc": r["doc"],
                      "value_start": r["value_start"], "value_end": r["value_end"],
                      "indicator_start": r["indicator_start"], "indicator_end": r["indicator_end"],
                      "indicator": r["indicator"], "value": r["value"], "unit": r["unit"],
                      **{f: ans[f] for f in FIELDS}})
    if open_:
        raise SystemExit(f"{len(open_)} disagreements without an adjudication: {', '.join(open_[:10])} …")
    def merged(name: str, new: list[dict]) -> list[dict]:  # the rows of the other round stay
        path = OUT / name
        ids = {x["id"] for x in new}
        old = [json.loads(line) for line in open(path, encoding="utf-8")] if path.exists() else []
        return sorted([x for x in old if x["id"] not in ids] + new, key=lambda x: x["id"])

    def write(name: str, rows_: list[dict]) -> None:
        (OUT / name).write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in merged(name, rows_)), "utf-8")

    write("gold_table.jsonl", final)
    for name, p in (("pass_a.jsonl", a), ("pass_b.jsonl", b)):
        write(name, [{"id": k, **{f: v[f] for f in FIELDS}} for k, v in sorted(p.items())])
    both = {x["id"]: x for x in merged("pass_a.jsonl", [])}, {x["id"]: x for x in merged("pass_b.jsonl", [])}
    (OUT / "agreement.json").write_text(json.dumps(agreement(*both), indent=1) + "\n", "utf-8")
    print(f"{len(final)} records -> {OUT}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("tasks", help="sample the gold records of dev and test, write the annotators' files")
    t.add_argument("--work", required=True)
    t.add_argument("--chunks", type=int, default=8)
    t.add_argument("--after", nargs="+", help="the sample.jsonl of each earlier round: draw the next sample of test "
                   "without their rows (one file: test_b, two: test_c, three: test_d)")
    c = sub.add_parser("check", help="check an annotator's TSV")
    c.add_argument("file")
    m = sub.add_parser("merge", help="agreement of passes A and B, and their disagreements")
    m.add_argument("--work", required=True)
    f = sub.add_parser("final", help="the agreed and adjudicated answers -> data/annotations/table/")
    f.add_argument("--work", required=True)
    args = p.parse_args()
    {"tasks": cmd_tasks, "check": cmd_check, "merge": cmd_merge, "final": cmd_final}[args.cmd](args)


if __name__ == "__main__":
    main()
