"""WATS Standard JSON Format (WSJF) reports: UUT (``type "T"``) and UUR (``type "R"``).

Every model keeps what the server sends: attributes are snake_case with the server's field names
as aliases, keys the models do not know are kept (``extra="allow"``) and :meth:`WSJFModel.to_wsjf`
writes back exactly the keys that were read (or set), so loading any WSJF document and dumping it
gives the same JSON. A step's class follows from its content (``numericMeas``, ``booleanMeas``,
``stringMeas``, ``seqCall``/``steps``, ``chart``, ``callExe``, ``messagePopup``), not from its
free-form ``stepType``; a step with none of them is a :class:`GenericStep`.
"""

from __future__ import annotations

import base64
import builtins
import contextlib
import difflib
import json
import os
import re
import threading
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidatorFunctionWrapHandler,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic._internal._model_construction import ModelMetaclass
from pydantic_core import PydanticSerializationError

from pywats._compat import UTC, Self

from ...core.arguments import checked, checked_methods, from_exception, invalid_argument
from ...core.exceptions import InvalidArgumentError, ValidationError
from ...core.jsonsafe import number_text
from ...core.model import Synonym, WritableSynonym
from .enums import CompOp, FlowType, StepStatus, status_code, step_status_code

__all__ = [
    "MAX_STEP_DEPTH",
    "AdditionalData",
    "Asset",
    "Attachment",
    "BinaryData",
    "BooleanMeasurement",
    "CallExeStep",
    "Chart",
    "ChartSeries",
    "ChartStep",
    "GenericStep",
    "InvalidIdentifierError",
    "LoopInfo",
    "MessagePopupStep",
    "MiscInfo",
    "MultiBooleanStep",
    "MultiNumericStep",
    "MultiStringStep",
    "NumericMeasurement",
    "NumericStep",
    "PassFailStep",
    "Report",
    "ReportHeaderValidationError",
    "SequenceCall",
    "SequenceCallInfo",
    "Step",
    "StringMeasurement",
    "StringValueStep",
    "UURFailure",
    "UURInfo",
    "UURReport",
    "UURSubUnit",
    "UUTInfo",
    "UUTReport",
    "UUTSubUnit",
    "allow_problematic_characters",
    "load_report",
]


def _wire(name: str) -> Any:
    """A field called ``name`` on the wire.

    Built in Python, the attribute name is accepted too; read from the wire, only ``name``, so an
    unknown key that happens to equal an attribute name (``info``, ``start_utc``) stays unknown.
    """
    return Field(default=None, validation_alias=name, serialization_alias=name)


# A number as the server sends it: an integer stays an integer (even beyond 2**53), a float a
# float, and the named values NaN, Infinity and -Infinity travel as those strings (never bare
# JSON tokens); a formatted string is kept as it is.
Number = int | float | str

# How deep steps may nest (sequence calls inside sequence calls): checked before a report is
# sent, and every report within it is read back by ``get_report``.
MAX_STEP_DEPTH = 64


# Set while reading wire data (model_validate, load_report), when pydantic calls __init__ too.
_LOADING: ContextVar[bool] = ContextVar("pywats_wsjf_loading", default=False)


class _BuiltInPython(ModelMetaclass):
    """Makes a bad constructor argument (``UUTReport(pn=5)``) a :class:`~pywats.InvalidArgumentError`.

    Only ``Model(...)`` passes through here: reading (``model_validate``, nested objects) never
    calls the class, so what is read keeps pydantic's own path and loses nothing.
    """

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except PydanticValidationError as exc:
            errors = exc.errors(include_url=False)
            own = (errors[0].get("ctx") or {}).get("error") if len(errors) == 1 and not errors[0]["loc"] else None
            if isinstance(own, InvalidArgumentError):
                raise own from None  # the model's own check already names the argument
            error = from_exception(cls.__name__, exc)
            if errors and errors[0]["loc"]:  # the constructor argument at fault
                error.details.setdefault("argument", str(errors[0]["loc"][0]))
            raise error from None


