"""Benchmark beside the peers: govie and the tools a user could install instead,
scored on the gold test split with govie's own scorer.

    nice -n 19 bash benchmarks/install_peers.sh      # once: the separate .venv-peers
    .venv-peers/bin/python benchmarks/peers.py [--split test] [--tools ...] [--dump DIR]

Rows: every bundled govie model (``govie/models/*/govie_config.json``), the
rule baseline (``govie.load("rules")``), Recognizers-Text (Chinese number,
ordinal, percentage, currency, dimension and date-time models), JioNLP (money
and time extractors, its China/world place lexicon through its LexiconNER),
jieba posseg and Baidu LAC. A peer that cannot be imported or run here is a
row "not installed: <reason>" (or "not run: <reason>").

Peer outputs become SCHEMA spans through ONE mapping, the same for every tool
(``TOOL_CATEGORIES`` -> ``CLASS_LABELS``, then ``mentions_to_spans``; the
reasons are in benchmarks/PEERS.md). Entity scores are seqeval strict IOB2
(``govie.evaluate.score``, as in benchmarks/bakeoff.py): per-label F1, micro-F1
over all six labels, and micro-F1 over only the labels the tool can produce.
Relation F1 only for govie (the peers have no relations). chars/s: whole-text
processing of every test text after a warm-up call (govie: the bake-off's own
probe, a fresh process with OMP_NUM_THREADS=2, full extraction; peers: the
tool call plus the mapping, each peer in a fresh process of its own,
OMP_NUM_THREADS=2).

Writes benchmarks/results/peers-<split>.json and .md and prints the table.
The pure functions here (offsets, mapping, number/unit splitting) import no
peer package: tests/test_peers_mapping.py runs them in the main .venv.
"""
from __future__ import annotations

import os

# before numpy / torch / paddle are imported anywhere: the 2-core target
os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("MKL_NUM_THREADS", "2")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import unicodedata  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable, Iterable  # noqa: E402

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bakeoff import _PROBE, LABELS, ROOT  # noqa: E402  (ROOT is also put on sys.path there)

from govie.schema import Document, Span, is_bad_edge_char  # noqa: E402

# ---------------------------------------------------------------------------
# THE mapping: tool category -> common class -> schema labels
# ---------------------------------------------------------------------------
#: Common classes a tool's category is mapped to.
#:   NUM      a number or a quantity (number with its unit): cut into VALUE [+ UNIT]
#:            by ``split_quantities`` (SCHEMA's VALUE/UNIT rules)
#:   MEASURE  a measure word / unit token: it becomes (part of) a UNIT only when
#:            glued to a NUM mention (no character between); alone it is nothing
#:   PLACE    a place name -> REGION
#:   ORG      an organization name -> ENTITY
#:   NOTQTY   the tool says this is a date, time or ordinal: a VALUE inside it is
#:            dropped (SCHEMA: dates, years and ordinals are not quantities); it
#:            produces no span itself
#: A category not in the table (persons, verbs, other proper nouns ...) is ignored.
#: No tool has a category for INDICATOR or PROJECT, so nothing maps to them.
CLASS_LABELS: dict[str, tuple[str, ...]] = {
    "NUM": ("VALUE", "UNIT"),
    "MEASURE": ("UNIT",),
    "PLACE": ("REGION",),
    "ORG": ("ENTITY",),
    "NOTQTY": (),
}

_RT_NOTQTY = ("datetimeV2.date", "datetimeV2.daterange", "datetimeV2.time", "datetimeV2.timerange",
              "datetimeV2.datetime", "datetimeV2.datetimerange", "datetimeV2.set")

