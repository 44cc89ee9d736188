# DO NOT EDIT — generated from pywats/domains/process/async_service.py by `python -m pywats._unasync`.
"""The Process service: operation types (test, repair, WIP), cached with automatic refresh."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from wats_internal.api.process import process_get_processes
from wats_public.api.app import app_processes

from ..._sync.service import SyncService, SyncServiceContext
from ...core.binding import current_operation, uses
from ...core.cache import SyncLoadedValue
from ...core.exceptions import EmptyResponseError, ErrorMode, InvalidArgumentError, NotFoundError, PyWATSError
from ...core.logging import logger
from ...core.wire import invalid, parse_list
from .models import ProcessInfo, ProcessType

__all__ = ["ProcessService"]

# After a failed refresh, stale data is served for this long before the server is asked again.
_FAILED_REFRESH_BACKOFF = 30.0
Identifier = int | str


@dataclass(frozen=True)
class _Snapshot:
    """One load of the process list with its lookup tables; replaced whole, never mutated."""

    processes: tuple[ProcessInfo, ...]
    by_code: dict[int, ProcessInfo] = field(default_factory=dict)
    by_text: dict[str, list[ProcessInfo]] = field(default_factory=dict)

    @classmethod
    def of(cls, processes: list[ProcessInfo]) -> _Snapshot:
        snap = cls(tuple(processes))
        for p in processes:
            snap.by_code.setdefault(int(p.code), p)
        # names first, then descriptions: "FCT" and "Functional Test" find the same process
        for attr in ("name", "description"):
            for p in processes:
                text = getattr(p, attr)
                if text:
                    snap.by_text.setdefault(text.strip().casefold(), []).append(p)
        return snap


def _code_of(identifier: Identifier) -> int | None:
    if isinstance(identifier, bool) or not isinstance(identifier, int | str):
        raise TypeError(f"a process is looked up by code (int) or name (str), not {type(identifier).__name__}")
    if isinstance(identifier, int):
        return identifier
    text = identifier.strip()
    return int(text) if text.lstrip("-").isdigit() else None


def _find(snap: _Snapshot, identifier: Identifier, wanted: Callable[[ProcessInfo], bool]) -> ProcessInfo | None:
    code = _code_of(identifier)
    if code is not None:
        found = snap.by_code.get(code)
        return found if found is not None and wanted(found) else None
    assert isinstance(identifier, str)
    return next((p for p in snap.by_text.get(identifier.strip().casefold(), []) if wanted(p)), None)


def _any(p: ProcessInfo) -> bool:
    return True


def _is(kind: ProcessType) -> Callable[[ProcessInfo], bool]:
    return lambda p: p.process_type is kind


class ProcessService(SyncService):
    """Processes (operation types) from ``GET /api/App/Processes``, cached in memory.

    The cache refreshes itself on first use after ``refresh_interval`` seconds; concurrent
    callers share one refresh. If a refresh fails and older data exists, the older data is
    served (the failure is logged and kept in ``cache_stats['last_error']``) and the server is
    asked again after 30 s; with no data yet, the error is raised as the error mode says.
    Lookups by code accept ``100`` or ``"100"``; by name, any casing, matching a process's
    name first and its description second. A lookup that finds nothing returns ``None``.
    """

    OPTIONS: ClassVar[Mapping[str, Any]] = {"process_refresh_interval": 300.0}

    def __init__(self, context: SyncServiceContext, options: Mapping[str, Any]) -> None:
        super().__init__(context, options)
        self._cache: SyncLoadedValue[_Snapshot] = SyncLoadedValue(
            self._load, 300.0, name="process list", retry_after=_FAILED_REFRESH_BACKOFF, errors=(PyWATSError,)
        )
        self.refresh_interval = self.options["process_refresh_interval"]

    # -- cache -------------------------------------------------------------------------------

    @property
    def refresh_interval(self) -> float:
        """Seconds a loaded process list is used before it is fetched again (default 300)."""
        return self._cache.state.ttl

    @refresh_interval.setter
    def refresh_interval(self, seconds: float) -> None:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise invalid("refresh_interval", seconds, "a non-negative number of seconds")
        self._cache.state.ttl = seconds

    @property
    def last_refresh(self) -> datetime | None:
        """Local time of the last successful load, or None before the first."""
        return self._cache.state.loaded_wall

    @property
    def cache_stats(self) -> dict[str, Any]:
        """``hits``, ``misses``, ``hit_rate`` (0..1), ``size``, ``refreshes``, ``age_seconds``, ``last_error``."""
        state = self._cache.state
        stats = state.describe()
        stats["size"] = len(state.value.processes) if state.value is not None and state.loaded_at is not None else 0
        return stats

    def _current(self) -> _Snapshot | None:
        """The process list to answer from; None only in LENIENT mode when there is none yet.

        Concurrent callers share one load and its outcome: while the server is down, N callers on
        an empty cache fail together after one retry cycle (the server sees one caller's
        attempts), and on a stale cache they all get the stale list.
        """
        try:
            return self._cache.get()
        except PyWATSError as exc:
            if self._context.error_mode is ErrorMode.LENIENT and isinstance(exc, NotFoundError | EmptyResponseError):
                return None
            shared = copy.copy(exc)  # each caller's error names the method that caller used
            shared.operation = current_operation(exc.operation or "get_processes")
            raise shared from exc.__cause__

    def _load(self) -> _Snapshot:
        # Always strict: a 404, empty or null answer is a failed load, never an empty process list.
        kwargs = app_processes.request_kwargs()
        processes = self._call_parsed(app_processes, kwargs, parse_list(ProcessInfo), error_mode=ErrorMode.STRICT)
        snap = _Snapshot.of(processes or [])
        logger.debug("loaded %d processes", len(snap.processes))
        return snap

    @uses(app_processes)
    def refresh(self) -> None:
        """Fetch the process list now. Errors raise (a 404 or empty answer too, in both error modes)."""
        self._cache.refresh()

    @uses()
    def clear_cache(self) -> None:
        """Forget the loaded list; the next lookup fetches it again."""
        self._cache.clear()

    # -- lists ---------------------------------------------------------------------------------

    def _all(self) -> tuple[ProcessInfo, ...]:
        snap = self._current()
        return snap.processes if snap is not None else ()

    def _of_type(self, kind: ProcessType) -> list[ProcessInfo]:
        return [p for p in self._all() if p.process_type is kind]

    def _lookup(self, identifier: Identifier, wanted: Callable[[ProcessInfo], bool]) -> ProcessInfo | None:
        _code_of(identifier)  # a bad identifier type fails before any request
        snap = self._current()
        return _find(snap, identifier, wanted) if snap is not None else None

    @uses(app_processes)
    def get_processes(self) -> list[ProcessInfo]:
        """Every active test, repair and WIP process (cached)."""
        return list(self._all())

    @uses(app_processes)
    def get_all_operations(self) -> list[ProcessInfo]:
        """Every active test, repair and WIP operation (cached); same as :meth:`get_processes`."""
        return list(self._all())

    @uses(app_processes)
    def get_test_operations(self) -> list[ProcessInfo]:
        """Every active test operation (cached)."""
        return self._of_type(ProcessType.TEST)

    @uses(app_processes)
    def get_repair_operations(self) -> list[ProcessInfo]:
        """Every active repair operation (cached)."""
        return self._of_type(ProcessType.REPAIR)

    @uses(app_processes)
    def get_wip_operations(self) -> list[ProcessInfo]:
        """Every active WIP (assembly) operation (cached)."""
        return self._of_type(ProcessType.WIP)

    # -- lookups -------------------------------------------------------------------------------

    @uses(app_processes)
    def get_operation(self, code_or_name: Identifier) -> ProcessInfo | None:
        """The process with this code (100, "100") or name/description ("ICT"), any type; None if none."""
        return self._lookup(code_or_name, _any)

    @uses(app_processes)
    def get_process(self, code_or_name: Identifier) -> ProcessInfo | None:
        """Same as :meth:`get_operation`."""
        return self._lookup(code_or_name, _any)

    @uses(app_processes)
    def get_process_by_code(self, code: int | str) -> ProcessInfo | None:
        """The process with this numeric code; None if none."""
        if _code_of(code) is None:
            raise InvalidArgumentError(f"a process code is a number, not {code!r}")
        return self._lookup(code, _any)

    @uses(app_processes)
    def get_test_operation(self, code_or_name: Identifier) -> ProcessInfo | None:
        """The test operation with this code or name; None if there is none (or it is another type)."""
        return self._lookup(code_or_name, _is(ProcessType.TEST))

    @uses(app_processes)
    def get_repair_operation(self, code_or_name: Identifier) -> ProcessInfo | None:
        """The repair operation with this code or name; None if there is none."""
        return self._lookup(code_or_name, _is(ProcessType.REPAIR))

    @uses(app_processes)
    def get_wip_operation(self, code_or_name: Identifier) -> ProcessInfo | None:
        """The WIP (assembly) operation with this code or name; None if there is none."""
        return self._lookup(code_or_name, _is(ProcessType.WIP))

    @uses(app_processes)
    def get_default_test_code(self) -> int:
        """The code of the first test operation (by process index); 100, WATS's default, if there is none."""
        tests = self._of_type(ProcessType.TEST)
        if not tests:
            return 100
        first = min(tests, key=lambda p: (p.process_index is None, p.process_index or 0, int(p.code)))
        return int(first.code)

    # -- internal API ----------------------------------------------------------------------------

    @uses(process_get_processes)
    def get_all_processes(self) -> list[ProcessInfo]:
        """⚠️ INTERNAL API: every process with full details, inactive ones included.

        Uses ``GET /api/internal/Process/GetProcesses`` (unversioned; may change with a server
        upgrade). Not cached. Adds ``process_id``, ``properties`` and ``state``.
        """
        kwargs = process_get_processes.request_kwargs()
        processes = self._call_parsed(process_get_processes, kwargs, parse_list(ProcessInfo))
        return list(processes or [])