@checked_methods(finite=False)
class WSJFModel(BaseModel, metaclass=_BuiltInPython):
    """Base of every WSJF model: aliases, unknown keys kept, lossless dump.

    Objects built in Python (``UUTReport(pn=...)``) get the defaults in ``_NEW`` (a new id, the
    current time, ...); objects read with ``model_validate`` keep exactly the keys they came with:
    values as they are (no conversion: ``"10"`` stays a string where a number is documented), and a
    value of a type the documents do not allow there is kept too (see :meth:`wire_problems`).
    """

    model_config = ConfigDict(populate_by_name=True, extra="allow", ser_json_inf_nan="strings")
    _NEW: ClassVar[dict[str, Callable[[], Any]]] = {}
    # older wire spellings read as the documented key (when that key is not there too); never written
    _READ_AS: ClassVar[dict[str, str]] = {}
    # other names the constructor takes (pyWATS 0.x spellings), offered for a misspelt argument
    _SPELLINGS: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def _new_object(cls, data: dict[str, Any]) -> dict[str, Any]:
        """The arguments of an object built in Python, completed (read objects never come here).

        An argument that names no field (``UUTReport(serail_number=...)``) raises
        :class:`~pywats.InvalidArgumentError`: kept, it would travel as an unknown key and set nothing.
        """
        for key in [k for k in data if isinstance(k, str)]:
            synonym = getattr(cls, key, None)  # UUTInfo(operator=...): the name of an attribute it sets
            if isinstance(synonym, WritableSynonym) and synonym.target not in data:
                data[synonym.target] = data.pop(key)
        known, spellings = _arguments(cls)
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            close = [m for k in unknown for m in difflib.get_close_matches(k, spellings, n=2)]
            hint = f"; did you mean {' or '.join(dict.fromkeys(close))}?" if close else ""
            raise InvalidArgumentError(
                f"{cls.__name__}() got {', '.join(unknown)}, which it does not have{hint} "
                f"(expected its fields: {', '.join(sorted(cls.model_fields))})",
                details={"argument": unknown[0]},
            )
        for name, factory in cls._NEW.items():
            alias = cls.model_fields[name].validation_alias
            if name not in data and alias not in data:
                data[name] = factory()
        return data

    @model_validator(mode="wrap")
    @classmethod
    def _keep_unreadable(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        # Reading never fails on a known key holding an unexpected value: the value is kept as it
        # came (written back unchanged) and reported by wire_problems() before it is sent again.
        if not isinstance(data, dict):
            return handler(data)
        if not _LOADING.get():
            return handler(cls._new_object(dict(data)))
        for old, new in cls._READ_AS.items():
            if old in data and new not in data:
                data = {(new if k == old else k): v for k, v in data.items()}
        bad: dict[str, str] = {}
        try:
            model = handler(data)
        except PydanticValidationError as exc:
            for error in exc.errors(include_url=False):
                key = error["loc"][0] if error["loc"] else None
                if not isinstance(key, str) or key not in data:
                    raise
                bad.setdefault(key, _expected(cls, key, error["msg"]))
            model = handler({k: v for k, v in data.items() if k not in bad})
        extra = model.__pydantic_extra__
        if extra:
            extra.update((key, data[key]) for key in bad)
            keys = _wire_keys(cls)
            if not extra.keys().isdisjoint(keys):
                # an unknown key named like an attribute (``info``) must not mark that field as read
                model.__pydantic_fields_set__ = {
                    name for name, wire in keys.items() if any(k in data and k not in bad for k in wire)
                }
        elif bad and extra is not None:
            extra.update((key, data[key]) for key in bad)
        if bad:
            # wire key -> why its value (kept as read, among the unknown keys) does not fit the documents;
            # held beside the fields (not a declared private attribute: those cost every object)
            object.__setattr__(model, "__pydantic_private__", {_UNREADABLE: bad})
        return model

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        """Read a WSJF object as it is: wire names only, no conversion, no defaults added."""
        token = _LOADING.set(True)
        try:
            return super().model_validate(obj, **{**_READING, **kwargs})
        finally:
            _LOADING.reset(token)

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> Self:
        """Read a WSJF document as it is: wire names only, no conversion, no defaults added."""
        return cls.model_validate(_json_document(json_data), **kwargs)

    def to_wsjf(self) -> dict[str, Any]:
        """The WSJF (wire) form: server field names, only the keys read or set.

        NaN and infinities are the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``; integers
        stay integers however large.
        """
        document: dict[str, Any] = json.loads(self.to_json())
        return document

    def to_json(self) -> str:
        """:meth:`to_wsjf` as a JSON string (valid JSON: no bare ``NaN`` token)."""
        try:
            return self.model_dump_json(by_alias=True, exclude_unset=True)
        except PydanticSerializationError as exc:
            why = "; ".join(self.wire_problems()) or str(exc)
            raise InvalidArgumentError(f"{type(self).__name__} cannot be written as WSJF: {why}") from exc

    def wire_problems(self) -> list[str]:
        """What keeps this object from going to the server as it is, one line each (empty: nothing).

        A value read with a type the WSJF documents do not allow for its key, and steps nested
        deeper than :data:`MAX_STEP_DEPTH`.
        """
        problems: list[str] = []
        stack: list[tuple[str, Any, int]] = [("", self, 0)]  # path, node, sequence levels above it
        while stack:
            path, node, above = stack.pop()
            if isinstance(node, list):
                stack.extend((f"{path}[{i}]", item, above) for i, item in reversed(list(enumerate(node))))
                continue
            if not isinstance(node, WSJFModel):
                continue
            for key, why in _unreadable(node).items():
                where = f"{path}.{key}".lstrip(".")
                problems.append(f"{where} is {_shown(node.__pydantic_extra__, key)}, {why}")
            level = above + 1 if isinstance(node, SequenceCall) else above
            if level > MAX_STEP_DEPTH:
                where = path.lstrip(".")
                where = where if len(where) <= 60 else f"{where[:25]}...{where[-25:]}"
                problems.append(
                    f"steps nest {level} sequence calls deep at {where}, more than the {MAX_STEP_DEPTH} "
                    f"allowed (pywats.domains.report.MAX_STEP_DEPTH): flatten the sequence tree"
                )
                continue
            for name, field in reversed(type(node).model_fields.items()):
                value = getattr(node, name)
                if isinstance(value, WSJFModel | list):
                    stack.append((f"{path}.{field.serialization_alias or name}", value, level))
        return problems

    def check_wire(self, argument: str = "report") -> None:
        """Raise :class:`~pywats.InvalidArgumentError` listing :meth:`wire_problems`, if any."""
        problems = self.wire_problems()
        if problems:
            shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
            raise InvalidArgumentError(
                f"{argument} cannot be sent as it is: {shown}",
                details={"argument": argument, "problems": problems},
            )


_UNREADABLE = "_unreadable"


def _unreadable(model: BaseModel) -> dict[str, str]:
    found: dict[str, str] = (model.__pydantic_private__ or {}).get(_UNREADABLE, {})
    return found


def _wire_keys(model: type[BaseModel]) -> dict[str, tuple[str, ...]]:
    """Field name -> the wire keys it is read from."""
    keys = _WIRE_KEYS.get(model)
    if keys is None:
        keys = {}
        for name, field in model.model_fields.items():
            alias = field.validation_alias
            choices = alias.choices if isinstance(alias, AliasChoices) else [alias if alias is not None else name]
            keys[name] = tuple(c for c in choices if isinstance(c, str))
        _WIRE_KEYS[model] = keys
    return keys


_WIRE_KEYS: dict[type[BaseModel], dict[str, tuple[str, ...]]] = {}


def _arguments(model: type[BaseModel]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The names ``model(...)`` takes (fields and wire keys), and those plus the writable
    synonyms and the pyWATS 0.x spellings (``serial_number``), as suggestions for a misspelt one."""
    found = _ARGUMENTS.get(model)
    if found is None:
        known = frozenset(n for name, keys in _wire_keys(model).items() for n in (name, *keys))
        synonyms = {n for k in model.__mro__ for n, v in vars(k).items() if isinstance(v, WritableSynonym)}
        spellings = getattr(model, "_SPELLINGS", ())
        found = _ARGUMENTS[model] = (known, tuple(sorted(known | synonyms | set(spellings))))
    return found


_ARGUMENTS: dict[type[BaseModel], tuple[frozenset[str], tuple[str, ...]]] = {}
_READING: dict[str, Any] = {"strict": True, "by_alias": True, "by_name": False}


def _json_document(data: str | bytes | bytearray) -> Any:
    # The standard library reader: integers of any size stay exact, and it nests as deep as the
    # step-depth limit needs (pydantic's own JSON reader stops at 200 levels).
    try:
        return json.loads(data)
    except ValueError as exc:
        raise InvalidArgumentError(f"data is not a JSON document ({exc}); expected a WSJF report") from exc
    except RecursionError as exc:
        # hundreds of levels: far beyond MAX_STEP_DEPTH, and more than the reader can hold
        raise InvalidArgumentError(
            f"data nests too deep to read as JSON (a report may nest {MAX_STEP_DEPTH} sequence calls, "
            "pywats.domains.report.MAX_STEP_DEPTH); expected a WSJF report"
        ) from exc


def _expected(model: type[BaseModel], key: str, message: str) -> str:
    name = next((n for n, keys in _wire_keys(model).items() if key in keys), None)
    if name is None:
        return message.lower()
    annotation = model.model_fields[name].annotation
    text = getattr(annotation, "__name__", None) or str(annotation)
    text = re.sub(r"\b(?:\w+\.)+(\w+)", r"\1", text).replace(" | None", "").replace("NoneType", "null")
    return "expected a list of steps (objects)" if "Tag(" in text else f"expected {text}"


def _shown(extra: dict[Any, Any] | None, key: Any) -> str:
    text = repr((extra or {}).get(key))
    return text if len(text) <= 60 else text[:57] + "..."


# -- serial / part number checks ------------------------------------------------------------------

_PROBLEMATIC = set("*%?[]^!/\\")
_SUPPRESS = "SUPPRESS:"
_allow = threading.local()


class ReportHeaderValidationError(ValidationError):
    """A part or serial number a report cannot carry: empty, or holding characters that break WATS
    searches (``* % ? [ ] ^ ! / \\``); raised before anything is sent."""


class InvalidIdentifierError(ReportHeaderValidationError, InvalidArgumentError):
    """:class:`ReportHeaderValidationError` for an argument of a builder (``TestUUT(part_number=...)``,
    ``add_sub_unit(pn=...)``): also an :class:`~pywats.InvalidArgumentError` naming it."""


@contextlib.contextmanager
def allow_problematic_characters() -> Iterator[None]:
    """Within this block, serial and part numbers may hold characters that break WATS searches (warned)."""
    previous = getattr(_allow, "on", False)
    _allow.on = True
    try:
        yield
    finally:
        _allow.on = previous


def _checked_identifier(
    field: str, value: Any, argument: str | None = None, error: type[ReportHeaderValidationError] | None = None
) -> Any:
    if not isinstance(value, str):
        return value
    if value.startswith(_SUPPRESS):
        return value[len(_SUPPRESS) :]
    bad = sorted(set(value) & _PROBLEMATIC)
    if bad:
        if getattr(_allow, "on", False):
            warnings.warn(f"{field} {value!r} holds {''.join(bad)!r}, which break WATS searches", stacklevel=4)
            return value
        argument = argument or field
        raise (error or ReportHeaderValidationError)(
            f"{argument} {value[:60]!r} holds {''.join(bad)!r}, which break WATS searches and filters; "
            f"use allow_problematic_characters() or the 'SUPPRESS:' prefix if intended",
            field=field,
            value=value,
            details={"argument": argument},
        )
    return value


def _check_identifiers(data: dict[str, Any]) -> None:
    for key, what in (("pn", "part number"), ("sn", "serial number")):
        if key in data:
            data[key] = _checked_identifier(what, data[key], key)


def required_identifier(argument: str, value: Any) -> str:
    """A part or serial number given to a builder: non-empty text, free of the characters that
    break WATS searches (see :func:`allow_problematic_characters`)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidIdentifierError(
            f"{argument} must not be empty: a report needs its {argument.replace('_', ' ')} (given {value!r:.60})",
            field=argument,
            value=value,
            details={"argument": argument},
        )
    checked_value: str = identifier(argument, value)
    return checked_value


def identifier(argument: str, value: Any) -> Any:
    """A part or serial number argument as :func:`_checked_identifier` takes it, refused by name."""
    return _checked_identifier(argument.replace("_", " "), value, argument, InvalidIdentifierError)


# -- supporting objects -----------------------------------------------------------------------------


class MiscInfo(WSJFModel):
    """One key/value of a report's misc info (``miscInfos``: ``description`` = key, ``text`` = value)."""

    description: str | None = None
    text: str | None = None
    numeric: int | None = None  # the documents' int32
    type_def: str | None = _wire("typedef")

    key = Synonym[str | None]("description", "The misc info's name (its ``description``).")
    value = Synonym[str | None]("text", "The misc info's value as text.")


class Asset(WSJFModel):
    """Equipment used for the report (fixture, instrument): its serial number and usage."""

    sn: str | None = _wire("assetSN")
    usage_count: int | None = _wire("usageCount")


class AdditionalData(WSJFModel):
    """Named additional data of a report or step (its content kept as the server sent it)."""

    name: str | None = None


class _Blob(WSJFModel):
    name: str | None = None
    content_type: str | None = _wire("contentType")
    data: str | None = None  # base64

    def get_bytes(self) -> bytes:
        """The content, decoded from base64."""
        return base64.b64decode(self.data or "")

    @property
    def size(self) -> int:
        """Size of the decoded content in bytes."""
        return len(self.get_bytes())


@checked_methods(finite=False)
class Attachment(_Blob):
    """A file attached to a step (``attachment``): name, content type, base64 data."""

    @classmethod
    def from_bytes(cls, name: str, content: bytes, content_type: str = "application/octet-stream") -> Attachment:
        """An attachment holding ``content`` (kept in memory, sent base64-encoded)."""
        if not name.strip():
            raise invalid_argument(None, "name", name, "a file name")
        return cls(name=name, content_type=content_type, data=base64.b64encode(content).decode("ascii"))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], content_type: str | None = None) -> Attachment:
        """An attachment holding the file at ``path`` (read now)."""
        import mimetypes
        from pathlib import Path

        p = Path(path)
        try:
            content = p.read_bytes()
        except (OSError, ValueError) as exc:  # missing, a folder, unreadable, a NUL in the name
            raise invalid_argument(None, "path", path, f"a readable file ({type(exc).__name__})") from exc
        guessed = content_type or mimetypes.guess_type(p.name)[0] or "application/octet-stream"
        return cls.from_bytes(p.name, content, guessed)


