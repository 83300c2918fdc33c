"""The gold annotation workflow: documents -> parts -> markup -> checked JSONL.

    python training/annotation/annotate.py parts  --work DIR      # raw + pre-annotated parts
    python training/annotation/annotate.py check  PART.ann.txt    # markup vs raw + schema
    python training/annotation/annotate.py merge  --work DIR --stage rev -o data/annotations/gold.jsonl

Documents are cut from the shared material (see ``DOCUMENTS`` below); each
part is ~3,000 characters ending at a sentence end.  An annotator copies
``pNN.pre.txt`` to ``pNN.ann.txt`` and corrects it; a reviewer writes
``pNN.rev.txt``.  ``check`` strips the markup, requires the text to equal the
raw part exactly and runs the schema validation.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from govie.markup import merge_parts, parse_markup, to_markup  # noqa: E402
from govie.rules import preannotate  # noqa: E402
from govie.schema import Document  # noqa: E402
from govie.text import split_sentences  # noqa: E402
from govie.validate import validate_document  # noqa: E402

SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
PROV = SHARED / "corpus" / "provincial-2025"
PART_LEN = 3000

# (id, source file, lines (1-based, inclusive) or None for the whole file, meta)
SEED_DOCS = [
    ("shenyang-2023-plan-report", "000_f764d00bbe4f920d.txt", None,
     {"region": "沈阳市", "year": 2023, "doc_type": "plan_execution_report"}),
    ("shenyang-2025-npc-news", "001_0391023c4a769222.txt", None,
     {"region": "沈阳市", "year": 2025, "doc_type": "news"}),
    ("tiexi-2023-plan-report", "002_9f3f8843737d5614.txt", None,
     {"region": "铁西区", "year": 2023, "doc_type": "plan_execution_report"}),
    ("shenyang-2022-ncc-plan", "003_0c3f07806a4ed513.txt", None,
     {"region": "沈阳市", "year": 2022, "doc_type": "plan"}),
    ("shenyang-lushang-base-a", "004_c3c3174adef9897d.txt", (2, 3),
     {"region": "沈阳市", "year": 2023, "doc_type": "investment_news"}),
    ("shenyang-crossborder-park", "004_c3c3174adef9897d.txt", (6, 7),
     {"region": "沈阳市", "year": 2023, "doc_type": "investment_news"}),
    ("shenyang-5g-center", "004_c3c3174adef9897d.txt", (10, 11),
     {"region": "沈阳市", "year": 2023, "doc_type": "investment_news"}),
    ("shenyang-2020-gwr", "004_c3c3174adef9897d.txt", (14, 15),
     {"region": "沈阳市", "year": 2020, "doc_type": "government_work_report",
      "duplicate_of_lines": [18, 19]}),
    ("shenyang-lushang-base-b", "004_c3c3174adef9897d.txt", (22, 23),
     {"region": "沈阳市", "year": 2023, "doc_type": "investment_news"}),
    ("kangping-2019-gwr", "004_c3c3174adef9897d.txt", (26, 27),
     {"region": "康平县", "year": 2019, "doc_type": "government_work_report"}),
    ("kangping-2020-gwr", "004_c3c3174adef9897d.txt", (30, 31),
     {"region": "康平县", "year": 2020, "doc_type": "government_work_report"}),
    ("shenyang-2021-gwr", "004_c3c3174adef9897d.txt", (34, 35),
     {"region": "沈阳市", "year": 2021, "doc_type": "government_work_report"}),
]
PROV_DOCS = [
    ("guangdong-2025-gwr-review", "2025年广东省政府工作报告.txt", "广东省"),
    ("sichuan-2025-gwr-review", "2025年四川省政府工作报告.txt", "四川省"),
    ("zhejiang-2025-gwr-review", "2025年浙江省政府工作报告.txt", "浙江省"),
    ("henan-2025-gwr-review", "2025年河南省政府工作报告.txt", "河南省"),
    ("gansu-2025-gwr-review", "2025年甘肃省政府工作报告.txt", "甘肃省"),
    ("heilongjiang-2025-gwr-review", "2025年黑龙江省政府工作报告.txt", "黑龙江省"),
    # annotated 2026-11-22 (session 3), put in train (3) and test (yunnan) 2026-11-23
    ("jiangsu-2025-gwr-review", "2025年江苏省政府工作报告.txt", "江苏省"),
    ("shandong-2025-gwr-review", "2025年山东省政府工作报告.txt", "山东省"),
    ("hubei-2025-gwr-review", "2025年湖北省政府工作报告.txt", "湖北省"),
    ("yunnan-2025-gwr-review", "2025年云南省政府工作报告.txt", "云南省"),
    # annotated 2026-11-23 (session 4), put in train with the retraining of the same day
    ("liaoning-2025-gwr-review", "2025年辽宁省政府工作报告.txt", "辽宁省"),
    ("anhui-2025-gwr-review", "2025年安徽省政府工作报告.txt", "安徽省"),
    ("shanghai-2025-gwr-review", "2025年上海市政府工作报告.txt", "上海市"),
    ("hunan-2025-gwr-review", "2025年湖南省政府工作报告.txt", "湖南省"),
    # annotated 2026-11-23 (session 5), put in train (3) and test (guizhou) the same day
    ("jilin-2025-gwr-review", "2025年吉林省政府工作报告.txt", "吉林省"),
    ("hebei-2025-gwr-review", "2025年河北省政府工作报告.txt", "河北省"),
    ("shaanxi-2025-gwr-review", "2025年陕西省政府工作报告.txt", "陕西省"),
    ("guizhou-2025-gwr-review", "2025年贵州省政府工作报告.txt", "贵州省"),
    # annotated 2026-11-23 (session 6): the review sections with the most organization names
    ("chongqing-2025-gwr-review", "2025年重庆市政府工作报告.txt", "重庆市"),
    ("hainan-2025-gwr-review", "2025年海南省政府工作报告.txt", "海南省"),
    ("tianjin-2025-gwr-review", "2025年天津市政府工作报告.txt", "天津市"),
    ("shanxi-2025-gwr-review", "2025年山西省政府工作报告.txt", "山西省"),
    ("guangxi-2025-gwr-review", "2025年广西政府工作报告.txt", "广西壮族自治区"),
    ("beijing-2025-gwr-review", "2025年北京市政府工作报告.txt", "北京市"),
    ("jiangxi-2025-gwr-review", "2025年江西省政府工作报告.txt", "江西省"),
    ("qinghai-2025-gwr-review", "2025年青海省政府工作报告.txt", "青海省"),
    ("neimenggu-2025-gwr-review", "2025年内蒙古自治区政府工作报告.txt", "内蒙古自治区"),
    ("ningxia-2025-gwr-review", "2025年宁夏政府工作报告.txt", "宁夏回族自治区"),
    # session 6, batch C: two provinces not yet in the gold and the 2026 reports (reviews of 2025) of three
    # training provinces; a path with a folder is relative to corpus/
    ("xinjiang-2025-gwr-review", "2025年新疆政府工作报告.txt", "新疆维吾尔自治区"),
    ("xizang-2025-gwr-review", "2025年西藏政府工作报告.txt", "西藏自治区"),
    ("tianjin-2026-gwr-review", "provincial-2026/2026_天津市_政府工作报告.txt", "天津市"),
    ("chongqing-2026-gwr-review", "provincial-2026/2026_重庆市_政府工作报告.txt", "重庆市"),
    ("hubei-2026-gwr-review", "provincial-2026/2026_湖北省_政府工作报告.txt", "湖北省"),
    # session 7, batch D (data/annotations/pending.jsonl until a retraining places them): Fujian, the one
    # province not yet in the gold (2025 and 2026 reports), and the 2026 reports of three training provinces
    ("fujian-2025-gwr-review", "2025年福建省政府工作报告.txt", "福建省"),
    ("fujian-2026-gwr-review", "provincial-2026/2026_福建省_政府工作报告.txt", "福建省"),
    ("guangdong-2026-gwr-review", "provincial-2026/2026_广东省_政府工作报告.txt", "广东省"),
    ("jiangsu-2026-gwr-review", "provincial-2026/2026_江苏省_政府工作报告.txt", "江苏省"),
    ("shanghai-2026-gwr-review", "provincial-2026/2026_上海市_政府工作报告.txt", "上海市"),
    # session 10, batch E (to train): the 2026 reports of five training provinces
    ("beijing-2026-gwr-review", "provincial-2026/2026_北京市_政府工作报告.txt", "北京市"),
    ("anhui-2026-gwr-review", "provincial-2026/2026_安徽省_政府工作报告.txt", "安徽省"),
    ("sichuan-2026-gwr-review", "provincial-2026/2026_四川省_政府工作报告.txt", "四川省"),
    ("shandong-2026-gwr-review", "provincial-2026/2026_山东省_政府工作报告.txt", "山东省"),
    ("hunan-2026-gwr-review", "provincial-2026/2026_湖南省_政府工作报告.txt", "湖南省"),
    # session 10, batch F (placed in session 11 by a seeded shuffle: Jiangxi to test, Shanxi to dev, the
    # other three to train): five more 2026 reports
    ("neimenggu-2026-gwr-review", "provincial-2026/2026_内蒙古自治区_政府工作报告.txt", "内蒙古自治区"),
    ("shanxi-2026-gwr-review", "provincial-2026/2026_山西省_政府工作报告.txt", "山西省"),
    ("jiangxi-2026-gwr-review", "provincial-2026/2026_江西省_政府工作报告.txt", "江西省"),
    ("hebei-2026-gwr-review", "provincial-2026/2026_河北省_政府工作报告.txt", "河北省"),
    ("shaanxi-2026-gwr-review", "provincial-2026/2026_陕西省_政府工作报告.txt", "陕西省"),
    # session 14, batch P: the twelve 2026 reports not yet in the gold (review and work plan), each report
    # to the split of the same province's 2025 report, decided before annotation (Yunnan, Guangxi, Zhejiang,
    # Guizhou, Qinghai, Heilongjiang → test; Ningxia, Henan, Gansu → dev; Xinjiang, Hainan, Xizang → train)
    ("yunnan-2026-gwr-review", "provincial-2026/2026_云南省_政府工作报告.txt", "云南省"),
    ("guangxi-2026-gwr-review", "provincial-2026/2026_广西壮族自治区_政府工作报告.txt", "广西壮族自治区"),
    ("zhejiang-2026-gwr-review", "provincial-2026/2026_浙江省_政府工作报告.txt", "浙江省"),
    ("guizhou-2026-gwr-review", "provincial-2026/2026_贵州省_政府工作报告.txt", "贵州省"),
    ("qinghai-2026-gwr-review", "provincial-2026/2026_青海省_政府工作报告.txt", "青海省"),
    ("heilongjiang-2026-gwr-review", "provincial-2026/2026_黑龙江省_政府工作报告.txt", "黑龙江省"),
    ("ningxia-2026-gwr-review", "provincial-2026/2026_宁夏回族自治区_政府工作报告.txt", "宁夏回族自治区"),
    ("henan-2026-gwr-review", "provincial-2026/2026_河南省_政府工作报告.txt", "河南省"),
    ("gansu-2026-gwr-review", "provincial-2026/2026_甘肃省_政府工作报告.txt", "甘肃省"),
    ("xinjiang-2026-gwr-review", "provincial-2026/2026_新疆维吾尔自治区_政府工作报告.txt", "新疆维吾尔自治区"),
    ("hainan-2026-gwr-review", "provincial-2026/2026_海南省_政府工作报告.txt", "海南省"),
    ("xizang-2026-gwr-review", "provincial-2026/2026_西藏自治区_政府工作报告.txt", "西藏自治区"),
]
# session 11, batch G (to train): the work-plan sections (二、2025年工作安排, 主要任务, …) of five 2025
# reports whose review sections are in train: plans and targets, denser in projects and organizations
PLAN_DOCS = [
    ("neimenggu-2025-gwr-plan", "2025年内蒙古自治区政府工作报告.txt", "内蒙古自治区"),
    ("tianjin-2025-gwr-plan", "2025年天津市政府工作报告.txt", "天津市"),
    ("chongqing-2025-gwr-plan", "2025年重庆市政府工作报告.txt", "重庆市"),
    ("shandong-2025-gwr-plan", "2025年山东省政府工作报告.txt", "山东省"),
    ("jilin-2025-gwr-plan", "2025年吉林省政府工作报告.txt", "吉林省"),
    # session 11, batch H (pending until session 12, then train): five more
    ("shanghai-2025-gwr-plan", "2025年上海市政府工作报告.txt", "上海市"),
    ("beijing-2025-gwr-plan", "2025年北京市政府工作报告.txt", "北京市"),
    ("guangdong-2025-gwr-plan", "2025年广东省政府工作报告.txt", "广东省"),
    ("liaoning-2025-gwr-plan", "2025年辽宁省政府工作报告.txt", "辽宁省"),
    ("shaanxi-2025-gwr-plan", "2025年陕西省政府工作报告.txt", "陕西省"),
    # session 12, batch I: the plan sections of reports whose review section is in test (six) or dev
    # (two), so that each report stays in one split
    ("zhejiang-2025-gwr-plan", "2025年浙江省政府工作报告.txt", "浙江省"),
    ("yunnan-2025-gwr-plan", "2025年云南省政府工作报告.txt", "云南省"),
    ("guizhou-2025-gwr-plan", "2025年贵州省政府工作报告.txt", "贵州省"),
    ("heilongjiang-2025-gwr-plan", "2025年黑龙江省政府工作报告.txt", "黑龙江省"),
    ("guangxi-2025-gwr-plan", "2025年广西政府工作报告.txt", "广西壮族自治区"),
    ("qinghai-2025-gwr-plan", "2025年青海省政府工作报告.txt", "青海省"),
    ("henan-2025-gwr-plan", "2025年河南省政府工作报告.txt", "河南省"),
    ("gansu-2025-gwr-plan", "2025年甘肃省政府工作报告.txt", "甘肃省"),
    # session 12, batch J (in data/annotations/pending.jsonl until session 13, then train): five plan
    # sections of reports whose reviews are in train
    ("jiangsu-2025-gwr-plan", "2025年江苏省政府工作报告.txt", "江苏省"),
    ("anhui-2025-gwr-plan", "2025年安徽省政府工作报告.txt", "安徽省"),
    ("jiangxi-2025-gwr-plan", "2025年江西省政府工作报告.txt", "江西省"),
    ("shanxi-2025-gwr-plan", "2025年山西省政府工作报告.txt", "山西省"),
    ("hainan-2025-gwr-plan", "2025年海南省政府工作报告.txt", "海南省"),
    # session 13, batch K (to train with batches J and L): the remaining six plan sections of
    # reports whose reviews are in train; four have headings PLAN_HEADING does not match (below)
    ("sichuan-2025-gwr-plan", "2025年四川省政府工作报告.txt", "四川省"),
    ("hubei-2025-gwr-plan", "2025年湖北省政府工作报告.txt", "湖北省"),
    ("hunan-2025-gwr-plan", "2025年湖南省政府工作报告.txt", "湖南省"),
    ("hebei-2025-gwr-plan", "2025年河北省政府工作报告.txt", "河北省"),
    ("xinjiang-2025-gwr-plan", "2025年新疆政府工作报告.txt", "新疆维吾尔自治区"),
    ("xizang-2025-gwr-plan", "2025年西藏政府工作报告.txt", "西藏自治区"),
    # session 13, batch L (to train with batch K): the 2026 work plans (三、2026年…, after the 十五五
    # targets, which PLAN_HEADING would find first) of seven 2026 reports whose reviews are in train
    ("guangdong-2026-gwr-plan", "provincial-2026/2026_广东省_政府工作报告.txt", "广东省"),
    ("sichuan-2026-gwr-plan", "provincial-2026/2026_四川省_政府工作报告.txt", "四川省"),
    ("shanghai-2026-gwr-plan", "provincial-2026/2026_上海市_政府工作报告.txt", "上海市"),
    ("beijing-2026-gwr-plan", "provincial-2026/2026_北京市_政府工作报告.txt", "北京市"),
    ("shaanxi-2026-gwr-plan", "provincial-2026/2026_陕西省_政府工作报告.txt", "陕西省"),
    ("shandong-2026-gwr-plan", "provincial-2026/2026_山东省_政府工作报告.txt", "山东省"),
    ("tianjin-2026-gwr-plan", "provincial-2026/2026_天津市_政府工作报告.txt", "天津市"),
    # session 13, batch M (to train): three more 2026 work plans of reports whose reviews are in train
    ("chongqing-2026-gwr-plan", "provincial-2026/2026_重庆市_政府工作报告.txt", "重庆市"),
    ("hubei-2026-gwr-plan", "provincial-2026/2026_湖北省_政府工作报告.txt", "湖北省"),
    ("jiangsu-2026-gwr-plan", "provincial-2026/2026_江苏省_政府工作报告.txt", "江苏省"),
    # session 13, batch N: the remaining work plans of reports whose reviews are scoring documents, each
    # to its review's split (Fujian 2025 and 2026, Jiangxi 2026 → test; Ningxia 2025, Shanxi 2026 → dev)
    ("fujian-2025-gwr-plan", "2025年福建省政府工作报告.txt", "福建省"),
    ("fujian-2026-gwr-plan", "provincial-2026/2026_福建省_政府工作报告.txt", "福建省"),
    ("jiangxi-2026-gwr-plan", "provincial-2026/2026_江西省_政府工作报告.txt", "江西省"),
    ("ningxia-2025-gwr-plan", "2025年宁夏政府工作报告.txt", "宁夏回族自治区"),
    ("shanxi-2026-gwr-plan", "provincial-2026/2026_山西省_政府工作报告.txt", "山西省"),
    # session 13, batch O (to train): the last four 2026 work plans of reports whose reviews are in train
    ("anhui-2026-gwr-plan", "provincial-2026/2026_安徽省_政府工作报告.txt", "安徽省"),
    ("hunan-2026-gwr-plan", "provincial-2026/2026_湖南省_政府工作报告.txt", "湖南省"),
    ("neimenggu-2026-gwr-plan", "provincial-2026/2026_内蒙古自治区_政府工作报告.txt", "内蒙古自治区"),
    ("hebei-2026-gwr-plan", "provincial-2026/2026_河北省_政府工作报告.txt", "河北省"),
    # session 14, batch P: the 2026 work plans of the same twelve reports (their reviews above)
    ("yunnan-2026-gwr-plan", "provincial-2026/2026_云南省_政府工作报告.txt", "云南省"),
    ("guangxi-2026-gwr-plan", "provincial-2026/2026_广西壮族自治区_政府工作报告.txt", "广西壮族自治区"),
    ("zhejiang-2026-gwr-plan", "provincial-2026/2026_浙江省_政府工作报告.txt", "浙江省"),
    ("guizhou-2026-gwr-plan", "provincial-2026/2026_贵州省_政府工作报告.txt", "贵州省"),
    ("qinghai-2026-gwr-plan", "provincial-2026/2026_青海省_政府工作报告.txt", "青海省"),
    ("heilongjiang-2026-gwr-plan", "provincial-2026/2026_黑龙江省_政府工作报告.txt", "黑龙江省"),
    ("ningxia-2026-gwr-plan", "provincial-2026/2026_宁夏回族自治区_政府工作报告.txt", "宁夏回族自治区"),
    ("henan-2026-gwr-plan", "provincial-2026/2026_河南省_政府工作报告.txt", "河南省"),
    ("gansu-2026-gwr-plan", "provincial-2026/2026_甘肃省_政府工作报告.txt", "甘肃省"),
    ("xinjiang-2026-gwr-plan", "provincial-2026/2026_新疆维吾尔自治区_政府工作报告.txt", "新疆维吾尔自治区"),
    ("hainan-2026-gwr-plan", "provincial-2026/2026_海南省_政府工作报告.txt", "海南省"),
    ("xizang-2026-gwr-plan", "provincial-2026/2026_西藏自治区_政府工作报告.txt", "西藏自治区"),
]
_SOURCE = {doc_id: (src, region) for doc_id, src, region in PROV_DOCS + PLAN_DOCS}


def _continuations(of: list[str], suffix: str = "b") -> list[tuple[str, str, str]]:
    """``(<id>-<suffix>, source, region)`` for each document id of ``of``, from that document's entry."""
    return [(f"{doc_id}-{suffix}", *_SOURCE[doc_id]) for doc_id in of]


