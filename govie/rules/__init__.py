"""The rule baseline: numbers and units, gazetteer regions, lexicon indicators and organizations.

It pre-annotates documents for the gold annotation work and is the baseline
row of every evaluation table.
"""
from .baseline import RuleTagger, preannotate

__all__ = ["RuleTagger", "preannotate"]