@checked_methods(finite=False)
class BinaryData(_Blob):
    """A file attached to a report (``binaryData``), mostly on repair reports."""

    id: str | None = None

    @classmethod
    def from_bytes(cls, data: bytes, name: str, content_type: str = "application/octet-stream") -> BinaryData:
        """A file holding ``data`` under ``name`` (kept in memory, sent base64-encoded)."""
        return cls(
            name=name,
            content_type=content_type,
            data=base64.b64encode(data).decode("ascii"),
            id=str(uuid.uuid4()),
        )


class LoopInfo(WSJFModel):
    """How often a looped step ran (``loop``)."""

    idx: int | None = None
    num: int | None = None
    ending_index: int | None = _wire("endingIndex")
    passed: int | None = None
    failed: int | None = None


class SequenceCallInfo(WSJFModel):
    """The sequence file a sequence call ran (``seqCall``)."""

    path: str | None = None
    name: str | None = None
    version: str | None = None


class ChartSeries(WSJFModel):
    """One plotted series: ``xdata``/``ydata`` as the server sends them (``;``-separated text)."""

    data_type: str | None = _wire("dataType")
    name: str | None = None
    xdata: str | list[Number] | None = None
    ydata: str | list[Number] | None = None


@checked_methods(finite=False)
class Chart(WSJFModel):
    """A chart of a chart step (``chart``)."""

    chart_type: str | None = _wire("chartType")
    label: str | None = None
    x_label: str | None = _wire("xLabel")
    x_unit: str | None = _wire("xUnit")
    y_label: str | None = _wire("yLabel")
    y_unit: str | None = _wire("yUnit")
    series: list[ChartSeries] | None = None

    @classmethod
    def create_xy_chart(
        cls, name: str, x_data: list[float], y_data: list[float], x_label: str = "", y_label: str = ""
    ) -> Chart:
        """A line chart of one series."""
        if len(x_data) != len(y_data):
            raise InvalidArgumentError(
                f"x_data and y_data must have one value per point: {len(x_data)} x values, {len(y_data)} y values",
                details={"argument": "y_data"},
            )
        series = ChartSeries(
            data_type="XYG",
            name=name,
            xdata=";".join(repr(float(x)) for x in x_data),
            ydata=";".join(repr(float(y)) for y in y_data),
        )
        return cls(chart_type="Line", label=name, x_label=x_label, y_label=y_label, series=[series])


# -- measurements ----------------------------------------------------------------------------------------


class NumericMeasurement(WSJFModel):
    """A measured number with its comparison and limits (``numericMeas`` item)."""

    comp_op: str | None = _wire("compOp")
    name: str | None = None
    status: str | None = None
    unit: str | None = None
    value: Number | None = None
    value_format: str | None = _wire("valueFormat")
    high_limit: Number | None = _wire("highLimit")
    high_limit_format: str | None = _wire("highLimitFormat")
    low_limit: Number | None = _wire("lowLimit")
    low_limit_format: str | None = _wire("lowLimitFormat")

    def evaluate(self) -> bool:
        """Whether the value passes its comparison (``LOG`` and no operator: always)."""
        return CompOp(self.comp_op).evaluate(self.value, self.low_limit, self.high_limit) if self.comp_op else True


class BooleanMeasurement(WSJFModel):
    """A pass/fail outcome (``booleanMeas`` item): its status is the result."""

    name: str | None = None
    status: str | None = None

    @property
    def value(self) -> bool:
        """True if the measurement passed."""
        return self.status == StepStatus.Passed


class StringMeasurement(WSJFModel):
    """A string value with its expected value (``stringMeas`` item)."""

    comp_op: str | None = _wire("compOp")
    name: str | None = None
    status: str | None = None
    value: str | None = None
    limit: str | None = None

    def evaluate(self) -> bool:
        """Whether the value meets the limit under the comparison (True without one)."""
        return CompOp(self.comp_op).evaluate(self.value, self.limit) if self.comp_op else True


# -- steps ---------------------------------------------------------------------------------------------------