# Continuations of training documents (`<id>-b`): the next ~PROV_LEN characters after the document,
# up to the report's next top-level heading (a review's also stops before its plan).
PLAN_B_DOCS = _continuations([
    # session 14, batch Q: the 2026 work plans of eight training reports: task lists that name
    # projects, parks, firms and institutions
    "guangdong-2026-gwr-plan", "sichuan-2026-gwr-plan", "anhui-2026-gwr-plan", "chongqing-2026-gwr-plan",
    "hubei-2026-gwr-plan", "hunan-2026-gwr-plan", "shandong-2026-gwr-plan", "shanghai-2026-gwr-plan",
    # session 14, batch R: the same for the 2025 work plans of eight training reports
    "neimenggu-2025-gwr-plan", "chongqing-2025-gwr-plan", "shandong-2025-gwr-plan", "guangdong-2025-gwr-plan",
    "jiangsu-2025-gwr-plan", "anhui-2025-gwr-plan", "hainan-2025-gwr-plan", "sichuan-2025-gwr-plan",
    # session 15, batch S: fourteen more training work plans (those whose continuation holds at least
    # 2,800 characters; the rest of those plans is shorter or empty)
    "tianjin-2025-gwr-plan", "shanghai-2025-gwr-plan", "beijing-2025-gwr-plan", "liaoning-2025-gwr-plan",
    "jiangxi-2025-gwr-plan", "shanxi-2025-gwr-plan", "hubei-2025-gwr-plan", "hunan-2025-gwr-plan",
    "xinjiang-2025-gwr-plan", "beijing-2026-gwr-plan", "shaanxi-2026-gwr-plan", "tianjin-2026-gwr-plan",
    "jiangsu-2026-gwr-plan", "hainan-2026-gwr-plan",
    # session 17, batch V (to dev, each with its report): the dev reports' work plans whose continuation
    # holds at least 2,800 characters, so that the dev split can tell models apart
    "gansu-2025-gwr-plan", "ningxia-2025-gwr-plan", "shanxi-2026-gwr-plan", "ningxia-2026-gwr-plan",
    "henan-2026-gwr-plan", "gansu-2026-gwr-plan",
    # session 18, batch X (to test, each with its report): the test reports' work plans whose continuation
    # holds at least 2,800 characters (all fifteen), so that the test split measures the targets more closely
    "fujian-2025-gwr-plan", "fujian-2026-gwr-plan", "guangxi-2025-gwr-plan", "guangxi-2026-gwr-plan",
    "guizhou-2025-gwr-plan", "guizhou-2026-gwr-plan", "heilongjiang-2025-gwr-plan", "heilongjiang-2026-gwr-plan",
    "jiangxi-2026-gwr-plan", "qinghai-2025-gwr-plan", "qinghai-2026-gwr-plan", "yunnan-2025-gwr-plan",
    "yunnan-2026-gwr-plan", "zhejiang-2025-gwr-plan", "zhejiang-2026-gwr-plan",
])
# session 15, batch T: eleven training reviews (`<id>-review-b`)
REVIEW_B_DOCS = _continuations([
    "guangdong-2025-gwr-review", "sichuan-2025-gwr-review", "chongqing-2025-gwr-review", "hainan-2025-gwr-review",
    "xinjiang-2025-gwr-review", "chongqing-2026-gwr-review", "anhui-2026-gwr-review", "sichuan-2026-gwr-review",
    "hunan-2026-gwr-review", "xinjiang-2026-gwr-review", "hainan-2026-gwr-review",
    # session 17, batch V (to dev): the dev reports' reviews whose continuation holds at least 2,800 characters
    # before their plan (Henan 2025's short review runs into its plan, which henan-2025-gwr-plan holds)
    "ningxia-2025-gwr-review", "ningxia-2026-gwr-review", "gansu-2026-gwr-review",
    # session 18, batch X (to test): the test reports' reviews whose continuation holds at least 2,800
    # characters before their plan
    "fujian-2025-gwr-review", "fujian-2026-gwr-review", "guizhou-2025-gwr-review",
    # session 27, batch AJ (to train): the training reviews whose continuation holds at least 1,300 characters
    # (the rest of the year's or five years' record, government self-building, the problems paragraph) and
    # overlaps no annotated document (some reviews of PROV_LEN characters already run into their plan)
    "shanghai-2025-gwr-review", "guangdong-2026-gwr-review", "hubei-2026-gwr-review", "shandong-2026-gwr-review",
    "anhui-2025-gwr-review", "hubei-2025-gwr-review", "shanghai-2026-gwr-review", "beijing-2025-gwr-review",
    "tianjin-2026-gwr-review", "hunan-2025-gwr-review",
])
# session 17, batch W (to train): the second continuations (`<id>-plan-c`) of the training work plans whose
# text after their `-plan-b` document holds at least 2,800 characters before the report's next part
PLAN_C_DOCS = _continuations([
    "sichuan-2025-gwr-plan", "guangdong-2026-gwr-plan", "guangdong-2025-gwr-plan", "sichuan-2026-gwr-plan",
    "anhui-2025-gwr-plan", "jiangxi-2025-gwr-plan",
], "c")
# session 22, batch AE (to train): the third continuations (`<id>-plan-d`) of the training work plans whose text
# after their `-plan-c` document holds at least 2,800 characters before the report's next part
PLAN_D_DOCS = _continuations(["guangdong-2025-gwr-plan", "sichuan-2025-gwr-plan", "guangdong-2026-gwr-plan"], "d")
# session 27, batch AK (to train): the livelihood-projects annex (`<id>-gwr-annex`: after a `…民生实事` heading, up to the
# next `附件` or the web page's trailer; the lines an earlier document of the report holds are left to it) of the
# training reports that have one: yearly targets with numbers, and the departments that lead each
ANNEX_DOCS = [(doc_id.replace("-plan", "-annex"), *_SOURCE[doc_id]) for doc_id in [
    "guangdong-2025-gwr-plan", "guangdong-2026-gwr-plan", "neimenggu-2026-gwr-plan"]]
