"""Derived lexicons shipped with govie (see README.md in this folder)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _lines(name: str) -> list[str]:
    path = HERE / name
    with open(path, encoding="utf-8") as fh:
        return [ln.rstrip("\n") for ln in fh if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=None)
def regions() -> dict[str, tuple[str, str]]:
    """surface -> (level, canonical full name)."""
    out = {}
    for ln in _lines("regions.tsv"):
        surface, level, canon = ln.split("\t")
        out[surface] = (level, canon)
    return out


@lru_cache(maxsize=None)
def indicators() -> frozenset[str]:
    return frozenset(_lines("indicators.txt"))


@lru_cache(maxsize=None)
def companies() -> frozenset[str]:
    return frozenset(_lines("companies.txt"))


@lru_cache(maxsize=None)
def organizations() -> frozenset[str]:
    """Organizations known nationwide or worldwide (State Council bodies, central
    state-owned enterprises, banks, exchanges, universities, international
    organizations), full names and short forms."""
    return frozenset(_lines("organizations.txt"))
