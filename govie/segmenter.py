"""Chinese word segmentation with the pkuseg model shipped in govie.

The published pkuseg models are downloaded from the internet when first used;
govie ships its own (``govie/resources/pkuseg``: ``features.msgpack`` +
``weights.npz``), trained with spacy_pkuseg's trainer on weakly segmented
government-report text plus UD Chinese gold segmentation
(``training/segmenter/``; scores in ``benchmarks/results/segmenter.json``).

    >>> from govie.segmenter import load_pkuseg
    >>> load_pkuseg().cut("全市地区生产总值增长8%。")   # doctest: +SKIP
    >>> nlp = spacy_zh()                                  # spaCy blank "zh", pkuseg tokenizer
"""
from __future__ import annotations

from pathlib import Path

PKUSEG_DIR = Path(__file__).resolve().parent / "resources" / "pkuseg"
_FILES = ("features.msgpack", "weights.npz")


def model_dir() -> Path:
    missing = [f for f in _FILES if not (PKUSEG_DIR / f).is_file()]
    if missing:
        raise FileNotFoundError(f"govie pkuseg model incomplete in {PKUSEG_DIR}: missing {', '.join(missing)} "
                                "(build it with training/segmenter/train.py)")
    return PKUSEG_DIR


def load_pkuseg(user_dict=None):
    """The shipped model as a ``spacy_pkuseg.pkuseg`` (no download).

    ``user_dict=None`` (default) is the pure model, as scored. ``user_dict`` may
    also be a path to a word list or a list of words: those are kept whole by
    pkuseg's forward-maximum-match preprocessor. Passing ``"default"`` turns on
    spacy_pkuseg's bundled post-processing dictionary, which lowers the score on
    UD Chinese (it merges words into its own larger units).
    """
    import spacy_pkuseg

    return spacy_pkuseg.pkuseg(str(model_dir()), user_dict=user_dict)


def spacy_zh(segmenter: str = "pkuseg"):
    """``spacy.blank("zh")`` with the given segmenter; for ``"pkuseg"`` it is
    initialized from the shipped model (no download), post-processing off.

    The tokenizer serializes with the pipeline (``nlp.to_disk`` / ``to_bytes``
    store the model and the post-processing switch), so a saved pipeline does
    not need govie to load.
    """
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": segmenter}}})
    if segmenter == "pkuseg":
        # spaCy's pkuseg_user_dict=None would mean "a user dict next to the
        # model" (a file path); "default" loads spacy_pkuseg's post-processing
        # dictionary, switched off below so that spaCy segments exactly like
        # load_pkuseg().
        nlp.tokenizer.initialize(pkuseg_model=str(model_dir()), pkuseg_user_dict="default")
        nlp.tokenizer.pkuseg_seg.postprocesser.do_process = False
    return nlp