ANNEX_HEADING = re.compile(r"^.*民生实事$", re.M)
ANNEX_END = re.compile(r"^(附件.*|相关报道：?)$", re.M)
# session 16, batch U: the five-year-plan sections (`<id>-fyp`: `二、“十五五”时期…目标…`, the 2026–2030 goals
# and tasks, between the review and the work plan) of the 2026 training reports that have one
FIVE_YEAR_DOCS = [(f"{doc_id.removesuffix('-plan')}-fyp", *_SOURCE[doc_id]) for doc_id in [
    "guangdong-2026-gwr-plan", "sichuan-2026-gwr-plan", "beijing-2026-gwr-plan", "shaanxi-2026-gwr-plan",
    "shandong-2026-gwr-plan", "tianjin-2026-gwr-plan", "chongqing-2026-gwr-plan", "hubei-2026-gwr-plan",
    "jiangsu-2026-gwr-plan", "anhui-2026-gwr-plan", "hunan-2026-gwr-plan", "hebei-2026-gwr-plan",
    "xinjiang-2026-gwr-plan", "hainan-2026-gwr-plan", "xizang-2026-gwr-plan",
]]
# the State Council's work reports (corpus/national/, one report a JSON line; batch Y, session 19: 2019, 2021,
# 2022, 2024, 2025; batches Z, AA, AB, session 20: 2011–2018, 2023; batches AC (dev) and AD, session 21: 2008–2010,
# 2005–2007; batch AE, session 22: 2001, 2003, 2004 — 2002's report opens with an untitled review), each as its review (`一、…工作回顾`, up to the next part) and its plan (from `二、…`: the year's
# targets and policy stance, then its tasks), ~PROV_LEN characters each
NATIONAL = SHARED / "corpus" / "national" / "government_work_reports.jsonl"
NATIONAL_YEARS = [2025, 2024, 2023, 2022, 2021, 2019, 2018, 2017, 2016, 2015, 2014, 2013, 2012, 2011, 2010, 2009, 2008,
                  2007, 2006, 2005, 2004, 2003, 2001]
