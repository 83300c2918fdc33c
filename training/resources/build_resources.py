"""Build the small derived lexicons in ``govie/resources/`` from ``../shared``.

Run from the repository root:  python training/resources/build_resources.py
Nothing in the package reads ``../shared`` at run time; these files are what
it ships.  Each output is documented in ``govie/resources/README.md``.

Generalization rules: lexicons come from national gazetteers and from the
unlabeled provincial/national report corpus, never from the seed documents
(the gold test documents are seeds), and a mined indicator must occur in at
least ``MIN_DOCS`` different reports.
"""
from __future__ import annotations

import csv
import glob
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"
OUT = ROOT / "govie" / "resources"
G = SHARED / "gazetteers"
MIN_DOCS = 3

sys.path.insert(0, str(ROOT))
from govie.rules.numbers import find_quantities  # noqa: E402


def jieba_words() -> dict[str, tuple[int, str]]:
    import jieba  # MIT dictionary shipped in the wheel
    d = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            w, f, pos = line.split()
            d[w] = (int(f), pos)
    return d


MACRO = """东北 华北 华东 华南 华中 西北 西南 东北地区 中部地区 西部地区 东部地区 京津冀 长三角 长江三角洲 珠三角
珠江三角洲 粤港澳大湾区 成渝地区 长江经济带 黄河流域 东北亚 东南亚 南亚 中亚 西亚 中东 欧洲 亚洲 非洲 北美 南美 拉美
拉丁美洲 大洋洲 亚太 欧盟 东盟 长江 黄河 珠江 淮河 海河 辽河 松花江 黑龙江 浑河 太湖 洞庭湖 鄱阳湖 渤海 黄海 东海 南海
泰山 长白山 秦岭 青藏高原 港澳 港澳台 两岸""".split()


def keep_short(short: str, full: str, corpus: str) -> bool:
    """Keep a short form (法库县 -> 法库) unless the unlabeled corpus mostly uses the
    string as ordinary words (市中 in 城市中心, 新平 in 创新平台, 和平 in 和平发展)."""
    bare = corpus.count(short)
    return bare <= 3 * (corpus.count(full) + 1)


