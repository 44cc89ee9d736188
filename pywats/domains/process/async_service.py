"""The Process service: operation types (test, repair, WIP), cached with automatic refresh."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from wats_internal.api.process import (
    process_get_process,
    process_get_processes,
    process_get_repair_operation,
    process_get_repair_operations,
)
from wats_public.api.app import app_processes

from ..._async.service import AsyncService, AsyncServiceContext
from ...core.binding import current_operation, uses
from ...core.cache import AsyncLoadedValue
from ...core.exceptions import EmptyResponseError, ErrorMode, InvalidArgumentError, NotFoundError, PyWATSError
from ...core.logging import logger
from ...core.retry import MAX_SECONDS
from ...core.wire import guid, invalid, json_object, parse_list, parse_model, unset_internal, within
from .models import FailCode, ProcessInfo, ProcessType, RepairCategory, RepairOperationConfig

__all__ = ["AsyncProcessService"]

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


class AsyncProcessService(AsyncService):
    """Processes (operation types) from ``GET /api/App/Processes``, cached in memory.

    The cache refreshes itself on first use after ``refresh_interval`` seconds; concurrent
    callers share one refresh. If a refresh fails and older data exists, the older data is
    served (the failure is logged and kept in ``cache_stats['last_error']``) and the server is
    asked again after 30 s; with no data yet, the error is raised as the error mode says.
    Lookups by code accept ``100`` or ``"100"``; by name, any casing, matching a process's
    name first and its description second. A lookup that finds nothing returns ``None``.
    """

    OPTIONS: ClassVar[Mapping[str, Any]] = {"process_refresh_interval": 300.0}

    def __init__(self, context: AsyncServiceContext, options: Mapping[str, Any]) -> None:
        super().__init__(context, options)
        self._cache: AsyncLoadedValue[_Snapshot] = AsyncLoadedValue(
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
        # NaN would never compare as stale (the list would never be fetched again), as the
        # client's process_refresh_interval refuses it
        self._cache.state.ttl = within(
            "refresh_interval", seconds, 0, MAX_SECONDS, expected=f"a number of seconds from 0 to {MAX_SECONDS:.0e}"
        )

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

    async def _current(self) -> _Snapshot | None:
        """The process list to answer from; None only in LENIENT mode when there is none yet.

        Concurrent callers share one load and its outcome: while the server is down, N callers on
        an empty cache fail together after one retry cycle (the server sees one caller's
        attempts), and on a stale cache they all get the stale list.
        """
        try:
            return await self._cache.get()
        except PyWATSError as exc:
            if self._context.error_mode is ErrorMode.LENIENT and isinstance(exc, NotFoundError | EmptyResponseError):
                return None
            shared = copy.copy(exc)  # each caller's error names the method that caller used
            shared.operation = current_operation(exc.operation or "get_processes")
            raise shared from exc.__cause__

    async def _load(self) -> _Snapshot:
        # Always strict: a 404, empty or null answer is a failed load, never an empty process list.
        kwargs = app_processes.request_kwargs()
        processes = await self._call_parsed(app_processes, kwargs, parse_list(ProcessInfo), error_mode=ErrorMode.STRICT)
        snap = _Snapshot.of(processes or [])
        logger.debug("loaded %d processes", len(snap.processes))
        return snap

    @uses(app_processes)
    async def refresh(self) -> None:
        """Fetch the process list now. Errors raise (a 404 or empty answer too, in both error modes)."""
        await self._cache.refresh()

    @uses()
    async def clear_cache(self) -> None:
        """Forget the loaded list; the next lookup fetches it again."""
        await self._cache.clear()

    # -- lists ---------------------------------------------------------------------------------

    async def _all(self) -> tuple[ProcessInfo, ...]:
        snap = await self._current()
        return snap.processes if snap is not None else ()

    async def _of_type(self, kind: ProcessType) -> list[ProcessInfo]:
        return [p for p in await self._all() if p.process_type is kind]

    async def _lookup(self, identifier: Identifier, wanted: Callable[[ProcessInfo], bool]) -> ProcessInfo | None:
        _code_of(identifier)  # a bad identifier type fails before any request
        snap = await self._current()
        return _find(snap, identifier, wanted) if snap is not None else None

    @uses(app_processes)
    async def get_processes(self) -> list[ProcessInfo]:
        """Every active test, repair and WIP process (cached)."""
        return list(await self._all())

    @uses(app_processes)
    async def get_all_operations(self) -> list[ProcessInfo]:
        """Every active test, repair and WIP operation (cached); same as :meth:`get_processes`."""
        return list(await self._all())

    @uses(app_processes)
    async def get_test_operations(self) -> list[ProcessInfo]:
        """Every active test operation (cached)."""
        return await self._of_type(ProcessType.TEST)

    @uses(app_processes)
    async def get_repair_operations(self) -> list[ProcessInfo]:
        """Every active repair operation (cached)."""
        return await self._of_type(ProcessType.REPAIR)

    @uses(app_processes)
    async def get_wip_operations(self) -> list[ProcessInfo]:
        """Every active WIP (assembly) operation (cached)."""
        return await self._of_type(ProcessType.WIP)

    # -- lookups -------------------------------------------------------------------------------

    @uses(app_processes)
    async def get_operation(self, code_or_name: Identifier) -> ProcessInfo | None:
        """The process with this code (100, "100") or name/description ("ICT"), any type; None if none."""
        return await self._lookup(code_or_name, _any)

    @uses(app_processes)
    async def get_process(self, code_or_name: Identifier) -> ProcessInfo | None:
        """Same as :meth:`get_operation`."""
        return await self._lookup(code_or_name, _any)

    @uses(app_processes)
    async def get_process_by_code(self, code: int | str) -> ProcessInfo | None:
        """The process with this numeric code; None if none."""
        if _code_of(code) is None:
            raise InvalidArgumentError(f"a process code is a number, not {code!r}")
        return await self._lookup(code, _any)

    @uses(app_processes)
    async def get_test_operation(self, code_or_name: Identifier) -> ProcessInfo | None:
        """The test operation with this code or name; None if there is none (or it is another type)."""
        return await self._lookup(code_or_name, _is(ProcessType.TEST))

    @uses(app_processes)
    async def get_repair_operation(self, code_or_name: Identifier) -> ProcessInfo | None:
        """The repair operation with this code or name; None if there is none."""
        return await self._lookup(code_or_name, _is(ProcessType.REPAIR))

    @uses(app_processes)
    async def get_wip_operation(self, code_or_name: Identifier) -> ProcessInfo | None:
        """The WIP (assembly) operation with this code or name; None if there is none."""
        return await self._lookup(code_or_name, _is(ProcessType.WIP))

    @uses(app_processes)
    async def get_default_test_code(self) -> int:
        """The code of the first test operation (by process index); 100, WATS's default, if there is none."""
        tests = await self._of_type(ProcessType.TEST)
        if not tests:
            return 100
        first = min(tests, key=_index_order)
        return int(first.code)

    # -- internal API ----------------------------------------------------------------------------

    @uses(process_get_processes)
    async def get_all_processes(self) -> list[ProcessInfo]:
        """⚠️ INTERNAL API: every process with full details, inactive ones included.

        Uses ``GET /api/internal/Process/GetProcesses`` (unversioned; may change with a server
        upgrade). Not cached. Adds ``process_id``, ``properties`` and ``state``.
        """
        return await self._detailed()

    async def _detailed(self) -> list[ProcessInfo]:
        kwargs = process_get_processes.request_kwargs()
        processes = await self._call_parsed(process_get_processes, kwargs, parse_list(ProcessInfo))
        return list(processes or [])

    # -- pyWATS 0.x names ------------------------------------------------------------------------

    @property
    def cache_ttl(self) -> float:
        """Another name for :attr:`refresh_interval` (seconds a loaded process list is used)."""
        return self.refresh_interval

    @cache_ttl.setter
    def cache_ttl(self, seconds: float) -> None:
        self.refresh_interval = seconds

    @uses(app_processes)
    async def get_process_by_name(self, name: str) -> ProcessInfo | None:
        """The process called ``name`` (any casing; a description matches too), any type; None if none."""
        if not isinstance(name, str) or not name.strip():
            raise invalid("name", name, "a process name (non-empty text)")
        snap = await self._current()
        if snap is None:
            return None
        return next(iter(snap.by_text.get(name.strip().casefold(), [])), None)

    @uses(app_processes)
    async def process_exists(self, code: Identifier) -> bool:
        """Whether an active process has this code (or name)."""
        return await self._lookup(code, _any) is not None

    @uses(app_processes)
    async def is_valid_test_operation(self, code: Identifier) -> bool:
        """Whether this code (or name) is an active test operation."""
        return await self._lookup(code, _is(ProcessType.TEST)) is not None

    @uses(app_processes)
    async def is_valid_repair_operation(self, code: Identifier) -> bool:
        """Whether this code (or name) is an active repair operation."""
        return await self._lookup(code, _is(ProcessType.REPAIR)) is not None

    @uses(app_processes)
    async def is_valid_wip_operation(self, code: Identifier) -> bool:
        """Whether this code (or name) is an active WIP (assembly) operation."""
        return await self._lookup(code, _is(ProcessType.WIP)) is not None

    @uses(app_processes)
    async def list_process_codes(self) -> list[int]:
        """The codes of every active process, in the server's order."""
        return [int(p.code) for p in await self._all()]

    @uses(app_processes)
    async def list_process_names(self) -> list[str]:
        """The names of every active process, in the server's order."""
        return [p.name for p in await self._all()]

    async def _first_of(self, kind: ProcessType) -> ProcessInfo | None:
        found = await self._of_type(kind)
        return min(found, key=_index_order) if found else None

    @uses(app_processes)
    async def get_default_test_operation(self) -> ProcessInfo | None:
        """The first test operation (by process index); None if there is none."""
        return await self._first_of(ProcessType.TEST)

    @uses(app_processes)
    async def get_default_repair_operation(self) -> ProcessInfo | None:
        """The first repair operation (by process index); None if there is none."""
        return await self._first_of(ProcessType.REPAIR)

    @uses(app_processes)
    async def get_default_repair_code(self) -> int:
        """The code of the first repair operation (by process index); 500, WATS's default, if there is none."""
        first = await self._first_of(ProcessType.REPAIR)
        return 500 if first is None else int(first.code)

    @uses(process_get_processes)
    async def get_processes_detailed(self) -> list[ProcessInfo]:
        """⚠️ INTERNAL API: same as :meth:`get_all_processes` (every process, inactive ones included)."""
        return await self._detailed()

    @uses(process_get_process)
    async def get_process_detailed(self, process_id: uuid.UUID | str) -> ProcessInfo | None:
        """⚠️ INTERNAL API: one process with full details by its ``process_id`` (a GUID), inactive ones too.

        Uses ``GET /api/internal/Process/GetProcess/{id}``. Not cached. Unknown id: NotFoundError
        (LENIENT: None).
        """
        pid = guid("process_id", process_id, "a process id (a GUID, ProcessInfo.process_id)")
        kwargs = process_get_process.request_kwargs(pid)
        return await self._call_parsed(
            process_get_process, kwargs, parse_model(ProcessInfo), resource_type="process", identifier=str(pid)
        )

    # -- repair operations (internal) -------------------------------------------------------------

    @uses(process_get_repair_operations)
    async def get_repair_operation_configs(self) -> dict[int, RepairOperationConfig]:
        """⚠️ INTERNAL API: every repair operation's set-up (fail-code tree, rules) by its process code.

        Uses ``GET /api/internal/Process/GetRepairOperations``. Not cached.
        """
        return await self._configs()

    async def _configs(self) -> dict[int, RepairOperationConfig]:
        kwargs = process_get_repair_operations.request_kwargs()
        found = await self._call_parsed(process_get_repair_operations, kwargs, json_object)
        configs: dict[int, RepairOperationConfig] = {}
        for key, value in (found or {}).items():
            if str(key).lstrip("-").isdigit() and isinstance(value, dict):
                configs[int(key)] = RepairOperationConfig.model_validate({**value, "code": int(key)})
        return configs

    @uses(process_get_repair_operation, query=("processCode",))
    async def get_repair_operation_config(
        self, process_id: uuid.UUID | str, process_code: int | None = None
    ) -> RepairOperationConfig | None:
        """⚠️ INTERNAL API: one repair operation's set-up by its process's ``process_id`` (a GUID).

        Uses ``GET /api/internal/Process/GetRepairOperation/{id}``; ``process_code``, if given, is
        sent along and must be that process's code (the answer's ``code`` is ``process_code``: the
        server's answer does not name it). Not a repair operation: NotFoundError (LENIENT: None).
        """
        pid = guid("process_id", process_id, "a process id (a GUID, ProcessInfo.process_id)")
        kwargs = process_get_repair_operation.request_kwargs(pid, process_code=unset_internal(process_code))
        found = await self._call_parsed(
            process_get_repair_operation, kwargs, json_object, resource_type="repair operation", identifier=str(pid)
        )
        if found is None:
            return None
        return RepairOperationConfig.model_validate({**found, "code": process_code})

    async def _repair_config(self, process_code: int) -> RepairOperationConfig | None:
        if isinstance(process_code, bool) or not isinstance(process_code, int):
            raise invalid("process_code", process_code, "a repair operation's code (an integer, e.g. 500)")
        configs = await self._configs()
        found = configs.get(process_code)
        if found is None and self._context.error_mode is not ErrorMode.LENIENT:
            known = ", ".join(str(c) for c in sorted(configs)) or "none"
            raise NotFoundError(
                f"{process_code} is not a repair operation (repair operations: {known})",
                resource_type="repair operation",
                identifier=str(process_code),
                operation=current_operation("get_repair_categories"),
            )
        return found

    @uses(process_get_repair_operations)
    async def get_repair_categories(self, process_code: int) -> list[RepairCategory]:
        """⚠️ INTERNAL API: the fail-code categories of repair operation ``process_code`` (e.g. 500).

        Not a repair operation: NotFoundError naming the repair codes there are (LENIENT: empty list).
        """
        config = await self._repair_config(process_code)
        return [] if config is None else list(config.categories)

    @uses(process_get_repair_operations)
    async def get_repair_codes(self, process_code: int, category: str | None = None) -> list[FailCode]:
        """⚠️ INTERNAL API: the selectable fail codes of repair operation ``process_code``, of one
        ``category`` (its description, any case) or of all. A failure on a repair report names a
        category's and a fail code's ``description``."""
        if category is not None and not isinstance(category, str):
            raise invalid("category", category, "a category description (text) or None")
        config = await self._repair_config(process_code)
        return [] if config is None else config.fail_codes(category)

    @uses(process_get_repair_operations)
    async def get_fail_codes(self, repair_code: int) -> list[FailCode]:
        """⚠️ INTERNAL API: every selectable fail code of repair operation ``repair_code``, all categories."""
        config = await self._repair_config(repair_code)
        return [] if config is None else config.fail_codes()


def _index_order(p: ProcessInfo) -> tuple[bool, int, int]:
    return (p.process_index is None, p.process_index or 0, int(p.code))