#: tool -> {tool's own category: class}
TOOL_CATEGORIES: dict[str, dict[str, str]] = {
    # Recognizers-Text, Culture.Chinese: ModelResult.type_name
    "recognizers": {"number": "NUM", "percentage": "NUM", "currency": "NUM", "dimension": "NUM",
                    "datetimeV2.duration": "NUM",  # "连续3年": a duration is a quantity (SCHEMA)
                    "ordinal": "NOTQTY", **{k: "NOTQTY" for k in _RT_NOTQTY}},
    # JioNLP: extract_money / extract_time "type", LexiconNER over its own place lexicon
    "jionlp": {"money": "NUM", "time_delta": "NUM",
               "time_point": "NOTQTY", "time_span": "NOTQTY", "time_period": "NOTQTY",
               "LOC": "PLACE"},
    # jieba.posseg (ICTCLAS-style tags): m numeral, q measure word, ns place, nt organization, t time
    "jieba": {"m": "NUM", "q": "MEASURE", "ns": "PLACE", "nt": "ORG", "t": "NOTQTY"},
    # Baidu LAC (mode "lac"): m numeral, q measure word, LOC/ns place, ORG/nt organization, TIME/t time
    "lac": {"m": "NUM", "q": "MEASURE", "LOC": "PLACE", "ns": "PLACE", "ORG": "ORG", "nt": "ORG",
            "TIME": "NOTQTY", "t": "NOTQTY"},
}

#: Two rules on the mention text that hold for every tool, whatever its category:
#: a mention made only of digits is NUM (jieba posseg tags one-character digit
#: tokens "x", not "m", a quirk of its non-dictionary path: "增长6%" -> 6/x %/x),
#: and a mention that is only a percent sign is MEASURE (tokenizers tag "%" as
#: punctuation, but it is the UNIT of "6%").
_DIGITS_ONLY = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_PERCENT_SIGNS = frozenset({"%", "％", "‰"})


def tool_labels(tool: str) -> tuple[str, ...]:
    """The schema labels a tool can produce under the mapping, in LABELS order."""
    labs = {lab for cls in TOOL_CATEGORIES[tool].values() for lab in CLASS_LABELS[cls]}
    return tuple(lab for lab in LABELS if lab in labs)


def classify(tool: str, category: str, surface: str) -> str | None:
    """Class of one mention: the two surface rules first, then the tool's table."""
    if _DIGITS_ONLY.fullmatch(surface):
        return "NUM"
    if surface in _PERCENT_SIGNS:
        return "MEASURE"
    return TOOL_CATEGORIES[tool].get(category)


# ---------------------------------------------------------------------------
# offsets
# ---------------------------------------------------------------------------
def token_offsets(text: str, tokens: Iterable[str]) -> list[tuple[int, int]]:
    """Exact (start, end) of each token, found by walking ``text`` left to right.

    A token must appear at or after the end of the previous one (a tool may
    drop whitespace between tokens); a token not found raises ValueError.
    """
    out, pos = [], 0
    for tok in tokens:
        if not tok:
            out.append((pos, pos))
            continue
        start = pos if text.startswith(tok, pos) else text.find(tok, pos)
        if start < 0:
            raise ValueError(f"token {tok!r} not found in the text after offset {pos}")
        pos = start + len(tok)
        out.append((start, pos))
    return out