NATIONAL_DOCS = [f"national-{y}-gwr-{part}" for y in NATIONAL_YEARS for part in ("review", "plan")]
# batch AF, session 23 (to train): the continuations of three training plans (`national-<year>-gwr-plan-b`: the
# next ~PROV_LEN characters of the year's tasks, up to the report's next part)
NATIONAL_DOCS += [f"national-{y}-gwr-plan-b" for y in (2024, 2022, 2021, 2018)]
# batch AG, session 23 (to train): the same for six more training plans
NATIONAL_DOCS += [f"national-{y}-gwr-plan-b" for y in (2017, 2016, 2014, 2013, 2012, 2011)]
# batch AH, session 24 (to train): the same for the 2007, 2006, 2005, 2004 and 2003 plans (2001's continuation
# holds 400 characters; those of 2008–2010 would go to dev)
NATIONAL_DOCS += [f"national-{y}-gwr-plan-b" for y in (2007, 2006, 2005, 2004, 2003)]
# batch AI, session 25 (to train): the reviews and plans of the 2000, 1999 and 1997 reports (1997's digits are
# full-width, `１９９６年`, as users' older texts often are; 1998's digits are spaced, `1 9 9 8`, and 2002 opens with an
# untitled review)
NATIONAL_DOCS += [f"national-{y}-gwr-{part}" for y in (2000, 1999, 1997) for part in ("review", "plan")]
# batch AL, session 32 (to train): the reviews of five older reports, whose numbers are Chinese numerals
# (`百分之十三点四`, `一千四百三十亿元`, `一九八五年`) and full-width digits (`４３５２４万吨`): 1995, 1994, 1993, 1992
# (the year before, or, in 1993, the five years before) and 1986 (the sixth five-year plan, 1981–1985)
NATIONAL_DOCS += [f"national-{y}-gwr-review" for y in (1995, 1994, 1993, 1992, 1986)]
# held out, session 33 (data/annotations/heldout/old_reports.jsonl, never trained on): ~OLD_LEN characters from a
# heading of five older reports, annotated from the raw text alone (`parts --no-pre`), to measure the default on the
# old text's numbers honestly: 1979's results with half-width digits, `％` and `33，212` (1980), the sixth five-year
# plan's targets in Chinese numerals (1982), the five years 1978–1982 (1983) and 1983–1987 with full-width digits
# (1988), and 1993–1997 with letter-spaced years (`1 9 9 3 年`, 1998); id -> (heading line, year, section)
HELDOUT_OLD_DOCS = {
    "national-1980-gwr-review": ("一、国民经济在调整、改革、整顿、提高中取得了新的进展", 1979, None),
    "national-1982-gwr-fyp": ("第六个五年计划的基本任务", 1982, "five_year_plan"),
    "national-1983-gwr-review": ("过去五年的回顾", 1982, None),
    "national-1988-gwr-review": ("过去五年国内工作的基本总结", 1987, None),
    "national-1998-gwr-review": ("一、关于过去五年的政府工作", 1997, None),
}
OLD_LEN = 3500
TOP_HEADING = re.compile(r"^[一二三四五六七八九十]、.*$", re.M)
WIKISOURCE_FOOTER = "本作品是中华人民共和国的"