@checked_methods(finite=False)
class Step(WSJFModel):
    """What every step has: name, ``stepType``, status, timing, errors, loop, attachment."""

    KIND: ClassVar[str] = "generic"

    id: int | str | None = None
    group: str | None = None
    step_type: str | None = _wire("stepType")
    name: str | None = None
    start: str | datetime | None = None
    status: str | None = None
    error_code: int | str | None = _wire("errorCode")
    error_code_format: str | None = _wire("errorCodeFormat")
    error_message: str | None = _wire("errorMessage")
    report_text: str | None = _wire("reportText")
    ts_guid: str | None = _wire("tsGuid")
    tot_time: Number | None = _wire("totTime")
    tot_time_format: str | None = _wire("totTimeFormat")
    caused_seq_failure: bool | None = _wire("causedSeqFailure")
    caused_uut_failure: bool | None = _wire("causedUUTFailure")
    loop: LoopInfo | None = None
    attachment: Attachment | None = None
    additional_results: list[Any] | None = _wire("additionalResults")

    def is_failed(self) -> bool:
        """True if the step's status is Failed."""
        return self.status == StepStatus.Failed

    def is_passed(self) -> bool:
        """True if the step's status is Passed."""
        return self.status == StepStatus.Passed

    def set_status(self, status: str | bool) -> None:
        """``"Passed"``, ``"P"``, ``True`` ... as WSJF's one-letter code."""
        self.status = step_status_code(status)

    def add_attachment(self, attachment: Attachment) -> None:
        """Attach a file to this step (a step holds one attachment)."""
        self.attachment = attachment

    def _derive_status(self) -> str | None:
        return self.status


_M = TypeVar("_M", bound="NumericMeasurement | BooleanMeasurement | StringMeasurement")


class _Measured(Step):
    """A step whose status follows from its measurements when not given."""

    # the field holding the measurements
    _MEASUREMENTS: ClassVar[str]

    def _measurements(self) -> list[Any]:
        return list(getattr(self, self._MEASUREMENTS) or [])

    def _add(self, measurement: _M) -> _M:
        """Append ``measurement``; the step then fails if any of its measurements does."""
        setattr(self, self._MEASUREMENTS, [*self._measurements(), measurement])
        self.status = "F" if any(m.status == "F" for m in self._measurements()) else "P"
        return measurement

    def _derive_status(self) -> str | None:
        if self.status is not None:
            return self.status
        statuses = [m.status for m in self._measurements()]
        return "F" if "F" in statuses else "P"


def _meas_status(status: str | bool | None, passed: bool) -> str:
    code = step_status_code(status)
    return code if code is not None else ("P" if passed else "F")


def _comp_op(value: CompOp | str, argument: str = "comp_op") -> CompOp:
    """A comparison given as a ``CompOp``, its value (``"GELE"``, ``"CaseSensitive"``) or its name."""
    try:
        return CompOp(value)
    except ValueError:
        pass
    raise invalid_argument(None, argument, value, "a CompOp (" + ", ".join(op.name for op in CompOp) + ")")


def _default_comp(low: Any, high: Any) -> CompOp:
    if low is not None and high is not None:
        return CompOp.GELE
    if low is not None:
        return CompOp.GE
    if high is not None:
        return CompOp.LE
    return CompOp.LOG


def _numeric(
    name: str | None,
    value: float | str | None,
    comp_op: CompOp | str | None,
    low_limit: float | None,
    high_limit: float | None,
    unit: str | None,
    status: str | bool | None,
) -> NumericMeasurement:
    if isinstance(value, str) and not number_text(value):
        # the server reads a measured value as a double: only NaN/Infinity or a number as text
        raise invalid_argument(None, "value", value, 'a number, "NaN", "Infinity", "-Infinity" or a number as text')
    comp = _comp_op(comp_op) if comp_op is not None else _default_comp(low_limit, high_limit)
    if not comp.validate_limits(low_limit, high_limit):
        need = "low_limit and high_limit" if all(comp.get_limits_requirement()) else "low_limit"
        raise InvalidArgumentError(
            f"comp_op {comp.name} needs {need} (given low_limit={low_limit!r}, high_limit={high_limit!r})",
            details={"argument": "comp_op"},
        )
    passed = comp.evaluate(value, low_limit, high_limit)
    return NumericMeasurement(
        comp_op=comp.value,
        name=name,
        status=_meas_status(status, passed),
        unit=unit,
        value=value,
        high_limit=high_limit,
        low_limit=low_limit,
    )


def _string(
    name: str | None, value: str | None, comp_op: CompOp | str | None, limit: str | None, status: str | bool | None
) -> StringMeasurement:
    comp = _comp_op(comp_op) if comp_op is not None else (CompOp.CASESENSIT if limit is not None else CompOp.LOG)
    passed = comp.evaluate(value, limit)
    return StringMeasurement(
        comp_op=comp.value, name=name, status=_meas_status(status, passed), value=value, limit=limit
    )


class NumericStep(_Measured):
    """A numeric limit test (``numericMeas`` with one measurement; ``ET_NLT``)."""

    KIND: ClassVar[str] = "numeric"
    numeric_meas: list[NumericMeasurement] | None = _wire("numericMeas")
    _MEASUREMENTS: ClassVar[str] = "numeric_meas"

    @property
    def measurement(self) -> NumericMeasurement | None:
        """The step's one numeric measurement, or None."""
        return self.numeric_meas[0] if self.numeric_meas else None

    @property
    def value(self) -> float | str | None:
        """The measured value, or None."""
        m = self.measurement
        return m.value if m else None


@checked_methods(finite=False)
class MultiNumericStep(NumericStep):
    """Several numeric measurements in one step (``ET_MNLT``)."""

    KIND: ClassVar[str] = "multi_numeric"

    @property
    def measurements(self) -> list[NumericMeasurement]:
        """The step's numeric measurements."""
        return self.numeric_meas or []

    def add_measurement(
        self,
        name: str,
        value: float | str | None,
        unit: str | None = None,
        comp_op: CompOp | str | None = None,
        low_limit: float | None = None,
        high_limit: float | None = None,
        status: str | bool | None = None,
    ) -> NumericMeasurement:
        """Add a measurement; its status is computed from the limits unless given."""
        return self._add(_numeric(name, value, comp_op, low_limit, high_limit, unit, status))

    def get_measurement(self, name: str) -> NumericMeasurement | None:
        """The measurement named ``name``, or None."""
        return next((m for m in self.measurements if m.name == name), None)


class PassFailStep(_Measured):
    """A pass/fail test (``booleanMeas`` with one measurement; ``ET_PFT``)."""

    KIND: ClassVar[str] = "boolean"
    boolean_meas: list[BooleanMeasurement] | None = _wire("booleanMeas")
    _MEASUREMENTS: ClassVar[str] = "boolean_meas"

    @property
    def value(self) -> bool:
        """True if the step passed."""
        return bool(self.boolean_meas) and all(m.value for m in self.boolean_meas or [])


@checked_methods(finite=False)
class MultiBooleanStep(PassFailStep):
    """Several pass/fail outcomes in one step (``ET_MPFT``)."""

    KIND: ClassVar[str] = "multi_boolean"

    @property
    def measurements(self) -> list[BooleanMeasurement]:
        """The step's pass/fail measurements."""
        return self.boolean_meas or []

    def add_measurement(
        self, name: str, value: bool | None = None, status: str | bool | None = None
    ) -> BooleanMeasurement:
        """Add a pass/fail measurement; the step fails if any of its measurements does."""
        if value is not None and status is None:
            status = status_code(value)
        return self._add(
            BooleanMeasurement(name=name, status=_meas_status(status if status is not None else value, True))
        )


class StringValueStep(_Measured):
    """A string value test (``stringMeas`` with one measurement; ``ET_SVT``)."""

    KIND: ClassVar[str] = "string"
    string_meas: list[StringMeasurement] | None = _wire("stringMeas")
    _MEASUREMENTS: ClassVar[str] = "string_meas"

    @property
    def value(self) -> str | None:
        """The measured string, or None."""
        return self.string_meas[0].value if self.string_meas else None


@checked_methods(finite=False)
class MultiStringStep(StringValueStep):
    """Several string values in one step (``ET_MSVT``)."""

    KIND: ClassVar[str] = "multi_string"

    @property
    def measurements(self) -> list[StringMeasurement]:
        """The step's string measurements."""
        return self.string_meas or []

    def add_measurement(
        self,
        name: str,
        value: str | None,
        comp_op: CompOp | str | None = None,
        limit: str | None = None,
        status: str | bool | None = None,
    ) -> StringMeasurement:
        """Add a string measurement; its status is computed from the limit unless given."""
        return self._add(_string(name, value, comp_op, limit, status))


