"""An embedded WATS server for tests, demos and offline development.

    python -m pywats.simulator            # serve until Ctrl+C; prints URL and token

In pytest (the plugin is registered on install) use the ``wats_simulator`` fixture, or start
one yourself::

    with Simulator() as sim, pyWATS(base_url=sim.url, token=sim.token) as api:
        api.get_version()

Each WATS domain the simulator serves is one module of :mod:`pywats.simulator.routes`
(see its docstring for adding one); the data lives in a :class:`Store`.
"""

from .data import SimulatorData
from .routes.process import default_processes
from .server import Fault, Simulator
from .store import Store
from .wire import DataError, Handler, Raw, SimRequest, error

__all__ = [
    "DataError",
    "Fault",
    "Handler",
    "Raw",
    "SimRequest",
    "Simulator",
    "SimulatorData",
    "Store",
    "default_processes",
    "error",
]
