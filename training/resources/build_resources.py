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
# Added in session 23 (written from general knowledge: the provinces' literary names, parts of provinces
# named by direction, plateaus, basins, plains, ranges, rivers, lakes, deserts, straits and world regions).
# A name stays out where the train+dev gold marks fewer than 9 in 10 of its whole-word matches outside
# other spans as REGION (陇上 0/1, 塞上 0/1, 嵩山 0/1, 豫东 1/2, 亚欧 7/13, 长城 7/15, 丝绸之路 0/5, 嘉陵江 4/8,
# 六盘山 2/3, 祁连山 3/5, 贺兰山 2/3, 河套 3/4, 巢湖 4/5, 大运河 10/12): they also name projects, routes
# and parks; 江南 stays out too, for the set phrase 大江南北. ``python training/lexfill_counts.py --names
# training/resources/macro-candidates.txt`` prints these counts.
MACRO += """燕赵 三晋 齐鲁 中原 荆楚 三湘 湖湘 八闽 岭南 八桂 巴蜀 三秦 陇原 江淮 赣鄱 龙江 天山南北 琼州 黔中 滇中 关中
陕北 陕南 苏北 苏南 苏中 皖北 皖南 豫西 豫南 豫北 粤东 粤西 粤北 鲁西南 鲁南 鲁北 胶东 冀中南 冀北 晋北 晋南 桂东 桂西 桂北
川西 川南 川东北 闽东 闽西 闽南 浙东 浙西 浙南 湘南 鄂西 赣南 黔北 滇西 辽西 辽南 辽东 蒙东 蒙西 南疆 北疆 东疆 藏东 陇东 陇中
河西走廊 西海固 塞北 黄土高原 云贵高原 内蒙古高原 四川盆地 塔里木盆地 准噶尔盆地 柴达木盆地 华北平原 东北平原 江汉平原
成都平原 关中平原 太行山 吕梁山 大别山 武陵山 罗霄山 乌蒙山 大兴安岭 小兴安岭 天山 昆仑山 阴山 燕山 井冈山 峨眉山 黄山 华山 衡山
庐山 武夷山 三江源 雅鲁藏布江 澜沧江 怒江 金沙江 汉江 湘江 赣江 闽江 钱塘江 漓江 岷江 乌江 洱海 滇池 青海湖 洪泽湖 微山湖 呼伦湖
博斯腾湖 乌梁素海 查干湖 毛乌素沙地 科尔沁沙地 浑善达克沙地 腾格里沙漠 库布其沙漠 乌兰布和沙漠 塔克拉玛干沙漠 巴丹吉林沙漠 北部湾
杭州湾 渤海湾 台湾海峡 琼州海峡 欧亚 中东欧 东欧 西欧 北欧 东亚 太平洋 印度洋 大西洋 北极 南极""".split()


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