def national_reports() -> dict[int, tuple[int, str]]:
    """The State Council's work reports of the national corpus: year -> (line of the file, text)."""
    reports = {}
    with open(NATIONAL, encoding="utf-8") as fh:
        for k, line in enumerate(fh, 1):
            d = json.loads(line)
            if d.get("year") and "国务院政府工作报告" in d.get("title", ""):
                reports[int(d["year"])] = (k, d["content"])
    return reports


def national_documents() -> list[Document]:
    """The documents of ``NATIONAL_DOCS``, cut from the report of their year."""
    reports = national_reports()
    docs = []
    for doc_id in NATIONAL_DOCS:
        year, part = int(doc_id.split("-")[1]), doc_id.split("-", 3)[3]
        line, full = reports[year]
        heads = [m.start() for m in TOP_HEADING.finditer(full)]
        if part == "review":
            start = heads[0]
            end = min(_line_end(full, start + PROV_LEN), heads[1] - 1)
        else:
            start = heads[1]
            end = _line_end(full, start + PROV_LEN)
            if part == "plan-b":
                start, end = _continuation(full, end + 1)
                start += len(full[start:end]) - len(full[start:end].lstrip())  # the blank lines between
        footer = full.find(WIKISOURCE_FOOTER)
        if footer != -1:  # a short last part (2023) would run into the web page's licence note
            end = min(end, footer)
        end = start + len(full[start:end].rstrip())
        docs.append(Document(doc_id, full[start:end],
                             {"source": f"corpus/national/{NATIONAL.name}", "line": line, "region": "中华人民共和国",
                              "year": year - 1 if part == "review" else year, "doc_type": "government_work_report",
                              **({"section": "plan"} if part != "review" else {}), "char_range": [start, end]}))
    return docs


