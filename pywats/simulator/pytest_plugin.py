"""pytest plugin (registered as ``wats_simulator``): a fresh, strict WATS simulator per test.

def test_my_station(wats_simulator):
    with pyWATS(base_url=wats_simulator.url, token=wats_simulator.token) as api:
        assert api.test_connection()

In a test session every simulator runs in strict mode (``Simulator.default_strict``): an
answer that the API documents do not allow reaches the client as a 500, and with the fixture it
fails the test too, so that client and simulator cannot agree on something the server would not
send. ``Simulator(strict=False)`` opts out.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import Simulator


def pytest_configure(config: pytest.Config) -> None:
    """Make every simulator of the test session strict (see the module)."""
    Simulator.default_strict = True


@pytest.fixture
def wats_simulator() -> Iterator[Simulator]:
    """A running strict :class:`~pywats.simulator.Simulator` with the seeded data, stopped afterwards."""
    with Simulator(strict=True) as sim:
        yield sim
    if sim.violations:
        pytest.fail("the simulator answered off the API documents:\n" + "\n".join(sim.violations), pytrace=False)
