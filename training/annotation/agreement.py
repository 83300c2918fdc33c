"""Agreement between two independent annotation passes of the same parts.

    python training/annotation/agreement.py --work /work/annot --other /work/annot_agr \
        --stage-a ann --stage-b agr --parts tiexi-2023-plan-report/p01 ... --json data/annotations/agreement.json

Pass A and pass B are scored as gold and prediction with the project's scorer
(seqeval strict IOB2 for entities, strict relations): F1 is symmetric.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from govie.evaluate import score  # noqa: E402
from training.annotation.annotate import check_part  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", required=True, help="folder of pass A")
    ap.add_argument("--other", help="folder of pass B (default: --work)")
    ap.add_argument("--stage-a", default="ann")
    ap.add_argument("--stage-b", default="agr")
    ap.add_argument("--parts", nargs="+", required=True, help="DOC/pNN")
    ap.add_argument("--json")
    args = ap.parse_args()
    other = Path(args.other or args.work)
    docs_a, docs_b = [], []
    for part in args.parts:
        a = check_part(Path(args.work) / f"{part}.{args.stage_a}.txt")
        b = check_part(other / f"{part}.{args.stage_b}.txt")
        a.id = b.id = part
        docs_a.append(a)
        docs_b.append(b)
    s = score(docs_a, docs_b)
    chars = sum(len(d.text) for d in docs_a)
    ent, rel = s["entities"], s["relations"]
    print(f"{len(docs_a)} parts, {chars} characters, passes {args.stage_a} vs {args.stage_b}")
    print(f"entity F1 {ent['micro']['f1']:.4f} (P {ent['micro']['precision']:.4f} R {ent['micro']['recall']:.4f})")
    for lab in ("INDICATOR", "VALUE", "UNIT", "ENTITY", "PROJECT", "REGION"):
        if lab in ent:
            print(f"  {lab:<10} F1 {ent[lab]['f1']:.4f}  (support {ent[lab]['support']})")
    print(f"relation F1 {rel['micro']['f1']:.4f} (P {rel['micro']['precision']:.4f} R {rel['micro']['recall']:.4f})")
    if args.json:
        Path(args.json).write_text(json.dumps({"parts": args.parts, "characters": chars,
                                               "stage_a": args.stage_a, "stage_b": args.stage_b, **s},
                                              indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