def heldout_old_documents() -> list[Document]:
    """The documents of ``HELDOUT_OLD_DOCS``: from their heading line to the end of the line ``OLD_LEN`` on."""
    reports = national_reports()
    docs = []
    for doc_id, (heading, year, section) in HELDOUT_OLD_DOCS.items():
        line, full = reports[int(doc_id.split("-")[1])]
        start = re.search(rf"^{re.escape(heading)}$", full, re.M).start()
        end = start + len(full[start:_line_end(full, start + OLD_LEN)].rstrip())
        docs.append(Document(doc_id, full[start:end],
                             {"source": f"corpus/national/{NATIONAL.name}", "line": line, "region": "中华人民共和国",
                              "year": year, "doc_type": "government_work_report",
                              **({"section": section} if section else {}), "char_range": [start, end],
                              "heldout": "old_reports"}))
    return docs


FIVE_YEAR_HEADING = re.compile(r"^[二三]、.*“?十五五”?.*$", re.M)
PLAN_HEADING = re.compile(r"^[二三]、.*(工作安排|主要任务|重点工作|总体要求|目标任务).*$", re.M)
# plan headings of reports that PLAN_HEADING misses (a whole line of the report)
PLAN_HEADING_OF = {"sichuan-2025-gwr-plan": "2025年工作安排建议", "hubei-2025-gwr-plan": "二、2025年工作思路和重点任务",
                   "hunan-2025-gwr-plan": "二、关于2025年工作", "xizang-2025-gwr-plan": "2025年工作安排",
                   "guangdong-2026-gwr-plan": "三、2026年工作安排", "sichuan-2026-gwr-plan": "三、2026年工作安排",
                   "shanghai-2026-gwr-plan": "三、2026年主要任务", "beijing-2026-gwr-plan": "三、2026年重点工作",
                   "shaanxi-2026-gwr-plan": "三、2026年重点工作", "shandong-2026-gwr-plan": "三、2026年重点工作",
                   "tianjin-2026-gwr-plan": "三、2026年重点工作", "chongqing-2026-gwr-plan": "三、2026年工作安排",
                   "hubei-2026-gwr-plan": "三、2026年的重点工作", "jiangsu-2026-gwr-plan": "三、2026年重点工作",
                   "fujian-2025-gwr-plan": "二、牢记历史使命，在中国式现代化建设中奋勇争先",
                   "fujian-2026-gwr-plan": "三、一鼓作气勇争先，全力推动“十五五”开好局、起好步",
                   "jiangxi-2026-gwr-plan": "三、2026年工作安排", "shanxi-2026-gwr-plan": "三、2026年工作安排",
                   "anhui-2026-gwr-plan": "三、2026年重点工作", "hunan-2026-gwr-plan": "三、关于2026年工作",
                   "neimenggu-2026-gwr-plan": "三、全力抓好七项重点工作", "hebei-2026-gwr-plan": "三、2026年主要工作",
                   "yunnan-2026-gwr-plan": "三、2026年重点工作",
                   "guangxi-2026-gwr-plan": "三、2026年重点工作",
                   "zhejiang-2026-gwr-plan": "三、2026年重点工作",
                   "guizhou-2026-gwr-plan": "三、2026年工作安排",
                   "qinghai-2026-gwr-plan": "三、2026年重点工作任务",
                   "heilongjiang-2026-gwr-plan": "三、2026年重点工作",
                   "ningxia-2026-gwr-plan": "三、2026年重点工作",
                   "henan-2026-gwr-plan": "三、2026年重点工作安排",
                   "gansu-2026-gwr-plan": "2026年重点工作",
                   "xinjiang-2026-gwr-plan": "三、2026年重点工作",
                   "hainan-2026-gwr-plan": "三、2026年主要工作",
                   "xizang-2026-gwr-plan": "三、2026年重点工作"}
