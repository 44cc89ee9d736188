"""pytest plugin (registered as ``wats_simulator``): a fresh, strict WATS simulator per test.

def test_my_station(wats_simulator):
    with pyWATS(base_url=wats_simulator.url, token=wats_simulator.token) as api:
        assert api.test_connection()

In a test session every simulator runs in strict mode (``Simulator.default_strict``): an
answer that the API documents do not allow reaches the client as a 500, and it fails the test
too (whether the simulator is the fixture or made in the test), so that client and simulator
cannot agree on something the server would not send, even where the client takes the 500 in its
stride. ``Simulator(strict=False)`` opts out; a test that provokes such an answer on purpose
clears ``sim.violations`` once it has looked at them. The ini option
``wats_simulator_fail_off_documents = false`` turns the failing off for a whole session (the
fixture stays); ``-p no:wats_simulator`` turns the plugin off.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import Simulator

_FAIL_OFF_DOCUMENTS = "wats_simulator_fail_off_documents"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the ini option that turns the off-documents check off (see the module)."""
    parser.addini(
        _FAIL_OFF_DOCUMENTS,
        type="bool",
        default=True,
        help="fail a test in which a simulator answered off the WATS API documents (default: true)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Make every simulator of the test session strict (see the module)."""
    Simulator.default_strict = True


def _fail_on_violations(simulators: list[Simulator]) -> None:
    found = [v for sim in simulators for v in sim.violations]
    for sim in simulators:
        sim.violations.clear()  # reported once
    if found:
        pytest.fail("the simulator answered off the API documents:\n" + "\n".join(found), pytrace=False)


def _checked(config: pytest.Config) -> bool:
    return bool(config.getini(_FAIL_OFF_DOCUMENTS))


@pytest.fixture(autouse=True)
def _simulators_held_to_the_documents(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test in which any simulator it made answered off the API documents."""
    if not _checked(request.config):
        yield
        return
    made: list[Simulator] = []
    Simulator._made_in_test = made
    try:
        yield
    finally:
        Simulator._made_in_test = None
    _fail_on_violations(made)


@pytest.fixture
def wats_simulator(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    """A running strict :class:`~pywats.simulator.Simulator` with the seeded data, stopped afterwards."""
    with Simulator(strict=True) as sim:
        yield sim
    if _checked(request.config):
        _fail_on_violations([sim])