class ChartStep(Step):
    """A step holding a chart (``chart``), possibly with measurements too."""

    KIND: ClassVar[str] = "chart"
    chart: Chart | None = None
    numeric_meas: list[NumericMeasurement] | None = _wire("numericMeas")

    @property
    def charts(self) -> list[Chart]:
        """The step's chart as a list (empty if it has none)."""
        return [self.chart] if self.chart else []


class CallExeStep(Step):
    """A call-executable step (``callExe``: the program's exit code)."""

    KIND: ClassVar[str] = "call_exe"
    call_exe: dict[str, Any] | None = _wire("callExe")


class MessagePopupStep(Step):
    """A message popup step (``messagePopup``: the operator's response and button)."""

    KIND: ClassVar[str] = "message_popup"
    message_popup: dict[str, Any] | None = _wire("messagePopup")


class GenericStep(Step):
    """A step that measures nothing (action, label, statement, wait, flow control) or of a kind
    these models do not know; all its keys are kept."""

    KIND: ClassVar[str] = "generic"

    @property
    def flow_type(self) -> FlowType | None:
        """The step type as a ``FlowType``, or None for a type it does not name."""
        try:
            return FlowType(self.step_type or "")
        except ValueError:
            return None


_MULTI = {"ET_MNLT", "ET_MPFT", "ET_MPLT", "ET_MSVT", "ET_MSLT", "NI_MultipleNumericLimitTest"}


def _step_kind(v: Any) -> str:
    if not isinstance(v, dict):
        kind: str = getattr(v, "KIND", "generic")
        return kind
    if "steps" in v or "seqCall" in v:
        return "sequence"
    step_type = v.get("stepType")
    multi = isinstance(step_type, str) and step_type in _MULTI
    for key, single, several in (
        ("numericMeas", "numeric", "multi_numeric"),
        ("booleanMeas", "boolean", "multi_boolean"),
        ("stringMeas", "string", "multi_string"),
    ):
        if key in v:
            if "chart" in v and key == "numericMeas":
                return "chart"
            meas = v[key]
            return several if multi or (isinstance(meas, list) and len(meas) > 1) else single
    if "chart" in v:
        return "chart"
    if "callExe" in v:
        return "call_exe"
    if "messagePopup" in v:
        return "message_popup"
    return "generic"


AnyStep = Annotated[
    Annotated["SequenceCall", Tag("sequence")]
    | Annotated[NumericStep, Tag("numeric")]
    | Annotated[MultiNumericStep, Tag("multi_numeric")]
    | Annotated[PassFailStep, Tag("boolean")]
    | Annotated[MultiBooleanStep, Tag("multi_boolean")]
    | Annotated[StringValueStep, Tag("string")]
    | Annotated[MultiStringStep, Tag("multi_string")]
    | Annotated[ChartStep, Tag("chart")]
    | Annotated[CallExeStep, Tag("call_exe")]
    | Annotated[MessagePopupStep, Tag("message_popup")]
    | Annotated[GenericStep, Tag("generic")],
    Discriminator(_step_kind),
]


@checked_methods(finite=False)
class SequenceCall(Step):
    """A sequence call: a folder of steps (``steps``), with the sequence file it ran (``seqCall``).

    The ``add_*`` methods append a step and return it; a status not given is computed (from the
    limits for measurements, from the children for sequences, when the report is finalised).
    """

    KIND: ClassVar[str] = "sequence"
    seq_call: SequenceCallInfo | None = _wire("seqCall")
    steps: list[AnyStep] | None = None

    # -- building ------------------------------------------------------------------------------

    def add_step(self, step: Step) -> Step:
        """Append ``step`` (any step object) and return it."""
        self.steps = [*(self.steps or []), step]  # type: ignore[list-item]
        return step

    def _add(self, step: Any) -> Any:
        if self.steps is None:
            self.steps = []
        self.steps.append(step)
        return step

    def add_sequence_call(
        self,
        name: str,
        file_name: str | None = None,
        version: str | None = None,
        path: str | None = None,
    ) -> SequenceCall:
        """A child sequence; its status is computed from its steps when the report is finalised."""
        info = SequenceCallInfo(path=path or file_name, name=name, version=version)
        seq = SequenceCall(step_type="SequenceCall", name=name, group="M", status=None, seq_call=info, steps=[])
        return self._add(seq)  # type: ignore[no-any-return]

    def add_numeric_step(
        self,
        name: str,
        value: float | str | None,
        comp_op: CompOp | str | None = None,
        low_limit: float | None = None,
        high_limit: float | None = None,
        unit: str | None = None,
        *,
        status: str | bool | None = None,
        units: str | None = None,
        comp: CompOp | str | None = None,
    ) -> NumericStep:
        """A numeric limit test; the operator defaults from the limits given (both: GELE, none: LOG)
        and the status is computed from them unless given."""
        m = _numeric(None, value, comp_op or comp, low_limit, high_limit, unit or units, status)
        step = NumericStep(step_type="ET_NLT", name=name, group="M", status=m.status, numeric_meas=[m])
        return self._add(step)  # type: ignore[no-any-return]

    def add_numeric_limit_step(
        self,
        name: str,
        value: float | str | None,
        units: str | None = None,
        low_limit: float | None = None,
        high_limit: float | None = None,
        status: str | bool | None = None,
        comp_op: CompOp | str | None = None,
    ) -> NumericStep:
        """:meth:`add_numeric_step` with the units before the limits:
        ``(name, value, units, low_limit, high_limit, comp_op)``."""
        return self.add_numeric_step(name, value, comp_op, low_limit, high_limit, units, status=status)

    def add_multiple_numeric_limit_test(self, name: str) -> MultiNumericStep:
        """An empty multi-numeric step; add its measurements with ``add_measurement``."""
        return self._add(MultiNumericStep(step_type="ET_MNLT", name=name, group="M", status="P", numeric_meas=[]))  # type: ignore[no-any-return]

    def add_boolean_step(self, name: str, value: bool | None = None, status: str | bool | None = None) -> PassFailStep:
        """A pass/fail test: ``value`` True/False or a ``status`` (``"Passed"``, ``"F"``, ...)."""
        code = step_status_code(status) if status is not None else status_code(value if value is not None else True)
        m = BooleanMeasurement(name=None, status=code)
        return self._add(PassFailStep(step_type="ET_PFT", name=name, group="M", status=code, boolean_meas=[m]))  # type: ignore[no-any-return]

    def add_pass_fail_step(
        self, name: str, status: str | bool | None = None, value: bool | None = None
    ) -> PassFailStep:
        """:meth:`add_boolean_step` with the status first."""
        return self.add_boolean_step(name, value, status)

    def add_multiple_pass_fail_test(self, name: str) -> MultiBooleanStep:
        """An empty multi pass/fail step; add its measurements with ``add_measurement``."""
        return self._add(MultiBooleanStep(step_type="ET_MPFT", name=name, group="M", status="P", boolean_meas=[]))  # type: ignore[no-any-return]

    def add_string_step(
        self,
        name: str,
        value: str | None,
        limit: str | None = None,
        comp_op: CompOp | str | None = None,
        status: str | bool | None = None,
    ) -> StringValueStep:
        """A string value test against ``limit`` (case-sensitive unless ``comp_op`` says otherwise)."""
        m = _string(None, value, comp_op, limit, status)
        step = StringValueStep(step_type="ET_SVT", name=name, group="M", status=m.status, string_meas=[m])
        return self._add(step)  # type: ignore[no-any-return]

    def add_multiple_string_value_test(self, name: str) -> MultiStringStep:
        """An empty multi-string step; add its measurements with ``add_measurement``."""
        return self._add(MultiStringStep(step_type="ET_MSVT", name=name, group="M", status="P", string_meas=[]))  # type: ignore[no-any-return]

    def add_generic_step(
        self, step_type: FlowType | str = FlowType.Action, name: str = "", status: str | bool | None = "D"
    ) -> GenericStep:
        """A step that measures nothing: an action, label, statement, flow control, wait."""
        kind = step_type.value if isinstance(step_type, FlowType) else str(step_type)
        return self._add(GenericStep(step_type=kind, name=name, group="M", status=step_status_code(status)))  # type: ignore[no-any-return]

    def add_action_step(self, name: str, status: str | bool | None = "D") -> GenericStep:
        """An action step (measures nothing); done unless ``status`` says otherwise."""
        return self.add_generic_step(FlowType.Action, name, status)

    def add_chart_step(
        self, name: str, chart: Chart, status: str | bool | None = "P", step_type: str = "WATS_XYGMNLT"
    ) -> ChartStep:
        """A step holding ``chart`` (see :meth:`Chart.create_xy_chart`)."""
        code = step_status_code(status)
        return self._add(ChartStep(step_type=step_type, name=name, group="M", status=code, chart=chart))  # type: ignore[no-any-return]

    def add_call_exe_step(self, name: str, exit_code: int, status: str | bool | None = None) -> CallExeStep:
        """A call-executable step; passed if ``exit_code`` is 0 unless ``status`` says otherwise."""
        code = step_status_code(status) if status is not None else ("P" if exit_code == 0 else "F")
        step = CallExeStep(
            step_type="CallExecutable", name=name, group="M", status=code, call_exe={"exitCode": exit_code}
        )
        return self._add(step)  # type: ignore[no-any-return]

    def add_message_popup_step(
        self, name: str, response: str | None = None, button: int = 1, status: str | bool | None = "D"
    ) -> MessagePopupStep:
        """A message popup step with the operator's ``response`` and the ``button`` pressed."""
        popup = {"response": response, "button": button}
        step = MessagePopupStep(
            step_type="MessagePopup", name=name, group="M", status=step_status_code(status), message_popup=popup
        )
        return self._add(step)  # type: ignore[no-any-return]

    # -- reading ---------------------------------------------------------------------------------

    def get_all_steps(self) -> list[Step]:
        """Every step below this one, depth first."""
        found: list[Step] = []
        stack = list(reversed(self.steps or []))
        while stack:
            step = stack.pop()
            found.append(step)
            if isinstance(step, SequenceCall):
                stack.extend(reversed(step.steps or []))
        return found

    def get_steps_by_status(self, status: str) -> list[Step]:
        """Every step below this one with ``status`` (``"F"``, ``"Failed"``, ...), depth first."""
        code = status_code(status)
        return [s for s in self.get_all_steps() if s.status == code]

    def get_failed_steps(self) -> list[Step]:
        """Every failed step below this one, depth first."""
        return self.get_steps_by_status("F")

    def calculate_totals(self) -> dict[str, int]:
        """Counts of steps by status (``{"P": 10, "F": 1, ...}``) and ``total``."""
        totals: dict[str, int] = {"total": 0}
        for s in self.get_all_steps():
            totals["total"] += 1
            key = s.status or "None"
            totals[key] = totals.get(key, 0) + 1
        return totals

    def _derive_status(self) -> str | None:
        if self.status is not None:
            return self.status
        children = {s._derive_status() for s in self.steps or []}
        for code in ("E", "T", "F"):
            if code in children:
                return code
        return "P"

    def propagate_failure(self) -> None:
        """Set the status of every step below (and this one) whose status is not set, from its content."""
        for step in self.steps or []:
            if isinstance(step, SequenceCall):
                step.propagate_failure()
            elif step.status is None:
                step.status = step._derive_status()
        self.status = self._derive_status()