def tagged_tokens_to_mentions(text: str, pairs: Iterable[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(word, tag) pairs of a tokenizer (jieba posseg, LAC) -> (start, end, tag) mentions."""
    pairs = list(pairs)
    return [(s, e, tag) for (s, e), (_, tag) in zip(token_offsets(text, [w for w, _ in pairs]), pairs)]


def inclusive_end_to_exclusive(text: str, start: int, end_inclusive: int, surface: str) -> tuple[int, int]:
    """Recognizers-Text gives ``end`` inclusive (``"6%"`` at 19 -> end 20); return (start, end exclusive).

    Checked against the result's text: the span must read as ``surface``
    (case-insensitively, and up to NFKC width: the tool reports ``3．10`` as ``3.10``), else ValueError.
    """
    end = end_inclusive + 1
    if unicodedata.normalize("NFKC", text[start:end]).lower() != unicodedata.normalize("NFKC", surface).lower():
        raise ValueError(f"span {start}-{end_inclusive} reads {text[start:end]!r}, the tool says {surface!r}")
    return start, end


# ---------------------------------------------------------------------------
# numbers and units (SCHEMA's VALUE/UNIT rules, applied to a tool's NUM chunk)
# ---------------------------------------------------------------------------
_D = "0-9０-９"
_ARABIC = rf"[{_D}]+(?:,[{_D}]{{3}})*(?:[.．][{_D}]+)?"
_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_MAGS = "十百千万亿"
_CN = rf"[{_CN_DIGITS}{_CN_MAGS}]+"
# ranges (5-7, 1至2), fractions (1/4, 三分之一, 百分之六) and ratios (2.31:1) are one VALUE
_NUMBER_RE = re.compile(rf"{_ARABIC}(?:(?:[-－—–~～至到/:：]){_ARABIC})?|{_CN}(?:分之{_CN})?")
# qualifiers that are never inside VALUE or UNIT (SCHEMA: 余 left out; 左右, 以上 ... are cues)
_SKIP_AFTER_NUMBER = "余多"
_UNIT_STOP_WORDS = ("余", "多", "左右", "以上", "以下", "以内", "之间", "以来", "上下", "及")
_NOT_IN_UNIT = re.compile(rf"[{_D}{_CN_DIGITS}]")


def split_quantities(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """VALUE and UNIT spans inside ``text[start:end]`` (a tool's number/quantity chunk).

    Each number is a VALUE; the characters written right after it up to a
    qualifier, punctuation, whitespace or the next number are its UNIT,
    magnitude words included after arabic numbers (``1300亿元`` -> ``1300`` +
    ``亿元``). A Chinese numeral keeps its magnitudes, but a trailing 万/亿
    after another magnitude is the unit's (``两万亿`` -> ``两万`` + ``亿``,
    ``千亿`` -> ``千`` + ``亿``). ``余``/``多`` right after the number is
    skipped (``2000余人次`` -> ``2000`` + ``人次``); after a magnitude it ends
    the unit (``3万余项`` -> ``3`` + ``万``). Characters before the first
    number (``近``, ``超``) are left out; a number right after ``第`` in the
    chunk is an ordinal and gives nothing (``第十七届``, ``第4位``).
    """
    out: list[tuple[int, int, str]] = []
    pos = start
    while pos < end:
        m = _NUMBER_RE.search(text, pos, end)
        if m is None:
            break
        vs, ve = m.start(), m.end()
        num = m.group()
        if num[0] in _CN_DIGITS + _CN_MAGS and "分之" not in num:
            while ve - vs > 1 and text[ve - 1] in "万亿" and text[ve - 2] in _CN_MAGS:
                ve -= 1
        ordinal = vs > start and text[vs - 1] == "第"  # SCHEMA: ordinals are not quantities
        if not ordinal:
            out.append((vs, ve, "VALUE"))
        us = ve
        if us < end and text[us] in _SKIP_AFTER_NUMBER and us == m.end():
            us += 1
        ue = us
        while ue < end:
            ch = text[ue]
            if (is_bad_edge_char(ch) and ch not in _PERCENT_SIGNS) or _NOT_IN_UNIT.match(ch):
                break
            if ue > us and text[ue - 1] in _PERCENT_SIGNS:
                break  # "5%6.8%": a percent sign closes its unit
            if any(text.startswith(w, ue) for w in _UNIT_STOP_WORDS):
                break
            ue += 1
        if ue > us and not ordinal:
            out.append((us, ue, "UNIT"))
        pos = max(ue, m.end())
    return out


# ---------------------------------------------------------------------------
# the mapping, applied to a tool's mentions
# ---------------------------------------------------------------------------
def trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace and punctuation at both ends (SCHEMA's span edge rule; % may stay)."""
    while start < end and is_bad_edge_char(text[start]):
        start += 1
    while end > start and is_bad_edge_char(text[end - 1]):
        end -= 1
    return start, end


def _flatten(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans: the longer one wins (SCHEMA: the outer reading), then the earlier."""
    taken: list[tuple[int, int, str]] = []
    for s, e, lab in sorted(set(spans), key=lambda x: (-(x[1] - x[0]), x[0], x[2])):
        if all(e <= ts or s >= te for ts, te, _ in taken):
            taken.append((s, e, lab))
    return sorted(taken)


def mentions_to_spans(tool: str, text: str, mentions: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A tool's (start, end, category) mentions -> flat SCHEMA (start, end, label) spans.

    1. each mention gets its class (``classify``);
    2. NUM and MEASURE mentions that overlap or touch are joined into chunks; a
       chunk with a NUM in it is cut by ``split_quantities`` into VALUE/UNIT
       (so a measure word glued after a number becomes its UNIT, and a
       tool's "1300亿元" or "6%" is split as SCHEMA says);
    3. a VALUE overlapping a NOTQTY mention is dropped with its UNIT;
    4. PLACE -> REGION, ORG -> ENTITY; a one-character REGION is dropped
       (GUIDELINES: single-character place abbreviations are not REGIONs);
    5. every span is trimmed of edge punctuation/whitespace, empty ones dropped,
       and overlaps are resolved (longer first).
    """
    classed = []
    for s, e, cat in mentions:
        if e <= s:
            continue
        cls = classify(tool, cat, text[s:e])
        if cls is not None:
            classed.append((s, e, cls))
    notqty = [(s, e) for s, e, c in classed if c == "NOTQTY"]
    spans: list[tuple[int, int, str]] = []

    # chunks of NUM/MEASURE mentions that overlap or touch
    qty = sorted((s, e, c) for s, e, c in classed if c in ("NUM", "MEASURE"))
    chunks: list[list] = []
    for s, e, c in qty:
        if chunks and s <= chunks[-1][1]:
            chunks[-1][1] = max(chunks[-1][1], e)
            chunks[-1][2] |= c == "NUM"
        else:
            chunks.append([s, e, c == "NUM"])
    for cs, ce, has_num in chunks:
        if not has_num:
            continue
        parts = split_quantities(text, cs, ce)
        drop = set()
        for i, (s, e, lab) in enumerate(parts):
            if lab == "VALUE" and any(s < ne and e > ns for ns, ne in notqty):
                drop.add(i)
                if i + 1 < len(parts) and parts[i + 1][2] == "UNIT" and parts[i + 1][0] >= e:
                    drop.add(i + 1)
        spans.extend(p for i, p in enumerate(parts) if i not in drop)

    for s, e, c in classed:
        if c in ("PLACE", "ORG"):
            s, e = trim_edges(text, s, e)
            lab = "REGION" if c == "PLACE" else "ENTITY"
            if e - s > (1 if lab == "REGION" else 0):
                spans.append((s, e, lab))

    clean = []
    for s, e, lab in spans:
        s, e = trim_edges(text, s, e)
        if e > s:
            clean.append((s, e, lab))
    return _flatten(clean)


def to_document(doc: Document, spans: Iterable[tuple[int, int, str]]) -> Document:
    ents = [Span(i + 1, lab, s, e) for i, (s, e, lab) in enumerate(sorted(spans))]
    return Document(doc.id, doc.text, doc.meta, ents, [])


# ---------------------------------------------------------------------------
# the peers (every peer import is inside a function)
# ---------------------------------------------------------------------------
class NotInstalled(Exception):
    pass


def _version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


_INSTALL_NAMES = {"recognizers": ("recognizers-text", "recognizers-text-emoji"), "jionlp": ("jionlp",),
                  "jieba": ("jieba",), "lac": ("lac-setuptools", "paddlepaddle", "lac")}


def _install_note(tool: str) -> str:
    """What benchmarks/install_peers.sh logged about a peer that failed to install, if anything."""
    log = ROOT / ".venv-peers" / "peers-install.log"
    if not log.exists():
        return ""
    names = _INSTALL_NAMES.get(tool, (tool,))
    return "; ".join(line for line in log.read_text(encoding="utf-8").splitlines()
                     if line.split(":", 1)[0] in names and "FAILED" in line)


@dataclass
class Peer:
    name: str          # row name
    tool: str          # key of TOOL_CATEGORIES
    dists: tuple[str, ...]  # distributions whose versions are reported
    setup: Callable[[], Callable[[str], list[tuple[int, int, str]]]]  # -> text -> raw mentions

    def versions(self) -> dict[str, str | None]:
        return {d: _version(d) for d in self.dists}


def _setup_recognizers():
    try:
        from recognizers_date_time import DateTimeRecognizer
        from recognizers_number import NumberRecognizer
        from recognizers_number_with_unit import NumberWithUnitRecognizer
        from recognizers_text import Culture
    except Exception as e:  # ImportError, or a broken dependency such as emoji>=2
        raise NotInstalled(f"{type(e).__name__}: {e}") from e
    c = Culture.Chinese
    nr, ur = NumberRecognizer(c), NumberWithUnitRecognizer(c)
    models = [nr.get_number_model(), nr.get_ordinal_model(), nr.get_percentage_model(),
              ur.get_currency_model(), ur.get_dimension_model(), DateTimeRecognizer(c).get_datetime_model()]

    def run(text: str) -> list[tuple[int, int, str]]:
        out = []
        for model in models:
            for r in model.parse(text):
                s, e = inclusive_end_to_exclusive(text, r.start, r.end, r.text)
                out.append((s, e, r.type_name))
        return out
    return run


def _setup_jionlp():
    try:
        import contextlib
        import io
        import logging
        with contextlib.redirect_stdout(io.StringIO()):  # it prints a banner on import
            import jionlp as jio
    except Exception as e:
        raise NotInstalled(f"{type(e).__name__}: {e}") from e
    logging.getLogger("jionlp").setLevel(logging.WARNING)
    # its own place lexicon: China's provinces, cities, counties (full names and
    # aliases) and the world's countries, their full names, capitals and main cities
    places: set[str] = set()

    def walk(node: dict) -> None:
        for k, v in node.items():
            if k.startswith("_") or not isinstance(v, dict):
                continue
            places.add(v.get("_full_name") or k)
            alias = v.get("_alias")
            places.update([alias] if isinstance(alias, str) else (alias or []))
            walk(v)
    walk(jio.china_location_loader())
    for countries in jio.world_location_loader().values():
        for k, v in countries.items():
            places.add(k)
            places.add(v.get("full_name") or k)
            places.update([v["capital"]] if v.get("capital") else [])
            places.update(v.get("main_city") or [])
    places = {p for p in places if p}
    lexicon = jio.ner.LexiconNER({"LOC": sorted(places)})

    def run(text: str) -> list[tuple[int, int, str]]:
        out = []
        for r in jio.ner.extract_money(text, with_parsing=False):
            out.append((r["offset"][0], r["offset"][1], r["type"]))
        for r in jio.ner.extract_time(text, with_parsing=False):
            out.append((r["offset"][0], r["offset"][1], r["type"]))
        for r in lexicon(text):
            out.append((r["offset"][0], r["offset"][1], r["type"]))
        for s, e, cat in out:
            if not (0 <= s < e <= len(text)):
                raise ValueError(f"jionlp offsets {s}-{e} out of range")
        return out
    return run


def _setup_jieba():
    try:
        import logging
        import jieba
        import jieba.posseg as pseg
    except Exception as e:
        raise NotInstalled(f"{type(e).__name__}: {e}") from e
    jieba.setLogLevel(logging.WARNING)

    def run(text: str) -> list[tuple[int, int, str]]:
        return tagged_tokens_to_mentions(text, ((p.word, p.flag) for p in pseg.cut(text)))
    return run


def _setup_lac():
    try:
        import warnings
        warnings.filterwarnings("ignore")
        import paddle
        # LAC 2.1.2 imports paddle.fluid, which paddle >= 2.6 renamed paddle.base
        if not hasattr(paddle, "fluid"):
            sys.modules["paddle.fluid"] = paddle.base
            sys.modules["paddle.fluid.core"] = paddle.base.core
        from LAC import LAC
    except Exception as e:
        raise NotInstalled(f"{type(e).__name__}: {e}") from e
    lac = LAC(mode="lac")

    def run(text: str) -> list[tuple[int, int, str]]:
        words, tags = lac.run(text)
        return tagged_tokens_to_mentions(text, zip(words, tags))
    return run


PEERS = [
    Peer("Recognizers-Text", "recognizers", ("recognizers-text-suite",), _setup_recognizers),
    Peer("JioNLP", "jionlp", ("jionlp",), _setup_jionlp),
    Peer("jieba posseg", "jieba", ("jieba",), _setup_jieba),
    Peer("Baidu LAC", "lac", ("LAC", "paddlepaddle"), _setup_lac),
]

#: labels the govie rows can produce: a model's iob2 tag set, and the rule
#: baseline's taggers (govie.rules: lexicon INDICATOR/ENTITY/REGION, VALUE/UNIT; no PROJECT)
GOVIE_RULES_LABELS = ("INDICATOR", "VALUE", "UNIT", "ENTITY", "REGION")


def bundled_models() -> list[str]:
    """Names of the models under govie/models/ (those with govie_config.json), default first."""
    names = sorted(p.parent.name for p in (ROOT / "govie" / "models").glob("*/govie_config.json"))
    return sorted(names, key=lambda n: (n != "default", n))


def _model_labels(name: str) -> tuple[str, ...]:
    cfg = json.loads((ROOT / "govie" / "models" / name / "govie_config.json").read_text(encoding="utf-8"))
    tags = cfg.get("iob2_tags") or [f"B-{lab}" for lab in LABELS]
    return tuple(lab for lab in LABELS if f"B-{lab}" in tags)


# ---------------------------------------------------------------------------
# scoring
# ---------------------------------------------------------------------------
def _only(docs: list[Document], labels: Iterable[str]) -> list[Document]:
    keep = set(labels)
    return [Document(d.id, d.text, d.meta, [s for s in d.entities if s.label in keep], []) for d in docs]


def score_row(gold: list[Document], pred: list[Document], labels: tuple[str, ...]) -> dict:
    from govie.evaluate import score
    s = score(gold, pred)
    own = score(_only(gold, labels), _only(pred, labels))["entities"]["micro"] if labels else None
    return {"entity_micro_f1": s["entities"]["micro"]["f1"],
            "entity_micro": s["entities"]["micro"],
            "own_labels_micro_f1": own["f1"] if own else 0.0,
            "own_labels_micro": own,
            "per_label_f1": {k: s["entities"].get(k, {}).get("f1", 0.0) for k in LABELS},
            "per_label": {k: s["entities"][k] for k in LABELS if k in s["entities"]},
            "relation_f1": s["relations"]["micro"]["f1"]}


def machine_info(threads: int) -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "arch": platform.machine(), "python": platform.python_version(),
            "threads": threads}


def run_govie(name: str, docs: list[Document], tpath: Path, threads: int) -> tuple[dict, list[Document]]:
    import govie
    pipe = govie.load(name)
    pred = [Document(d.id, d.text, d.meta, ex.to_document().entities, ex.to_document().relations)
            for d, ex in zip(docs, pipe.pipe([d.text for d in docs], ids=[d.id for d in docs]))]
    labels = GOVIE_RULES_LABELS if name == "rules" else _model_labels(name)
    row = {"tool": f"govie {name}", "kind": "govie", "status": "ok", "labels": list(labels)}
    row.update(score_row(docs, pred, labels))
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    probe = subprocess.run([sys.executable, "-c", _PROBE, name, str(tpath)], capture_output=True, text=True,
                           env=env, cwd=ROOT)
    if probe.returncode != 0:
        raise SystemExit(f"speed probe failed for {name}:\n{probe.stderr[-2000:]}")
    sp = json.loads(probe.stdout.strip().splitlines()[-1])
    row["chars_per_second"] = sp["chars"] / sp["seconds"]
    row["versions"] = {"govie": _version("govie"), "torch": _version("torch")}
    return row, pred


def peer_worker(tool: str, texts_path: Path, out_path: Path) -> None:
    """Run one peer on the texts in this process and write its raw result as JSON.

    Each peer runs in a fresh process of its own: paddle (LAC) hangs in a
    process that has loaded torch (two OpenMP runtimes), and a peer cannot slow
    or break another this way. This process imports govie.schema only, not torch.
    """
    peer = {p.tool: p for p in PEERS}[tool]
    texts = json.loads(Path(texts_path).read_text(encoding="utf-8"))
    res: dict = {"versions": peer.versions()}
    try:
        t0 = time.time()
        fn = peer.setup()
        res["load_seconds"] = time.time() - t0
    except NotInstalled as e:
        res["status"] = f"not installed: {e}"
        Path(out_path).write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")
        return
    try:
        mentions_to_spans(tool, texts[0][:2000], fn(texts[0][:2000]))  # warm-up
        spans, n = [], 0
        t0, c0 = time.time(), time.process_time()
        for text in texts:
            spans.append(mentions_to_spans(tool, text, fn(text)))
            n += len(text)
        res["seconds"] = time.time() - t0
        res["cpu_seconds"] = time.process_time() - c0
        res["chars"] = n
        res["spans"] = spans
        res["status"] = "ok"
    except Exception as e:  # a peer that installs but cannot run here
        res["status"] = f"not run: {type(e).__name__}: {str(e)[:300]}"
    Path(out_path).write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")


def run_peer(peer: Peer, docs: list[Document], tpath: Path, threads: int,
             timeout: float) -> tuple[dict, list[Document] | None]:
    row = {"tool": peer.name, "kind": "peer", "labels": list(tool_labels(peer.tool)), "versions": peer.versions(),
           "relation_f1": None}
    out = tpath.with_name(f"_peer_{peer.tool}.json")
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    try:
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", peer.tool,
                               "--texts", str(tpath), "--worker-out", str(out)],
                              capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout)
        res = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
        if res is None:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [""]
            res = {"status": f"not run: worker exited with code {proc.returncode}: {tail[0][:300]}"}
    except subprocess.TimeoutExpired:
        res = {"status": f"not run: no result within {timeout:.0f} s"}
    finally:
        out.unlink(missing_ok=True)
    row["status"] = res["status"]
    if row["status"].startswith("not installed"):
        note = _install_note(peer.tool)
        row["status"] += f" ({note})" if note else ""
    if row["status"] != "ok":
        return row, None
    row["load_seconds"] = res["load_seconds"]
    row["chars_per_second"] = res["chars"] / res["seconds"]
    row["cpu_seconds"] = res["cpu_seconds"]  # all threads of the worker: a check on a busy machine
    pred = [to_document(d, [tuple(x) for x in sp]) for d, sp in zip(docs, res["spans"])]
    row.update(score_row(docs, pred, tuple(row["labels"])))
    row["relation_f1"] = None
    return row, pred


