"""SN Handler: the station service hands out serial numbers to test programs, also while the server is away.

Modes (``sn_handler_mode``):

- ``server``: numbers of the serial-number type ``sn_type`` are taken from the WATS server
  (``api.production.allocate_serial_numbers``) in blocks of ``sn_block_size`` and kept on disk; a new
  block is fetched in the background when fewer than ``sn_low_water`` are left, so a station that
  loses the server goes on with what it holds.
- ``auto_increment``: ``sn_prefix`` + a counter the service keeps (starting at ``sn_next_number``;
  raising ``sn_next_number`` above the counter moves it on, it never goes back).
- ``manual``: the service hands out none (the test program or the operator types them).

Each number is handed out once: it leaves the file on disk (written atomically, fsynced) before it is
returned, so a crash right after loses at most that number, never gives it twice. The server is never
asked twice for one block (allocations are not retried). Test programs ask through the control API
(``POST /serial-numbers/next``; ``GET /serial-numbers`` is the pool's state) or
``pywats-client sn next``.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pywats import PyWATSError, pyWATS

from .config import ClientConfig
from .connection import make_client
from .control import ApiError, ApiRequest, register_routes
from .fsutil import atomic_write
from .service import ClientService, register_component

__all__ = ["MODES", "SerialNumberError", "SerialNumberPool", "SnHandler", "SnSettings", "cli_next"]

log = logging.getLogger("pywats_client.sn_pool")

MODES = ("manual", "auto_increment", "server")
STATE_FILE = "serial_numbers.json"


class SerialNumberError(RuntimeError):
    """No serial number can be handed out now; the message says why and what to do."""


@dataclass(frozen=True)
class SnSettings:
    """What the SN handler does, from the SN Handler settings."""

    mode: str = "manual"
    type_name: str = ""
    block_size: int = 20
    low_water: int = 5
    prefix: str = ""
    next_number: int = 1
    station_name: str = ""

    @classmethod
    def from_config(cls, config: ClientConfig) -> SnSettings:
        return cls(
            mode=str(config["sn_handler_mode"]),
            type_name=str(config["sn_type"]),
            block_size=int(config["sn_block_size"]),
            low_water=int(config["sn_low_water"]),
            prefix=str(config["sn_prefix"]),
            next_number=int(config["sn_next_number"]),
            station_name=str(config["station_name"]),
        )


class SerialNumberPool:
    """The station's serial numbers: on disk at ``path``, refilled from the server with ``client_factory()``.

    Thread-safe; one pool per state file (the service owns it). ``client_factory`` returns a pyWATS
    client that the pool closes after each block.
    """

    def __init__(self, settings: SnSettings, path: Path, client_factory: Callable[[], pyWATS]) -> None:
        self.settings = settings
        self.path = Path(path)
        self._client_factory = client_factory
        self._lock = threading.Lock()
        self._refill_lock = threading.Lock()
        self._refilling: threading.Thread | None = None
        self.last_error: str | None = None
        self._state = self._load()

    @classmethod
    def for_config(cls, config: ClientConfig, client_factory: Callable[[ClientConfig], pyWATS]) -> SerialNumberPool:
        """The pool of the station configured by ``config`` (state file beside the config file)."""
        return cls(SnSettings.from_config(config), config.data_dir / STATE_FILE, lambda: client_factory(config))

    # -- the file ------------------------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            state = {}
        except (OSError, ValueError) as exc:
            # the numbers in it may have been handed out already: never guess, start an empty pool
            broken = self.path.with_name(self.path.name + f".unreadable-{int(time.time())}")
            try:
                self.path.replace(broken)
            except OSError:
                pass
            log.error("serial number file %s cannot be read (%s); kept as %s", self.path, exc, broken.name)
            self.last_error = f"the serial number file could not be read and was set aside as {broken.name}"
            state = {}
        if not isinstance(state, dict):
            state = {}
        pools = state.get("pools")
        state["pools"] = (
            {str(k): [str(sn) for sn in v] for k, v in pools.items() if isinstance(v, list)}
            if isinstance(pools, dict)
            else {}
        )
        counter = state.get("counter")
        state["counter"] = counter if isinstance(counter, int) and counter >= 0 else 0
        return state

    def _save(self) -> None:
        atomic_write(self.path, (json.dumps(self._state, indent=1) + "\n").encode(), mode=0o600)

    def _numbers(self) -> list[str]:
        pools: dict[str, list[str]] = self._state["pools"]
        return pools.setdefault(self.settings.type_name, [])

    # -- handing out ---------------------------------------------------------------------------

    def next(self) -> str:
        """The next serial number, handed out once; :class:`SerialNumberError` if there is none to give."""
        mode = self.settings.mode
        if mode == "auto_increment":
            return self._next_counted()
        if mode == "server":
            return self._next_from_pool()
        raise SerialNumberError(
            "the SN handler is in manual mode: serial numbers are typed at the station "
            "(set sn_handler_mode to server or auto_increment to have the service hand them out)"
        )

    def _next_counted(self) -> str:
        with self._lock:
            number = max(int(self._state["counter"]), self.settings.next_number)
            self._state["counter"] = number + 1
            self._state["last"] = f"{self.settings.prefix}{number}"
            self._save()
            return str(self._state["last"])

    def _next_from_pool(self) -> str:
        if not self.settings.type_name:
            raise SerialNumberError("no serial number type is set: set sn_type to a type the WATS server has")
        sn: str | None = None
        left = 0
        for _ in range(10):  # others may empty a fresh block first; each pass takes a new one
            with self._lock:
                numbers = self._numbers()
                if numbers:
                    sn = numbers.pop(0)
                    self._state["last"] = sn
                    self._state["handed_out"] = int(self._state.get("handed_out", 0)) + 1
                    self._save()  # gone from the file before anyone has it
                    left = len(numbers)
                    break
            # nothing on disk: the test program waits for a block, there is nothing else to give it
            if self.refill() == 0 and self.last_error and not self._numbers():
                break
        if sn is None:
            raise SerialNumberError(
                f"no {self.settings.type_name} serial numbers are left on this station and the server gave none"
                + (f" ({self.last_error})" if self.last_error else "")
            )
        if left < self.settings.low_water:
            self.refill_in_background()
        return sn

    # -- refilling -----------------------------------------------------------------------------

    def refill(self) -> int:
        """Take one block from the server now; returns how many numbers it gave (0 on failure, see ``last_error``)."""
        if self.settings.mode != "server" or not self.settings.type_name:
            return 0
        with self._refill_lock:
            with self._lock:
                if len(self._numbers()) >= max(self.settings.low_water, 1):
                    return 0  # another thread refilled while this one waited
            try:
                with self._client_factory() as api:
                    taken = api.production.allocate_serial_numbers(
                        self.settings.type_name,
                        self.settings.block_size,
                        station_name=self.settings.station_name or None,
                    )
            except (PyWATSError, ValueError) as exc:
                self.last_error = f"the server gave no {self.settings.type_name} serial numbers: {exc}"
                log.warning("%s", self.last_error)
                return 0
            with self._lock:
                numbers = self._numbers()
                fresh = [sn for sn in taken if sn not in numbers]
                numbers.extend(fresh)
                self._state["refilled_at"] = time.time()
                self._save()
            self.last_error = None
            log.info("%d %s serial numbers taken from the server (%d on disk)", len(fresh), self.settings.type_name,
                     len(numbers))  # fmt: skip
            return len(fresh)

    def refill_in_background(self) -> None:
        """Start a refill in its own thread unless one runs (handing out never waits for the server)."""
        with self._lock:
            if self._refilling is not None and self._refilling.is_alive():
                return
            self._refilling = threading.Thread(target=self.refill, name="pywats-client-sn-refill", daemon=True)
            self._refilling.start()

    def wait_refilled(self, timeout: float | None = None) -> None:
        """Wait for a background refill to end (for tests and an orderly stop)."""
        thread = self._refilling
        if thread is not None:
            thread.join(timeout)

    # -- state ---------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """What ``GET /serial-numbers`` serves: mode, type, how many are on disk, the next one, the last problem."""
        s = self.settings
        with self._lock:
            out: dict[str, Any] = {"mode": s.mode, "last_handed_out": self._state.get("last")}
            if s.mode == "server":
                numbers = self._numbers() if s.type_name else []
                out.update(
                    type=s.type_name,
                    available=len(numbers),
                    next=numbers[0] if numbers else None,
                    block_size=s.block_size,
                    low_water=s.low_water,
                    refilled_at=self._state.get("refilled_at"),
                    handed_out=int(self._state.get("handed_out", 0)),
                )
            elif s.mode == "auto_increment":
                out["next"] = f"{s.prefix}{max(int(self._state['counter']), s.next_number)}"
        out["last_error"] = self.last_error
        return out


COMPONENT = "sn_pool"


class SnHandler:
    """The SN handler as a part of the service: the pool of the service's configuration, ready when it starts."""

    def __init__(self, config: ClientConfig, client_factory: Callable[[ClientConfig], pyWATS]) -> None:
        self.pool = SerialNumberPool.for_config(config, client_factory)

    def start(self) -> None:
        state, low = self.pool.state(), max(self.pool.settings.low_water, 1)
        if state["mode"] == "server" and state.get("type") and state["available"] < low:
            self.pool.refill_in_background()  # be ready before the first test program asks

    def stop(self) -> None:
        self.pool.wait_refilled(30)