# -- sub-units, info, reports ----------------------------------------------------------------------


class _SubUnit(WSJFModel):
    pn: str | None = None
    sn: str | None = None
    rev: str | None = None
    part_type: str | None = _wire("partType")
    idx: int | None = None
    position: int | None = None

    @classmethod
    def _new_object(cls, data: dict[str, Any]) -> dict[str, Any]:
        _check_identifiers(data)
        return super()._new_object(data)


class UUTSubUnit(_SubUnit):
    """A unit built into the tested unit (``subUnits`` of a UUT report)."""


@checked_methods(finite=False)
class UURFailure(WSJFModel):
    """A failure found on a unit during repair (``failures`` of a UUR sub-unit)."""

    category: str | None = None
    code: str | None = None
    comment: str | None = None
    com_ref: str | None = _wire("comRef")
    func_block: str | None = _wire("funcBlock")
    ref_step_id: int | None = _wire("refStepId")
    ref_step_name: str | None = _wire("refStepName")
    art_number: str | None = _wire("artNumber")
    art_rev: str | None = _wire("artRev")
    art_vendor: str | None = _wire("artVendor")
    art_description: str | None = _wire("artDescription")

    def set_component_reference(self, com_ref: str, func_block: str | None = None) -> None:
        """The failed component's reference (``R12``) and functional block."""
        self.com_ref = com_ref
        if func_block is not None:
            self.func_block = func_block

    def set_article_info(self, art_number: str, art_rev: str | None = None, art_vendor: str | None = None) -> None:
        """The replaced part: article number, revision and vendor."""
        self.art_number, self.art_rev, self.art_vendor = art_number, art_rev, art_vendor

    def link_to_uut_step(self, step_id: int, step_name: str | None = None) -> None:
        """Point the failure at the failed step of the test report."""
        self.ref_step_id, self.ref_step_name = step_id, step_name


@checked_methods(finite=False)
class UURSubUnit(_SubUnit):
    """A unit of a repair report (``idx`` 0 is the repaired unit itself), with its failures."""

    parent_idx: int | None = _wire("parentIdx")
    replaced_idx: int | None = _wire("replacedIdx")
    failures: list[UURFailure] | None = None

    @classmethod
    def create_main_unit(cls, pn: str | None, sn: str | None, rev: str | None) -> UURSubUnit:
        """The repaired unit itself (index 0), without failures yet."""
        return cls(pn=identifier("pn", pn), sn=identifier("sn", sn), rev=rev, idx=0, failures=[])

    @classmethod
    def create_sub_unit(cls, pn: str, sn: str, rev: str | None, idx: int, parent_idx: int = 0) -> UURSubUnit:
        """A unit inside the repaired one, at index ``idx`` under ``parent_idx``."""
        return cls(
            pn=identifier("pn", pn), sn=identifier("sn", sn), rev=rev, idx=idx, parent_idx=parent_idx, failures=[]
        )

    def add_failure(
        self,
        category: str,
        code: str,
        comment: str | None = None,
        com_ref: str | None = None,
        func_block: str | None = None,
    ) -> UURFailure:
        """Record a failure (category and code) on this unit."""
        failure = UURFailure(category=category, code=code, comment=comment, com_ref=com_ref, func_block=func_block)
        self.failures = [*(self.failures or []), failure]
        return failure

    def remove_failure(self, index: int) -> bool:
        """Remove the failure at ``index``; True if there was one."""
        if self.failures and 0 <= index < len(self.failures):
            del self.failures[index]
            return True
        return False

    def get_failure(self, index: int) -> UURFailure | None:
        """The failure at ``index``, or None."""
        return self.failures[index] if self.failures and 0 <= index < len(self.failures) else None

    def has_failures(self) -> bool:
        """True if a failure is recorded on this unit."""
        return bool(self.failures)

    def failure_count(self) -> int:
        """How many failures are recorded on this unit."""
        return len(self.failures or [])

    def get_failures_by_category(self, category: str) -> list[UURFailure]:
        """This unit's failures of ``category``."""
        return [f for f in self.failures or [] if f.category == category]

    def clear_failures(self) -> None:
        """Remove every failure recorded on this unit."""
        self.failures = []

    def mark_as_replaced(self, replaced_idx: int) -> None:
        """Record that this unit was replaced by the unit at ``replaced_idx``."""
        self.replaced_idx = replaced_idx


