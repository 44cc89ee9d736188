from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from flavors import FLAVORS, Flavor  # noqa: E402
from guide_examples import pointed_at  # noqa: E402, F401  (fixture for the guide example tests)
from loopback import LoopbackServer  # noqa: E402


@pytest.fixture(scope="session")
def spec_dir() -> Path:
    """The real WATS documents. Missing in CI is a failure, not a skip."""
    value = os.environ.get("WATS_SPEC_DIR")
    if value and (Path(value) / "openapi_public.json").is_file():
        return Path(value)
    message = "WATS_SPEC_DIR must point at the directory holding openapi_public.json and openapi_internal.json"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    srv = LoopbackServer().start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(params=FLAVORS, ids=lambda f: f.name)
def flavor(request: pytest.FixtureRequest) -> Flavor:
    """Each test taking ``flavor`` runs once with pyWATS and once with AsyncWATS."""
    return request.param  # type: ignore[no-any-return]
