"""Loggers under ``pywats``. The library adds no handlers except through enable_debug_logging()."""

from __future__ import annotations

import logging

import httpx

__all__ = ["enable_debug_logging", "http_logger", "redact_url", "safe_url"]

logger = logging.getLogger("pywats")
logger.addHandler(logging.NullHandler())
http_logger = logging.getLogger("pywats.http_client")


def safe_url(url: httpx.URL) -> str:
    """The URL without any credentials in it, for logs and messages."""
    return str(url.copy_with(userinfo=b"")) if url.userinfo else str(url)


def redact_url(raw: object) -> str:
    """``raw`` as far as it is safe to show: no ``user:password@``, no query string, no fragment.

    Used in messages about URLs the user gave, which may carry credentials (``?token=``).
    """
    text = str(raw).strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "", text
    rest = rest.split("?", 1)[0].split("#", 1)[0]
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        authority = "***@" + authority.rsplit("@", 1)[1]
    return f"{scheme}{sep}{authority}{slash}{path}"


def enable_debug_logging(level: int = logging.DEBUG) -> None:
    """Send pywats log records (HTTP lines included) to stderr at ``level``.

    Touches only the ``pywats`` logger, never the root logger. Calling it again does not add
    a second handler.
    """
    logger.setLevel(level)
    if not any(getattr(h, "_pywats_debug", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s"))
        handler._pywats_debug = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
