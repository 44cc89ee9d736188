# DO NOT EDIT — generated from pywats/domains/report/async_service.py by `python -m pywats._unasync`.
"""The Report service: build, submit and read test (UUT) and repair (UUR) reports; query headers."""

from __future__ import annotations

import base64
import email.message
import io
import json
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

import httpx
from pydantic import Field
from wats_public.api.report import (
    report_certificate,
    report_get_attachment,
    report_get_attachments,
    report_get_report_as_wsjf,
    report_header_by_misc_info,
    report_header_query,
    report_post_wsjf,
    report_post_wsxf,
    report_wsxf,
)

from ..._sync.service import SyncService
from ...core.binding import uses
from ...core.exceptions import (
    ConnectionError,
    ErrorMode,
    InvalidArgumentError,
    NotFoundError,
    TimeoutError,
)
from ...core.station import Purpose
from ...core.wire import aliases, count, invalid, json_object, odata_params, parse_list, text, unset, within
from .enums import ReportType
from .headers import HeaderMiscInfo, HeaderSubUnit, ReportAttachment, ReportHeader
from .models import InvalidIdentifierError, UURReport, UUTReport, load_report
from .odata import odata_string

__all__ = ["ReportService"]

_ODATA = ("$filter", "$top", "$skip", "$orderby", "$expand")
ReportId = uuid.UUID | str


def _parse_report(response: httpx.Response) -> UUTReport | UURReport:
    return load_report(response.content)


def _parse_insert(response: httpx.Response) -> uuid.UUID:
    body = response.json()
    if not isinstance(body, dict):
        raise ValueError("the server did not answer with an InsertReportResult")
    value = body.get("ID") or body.get("uuid") or body.get("id")
    return uuid.UUID(str(value))


def _parse_text(response: httpx.Response) -> str:
    # The server sends the XML itself; a JSON-wrapped string (as some proxies do) is unwrapped.
    text = response.text
    if text.lstrip().startswith('"'):
        value = json.loads(text)
        if isinstance(value, str):
            return value
    return text


def _parse_zip(response: httpx.Response) -> list[ReportAttachment]:
    content = response.content
    if not content.startswith(b"PK"):
        # A JSON string of the base64 archive: how ASP.NET serialises a byte[] returned as JSON.
        value = json.loads(content)
        content = base64.b64decode(value) if isinstance(value, str) else b""
    if not content:
        return []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [
            ReportAttachment(file_name=i.filename, size=i.file_size, content=archive.read(i))
            for i in archive.infolist()
        ]


def _attachment_of(fallback_name: str) -> Callable[[httpx.Response], ReportAttachment]:
    def parse(response: httpx.Response) -> ReportAttachment:
        # The server names the file in Content-Disposition (RFC 6266, possibly as filename*=UTF-8''...).
        message = email.message.Message()
        message["Content-Disposition"] = response.headers.get("Content-Disposition", "")
        name = message.get_filename() or fallback_name
        content = response.content
        return ReportAttachment(
            file_name=name,
            size=len(content),
            content=content,
            content_type=response.headers.get("Content-Type"),
        )

    return parse


def _wsxf_id(document: bytes) -> str | None:
    """The report id a WSXF document names, if it can be read (only to say which report a lost call sent)."""
    try:
        root = ET.fromstring(document)
    except ET.ParseError:
        return None
    for node in root.iter():
        if node.tag.rsplit("}", 1)[-1] == "Report":
            return node.get("ID")
    return None


def _report_id(report_id: ReportId) -> uuid.UUID:
    try:
        return report_id if isinstance(report_id, uuid.UUID) else uuid.UUID(str(report_id))
    except ValueError:
        raise invalid("report_id", report_id, "a report id (a UUID)") from None


def _need(value: str | None, what: str) -> str:
    if value is None or not str(value).strip():
        argument = what.replace(" ", "_")
        raise InvalidIdentifierError(
            f"{what} must not be empty", field=argument, value=value, details={"argument": argument}
        )
    return value


