"""The gold annotation workflow (training/annotation/annotate.py): parts back into documents."""
import argparse
import json

from govie.io import read_jsonl
from govie.markup import to_markup


def test_merge_writes_only_the_documents_of_its_work_folder(seeds, tmp_path):
    """A work folder holding the parts of one document merges into that one document,
    with exact offsets; the other documents of the workflow are not written as empty ones."""
    from training.annotation.annotate import cmd_merge, documents, part_bounds
    doc = next(d for d in documents() if d.id == "shenyang-5g-center")
    manifest = []
    (tmp_path / doc.id).mkdir()
    for k, (a, b) in enumerate(part_bounds(doc.text, size=600)):
        raw = doc.text[a:b]
        (tmp_path / doc.id / f"p{k:02d}.raw.txt").write_text(raw, encoding="utf-8")
        (tmp_path / doc.id / f"p{k:02d}.fin.txt").write_text(to_markup(raw, [], []), encoding="utf-8")
        manifest.append({"doc": doc.id, "part": k, "start": a, "end": b, "chars": b - a})
    assert len(manifest) >= 2
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    out = tmp_path / "merged.jsonl"
    cmd_merge(argparse.Namespace(work=str(tmp_path), stage="fin", output=str(out)))
    merged = read_jsonl(out)
    assert [d.id for d in merged] == [doc.id]
    assert merged[0].text == doc.text and merged[0].entities == []
