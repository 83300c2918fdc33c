"""Distillation: soft labels, corpus selection, the teacher label cache, a tiny run end to end."""
import json
from pathlib import Path

import numpy as np
import pytest
import torch

import govie
from govie.distill import corpus_lines, label_corpus, shards, teacher_id
from govie.model import TAG2ID, GovieModel, ModelConfig, char_distributions, fill_char_distributions
from govie.schema import IOB2_TAGS

ROOT = Path(__file__).resolve().parents[1]


def test_piece_distribution_spreads_inside_without_new_boundaries():
    d = char_distributions(5)
    p = np.zeros(len(IOB2_TAGS), dtype=np.float32)
    p[TAG2ID["B-VALUE"]], p[TAG2ID["I-VALUE"]], p[TAG2ID["O"]] = 0.7, 0.1, 0.2
    fill_char_distributions(d, np.stack([p]), [(1, 4)])  # one piece over characters 1..3
    assert d[1, TAG2ID["B-VALUE"]] == pytest.approx(0.7)
    for k in (2, 3):  # inside the piece: B mass moved to I, O kept
        assert d[k, TAG2ID["B-VALUE"]] == 0.0
        assert d[k, TAG2ID["I-VALUE"]] == pytest.approx(0.8)
        assert d[k, TAG2ID["O"]] == pytest.approx(0.2)
    assert d[0, TAG2ID["O"]] == 1.0 and d[4, TAG2ID["O"]] == 1.0  # not covered: O
    np.testing.assert_allclose(d.sum(1), 1.0, rtol=1e-6)


def test_soft_loss_with_one_hot_teacher_equals_hard_loss():
    torch.manual_seed(0)
    m = GovieModel(ModelConfig(encoder="bilstm", vocab_size=20, hidden_size=16, embedding_size=8, num_layers=1))
    m.eval()
    ids = torch.tensor([[2, 5, 6, 7, 3]])
    mask = torch.ones_like(ids)
    tags = torch.tensor([[-100, TAG2ID["B-VALUE"], TAG2ID["I-VALUE"], 0, -100]])
    hard = m(ids, mask, ner_labels=tags)["loss"]
    soft = torch.zeros(1, 5, len(IOB2_TAGS))
    smask = tags != -100
    soft[smask] = torch.nn.functional.one_hot(tags[smask], len(IOB2_TAGS)).float()
    out = m(ids, mask, ner_labels=torch.full_like(tags, -100), soft_labels=soft, soft_mask=smask)
    assert out["loss"].item() == pytest.approx(hard.item(), rel=1e-5)
    half = m(ids, mask, ner_labels=torch.full_like(tags, -100), soft_labels=soft, soft_mask=smask,
             soft_weight=torch.tensor(0.5))
    assert half["loss"].item() == pytest.approx(0.5 * hard.item(), rel=1e-5)


def test_corpus_lines_drop_held_out_text_duplicates_and_noise(tmp_path):
    held = "全市地区生产总值增长百分之六点五，一般公共预算收入达到一百二十亿元，城镇新增就业三万人。"
    boiler = "坚持以习近平新时代中国特色社会主义思想为指导"
    lines = [held, boiler + "，今年全县粮食产量达到十二万吨，再创历史新高，农民人均可支配收入增长百分之七。", "短行", "English only line here",
             "新建改建农村公路三百公里，完成投资四亿元。", "新建改建农村公路三百公里，完成投资四亿元。"]
    (tmp_path / "a.txt").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"content": "城市更新项目开工二十个。\n" + held}, ensure_ascii=False)
                                      + "\n", encoding="utf-8")
    got = corpus_lines([str(tmp_path / "*.txt"), str(tmp_path / "*.jsonl")], exclude=["前言。" + held + boiler])
    assert sorted(got) == sorted([boiler + "，今年全县粮食产量达到十二万吨，再创历史新高，农民人均可支配收入增长百分之七。",
                                  "新建改建农村公路三百公里，完成投资四亿元。", "城市更新项目开工二十个。"])
    assert got == corpus_lines([str(tmp_path / "*.txt"), str(tmp_path / "*.jsonl")], exclude=[held])  # seeded order
    with pytest.raises(FileNotFoundError, match="no file matches"):
        corpus_lines([str(tmp_path / "*.md")], exclude=[])


