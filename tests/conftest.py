from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seeds() -> Path:
    p = SHARED / "seeds"
    if not p.exists():
        pytest.skip("../shared/seeds is not beside the checkout")
    return p


@pytest.fixture(scope="session")
def seed_002(seeds) -> str:
    return (seeds / "002_9f3f8843737d5614.txt").read_text(encoding="utf-8")