def _pool_of(req: ApiRequest) -> SerialNumberPool:
    part = req.service.components.get(COMPONENT)
    if not isinstance(part, SnHandler):
        why = req.service.component_errors.get(COMPONENT) or f"the service is {req.service.state}"
        raise ApiError(503, f"the SN handler is not running ({why})")
    return part.pool


def _next_route(req: ApiRequest) -> Any:
    try:
        return {"serial_number": _pool_of(req).next()}
    except SerialNumberError as exc:
        raise ApiError(409, str(exc)) from None


def _create(service: ClientService) -> SnHandler:
    return SnHandler(service.config, make_client)


register_component(COMPONENT, _create)
register_routes(
    {"POST /serial-numbers/next": _next_route, "GET /serial-numbers": lambda req: _pool_of(req).state()},
    {
        "POST /serial-numbers/next": "hand out the next serial number: {serial_number} (409 with the reason if none)",
        "GET /serial-numbers": "the SN handler's pool: mode, type, available, next, last problem",
    },
)


def cli_next(config: ClientConfig) -> int:
    """``pywats-client sn next``: print the next serial number from this config's running service."""
    from .control import ControlClient, ControlError
    from .runner import find_service

    found = find_service(config)
    if found is None or found.state != "running" or not found.api_url:
        print(
            f"error: no service with its control API runs for {config.path}: start it with pywats-client start --api",
            file=sys.stderr,
        )
        return 3
    try:
        answer = ControlClient(found.api_url, instance=found.instance).request("POST", "/serial-numbers/next")
    except ControlError as exc:
        print(f"error: no serial number: {exc}", file=sys.stderr)
        return 1
    print(answer["serial_number"])
    return 0