def _purpose(value: Purpose | int | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return str(int(value))


def _day(value: date | datetime) -> str:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.astimezone()
    else:
        moment = datetime.combine(value, time.min).astimezone()
    return moment.astimezone().isoformat(timespec="seconds")


# A century: far beyond any report database, and well inside what dates can hold.
_MAX_DAYS = 36_500


class ReportService(SyncService):
    """Test and repair reports in WSJF: build them, submit them, read them back, query headers.

    ``submit_report`` is a POST and never retried automatically: if the connection is lost after
    the report was sent, a :class:`~pywats.ConnectionError` (or ``TimeoutError``) carrying
    ``details["report_id"]`` says which report to look for with ``get_report`` before resubmitting
    (resubmitting the same id replaces, it never duplicates).
    """

    # -- building (no server call) ---------------------------------------------------------------

    def _stamp(self, report: UUTReport | UURReport, station_name: str | None, location: str | None) -> None:
        station = self._context.station
        report.station_name = station_name or station.name
        report.location = location if location is not None else station.location

    @uses()
    def create_uut_report(
        self,
        operator: str | None,
        part_number: str,
        revision: str,
        serial_number: str,
        operation_type: int,
        station_name: str | None = None,
        location: str | None = None,
        purpose: Purpose | int | str | None = None,
        start: datetime | None = None,
    ) -> UUTReport:
        """A new test report; station name and location default to ``api.station``.

        Raises :class:`~pywats.ValidationError` for an empty part or serial number.
        """
        report = UUTReport(
            pn=_need(part_number, "part number"),
            sn=_need(serial_number, "serial number"),
            rev=revision,
            process_code=operation_type,
            purpose=_purpose(purpose if purpose is not None else self._context.station.purpose),
        )
        if start is not None:
            report.start = start.astimezone().isoformat(timespec="milliseconds")
        report.operator = operator
        self._stamp(report, station_name, location)
        return report

    @uses()
    def create_uur_report(
        self,
        uut: UUTReport,
        repair_process_code: int = 500,
        operator: str | None = None,
        station_name: str | None = None,
        location: str | None = None,
        purpose: Purpose | int | str | None = None,
    ) -> UURReport:
        """A repair report for the failed test report ``uut`` (linked by its id, same unit)."""
        uur = UURReport(
            pn=uut.pn,
            sn=uut.sn,
            rev=uut.rev,
            process_code=repair_process_code,
            purpose=_purpose(purpose if purpose is not None else uut.purpose),
        )
        uur.operator = operator
        uur.set_test_operation(uut.process_code or 0)
        if uut.id is not None:
            uur.link_to_uut(uut.id)
        self._stamp(uur, station_name, location)
        return uur

    @uses()
    def create_uur_from_part_and_process(
        self,
        part_number: str,
        serial_number: str,
        revision: str | None = None,
        test_operation_code: int = 100,
        repair_process_code: int = 500,
        operator: str | None = None,
        station_name: str | None = None,
        location: str | None = None,
    ) -> UURReport:
        """A repair report for a unit when the failed test report is not at hand."""
        uur = UURReport(
            pn=_need(part_number, "part number"),
            sn=_need(serial_number, "serial number"),
            rev=revision,
            process_code=repair_process_code,
            purpose=_purpose(self._context.station.purpose),
        )
        uur.operator = operator
        uur.set_test_operation(test_operation_code)
        self._stamp(uur, station_name, location)
        return uur

    # -- submit / read -------------------------------------------------------------------------

    @uses(report_post_wsjf)
    def submit_report(self, report: UUTReport | UURReport | Any) -> uuid.UUID | None:
        """Send a report (``POST /api/Report/WSJF``); returns its id.

        Statuses and the result left open are computed first, station name and location not set
        are taken from ``api.station``. Never retried automatically (see the class docstring).
        A value read with a type the WSJF documents do not allow, or steps nested deeper than
        ``MAX_STEP_DEPTH``, raise :class:`~pywats.InvalidArgumentError` before anything is sent.
        """
        to_report = getattr(report, "to_report", None)
        if callable(to_report):
            if getattr(report, "id", "") is None:
                # Fixed on the caller's own object before the first send, so a resubmit after a lost
                # connection carries the same id and the server stores the report once.
                report.id = str(uuid.uuid4())
            report = to_report()
        if not isinstance(report, UUTReport | UURReport):
            raise TypeError(f"submit_report takes a UUTReport or UURReport, not {type(report).__name__}")
        _need(report.pn, "part number")
        _need(report.sn, "serial number")
        report.check_wire()
        if report.station_name is None:
            self._stamp(report, None, report.location)
        if report.id is None:
            report.id = str(uuid.uuid4())
        report.finalize()
        report_id = _report_id(report.id)
        kwargs = report_post_wsjf.request_kwargs()
        kwargs["content"] = report.to_json().encode()
        kwargs["headers"] = {"Content-Type": "application/json"}
        try:
            return self._call_parsed(report_post_wsjf, kwargs, _parse_insert, resource_type="report")
        except (ConnectionError, TimeoutError) as exc:
            exc.details["report_id"] = str(report_id)
            exc.message = (
                f"{exc.message} (report {report_id} may have reached the server: check with "
                f"get_report('{report_id}') before submitting it again)"
            )
            raise

    @uses(report_post_wsjf)
    def submit_uut(self, report: UUTReport | Any) -> uuid.UUID | None:
        """Another name for :meth:`submit_report` (``submit_uut(uut)``)."""
        return self.submit_report(report)

    @uses(report_post_wsjf)
    def submit_uur(self, report: UURReport | Any) -> uuid.UUID | None:
        """Another name for :meth:`submit_report` (``submit_uur(uur)``)."""
        return self.submit_report(report)

    @uses(report_post_wsjf)
    def submit_uut_report(self, report: UUTReport | Any) -> uuid.UUID | None:
        """Another name for :meth:`submit_report` (``submit_uut_report(report)``)."""
        return self.submit_report(report)

    @uses(report_post_wsxf)
    def submit_report_xml(self, document: str | bytes) -> uuid.UUID | None:
        """Send a report in WSXF, the XML format (``POST /api/Report/WSXF``); returns its id.

        ``document`` is the XML text (``str``) or its encoded bytes, sent as it is: the server
        validates it and answers :class:`~pywats.ValidationError` (400) with its reason. Never
        retried automatically; a lost connection's error carries ``details["report_id"]`` when
        the document names its ``ID`` (see the class docstring).
        """
        if isinstance(document, str):
            body = document.encode("utf-8")
        elif isinstance(document, bytes | bytearray | memoryview):
            body = bytes(document)
        else:
            raise TypeError(f"submit_report_xml takes the XML as str or bytes, not {type(document).__name__}")
        if not body.strip():
            raise invalid("document", document, "a WSXF document (XML), not empty")
        kwargs = report_post_wsxf.request_kwargs()
        kwargs["content"] = body
        kwargs["headers"] = {"Content-Type": "application/xml; charset=utf-8"}
        try:
            return self._call_parsed(report_post_wsxf, kwargs, _parse_insert, resource_type="report")
        except (ConnectionError, TimeoutError) as exc:
            report_id = _wsxf_id(body)
            if report_id:
                exc.details["report_id"] = report_id
                exc.message = (
                    f"{exc.message} (report {report_id} may have reached the server: check with "
                    f"get_report('{report_id}') before submitting it again)"
                )
            raise

    @uses(report_get_report_as_wsjf, query=("detailLevel", "includeChartdata", "includeAttachments"))
    def get_report(
        self,
        report_id: ReportId,
        *,
        detail_level: int | None = None,
        include_chartdata: bool | None = None,
        include_attachments: bool | None = None,
    ) -> UUTReport | UURReport | None:
        """A report by id (``GET /api/Report/Wsjf/{id}``), as a :class:`UUTReport` or :class:`UURReport`."""
        rid = _report_id(report_id)
        kwargs = report_get_report_as_wsjf.request_kwargs(
            rid,
            detail_level=unset(detail_level),
            include_chartdata=unset(include_chartdata),
            include_attachments=unset(include_attachments),
        )
        return self._call_parsed(
            report_get_report_as_wsjf, kwargs, _parse_report, resource_type="report", identifier=str(rid)
        )

    @uses(report_get_report_as_wsjf)
    def get_uut_report(self, report_id: ReportId) -> UUTReport | None:
        """A test report by id; ``None`` if the id names a repair report (or, LENIENT, nothing)."""
        found = self.get_report(report_id)
        return found if isinstance(found, UUTReport) else None

    @uses(report_get_report_as_wsjf)
    def get_uur_report(self, report_id: ReportId) -> UURReport | None:
        """A repair report by id; ``None`` if the id names a test report (or, LENIENT, nothing)."""
        found = self.get_report(report_id)
        return found if isinstance(found, UURReport) else None

    @uses(report_wsxf, query=("detailLevel", "includeAttachments", "includeChartdata", "includeIndexes"))
    def get_report_xml(self, report_id: ReportId, *, detail_level: int | None = None) -> str | None:
        """A report by id in WSXF, the XML format (``GET /api/Report/Wsxf/{id}``), as text.

        The server answers the XML document itself; a JSON string holding it (as some proxies
        send) is unwrapped.
        """
        rid = _report_id(report_id)
        kwargs = report_wsxf.request_kwargs(rid, detail_level=unset(detail_level))
        kwargs["headers"] = {"Accept": "application/xml"}
        return self._call_parsed(report_wsxf, kwargs, _parse_text, resource_type="report", identifier=str(rid))

    # -- headers -------------------------------------------------------------------------------

    @uses(report_header_query, query=_ODATA)
    @aliases(filter_str="odata_filter")
    def query_headers(
        self,
        report_type: ReportType | str | None = None,
        odata_filter: str | None = None,
        top: int | None = None,
        skip: int | None = None,
        orderby: str | None = None,
        expand: list[str] | str | None = None,
    ) -> list[ReportHeader]:
        """Report headers matching an OData ``$filter`` (``GET /api/Report/Query/Header``).

        ``report_type`` (``ReportType.UUT``/``UUR``) adds ``reportType eq 'T'``/``'R'``; ``top``
        is at most 10000 (the server's default is 10, most recent first); ``orderby`` one of
        ``start``, ``uuid``, ``serialNumber``, ``timeStamp`` with ``asc``/``desc``; ``expand``
        e.g. ``["subUnits", "miscInfo"]``. Nothing found: an empty list.
        """
        clauses = []
        if report_type is not None:
            clauses.append(f"reportType eq {odata_string(ReportType(report_type).value)}")
        if odata_filter:
            clauses.append(f"({odata_filter})" if clauses else odata_filter)
        if top is not None:
            within("top", top, 0, 10000, whole=True)
        if skip is not None:
            count("skip", skip)
        options = odata_params(" and ".join(clauses) or None, top, skip, orderby or None, expand or None)
        kwargs = report_header_query.request_kwargs(**options)
        found = self._call_parsed(report_header_query, kwargs, parse_list(ReportHeader), expect_data=False)
        return found or []

    @uses(report_header_query, query=_ODATA)
    @aliases(filter_str="odata_filter")
    def query_uut_headers(
        self,
        odata_filter: str | None = None,
        top: int | None = None,
        skip: int | None = None,
        orderby: str | None = None,
        expand: list[str] | str | None = None,
    ) -> list[ReportHeader]:
        """Test report headers: :meth:`query_headers` with ``ReportType.UUT``."""
        return self.query_headers(ReportType.UUT, odata_filter, top, skip, orderby, expand)

    @uses(report_header_query, query=_ODATA)
    @aliases(filter_str="odata_filter")
    def query_uur_headers(
        self,
        odata_filter: str | None = None,
        top: int | None = None,
        skip: int | None = None,
        orderby: str | None = None,
        expand: list[str] | str | None = None,
    ) -> list[ReportHeader]:
        """Repair report headers: :meth:`query_headers` with ``ReportType.UUR``."""
        return self.query_headers(ReportType.UUR, odata_filter, top, skip, orderby, expand)

    def _newest_first(
        self, report_type: ReportType | str | None, odata_filter: str | None, top: int | None
    ) -> list[ReportHeader]:
        """The ``get_*_headers`` lists: :meth:`query_headers`, most recently started first."""
        return self.query_headers(report_type, odata_filter, top=top, orderby="start desc")

    @uses(report_header_query, query=_ODATA)
    def get_headers_by_serial(
        self, serial_number: str, report_type: ReportType | str | None = None, top: int | None = 1000
    ) -> list[ReportHeader]:
        """Headers of the reports of one serial number, most recent first."""
        f = f"serialNumber eq {odata_string(serial_number)}"
        return self._newest_first(report_type, f, top)

    @uses(report_header_query, query=_ODATA)
    def get_headers_by_part_number(
        self, part_number: str, report_type: ReportType | str | None = None, top: int | None = 1000
    ) -> list[ReportHeader]:
        """Headers of the reports of one part number, most recent first."""
        f = f"partNumber eq {odata_string(part_number)}"
        return self._newest_first(report_type, f, top)

    @uses(report_header_query, query=_ODATA)
    def get_headers_by_date_range(
        self,
        start_date: date | datetime,
        end_date: date | datetime,
        report_type: ReportType | str | None = None,
        top: int | None = 1000,
    ) -> list[ReportHeader]:
        """Headers of reports started from ``start_date`` up to (not including) ``end_date``; a
        ``date`` means local midnight."""
        f = f"start ge {_day(start_date)} and start lt {_day(end_date)}"
        return self._newest_first(report_type, f, top)

    @uses(report_header_query, query=_ODATA)
    def get_recent_headers(
        self,
        days: int | None = None,
        report_type: ReportType | str | None = None,
        top: int | None = 1000,
        *,
        count: int | None = None,
    ) -> list[ReportHeader]:
        """Headers of reports started in the last ``days`` days (7 by default), most recent first.

        ``count=N`` (pyWATS 0.x's form) asks for the N most recent headers instead, of any
        age unless ``days`` is also given; it replaces ``top``.
        """
        if count is not None:
            if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= 10000:
                raise InvalidArgumentError(f"count must be a number of headers, 1 to 10000, not {str(count)[:40]!r}")
            top = count
        elif days is None:
            days = 7
        f = None
        if days is not None:
            within(
                "days",
                days,
                0,
                _MAX_DAYS,
                above=True,
                expected=f"a number of days, more than 0 and at most {_MAX_DAYS}",
            )
            since = datetime.now().astimezone() - timedelta(days=days)
            f = f"start ge {since.isoformat(timespec='seconds')}"
        return self._newest_first(report_type, f, top)

    @uses(report_header_query, query=_ODATA)
    def get_todays_headers(
        self, report_type: ReportType | str | None = None, top: int | None = 1000
    ) -> list[ReportHeader]:
        """Headers of reports started since local midnight, most recent first."""
        f = f"start ge {_day(date.today())}"
        return self._newest_first(report_type, f, top)

    # -- attachments ----------------------------------------------------------------------------

    @uses(report_get_attachments)
    def get_attachments(self, report_id: ReportId) -> list[ReportAttachment]:
        """The files attached to a report (``GET /api/Report/Attachments/{id}``, a zip archive)."""
        rid = _report_id(report_id)
        kwargs = report_get_attachments.request_kwargs(rid)
        found = self._call_parsed(
            report_get_attachments, kwargs, _parse_zip, resource_type="report", identifier=str(rid)
        )
        return found or []

    @uses(report_get_attachment, query=("attachmentId", "stepId"))
    def get_attachment(
        self,
        report_id: ReportId,
        *,
        step_id: int | None = None,
        attachment_id: uuid.UUID | str | None = None,
    ) -> ReportAttachment | None:
        """One file of a report (``GET /api/Report/Attachment``), with its name, size, content and type.

        A test report keeps files on steps: give the ``step_id`` of the step holding it. A repair
        report keeps them in ``binaryData``: give its ``attachment_id``. Exactly one of the two;
        otherwise ``ValueError`` before anything is sent. Nothing there: NotFoundError (LENIENT: None).
        """
        rid = _report_id(report_id)
        if (step_id is None) == (attachment_id is None):
            raise ValueError("get_attachment takes exactly one of step_id (test reports) or attachment_id (repair)")
        if step_id is not None:
            if isinstance(step_id, bool) or not isinstance(step_id, int):
                raise ValueError(f"step_id must be an integer step id, not {step_id!r}")
            kwargs = report_get_attachment.request_kwargs(report_id=rid, step_id=step_id)
            fallback = f"step{step_id}"
        else:
            try:
                aid = attachment_id if isinstance(attachment_id, uuid.UUID) else uuid.UUID(str(attachment_id))
            except ValueError:
                raise ValueError(f"attachment_id must be a GUID, not {attachment_id!r}") from None
            kwargs = report_get_attachment.request_kwargs(report_id=rid, attachment_id=aid)
            fallback = str(aid)
        return self._call_parsed(
            report_get_attachment,
            kwargs,
            _attachment_of(fallback),
            resource_type="attachment",
            identifier=f"{rid}/{fallback}",
        )

    @uses(report_get_attachments)
    @aliases(filename="file_name")
    def download_attachment(self, report_id: ReportId, file_name: str) -> bytes | None:
        """The content of the attachment called ``file_name`` (NotFoundError, LENIENT: None, if none is)."""
        rid = _report_id(report_id)
        kwargs = report_get_attachments.request_kwargs(rid)
        found = self._call_parsed(
            report_get_attachments, kwargs, _parse_zip, resource_type="report", identifier=str(rid)
        )
        for attachment in found or []:
            if attachment.file_name == file_name:
                return attachment.content
        if found is None:
            return None
        if self._context.error_mode is ErrorMode.LENIENT:
            return None
        raise NotFoundError(
            f"report {rid} has no attachment {file_name!r}",
            resource_type="attachment",
            identifier=file_name,
            operation="download_attachment",
        )

    # -- pyWATS 0.x names ------------------------------------------------------------------------

    @uses(report_post_wsjf)
    def submit(self, report: UUTReport | UURReport | Mapping[str, Any] | Any) -> uuid.UUID | None:
        """Another name for :meth:`submit_report`; a WSJF document as a dict is read as a report first."""
        if isinstance(report, Mapping):
            report = load_report(dict(report))
        return self.submit_report(report)

    @uses()
    def create_uur_from_uut(
        self,
        uut_report: UUTReport,
        operator: str | None = None,
        comment: str | None = None,
        *,
        repair_process_code: int = 500,
    ) -> UURReport:
        """A repair report for the failed test report ``uut_report`` (same unit, linked by its id),
        with the repair's ``operator`` and ``comment``. Sends nothing.

        The repair operation is ``repair_process_code`` (500, WATS's default; see
        ``api.process.get_default_repair_code()``); fail codes come from
        ``api.process.get_repair_codes(code)``.
        """
        if not isinstance(uut_report, UUTReport):
            raise invalid("uut_report", uut_report, "a UUTReport (the failed test report)")
        if comment is not None and not isinstance(comment, str):
            raise invalid("comment", comment, "text or None")
        uur = self.create_uur_report(uut_report, repair_process_code, operator)
        if comment is not None and uur.info is not None:
            uur.info.comment = comment
        return uur

    @uses(report_get_attachments)
    def get_all_attachments(self, report_id: ReportId) -> list[ReportAttachment]:
        """Another name for :meth:`get_attachments` (every file of a report, with names and contents)."""
        return self.get_attachments(report_id)

    @uses(report_certificate)
    def get_certificate(self, report_id: ReportId) -> dict[str, Any] | None:
        """A report's certificate (``GET /api/Report/Certificate/{id}``), as the server's JSON object.

        Unknown report: NotFoundError (LENIENT: None).
        """
        rid = _report_id(report_id)
        kwargs = report_certificate.request_kwargs(rid)
        return self._call_parsed(
            report_certificate, kwargs, json_object, resource_type="report", identifier=str(rid)
        )

    @uses(report_header_query, query=_ODATA)
    @aliases(filter_str="odata_filter")
    def query_headers_with_subunits(
        self,
        report_type: ReportType | str | None = None,
        odata_filter: str | None = None,
        top: int | None = None,
        orderby: str | None = None,
    ) -> list[ReportHeader]:
        """:meth:`query_headers` with each header's sub-units (``$expand`` of ``subUnits`` for test
        reports, ``uurSubUnits`` for repair reports; both when ``report_type`` is None). A repair
        report's sub-units are in ``header.sub_units`` too."""
        kind = None if report_type is None else ReportType(report_type)
        expand = [_SUBUNITS[k] for k in ((kind,) if kind is not None else (ReportType.UUT, ReportType.UUR))]
        headers = self.query_headers(kind, odata_filter, top, None, orderby, expand)
        for header in headers:
            extra = header.model_extra or {}
            if header.sub_units is None and isinstance(extra.get("uurSubUnits"), list):
                header.sub_units = [HeaderSubUnit.model_validate(u) for u in extra["uurSubUnits"]]
        return headers

    def _by_subunit(
        self, field: str, value: str, report_type: ReportType | str | None, top: int | None
    ) -> list[ReportHeader]:
        kind = ReportType(ReportType.UUT if report_type is None else report_type)
        collection = _SUBUNITS[kind]
        f = f"{collection}/any(s: s/{field} eq {odata_string(value)})"
        return self.query_headers_with_subunits(kind, f, top, "start desc")

    @uses(report_header_query, query=_ODATA)
    def query_headers_by_subunit_part_number(
        self, subunit_part_number: str, report_type: ReportType | str | None = ReportType.UUT, top: int | None = None
    ) -> list[ReportHeader]:
        """Headers (with sub-units) of reports holding a sub-unit of this part number, newest first.

        ``report_type`` UUT (default) looks at test reports' ``subUnits``, UUR at repair reports'.
        """
        text("subunit_part_number", subunit_part_number)
        return self._by_subunit("partNumber", subunit_part_number, report_type, top)

    @uses(report_header_query, query=_ODATA)
    def query_headers_by_subunit_serial(
        self, subunit_serial_number: str, report_type: ReportType | str | None = ReportType.UUT, top: int | None = None
    ) -> list[ReportHeader]:
        """Headers (with sub-units) of reports holding the sub-unit with this serial number, newest first."""
        text("subunit_serial_number", subunit_serial_number)
        return self._by_subunit("serialNumber", subunit_serial_number, report_type, top)

    @uses(report_header_by_misc_info, query=("description", "data"))
    def query_headers_by_misc_info(
        self, description: str, string_value: str | None = None, top: int | None = None
    ) -> list[ReportHeader]:
        """Headers of test reports with a misc info item ``description`` (holding ``string_value``,
        if given), newest first (``GET /api/Report/Query/HeaderByMiscInfo``).

        The server answers every match; ``top`` keeps the first ``top``. Each header's
        ``misc_info`` holds the report's misc info items.
        """
        text("description", description)
        if string_value is not None and not isinstance(string_value, str):
            raise invalid("string_value", string_value, "text or None")
        if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 0):
            raise invalid("top", top, "a number of headers (0 or more) or None")
        kwargs = report_header_by_misc_info.request_kwargs(description=description, data=unset(string_value))
        found = self._call_parsed(
            report_header_by_misc_info, kwargs, parse_list(_MiscInfoResult), expect_data=False
        )
        headers = [r.header() for r in found or []]
        return headers if top is None else headers[:top]


_SUBUNITS = {ReportType.UUT: "subUnits", ReportType.UUR: "uurSubUnits"}


class _MiscInfoResult(ReportHeader):
    """One answer of ``HeaderByMiscInfo`` (``WATS_UUTResult``): a header with its ``miscData``."""

    misc_data: list[dict[str, Any]] | None = Field(default=None, alias="miscData")

    def header(self) -> ReportHeader:
        misc = [HeaderMiscInfo(description=m.get("description"), value=m.get("data")) for m in self.misc_data or []]
        fields = self.model_dump(by_alias=True, exclude={"misc_data"}, exclude_none=True)
        return ReportHeader.model_validate({**fields, "reportType": "T", "miscInfo": [m.model_dump() for m in misc]})
