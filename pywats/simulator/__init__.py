"""An embedded WATS server for tests, demos and offline development.

    python -m pywats.simulator            # serve until Ctrl+C; prints URL and token

In pytest (the plugin is registered on install) use the ``wats_simulator`` fixture, or start
one yourself::

    with Simulator() as sim, pyWATS(base_url=sim.url, token=sim.token) as api:
        api.get_version()
"""

from .data import SimulatorData, default_processes
from .server import Fault, SimRequest, Simulator

__all__ = ["Fault", "SimRequest", "Simulator", "SimulatorData", "default_processes"]