class _Info(WSJFModel):
    user: str | None = None
    comment: str | None = None
    exec_time: Number | None = _wire("execTime")

    operator = WritableSynonym[str | None]("user", "Who ran the test or did the repair (WSJF ``user``).")


class UUTInfo(_Info):
    """The test-specific header of a UUT report (``uut``)."""

    test_socket_index: int | None = _wire("testSocketIndex")
    batch_sn: str | None = _wire("batchSN")
    error_code: int | None = _wire("errorCode")
    error_message: str | None = _wire("errorMessage")
    fixture_id: str | None = _wire("fixtureId")
    batch_fail_count: int | None = _wire("batchFailCount")
    batch_loop_index: int | None = _wire("batchLoopIndex")
    step_id_caused_uut_failure: int | None = _wire("stepIdCausedUUTFailure")

    batch_number = Synonym[str | None]("batch_sn", "The batch (lot) the unit belongs to.")


@checked_methods(finite=False)
class UURInfo(_Info):
    """The repair-specific header of a UUR report (``uur``): the test operation, the failed UUT."""

    user: str | None = None
    _READ_AS: ClassVar[dict[str, str]] = {"userLoginName": "user"}  # as exports of older pyWATS wrote it
    process_code: int | None = _wire("processCode")
    process_code_format: str | None = _wire("processCodeFormat")
    process_name: str | None = _wire("processName")
    ref_uut: uuid.UUID | str | None = _wire("refUUT")
    confirm_date: str | None = _wire("confirmDate")
    finalize_date: str | None = _wire("finalizeDate")

    test_operation_code = Synonym[int | None]("process_code", "The code of the test operation that found the failure.")

    def link_to_uut(self, uut_id: uuid.UUID | str) -> None:
        """Link the repair to the test report with id ``uut_id`` (a GUID, as the server reads ``refUUT``)."""
        try:
            self.ref_uut = str(uut_id if isinstance(uut_id, uuid.UUID) else uuid.UUID(uut_id.strip()))
        except ValueError:
            raise invalid_argument(None, "uut_id", uut_id, "the GUID of a test report") from None


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def _new_id() -> str:
    return str(uuid.uuid4())


# pyWATS 0.x spellings of report fields, accepted when a report is built in Python.
_0X_SPELLINGS = {
    "serial_number": "sn",
    "part_number": "pn",
    "revision": "rev",
    "operation_type_code": "process_code",
    "station": "station_name",
}


@checked_methods(finite=False)
class Report(WSJFModel):
    """What UUT and UUR reports share: the unit, the operation, the station, the time, misc info."""

    type: str | None = None
    id: uuid.UUID | str | None = None
    pn: str | None = None
    sn: str | None = None
    rev: str | None = None
    product_name: str | None = _wire("productName")
    process_code: int | None = _wire("processCode")
    process_code_format: str | None = _wire("processCodeFormat")
    process_name: str | None = _wire("processName")
    result: str | None = None
    station_name: str | None = _wire("machineName")
    location: str | None = None
    purpose: str | None = None
    origin: str | None = None
    start: str | datetime | None = None
    start_utc: str | datetime | None = _wire("startUTC")
    misc_info: list[MiscInfo] | None = _wire("miscInfos")
    assets: list[Asset] | None = None
    asset_stats: list[Any] | None = _wire("assetStats")
    additional_data: list[AdditionalData] | None = _wire("additionalData")
    binary_data: list[BinaryData] | None = _wire("binaryData")
    info: _Info | None = None  # ``uut`` / ``uur`` on the wire: the kind's own header (see the subclasses)
    root: SequenceCall | None = None

    _NEW: ClassVar[dict[str, Callable[[], Any]]] = {"id": _new_id, "start": _now}
    _SPELLINGS: ClassVar[tuple[str, ...]] = (*_0X_SPELLINGS, "operator")
    _INFO: ClassVar[builtins.type[_Info]] = _Info
    _ROOT_NAME: ClassVar[str] = "MainSequence Callback"

    def _header(self) -> _Info:
        """The kind's header (``uut``/``uur``), created if the report has none."""
        if self.info is None:
            self.info = self._INFO()
        return self.info

    @property
    def operator(self) -> str | None:
        """Who ran the test or the repair (``user`` of ``uut``/``uur``)."""
        return self.info.user if self.info else None

    @operator.setter
    def operator(self, value: str | None) -> None:
        self._header().user = value

    def get_root_sequence_call(self) -> SequenceCall:
        """The root sequence (created if the report has none)."""
        if self.root is None:
            self.root = SequenceCall(step_type="SequenceCall", name=self._ROOT_NAME, status=None, steps=[])
        return self.root

    @classmethod
    def _new_object(cls, data: dict[str, Any]) -> dict[str, Any]:
        for old_name, field in _0X_SPELLINGS.items():  # UUTReport(serial_number=...), as pyWATS 0.x takes it
            if old_name in data and field not in data:
                data[field] = data.pop(old_name)
        if "operator" in data:  # the property's name: the kind's header holds it (``user``)
            operator = data.pop("operator")
            header = data.pop("info", None) or data.pop(str(cls.model_fields["info"].validation_alias), None)
            if isinstance(header, _Info):
                header = header.model_copy(update={"user": operator})
            elif isinstance(header, dict):
                header = {**header, "user": operator}
            data["info"] = header if header is not None else cls._INFO(user=operator)
        _check_identifiers(data)
        if not isinstance(data.get("purpose", ""), str | None):
            data["purpose"] = str(int(data["purpose"]))
        return super()._new_object(data)

    # pyWATS 0.x names
    part_number = Synonym[str | None]("pn", "The unit's part number (WSJF ``pn``).")
    serial_number = Synonym[str | None]("sn", "The unit's serial number (WSJF ``sn``).")
    revision = Synonym[str | None]("rev", "The unit's revision (WSJF ``rev``).")

    def add_misc_info(self, key: str, value: str | float | None) -> MiscInfo:
        """Add a key/value to the report's misc info (always as text; a whole number also as ``numeric``,
        which the server holds as a 32-bit integer)."""
        numeric = None
        if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
            numeric = int(value) if -(2**31) <= value < 2**31 else None
        item = MiscInfo(description=key, text=None if value is None else str(value))
        if numeric is not None:
            item.numeric = numeric
        self.misc_info = [*(self.misc_info or []), item]
        return item

    def get_misc_info(self, key: str) -> str | None:
        """The value of the misc info named ``key``, or None."""
        return next((m.text for m in self.misc_info or [] if m.description == key), None)

    def add_asset(self, asset: Asset) -> None:
        """Record an asset (fixture, instrument) used for this report."""
        self.assets = [*(self.assets or []), asset]

    def get_assets_by_type(self, asset_type: str) -> list[Asset]:
        """The assets recorded on this report whose type is ``asset_type``."""
        return [a for a in self.assets or [] if getattr(a, "asset_type", None) == asset_type]

    def add_binary_data(self, data: BinaryData) -> None:
        """Attach a file to the report itself (``binaryData``)."""
        self.binary_data = [*(self.binary_data or []), data]

    def finalize(self) -> None:
        """Fill in what the server needs and the builder left open (statuses, step ids, start)."""
        if self.start is None:
            self.start = _now()


