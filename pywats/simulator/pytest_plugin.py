"""pytest plugin (registered as ``wats_simulator``): a fresh WATS simulator per test.

def test_my_station(wats_simulator):
    with pyWATS(base_url=wats_simulator.url, token=wats_simulator.token) as api:
        assert api.test_connection()
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import Simulator


@pytest.fixture
def wats_simulator() -> Iterator[Simulator]:
    """A running :class:`~pywats.simulator.Simulator` with the seeded data, stopped afterwards."""
    with Simulator() as sim:
        yield sim