def build_regions(corpus: str) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    level_names = {0: "province", 1: "city", 2: "county", 3: "town"}
    with open(G / "admin-divisions" / "jionlp_china_location.txt", encoding="utf-8") as fh:
        for line in fh:
            depth = len(line) - len(line.lstrip("\t"))
            if depth > 3:
                continue
            parts = line.strip().split("\t")
            name = parts[0]
            if not name or name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                continue
            lvl = level_names[depth]
            rows.append((name, lvl, name))
            short = parts[2] if len(parts) > 2 else None
            if depth == 3:
                m = re.match(r"(.{3,})(?:镇|乡|街道|街道办事处|苏木)$", name)
                short = m.group(1) if m else None
            if short and short != name and len(short) >= 2:
                if depth <= 1 or keep_short(short, name, corpus):
                    rows.append((short, lvl, name))
    with open(G / "admin-divisions" / "jionlp_world_location.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2 or line.endswith(":\n"):
                continue
            rows.append((parts[0], "country", parts[0]))
            rows.append((parts[1], "country", parts[0]))
            for city in ([parts[2]] if len(parts) > 2 else []) + (parts[3].split("/") if len(parts) > 3 else []):
                if len(city) >= 2:
                    rows.append((city, "city", city))
    for m in MACRO:
        rows.append((m, "macro", m))
    seen, out = set(), []
    for r in rows:
        if r[0] not in seen and len(r[0]) >= 2:
            seen.add(r[0])
            out.append(r)
    return out


def corpus_texts() -> list[str]:
    texts = [Path(p).read_text(encoding="utf-8") for p in sorted(glob.glob(str(SHARED / "corpus/provincial-*/*.txt")))]
    with open(SHARED / "corpus/national/government_work_reports.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d.get("year") and int(d["year"]) >= 1978:
                texts.append(d["content"])
    return texts


_SCOPE = re.compile(r"^(?:其中|全省|全市|全区|全县|全国|全年|我省|我市|我区|本市|今年|去年|上年|当年|年均|全部|城乡|各类|"
                    r"一年来|五年来|同时|此外|另外|累计|预计|力争|确保|主要|共|均|新)+")
_CUE = re.compile(r"(?:分别|同比|比上年|较上年|年均|累计|预计|实际|达到|达|实现|完成|突破|超过|超|为|约|增长|下降|提高|"
                  r"增加|减少|降低|占|保持|稳定在|控制在|在|是|的|了|和|与|及|等|总计|合计|共计|共|均|年|近|超出)+$")


def mine_indicators(texts: list[str], jw) -> list[tuple[str, int]]:
    import jieba
    docs_with: dict[str, set[int]] = defaultdict(set)
    for di, text in enumerate(texts):
        for q in find_quantities(text):
            if q.unit is None:
                continue
            j = q.start
            k = j
            while k > 0 and "\u4e00" <= text[k - 1] <= "\u9fff" and j - k < 20:
                k -= 1
            if k > 0 and (text[k - 1].isdigit() or text[k - 1] in "．.％%"):
                continue  # the left part of "从5万亿元增加到6万亿元": no name here
            cand = _CUE.sub("", text[k:j])
            cand = _SCOPE.sub("", cand)
            cand = re.sub(r"^\d+年", "", cand)
            if not (2 <= len(cand) <= 14) or re.search(r"[年月日到从由至平为]$", cand):
                continue
            f, pos = jw.get(cand, (0, "n"))
            if pos[0] in "vdapcumrtqf" and not pos.startswith("vn"):
                continue  # a verb, adverb, pronoun... not a measure's name
            if cand[0] in "个万亿元名户项家倍次增":
                continue
            if len(cand) < 3 and cand[-1] not in "率额量值数费价":
                continue  # two-character words (经济, 企业) are too generic to tag alone
            words = jieba.lcut(cand, HMM=False)
            if all(jw.get(w, (0, "n"))[1][0] in "vdacp" for w in words):
                continue  # only verbs and adverbs: 加快建设, 扎实推进
            docs_with[cand].add(di)
    return sorted(((w, len(d)) for w, d in docs_with.items() if len(d) >= MIN_DOCS), key=lambda x: -x[1])


def nbs_indicators(texts: list[str]) -> set[str]:
    joined = "\n".join(texts)
    names = set()
    with open(G / "indicators/nbs_national_data_indicators.tsv", encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            name = line.rstrip("\n").split("\t")[2]
            name = re.sub(r"[（(].*?[)）]", "", name).strip()
            if 3 <= len(name) <= 14 and re.fullmatch(r"[\u4e00-\u9fff]+", name):
                names.add(name)
    return {n for n in names if joined.count(n) >= MIN_DOCS}


def build_companies(jw) -> list[str]:
    import jieba
    out = []
    with open(G / "companies/wainshine_Company-Shorter-Form_28W.txt", encoding="utf-8-sig") as fh:
        for i, line in enumerate(fh):
            w = line.strip()
            if i < 3 or not re.fullmatch(r"[\u4e00-\u9fff]{4,8}", w):
                continue
            f, pos = jw.get(w, (0, "nt"))
            if f > 50 and not pos.startswith("nt"):
                continue  # an ordinary word, not a name
            if all(jw.get(p, (0, ""))[0] > 200 for p in jieba.lcut(w, HMM=False)):
                continue  # made of common words (智能工厂, 绿色制造): not a name
            out.append(w)
    return sorted(set(out))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    jw = jieba_words()
    texts = corpus_texts()
    regions = build_regions("\n".join(texts))
    with open(OUT / "regions.tsv", "w", encoding="utf-8") as fh:
        fh.write("# surface\tlevel\tcanonical  (built by training/resources/build_resources.py)\n")
        for r in regions:
            fh.write("\t".join(r) + "\n")
    mined = mine_indicators(texts, jw)
    nbs = nbs_indicators(texts)
    region_names = {r[0] for r in regions}
    inds = {w for w, _ in mined} | nbs
    inds = sorted(w for w in inds if w not in region_names)
    with open(OUT / "indicators.txt", "w", encoding="utf-8") as fh:
        fh.write("# indicator names mined from the unlabeled report corpus (>= %d reports) and NBS names found in it\n" % MIN_DOCS)
        fh.write("\n".join(inds) + "\n")
    comps = build_companies(jw)
    with open(OUT / "companies.txt", "w", encoding="utf-8") as fh:
        fh.write("# company short names (wainshine Company-Names-Corpus, Apache-2.0), 4-8 CJK chars, common words removed\n")
        fh.write("\n".join(comps) + "\n")
    print(f"regions {len(regions)}  indicators {len(inds)} (mined {len(mined)}, nbs {len(nbs)})  companies {len(comps)}")


if __name__ == "__main__":
    main()