PROV_LEN = 5000
# where a continuation (PLAN_B_DOCS, REVIEW_B_DOCS) stops: the report's next top-level heading, or a web page's trailer
NEXT_PART = re.compile(r"^([一二三四五六七八九十]、.*|相关报道：?)$", re.M)


def _line_end(full: str, pos: int) -> int:
    end = full.find("\n", pos)
    return len(full) if end < 0 else end


def review_range(full: str) -> tuple[int, int]:
    """The review section of a work report: from its heading (工作回顾, else the report's first part,
    一、…) to the end of the line ``PROV_LEN`` characters on."""
    start = (re.search(r"^.*工作回顾.*$", full, re.M) or re.search(r"^一、.*$", full, re.M)).start()
    return start, _line_end(full, start + PROV_LEN)


def _continuation(full: str, start: int) -> tuple[int, int]:
    """The lines from ``start`` up to ~PROV_LEN characters on, stopping before the report's next
    top-level heading (or a web page's trailer)."""
    nxt = NEXT_PART.search(full, start)
    return start, min(_line_end(full, start + PROV_LEN), nxt.start() - 1 if nxt else len(full))


def report_path(src: str) -> Path:
    """A provincial report of ``PROV_DOCS``/``PLAN_DOCS``: a bare name is in ``PROV``, a path with a folder
    is relative to ``corpus/``."""
    return PROV.parent / src if "/" in src else PROV / src


def plan_heading_start(doc_id: str, full: str) -> int:
    """Offset of the work-plan heading of a report: its ``PLAN_HEADING_OF`` line, else ``PLAN_HEADING``."""
    heading = PLAN_HEADING_OF.get(doc_id)
    return (re.search(rf"^{re.escape(heading)}$", full, re.M) if heading else PLAN_HEADING.search(full)).start()


def documents() -> list[Document]:
    docs = []
    for doc_id, src, lines, meta in SEED_DOCS:
        text = (SEEDS / src).read_text(encoding="utf-8")
        m = {"source": f"seeds/{src}", **meta}
        if lines:
            all_lines = text.split("\n")
            text = "\n".join(all_lines[lines[0] - 1:lines[1]])
            m["lines"] = list(lines)
        docs.append(Document(doc_id, text, m))
    for doc_id, src, region in (PROV_DOCS + PLAN_DOCS + PLAN_B_DOCS + REVIEW_B_DOCS + FIVE_YEAR_DOCS + PLAN_C_DOCS
                                + PLAN_D_DOCS):
        path = report_path(src)
        full = path.read_text(encoding="utf-8")
        start, end = review_range(full)
        year, section = int(path.name[:4]) - 1, {}  # a work report of year N reviews year N - 1
        if doc_id.endswith("-fyp"):  # the five-year-plan section: its heading up to the work plan's
            plan = plan_heading_start(doc_id.replace("-fyp", "-plan"), full)
            start = max(FIVE_YEAR_HEADING.search(full).start(), end + 1)  # never into the annotated review
            end, year, section = min(_line_end(full, start + PROV_LEN), plan - 1), year + 1, \
                {"section": "five_year_plan"}
        if doc_id.endswith("-review-b"):  # the review's continuation: up to the next part or the plan
            plan = plan_heading_start(doc_id.replace("-review-b", "-plan"), full)
            start, end = _continuation(full, end + 1)
            end = min(end, plan - 1) if plan > start else end
        plan_doc = re.fullmatch(r"(.*-plan)(?:-([bcd]))?", doc_id)  # the plan or a continuation
        if plan_doc:  # the plan for the report's own year: from its heading
            start, year, section = max(plan_heading_start(plan_doc[1], full), end + 1), year + 1, {"section": "plan"}
            end = _line_end(full, start + PROV_LEN)
            for _ in range({None: 0, "b": 1, "c": 2, "d": 3}[plan_doc[2]]):
                start, end = _continuation(full, end + 1)
        docs.append(Document(doc_id, full[start:end],
                             {"source": f"corpus/{path.relative_to(PROV.parent)}", "region": region, "year": year,
                              "doc_type": "government_work_report", **section, "char_range": [start, end]}))
    for doc_id, src, region in ANNEX_DOCS:
        path = report_path(src)
        full = path.read_text(encoding="utf-8")
        source = f"corpus/{path.relative_to(PROV.parent)}"
        start = _line_end(full, ANNEX_HEADING.search(full).end()) + 1
        for d in docs:  # never into an annotated document of the report (a continuation may hold the first lines)
            if d.meta.get("source") == source and d.meta["char_range"][0] <= start < d.meta["char_range"][1] + 1:
                start = d.meta["char_range"][1] + 1
        start += len(full[start:]) - len(full[start:].lstrip())
        nxt = ANNEX_END.search(full, start)
        end = start + len(full[start:nxt.start() if nxt else len(full)].rstrip())
        docs.append(Document(doc_id, full[start:end],
                             {"source": source, "region": region, "year": int(path.name[:4]),
                              "doc_type": "government_work_report", "section": "livelihood_projects",
                              "char_range": [start, end]}))
    return docs + national_documents() + heldout_old_documents()