@checked_methods(finite=False)
class UUTReport(Report):
    """A test report (``type "T"``): the unit, the test operation (``process_code``), the step tree."""

    type: Literal["T"] | str | None = None
    info: UUTInfo | None = _wire("uut")
    sub_units: list[UUTSubUnit] | None = _wire("subUnits")
    _INFO: ClassVar[builtins.type[_Info]] = UUTInfo

    _NEW: ClassVar[dict[str, Callable[[], Any]]] = {
        "type": lambda: "T",
        "id": _new_id,
        "start": _now,
        "info": lambda: UUTInfo(),
        "root": lambda: SequenceCall(
            step_type="SequenceCall", name="MainSequence Callback", group="M", status=None, steps=[]
        ),
    }

    test_operation_code = Synonym[int | None](
        "process_code", "The code of the test operation (the report's ``processCode``)."
    )

    def add_sub_unit(self, pn: str, sn: str, rev: str | None = None, part_type: str | None = None) -> UUTSubUnit:
        """Record a unit built into the tested one (part and serial number, revision)."""
        unit = UUTSubUnit(
            pn=identifier("pn", pn),
            sn=identifier("sn", sn),
            rev=rev,
            part_type=part_type,
            idx=len(self.sub_units or []),
        )
        self.sub_units = [*(self.sub_units or []), unit]
        return unit

    def get_all_steps(self) -> list[Step]:
        """Every step of the report, depth first."""
        root = self.root
        return [root, *root.get_all_steps()] if root else []

    def get_failed_steps(self) -> list[Step]:
        """Every failed step of the report, depth first."""
        return [s for s in self.get_all_steps() if s.status == "F"]

    def get_steps_by_status(self, status: str) -> list[Step]:
        """Every step with ``status`` (``"F"``, ``"Failed"``, ...), depth first."""
        code = status_code(status)
        return [s for s in self.get_all_steps() if s.status == code]

    def calculate_totals(self) -> dict[str, int]:
        """Counts of steps by status (``{"P": 10, "F": 1, ...}``) and ``total``."""
        return self.root.calculate_totals() if self.root else {"total": 0}

    def add_attachment(self, attachment: Attachment) -> GenericStep:
        """Attach a file to the report: WSJF holds files on steps, so a ``Label`` step carrying it is added."""
        step = self.get_root_sequence_call().add_generic_step(FlowType.Label, f"Attachment: {attachment.name}", "D")
        step.attachment = attachment
        return step

    def compute_result(self) -> str:
        """The result the steps give: F if a step failed (E/T if one errored or terminated), else P."""
        status = self.get_root_sequence_call()._derive_status()
        return {"F": "F", "E": "E", "T": "T"}.get(status or "P", "P")

    def finalize(self) -> None:
        """Statuses of sequences left open, the report result (if not set), step ids (if missing)."""
        super().finalize()
        self.get_root_sequence_call().propagate_failure()
        if self.result is None:
            self.result = self.compute_result()
        used = {s.id for s in self.get_all_steps() if isinstance(s.id, int)}
        next_id = max(used, default=0) + 1
        for s in self.get_all_steps():
            if s.id is None:
                s.id = next_id
                next_id += 1


@checked_methods(finite=False)
class UURReport(Report):
    """A repair report (``type "R"``): the repair operation (``process_code``), the test operation
    that failed (``info.process_code``), the units (``sub_units``, ``idx`` 0 = the main unit) and
    their failures."""

    type: Literal["R"] | str | None = None
    info: UURInfo | None = _wire("uur")
    sub_units: list[UURSubUnit] | None = _wire("subUnits")
    _INFO: ClassVar[builtins.type[_Info]] = UURInfo
    _ROOT_NAME: ClassVar[str] = "Repair"  # steps documenting the repair (actions, re-tests)

    _NEW: ClassVar[dict[str, Callable[[], Any]]] = {
        "type": lambda: "R",
        "id": _new_id,
        "start": _now,
        "result": lambda: "P",
        "info": lambda: UURInfo(),
    }

    def model_post_init(self, context: Any, /) -> None:
        if not _LOADING.get():
            self.get_main_unit()

    repair_process_code = Synonym[int | None](
        "process_code", "The code of the repair operation (the report's ``processCode``)."
    )

    @property
    def test_process_code(self) -> int | None:
        """The code of the test operation that found the failure."""
        return self.info.process_code if self.info else None

    def finalize(self) -> None:
        """Statuses of repair steps left open (if any steps were added)."""
        super().finalize()
        if self.root is not None:
            self.root.propagate_failure()

    def get_main_unit(self) -> UURSubUnit:
        """The repaired unit itself (``idx`` 0), created from the report's pn/sn/rev if missing."""
        found = self.get_sub_unit(0)
        if found is None:
            found = UURSubUnit.create_main_unit(self.pn, self.sn, self.rev)
            self.sub_units = [found, *(self.sub_units or [])]
        return found

    def get_sub_unit(self, idx: int) -> UURSubUnit | None:
        """The unit with index ``idx`` (0 is the repaired unit), or None."""
        return next((u for u in self.sub_units or [] if u.idx == idx), None)

    def add_sub_unit(self, pn: str, sn: str, rev: str | None = None, parent_idx: int = 0) -> UURSubUnit:
        """A unit inside the repaired one, with the next free ``idx``."""
        idx = max((u.idx or 0 for u in self.sub_units or []), default=0) + 1
        unit = UURSubUnit.create_sub_unit(pn, sn, rev, idx, parent_idx)
        self.sub_units = [*(self.sub_units or []), unit]
        return unit

    def add_failure_to_main(self, category: str, code: str, comment: str | None = None) -> UURFailure:
        """Record a failure (category and code) on the repaired unit itself."""
        return self.get_main_unit().add_failure(category, code, comment)

    def get_all_failures(self) -> list[UURFailure]:
        """Every failure recorded, on every unit of the report."""
        return [f for u in self.sub_units or [] for f in u.failures or []]

    def get_failures_by_category(self, category: str) -> list[UURFailure]:
        """The failures of ``category``, on every unit of the report."""
        return [f for f in self.get_all_failures() if f.category == category]

    def link_to_uut(self, uut_id: uuid.UUID | str) -> None:
        """Link the repair to the test report with id ``uut_id`` (a GUID)."""
        info = self.info if self.info is not None else UURInfo()
        info.link_to_uut(uut_id)  # checks uut_id before the report gains a header
        self.info = info

    def set_repair_operation(self, code: int) -> None:
        """Set the code of the repair operation."""
        self.process_code = code

    def set_test_operation(self, code: int) -> None:
        """Set the code of the test operation that found the failure."""
        if self.info is None:
            self.info = UURInfo()
        self.info.process_code = code

    def add_attachment(self, attachment: Attachment) -> BinaryData:
        """Attach a file to the repair report (``binaryData``)."""
        data = BinaryData(
            name=attachment.name, content_type=attachment.content_type, data=attachment.data, id=_new_id()
        )
        self.add_binary_data(data)
        return data


def _report_kind(v: Any) -> str:
    if isinstance(v, dict):
        return "R" if v.get("type") == "R" else "T"
    return "R" if isinstance(v, UURReport) else "T"


AnyReport = Annotated[Annotated[UUTReport, Tag("T")] | Annotated[UURReport, Tag("R")], Discriminator(_report_kind)]
_REPORT: TypeAdapter[UUTReport | UURReport] = TypeAdapter(AnyReport)


@checked
def load_report(data: dict[str, Any] | str | bytes) -> UUTReport | UURReport:
    """A WSJF document (dict or JSON text) as a :class:`UUTReport` or :class:`UURReport` (by ``type``).

    Lossless: ``load_report(doc).to_wsjf() == doc`` for any JSON object. Keys the documents do not
    name are kept as they are; a documented key holding a value of another type is kept too, and
    :meth:`~WSJFModel.check_wire` (run by ``submit_report``) names it before it is sent.
    """
    document = _json_document(data) if isinstance(data, str | bytes | bytearray) else data
    if not isinstance(document, dict):
        raise InvalidArgumentError(
            f"data must be a WSJF report (a JSON object), not {type(document).__name__} {_shown({0: document}, 0)}"
        )
    token = _LOADING.set(True)
    try:
        return _REPORT.validate_python(document, **_READING)
    finally:
        _LOADING.reset(token)


SequenceCall.model_rebuild()
UUTReport.model_rebuild()
UURReport.model_rebuild()
_UTC = UTC