def test_shards_cover_every_line_once():
    lines = ["甲" * 7, "乙" * 5, "丙" * 9, "丁" * 2]
    got = shards(lines, 10)
    assert got == [["甲" * 7, "乙" * 5], ["丙" * 9, "丁" * 2]]


@pytest.fixture(scope="module")
def teacher(tmp_path_factory):
    from govie.training import train
    return train(ROOT / "training" / "configs" / "tiny-ci.yaml", tmp_path_factory.mktemp("teacher"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seeds):
    d = tmp_path_factory.mktemp("corpus")
    text = (seeds / "002_9f3f8843737d5614.txt").read_text(encoding="utf-8")
    (d / "c.txt").write_text(text[:12000], encoding="utf-8")
    return str(d / "*.txt")


def test_teacher_labels_agree_with_its_predictions_and_are_cached(teacher, corpus, tmp_path):
    lines = corpus_lines([corpus], exclude=[])[:30]
    labs = label_corpus(teacher, lines, tmp_path / "labels", shard_chars=800)
    assert sum(s.manifest["lines"] for s in labs) == len(lines)
    k = 0
    from govie.pipeline import ModelTagger, Pipeline
    pipe = Pipeline(ModelTagger(teacher, snap_words=False))  # the model's own spans, as labeled
    for shard in labs:
        docs = shard.documents()
        for j, doc in enumerate(docs):
            assert doc.text == lines[k]
            ex = pipe(lines[k])
            assert [(e.start, e.end, e.label) for e in ex.entities] == [(s.start, s.end, s.label) for s in doc.entities]
            dist = shard.dist(j)
            assert dist.shape == (len(lines[k]), len(IOB2_TAGS))
            np.testing.assert_allclose(np.asarray(dist, dtype=np.float32).sum(1), 1.0, atol=2e-3)
            k += 1
    stamp = [(s.path / "soft.npy").stat().st_mtime_ns for s in labs]
    again = label_corpus(teacher, lines, tmp_path / "labels", shard_chars=800)
    assert [(s.path / "soft.npy").stat().st_mtime_ns for s in again] == stamp  # reused, not relabeled


def test_labels_are_made_anew_when_the_teacher_at_the_same_path_changes(teacher, corpus, tmp_path):
    """A default re-bundled at the same path must not reuse the labels of the model it replaced."""
    import shutil

    from safetensors.torch import load_file, save_file
    lines = corpus_lines([corpus], exclude=[])[:12]
    moved = tmp_path / "teacher"
    shutil.copytree(teacher, moved)
    first = label_corpus(moved, lines, tmp_path / "labels", shard_chars=800)
    assert first[0].manifest["teacher"] == teacher_id(moved)
    assert teacher_id(moved).split("@")[1] == teacher_id(teacher).split("@")[1]  # same weights, same digest
    weights = load_file(moved / "model.safetensors")
    save_file({k: v + 0.5 if v.is_floating_point() else v for k, v in weights.items()}, moved / "model.safetensors")
    stamp = [(s.path / "soft.npy").stat().st_mtime_ns for s in first]
    again = label_corpus(moved, lines, tmp_path / "labels", shard_chars=800)
    assert again[0].manifest["teacher"] == teacher_id(moved) != first[0].manifest["teacher"]
    assert all((s.path / "soft.npy").stat().st_mtime_ns != t for s, t in zip(again, stamp))  # relabeled


def test_worker_processes_label_exactly_like_one_process(teacher, corpus, tmp_path):
    lines = corpus_lines([corpus], exclude=[])[:24]
    one = label_corpus(teacher, lines, tmp_path / "one", shard_chars=600)
    two = label_corpus(teacher, lines, tmp_path / "two", shard_chars=600, workers=2)
    assert len(one) == len(two) > 2
    for a, b in zip(one, two):
        assert [d.to_dict() for d in a.documents()] == [d.to_dict() for d in b.documents()]
        np.testing.assert_array_equal(np.asarray(a.soft), np.asarray(b.soft))
        assert a.offsets == b.offsets


def test_distill_cli_trains_a_student(teacher, corpus, tmp_path, capsys):
    from govie.cli import main
    out = tmp_path / "student"
    assert main(["distill", "--teacher", str(teacher), "--corpus", corpus, "--out", str(out),
                 "--config", str(ROOT / "training" / "configs" / "tiny-distill-ci.yaml"),
                 "--labels", str(tmp_path / "labels")]) == 0
    assert "test: entity micro-F1" in capsys.readouterr().out
    log = json.loads((out / "training_log.json").read_text())
    assert log["distill"]["corpus_windows"] > 0 and log["distill"]["gold_windows"] > 0
    from govie.training import load_config, split_docs
    ci = load_config(ROOT / "training" / "configs" / "tiny-distill-ci.yaml")
    assert log["distill"]["held_out"] == [d.id for s in ("dev", "test") for d in split_docs(ci, s)]
    assert log["distill"]["teachers"][0]["chars"] >= 4000
    assert log["log_history"][-1]["step"] == 4  # stop_after_steps: 4 of a 6-step schedule
    cfg = json.loads((out / "govie_config.json").read_text())
    assert cfg["encoder"] == "bilstm"
    ex = govie.load(str(out))("2023年全市地区生产总值增长6%。")
    assert all(0 <= e.start < e.end <= len(ex.text) for e in ex.entities)
    with pytest.raises(FileNotFoundError, match="neither a model directory"):
        main(["distill", "--teacher", str(tmp_path), "--corpus", corpus, "--out", str(out),
              "--config", str(ROOT / "training" / "configs" / "tiny-distill-ci.yaml")])


def test_a_student_learns_from_saved_labels_checked_against_the_corpus(teacher, corpus, tmp_path):
    """Labels made before (on another machine, say) stand in for the teacher, once checked."""
    from govie.distill import distill, saved_labels
    cfg = ROOT / "training" / "configs" / "tiny-distill-ci.yaml"
    made = distill(cfg, [teacher], [corpus], tmp_path / "a", labels_dir=tmp_path / "labels")
    labels = tmp_path / "labels" / Path(teacher).resolve().name
    again = distill(cfg, [labels], [corpus], tmp_path / "b")
    for f in ("model.safetensors", "char_vocab.json"):  # same labels, same seed: the same student
        assert (made / f).read_bytes() == (again / f).read_bytes()
    log = json.loads((again / "training_log.json").read_text())
    assert log["distill"]["teachers"][0]["labeled_by"] == teacher_id(teacher)  # its path and weights digest
    lines = corpus_lines([corpus], exclude=[])
    with pytest.raises(ValueError, match="other corpus lines"):
        saved_labels(labels, lines[::-1], shard_chars=1500, max_chars=4000)
    with pytest.raises(FileNotFoundError, match="no labels for shard"):
        saved_labels(labels, lines, shard_chars=1500)  # more lines than were labeled


def test_saved_labels_are_resharded_line_by_line_when_a_document_leaves_the_corpus(teacher, corpus, tmp_path):
    """A document moved into dev or test takes its lines out of the corpus and the seeded shuffle
    orders the rest anew: each line keeps exactly the labels it had."""
    from govie.distill import saved_labels
    lines = corpus_lines([corpus], exclude=[])[:40]
    old = label_corpus(teacher, lines, tmp_path / "labels", shard_chars=800)
    by_text = {d.text: (lab, k, d) for lab in old for k, d in enumerate(lab.documents())}
    fewer = [t for k, t in enumerate(lines) if k % 5][::-1]
    with pytest.raises(ValueError, match="other corpus lines"):
        saved_labels(tmp_path / "labels", fewer, shard_chars=800)
    new = saved_labels(tmp_path / "labels", fewer, shard_chars=800, reshard_dir=tmp_path / "re")
    assert [d.text for lab in new for d in lab.documents()] == fewer
    for lab in new:
        assert lab.manifest["resharded_from"] == str(tmp_path / "labels")
        for k, d in enumerate(lab.documents()):
            src, j, orig = by_text[d.text]
            np.testing.assert_array_equal(lab.dist(k), src.dist(j))
            assert [(s.label, s.start, s.end) for s in d.entities] == [(s.label, s.start, s.end) for s in orig.entities]
            assert [(r.from_id, r.to_id, r.type) for r in d.relations] == \
                [(r.from_id, r.to_id, r.type) for r in orig.relations]
    again = saved_labels(tmp_path / "labels", fewer, shard_chars=800, reshard_dir=tmp_path / "re")
    assert [lab.path for lab in again] == [lab.path for lab in new]  # cached
    with pytest.raises(ValueError, match="no labels for 1 of the corpus lines"):
        saved_labels(tmp_path / "labels", fewer + ["一条老师没有标过的新段落，全年完成投资十亿元。"], shard_chars=800,
                     reshard_dir=tmp_path / "re2")


def test_packed_labels_come_back_nearly_equal(teacher, corpus, tmp_path):
    from training.gpu import labels_io
    lines = corpus_lines([corpus], exclude=[])[:30]
    labs = label_corpus(teacher, lines, tmp_path / "labels", shard_chars=800)
    labels_io.pack(tmp_path / "labels", tmp_path / "labels.tar.xz")
    labels_io.unpack(tmp_path / "labels.tar.xz", tmp_path / "back")
    for a in labs:
        b = type(a)(tmp_path / "back" / a.path.name)
        assert [d.to_dict() for d in a.documents()] == [d.to_dict() for d in b.documents()]
        assert b.manifest["quantized"] == "uint8" and b.offsets == a.offsets
        sa, sb = np.asarray(a.soft, np.float32), np.asarray(b.soft, np.float32)
        np.testing.assert_allclose(sb.sum(1), 1.0, atol=2e-3)
        assert np.abs(sa - sb).max() < 0.03
        top2 = np.sort(sa, 1)[:, -2:]
        clear = top2[:, 1] - top2[:, 0] > 0.03  # (an untrained teacher has near ties, which rounding may flip)
        assert clear.any()
        assert (sa.argmax(1) == sb.argmax(1))[clear].all()


def test_remote_scripts_train_pick_label_and_distill(corpus, tmp_path):
    """training/gpu/teachers.py then students.py, as on the GPU machine, with CI's tiny configs."""
    import subprocess
    import sys
    import tarfile
    common = ["--corpus", corpus, "--budget", "60"]
    out1, out2 = tmp_path / "out1", tmp_path / "out2"
    out1.mkdir()
    out2.mkdir()
    subprocess.run([sys.executable, "training/gpu/teachers.py", "tiny-ci", "--out", str(out1), "--label", "1",
                    "--workers", "2", "--max-chars", "4000", "--student-config", "training/configs/tiny-distill-ci.yaml",
                    "--runs", str(tmp_path / "runs1"), *common], check=True, cwd=ROOT)
    summary = json.loads((out1 / "teachers.json").read_text())
    assert summary["best"] == ["tiny-ci"] and summary["candidates"]["tiny-ci"]["steps"] == 6
    assert (out1 / "labels-tiny-ci.tar.xz").exists()
    (tmp_path / "teacher.tar").write_bytes(b"".join(p.read_bytes() for p in sorted(out1.glob("best-teacher.tar.part-*"))))
    with tarfile.open(tmp_path / "teacher.tar") as tf:
        names = set(tf.getnames())
    assert {"tiny-ci/model.safetensors", "tiny-ci/govie_config.json", "tiny-ci/metrics.json"} <= names
    subprocess.run([sys.executable, "training/gpu/students.py", "tiny-distill-ci:tiny-ci", "--out", str(out2),
                    "--labels", str(out1), "--runs", str(tmp_path / "runs2"), *common], check=True, cwd=ROOT)
    students = json.loads((out2 / "students.json").read_text())
    assert students["tiny-distill-ci--tiny-ci"]["steps"] == 4  # the config's stop_after_steps
    import yaml
    used = yaml.safe_load((tmp_path / "runs2" / "gpu-configs" / "tiny-distill-ci--tiny-ci.yaml").read_text())
    assert used["train"]["max_seconds"] == 60


def test_the_bakeoff_marks_a_student_whose_corpus_held_the_split_text():
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bakeoff import saw_split_text
    from govie.schema import Document
    docs = [Document("a", "x"), Document("b", "y")]
    assert saw_split_text({}, docs) is None  # not distilled
    assert saw_split_text({"distill": {"held_out": ["a", "b", "c"]}}, docs) is False
    assert saw_split_text({"distill": {"held_out": ["a", "c"]}}, docs) is True


def test_the_bakeoff_scores_a_marked_student_on_the_documents_it_held_out():
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bakeoff import LABELS, held_out_table
    plain = {"model": "rules", "corpus_saw_split_text": None}
    per = dict.fromkeys(LABELS, 0.5)
    marked = {"model": "student", "corpus_saw_split_text": True,
              "held_out": {"documents": ["a", "c"], "entity_micro_f1": 0.875, "per_label_f1": per, "relation_f1": 0.8}}
    assert held_out_table([plain]) == []
    lines = held_out_table([plain, marked])
    assert len(lines) == 3 and lines[2].startswith("| student | 2 | 0.875 | 0.500 |") and lines[2].endswith("| 0.800 |")


def test_the_bakeoff_scores_every_document_of_a_gold_file_or_the_named_ones(tmp_path):
    """bakeoff --gold FILE: annotated documents in no split yet (pending batches) are scored whole."""
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bakeoff import load_split
    from govie.schema import Document, Span
    path = tmp_path / "batch.jsonl"
    docs = [Document("a", "法库县增长6%", entities=[Span(1, "REGION", 0, 3)]), Document("b", "康平县")]
    path.write_text("".join(json.dumps(d.to_dict(), ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    got, texts = load_split("test", None, path)
    assert [d.id for d in got] == ["a", "b"] and texts == ["法库县增长6%", "康平县"]
    assert got[0].entities[0].label == "REGION"
    assert [d.id for d in load_split("test", ["b"], path)[0]] == ["b"]
    with pytest.raises(SystemExit, match="batch.jsonl: c"):
        load_split("test", ["c"], path)


def test_a_warm_started_student_keeps_the_init_models_vocabulary_and_weights_at_lr_zero(teacher, corpus, tmp_path):
    """distill.init_from: the student starts as that model (weights, architecture, characters)."""
    import yaml
    from safetensors.torch import load_file
    from govie.distill import distill
    base = yaml.safe_load((ROOT / "training" / "configs" / "tiny-distill-ci.yaml").read_text(encoding="utf-8"))
    base["model"]["hidden_size"] = 24  # differs from the init model's: init_from wins
    base["train"]["lr"] = 0.0
    base["train"]["weight_decay"] = 0.0
    base["distill"]["init_from"] = str(teacher)
    cfg = tmp_path / "warm.yaml"
    cfg.write_text(yaml.safe_dump(base), encoding="utf-8")
    out = distill(cfg, [teacher], [corpus], tmp_path / "warm", labels_dir=tmp_path / "labels")
    assert (out / "char_vocab.json").read_bytes() == (Path(teacher) / "char_vocab.json").read_bytes()
    assert json.loads((out / "govie_config.json").read_text())["hidden_size"] == \
        json.loads((Path(teacher) / "govie_config.json").read_text())["hidden_size"]
    a, b = load_file(str(Path(teacher) / "model.safetensors")), load_file(str(out / "model.safetensors"))
    assert a.keys() == b.keys() and all(torch.equal(a[k].float(), b[k].float()) for k in a)
    assert json.loads((out / "training_log.json").read_text())["distill"]["init_from"] == str(teacher)


def test_a_warm_start_inherits_the_documents_its_init_models_corpus_held(tmp_path):
    from govie.distill import held_out_ids
    ids = ["a", "b", "c"]
    assert held_out_ids(ids) == ids
    (tmp_path / "distilled").mkdir()
    (tmp_path / "distilled" / "training_log.json").write_text(json.dumps({"distill": {"held_out": ["a", "c", "x"]}}))
    assert held_out_ids(ids, tmp_path / "distilled") == ["a", "c"]  # b's text was in the init model's corpus
    (tmp_path / "trained").mkdir()
    (tmp_path / "trained" / "training_log.json").write_text(json.dumps({"log_history": []}))
    assert held_out_ids(ids, tmp_path / "trained") == ids  # gold training documents only
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "training_log.json").write_text(json.dumps({"distill": {"lines": 10}}))
    assert held_out_ids(ids, tmp_path / "old") == []  # unknown: claim nothing
    assert held_out_ids(ids, tmp_path / "missing") == []


def test_name_swapped_gold_copies_replace_some_of_the_gold_repeats(teacher, corpus, tmp_path):
    import yaml
    from govie.distill import distill
    cfg = yaml.safe_load((ROOT / "training" / "configs" / "tiny-distill-ci.yaml").read_text(encoding="utf-8"))
    cfg["distill"].update(gold_repeat=2, name_swap=1)
    cfg["train"].update(max_steps=2, stop_after_steps=2)
    path = tmp_path / "swap.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    out = distill(path, [teacher], [corpus], tmp_path / "student", tmp_path / "labels")
    log = json.loads((out / "training_log.json").read_text())
    assert (log["distill"]["gold_repeat"], log["distill"]["name_swap"]) == (2, 1)
    cfg["distill"]["name_swap"] = 3
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="name_swap must be between 0 and gold_repeat"):
        distill(path, [teacher], [corpus], tmp_path / "student2", tmp_path / "labels")