# ---------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------
def _version_text(v: dict) -> str:
    return ", ".join(f"{k} {x}" for k, x in v.items() if x) or "—"


def markdown(rows: list[dict], meta: dict) -> str:
    m = meta["machine"]
    lines = [f"Split `{meta['split']}` ({meta['documents']} documents, {meta['characters']:,} characters); "
             f"{meta['date']}; {m['cpu']}, {m['cores']} cores, {m['arch']}, Python {m['python']}; "
             f"OMP/torch threads {m['threads']}.", ""]
    header = ("| tool | version | labels it can produce | entity micro-F1 (6 labels) | micro-F1 (its labels) | "
              + " | ".join(LABELS) + " | relation F1 | chars/s |")
    lines += [header, "|" + "---|" * (header.count("|") - 1)]
    for r in rows:
        if r["status"] != "ok":
            lines.append(f"| {r['tool']} | {_version_text(r['versions'])} | {', '.join(r['labels'])} | "
                         f"{r['status']} |" + " |" * (len(LABELS) + 3))
            continue
        per = " | ".join(f"{r['per_label_f1'][k]:.3f}" if k in r["labels"] else "—" for k in LABELS)
        rel = f"{r['relation_f1']:.3f}" if r["relation_f1"] is not None else "—"
        lines.append(f"| {r['tool']} | {_version_text(r['versions'])} | {', '.join(r['labels'])} | "
                     f"{r['entity_micro_f1']:.3f} | {r['own_labels_micro_f1']:.3f} | {per} | {rel} | "
                     f"{r['chars_per_second']:,.0f} |")
    lines += ["", "Seqeval strict IOB2 (`govie.evaluate.score`). \"—\" in a label column: the tool has no "
              "category that maps to that label (its F1 there is 0 by construction); \"micro-F1 (its labels)\" "
              "scores only those labels, gold and prediction alike. Peer outputs are mapped to the schema by the "
              "one table in `benchmarks/peers.py` (`TOOL_CATEGORIES`, `CLASS_LABELS`), explained in "
              "`benchmarks/PEERS.md`. chars/s: all test texts, whole, after a warm-up call "
              "(govie: full extraction in a fresh process as in the bake-off; peers: tool + mapping, each peer in a "
              "fresh process of its own)."]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="test")
    ap.add_argument("--threads", type=int, default=2, help="torch / OMP threads (the target is a 2-core laptop)")
    ap.add_argument("--tools", nargs="+", help="only these rows: govie model names, 'rules', or peer keys "
                    f"({', '.join(p.tool for p in PEERS)})")
    ap.add_argument("--dump", type=Path, help="also write each row's predictions as JSONL into this folder")
    ap.add_argument("--out", type=Path, help="write OUT.json and OUT.md (default: benchmarks/results/"
                    "peers-SPLIT for a full run; a run with --tools writes nothing unless --out is given)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds one peer may take (default 3600)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)       # internal: run one peer in this process
    ap.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        peer_worker(args.worker, args.texts, args.worker_out)
        return

    import torch

    from govie.io import read_jsonl, write_jsonl
    torch.set_num_threads(args.threads)
    splits = json.loads((ROOT / "data" / "splits.json").read_text(encoding="utf-8"))
    gold = {d.id: d for d in read_jsonl(ROOT / "data" / "annotations" / "gold.jsonl")}
    docs = [gold[i] for i in splits[args.split]]
    texts = [d.text for d in docs]
    want = set(args.tools) if args.tools else None
    tpath = ROOT / "benchmarks" / "results" / f"_texts_peers_{args.split}.json"
    tpath.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    rows = []
    try:
        for name in bundled_models() + ["rules"]:
            if want is None or name in want:
                print(f"govie {name} ...", file=sys.stderr, flush=True)
                row, pred = run_govie(name, docs, tpath, args.threads)
                rows.append(row)
                if args.dump:
                    args.dump.mkdir(parents=True, exist_ok=True)
                    write_jsonl(pred, args.dump / f"govie-{name}.jsonl")
        for peer in PEERS:
            if want is None or peer.tool in want:
                print(f"{peer.name} ...", file=sys.stderr, flush=True)
                row, pred = run_peer(peer, docs, tpath, args.threads, args.timeout)
                rows.append(row)
                print(f"  {row['status']}", file=sys.stderr, flush=True)
                if args.dump and pred is not None:
                    args.dump.mkdir(parents=True, exist_ok=True)
                    write_jsonl(pred, args.dump / f"{peer.tool}.jsonl")
    finally:
        tpath.unlink(missing_ok=True)
    meta = {"split": args.split, "documents": len(docs), "characters": sum(map(len, texts)),
            "date": date.today().isoformat(), "machine": machine_info(args.threads),
            "mapping": {"classes": {k: list(v) for k, v in CLASS_LABELS.items()}, "tools": TOOL_CATEGORIES}}
    md = markdown(rows, meta)
    out = args.out or (None if args.tools else ROOT / "benchmarks" / "results" / f"peers-{args.split}")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        Path(f"{out}.json").write_text(json.dumps({**meta, "rows": rows}, indent=1, ensure_ascii=False),
                                       encoding="utf-8")
        Path(f"{out}.md").write_text(md + "\n", encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
