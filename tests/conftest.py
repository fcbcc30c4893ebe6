import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared")).resolve()
SEED = ROOT / "corpus" / "bao-cao-so-ket-3-nam-kl01-cbdv-2024.md"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.fail(f"../shared is missing (looked in {SHARED}); set KG_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_extraction(seed_text):
    import kg
    return kg.extract(seed_text, path=str(SEED))