def part_bounds(text: str, size: int = PART_LEN) -> list[tuple[int, int]]:
    """Cut ``text`` into parts of about ``size`` characters at sentence ends."""
    ends = [e for _, e in split_sentences(text)]
    bounds, start = [], 0
    for e in ends:
        if e - start >= size:
            bounds.append((start, e))
            start = e
    if start < len(text):
        if bounds and len(text) - start < size // 3:
            bounds[-1] = (bounds[-1][0], len(text))
        else:
            bounds.append((start, len(text)))
    return bounds


def cmd_parts(args) -> None:
    work = Path(args.work)
    manifest = []
    for doc in documents():
        if args.no_pre != bool(doc.meta.get("heldout")):  # held-out documents never get a model's pre-annotation
            continue
        d = work / doc.id
        d.mkdir(parents=True, exist_ok=True)
        pre = preannotate(doc.id, doc.text) if not args.no_pre else Document(doc.id, doc.text)
        for k, (a, b) in enumerate(part_bounds(doc.text)):
            raw = doc.text[a:b]
            (d / f"p{k:02d}.raw.txt").write_text(raw, encoding="utf-8")
            ents = [s for s in pre.entities if a <= s.start and s.end <= b]
            ids = {s.id for s in ents}
            rels = [r for r in pre.relations if r.from_id in ids and r.to_id in ids]
            from govie.schema import Span
            ents = [Span(s.id, s.label, s.start - a, s.end - a) for s in ents]
            if not args.no_pre:  # the held-out documents are annotated from the raw text alone
                (d / f"p{k:02d}.pre.txt").write_text(to_markup(raw, ents, rels), encoding="utf-8")
            manifest.append({"doc": doc.id, "part": k, "start": a, "end": b, "chars": b - a})
    (work / "documents.jsonl").write_text(
        "".join(json.dumps(d.to_dict(), ensure_ascii=False) + "\n" for d in documents()), encoding="utf-8")
    (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(manifest)} parts, {sum(m['chars'] for m in manifest)} characters")


def check_part(path: Path) -> Document:
    raw_path = Path(re.sub(r"\.(pre|ann|rev|agr|fin)\.txt$", ".raw.txt", str(path)))
    raw = raw_path.read_text(encoding="utf-8")
    doc = parse_markup(path.read_text(encoding="utf-8"), raw, path=str(path))
    problems = validate_document(doc, path=str(path))
    if problems:
        raise SystemExit("\n".join(str(p) for p in problems))
    return doc


def cmd_check(args) -> None:
    from collections import Counter
    bad = 0
    for p in args.files:
        try:
            doc = check_part(Path(p))
        except Exception as e:  # report every file, then fail
            print(f"FAIL {p}: {e}")
            bad += 1
            continue
        labels = Counter(s.label for s in doc.entities)
        rels = Counter(r.type for r in doc.relations)
        print(f"OK {p}: {len(doc.text)} chars, entities {dict(labels)}, relations {dict(rels)}")
    sys.exit(1 if bad else 0)


def cmd_merge(args) -> None:
    work = Path(args.work)
    manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
    docs = {d.id: d for d in documents()}
    out, missing = [], []
    for doc_id, doc in docs.items():
        parts = [m for m in manifest if m["doc"] == doc_id]
        loaded = []
        for m in parts:
            stages = args.stage.split(",")  # the first stage that exists wins: fin,rev
            cands = [work / doc_id / f"p{m['part']:02d}.{st}.txt" for st in stages]
            p = next((c for c in cands if c.exists()), cands[-1])
            if not p.exists():
                missing.append(str(p))
                continue
            loaded.append((m["start"], check_part(p)))
        if parts and len(loaded) == len(parts):  # documents of this work folder only
            out.append(merge_parts(doc_id, doc.text, loaded, doc.meta))
    with open(args.output, "w", encoding="utf-8") as fh:
        for d in out:
            fh.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} documents to {args.output}; {len(missing)} parts missing")
    for m in missing:
        print("  missing", m)


def cmd_diff(args) -> None:
    """Spans and relations that differ between two stages of the same part."""
    a, b = check_part(Path(args.a)), check_part(Path(args.b))

    def spans(d):
        return {(s.start, s.end, s.label) for s in d.entities}

    def rels(d):
        by = {s.id: s for s in d.entities}
        return {(d.text[by[r.from_id].start:by[r.from_id].end], r.type, d.text[by[r.to_id].start:by[r.to_id].end],
                 by[r.from_id].start, by[r.to_id].start) for r in d.relations}
    sa, sb = spans(a), spans(b)
    for s in sorted(sa - sb):
        print(f"- {s[2]:<9} {s[0]:>5}-{s[1]:<5} {a.text[s[0]:s[1]]}")
    for s in sorted(sb - sa):
        print(f"+ {s[2]:<9} {s[0]:>5}-{s[1]:<5} {b.text[s[0]:s[1]]}")
    ra, rb = rels(a), rels(b)
    for r in sorted(ra - rb, key=lambda r: r[3]):
        print(f"- {r[0]} {r[1]} {r[2]}")
    for r in sorted(rb - ra, key=lambda r: r[3]):
        print(f"+ {r[0]} {r[1]} {r[2]}")
    print(f"spans: {len(sa & sb)} same, {len(sa - sb)} removed, {len(sb - sa)} added; "
          f"relations: {len(ra & rb)} same, {len(ra - rb)} removed, {len(rb - ra)} added")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("parts", help="write raw and pre-annotated parts")
    p.add_argument("--work", required=True)
    p.add_argument("--no-pre", action="store_true",
                   help="the held-out documents (HELDOUT_OLD_DOCS, which a plain run leaves out): raw parts only")
    p.set_defaults(fn=cmd_parts)
    p = sub.add_parser("check", help="check markup files against their raw parts and the schema")
    p.add_argument("files", nargs="+")
    p.set_defaults(fn=cmd_check)
    p = sub.add_parser("diff", help="show what changed between two stages of a part")
    p.add_argument("a")
    p.add_argument("b")
    p.set_defaults(fn=cmd_diff)
    p = sub.add_parser("merge", help="merge checked parts into a JSONL file")
    p.add_argument("--work", required=True)
    p.add_argument("--stage", default="fin,rev", help="comma list; per part the first existing stage wins")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(fn=cmd_merge)
    args = ap.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
