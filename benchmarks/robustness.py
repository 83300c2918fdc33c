"""The same documents written eight ways, one extractor: are the scores the same?

    python benchmarks/robustness.py [--model default] [--split dev] [--variants ...] [--out benchmarks/results/robustness-dev.json]

Users' texts differ from the gold in ways that change no meaning: older reports and text copied from PDFs write
numbers in full-width forms (`１９９６年`, `９．７％`, as the State Council's 1997 and 2002 reports do) or with a
middle dot for the decimal point (`增长19·5％`, the 1999 report), some tools punctuate Chinese with ASCII marks (`,` `;` `:` `(` `)`), Windows files end lines with CRLF, text taken
from a PDF breaks every line at the page's width, the web copy of the 1998 report puts a space after every digit, and some PDFs' text layers one between every two characters. Each
variant here rewrites the gold documents of a split one way, carrying the gold offsets along, runs
``govie.load(model).pipe`` on it (everything ``govie.extract`` does) and scores it with the split's own scorer:

- ``as_written``: the gold texts;
- ``full_width``: every ASCII digit, Latin letter, `.` and `%` as its full-width form (same offsets);
- ``decimal_dots``: every `.` between two digits as `·` (same offsets);
- ``ascii_punctuation``: `，；：（）！？` as `,;:()!?` (same offsets);
- ``crlf``: every line break as CRLF (offsets shifted by the breaks before them);
- ``wrapped``: a line break after every 40 characters of a line, as a PDF's text layer has (offsets shifted; a gold
  span across a wrap holds the break).
- ``spaced_digits``: a space after every digit (`1 9 9 7 年`, `增长1 5 .3 %`), as the 1998 report's web text has (offsets
  shifted; a gold number holds its inner spaces, `7 4 7 7 2`).
- ``spaced_characters``: a space between every two characters of a line (`国 内 生 产 总 值`), as the text layer of some
  PDFs has (offsets shifted; a gold span holds its inner spaces).

It prints, per variant, entity micro-F1, relation micro-F1, the difference from ``as_written`` and whether the
extractor's output is valid (no two spans overlapping). Writes JSON.
"""
from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ASCII_PUNCTUATION = str.maketrans("，；：（）！？", ",;:()!?")
DECIMAL_POINT = re.compile(r"(?<=[0-9])\.(?=[0-9])")


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if (c.isascii() and c.isalnum()) or c in ".%" else c for c in text)


def crlf(doc):
    """The document with CRLF line ends and its spans moved by the carriage returns before them."""
    breaks = [i for i, c in enumerate(doc.text) if c == "\n"]
    move = lambda x: x + bisect.bisect_left(breaks, x)  # noqa: E731
    spans = [replace(s, start=move(s.start), end=move(s.end)) for s in doc.entities]
    return replace(doc, text=doc.text.replace("\n", "\r\n"), entities=spans)


def _inserted(doc, text: str, inserted: list[int]):
    """The document as ``text``: its own text with a character inserted before each offset of ``inserted``
    (ascending); a span moves by the insertions before its first character and keeps those inside it."""
    move = lambda x: x + bisect.bisect_right(inserted, x)  # noqa: E731
    spans = [replace(s, start=move(s.start), end=move(s.end - 1) + 1) for s in doc.entities]
    return replace(doc, text=text, entities=spans)


def wrapped(doc, width: int = 40):
    """The document hard-wrapped at ``width`` characters a line, its spans moved by the breaks before them."""
    out, inserted, col = [], [], 0
    for i, c in enumerate(doc.text):
        if c == "\n":
            col = 0
        elif col == width:
            out.append("\n")
            inserted.append(i)
            col = 0
        out.append(c)
        col += c != "\n"
    return _inserted(doc, "".join(out), inserted)


def _spaced(doc, inserted: list[int]):
    """The document with a space inserted before each offset of ``inserted`` (ascending)."""
    cut = [0, *inserted, len(doc.text)]
    return _inserted(doc, " ".join(doc.text[a:b] for a, b in zip(cut, cut[1:])), inserted)


def spaced_digits(doc):
    """The document with a space after every digit that no space or line end follows (`1 9 9 7 年`, `7 4 7 7 2 亿元`,
    as the State Council's 1998 report is written); a span ending in a digit ends before its space."""
    t = doc.text
    return _spaced(doc, [i + 1 for i, c in enumerate(t[:-1]) if "0" <= c <= "9" and not t[i + 1].isspace()])


def spaced_characters(doc):
    """The document with a space between every two characters on a line (`国 内 生 产 总 值`, as the text layer of
    some PDFs has); a span holds the spaces inside it."""
    t = doc.text
    return _spaced(doc, [i + 1 for i in range(len(t) - 1) if not t[i].isspace() and not t[i + 1].isspace()])


VARIANTS = {
    "as_written": lambda d: d,
    "full_width": lambda d: replace(d, text=full_width(d.text)),
    "decimal_dots": lambda d: replace(d, text=DECIMAL_POINT.sub("·", d.text)),
    "ascii_punctuation": lambda d: replace(d, text=d.text.translate(ASCII_PUNCTUATION)),
    "crlf": crlf,
    "wrapped": wrapped,
    "spaced_digits": spaced_digits,
    "spaced_characters": spaced_characters,
}


def overlapping(doc) -> int:
    """How many spans of a document start before the previous one ends."""
    spans = sorted((s.start, s.end) for s in doc.entities)
    return sum(b[0] < a[1] for a, b in zip(spans, spans[1:]))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default")
    ap.add_argument("--split", default="dev", help="a split of data/splits.json (dev: the test split chooses nothing)")
    ap.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS),
                    help="the variants to run (as_written always runs: the others are compared with it)")
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    import govie
    from govie.evaluate import score
    from govie.io import read_jsonl
    ids = json.loads((ROOT / "data" / "splits.json").read_text(encoding="utf-8"))[args.split]
    gold = {d.id: d for d in read_jsonl(ROOT / "data" / "annotations" / "gold.jsonl")}
    docs = [gold[i] for i in ids]
    pipe = govie.load(args.model)
    out = {"model": args.model, "split": args.split, "documents": len(docs), "variants": {}}
    for name, make in VARIANTS.items():
        if name != "as_written" and name not in args.variants:
            continue
        variant = [make(d) for d in docs]
        pred = [ex.to_document() for ex in pipe.pipe([d.text for d in variant], ids=[d.id for d in variant])]
        bad = sum(overlapping(p) for p in pred)
        row = {"overlapping_spans": bad}
        if not bad:
            s = score(variant, pred)
            row.update(entity_micro_f1=s["entities"]["micro"]["f1"], relation_f1=s["relations"]["micro"]["f1"])
        out["variants"][name] = row
    base = out["variants"]["as_written"]
    for name, row in out["variants"].items():
        if "entity_micro_f1" in row:
            row["entity_delta"] = round(row["entity_micro_f1"] - base["entity_micro_f1"], 6)
            row["relation_delta"] = round(row["relation_f1"] - base["relation_f1"], 6)
            print(f"{name:18} entity F1 {row['entity_micro_f1']:.4f} ({row['entity_delta']:+.4f})  relation F1 "
                  f"{row['relation_f1']:.4f} ({row['relation_delta']:+.4f})")
        else:
            print(f"{name:18} invalid output: {row['overlapping_spans']} overlapping spans")
    if args.out:
        Path(args.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
