"""govie: structured data from Chinese government reports.

    >>> import govie
    >>> ex = govie.extract("全市地区生产总值1300亿元，增长8%。")
    >>> [(e.label, e.text) for e in ex.entities][:3]
    [('INDICATOR', '地区生产总值'), ('VALUE', '1300'), ('UNIT', '亿元')]
"""
from .pipeline import Extraction, Pipeline, extract, extract_many, load
from .render import render
from .schema import LABELS, RELATION_TYPES, Document, Relation, Span

__version__ = "0.1.0"
__all__ = ["extract", "extract_many", "load", "render", "Extraction", "Pipeline", "Document", "Span", "Relation",
           "LABELS", "RELATION_TYPES", "__version__"]
