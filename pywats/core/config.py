"""Client settings: read from arguments or the environment, validated once, token kept out of sight."""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass, field

import httpx

from .exceptions import ConfigurationError, ErrorMode
from .logging import redact_url
from .retry import RetryConfig, check_seconds

__all__ = ["DEFAULT_MAX_RESPONSE_SIZE", "Settings", "check_seconds", "resolve_settings"]

ENV_BASE_URL = "WATS_BASE_URL"
ENV_TOKEN = "WATS_AUTH_TOKEN"
# pyWATS 0.x's names for the same settings, read when ours are not set
ENV_BASE_URL_ALT = "PYWATS_SERVER_URL"
ENV_TOKEN_ALT = "PYWATS_API_TOKEN"
# Large enough for any WATS answer we know of (report lists page at a few MiB), small enough
# that a misbehaving server or proxy cannot exhaust a station PC's memory.
DEFAULT_MAX_RESPONSE_SIZE = 64 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    base_url: str
    token: str = field(repr=False)
    timeout: float
    verify_ssl: bool
    error_mode: ErrorMode
    retry: RetryConfig
    http2: bool = False
    max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE

    @property
    def auth_header(self) -> str:
        return f"Basic {self.token}"

    @property
    def internal_headers(self) -> dict[str, str]:
        """Headers the WATS server expects on internal (/api/internal/) requests."""
        return {"Referer": self.base_url + "/"}


def _check_size(name: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigurationError(f"{name} must be a positive number of bytes or None (no limit), not {value!r}")
    return value


def _check_flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ConfigurationError(f"{name} must be True or False, not {value!r}")
    return value


def _check_url(raw: str) -> str:
    # Messages show the URL redacted: a pasted URL may carry user:password@ or ?token=.
    shown = redact_url(raw)
    try:
        url = httpx.URL(raw.strip())
    except (httpx.InvalidURL, TypeError):
        raise ConfigurationError(f"base_url {shown!r} is not a valid URL") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(
            f"base_url {shown!r} must be an absolute http:// or https:// URL, e.g. https://wats.example.com"
        )
    if url.userinfo:
        raise ConfigurationError("WATS base URL must not contain credentials; pass them as the token")
    return str(url.copy_with(query=None, fragment=None)).rstrip("/")


def _check_token(token: str) -> str:
    token = token.strip()
    if token.lower().startswith("basic "):
        token = token[6:].strip()
    try:
        decoded = base64.b64decode(token, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigurationError(
            "WATS token is not valid base64; it should be base64 of 'username:password' "
            "(in Python: base64.b64encode(b'username:password').decode())"
        ) from None
    if not decoded:
        raise ConfigurationError("WATS token is empty")
    return token


def resolve_settings(
    *,
    base_url: str | None,
    token: str | None,
    timeout: float,
    verify_ssl: bool,
    error_mode: ErrorMode | str,
    retry_enabled: bool,
    retry_config: RetryConfig | None,
    http2: bool = False,
    max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE,
) -> Settings:
    """Validate the constructor arguments, falling back to WATS_BASE_URL / WATS_AUTH_TOKEN.

    Every bad argument is a :class:`ConfigurationError` whose message names the argument
    (and never shows the token or credentials in a URL).
    """
    for name, value in (("base_url", base_url), ("token", token)):
        if value is not None and not isinstance(value, str):
            # not the value itself: it may be a secret of the wrong type
            raise ConfigurationError(f"{name} must be a str, not {type(value).__name__}")
    url = base_url if base_url is not None else os.environ.get(ENV_BASE_URL) or os.environ.get(ENV_BASE_URL_ALT)
    tok = token if token is not None else os.environ.get(ENV_TOKEN) or os.environ.get(ENV_TOKEN_ALT)
    missing = [
        f"{what} (pass {arg}= or set {env})"
        for what, arg, env, value in (
            ("base URL", "base_url", f"{ENV_BASE_URL} or {ENV_BASE_URL_ALT}", url),
            ("token", "token", f"{ENV_TOKEN} or {ENV_TOKEN_ALT}", tok),
        )
        if not (value and value.strip())
    ]
    if missing:
        raise ConfigurationError("WATS connection is not configured: missing " + " and ".join(missing))
    assert url is not None and tok is not None
    mode = error_mode
    if isinstance(mode, str):
        try:
            mode = ErrorMode(mode.lower())
        except ValueError:
            pass
    if not isinstance(mode, ErrorMode):
        raise ConfigurationError(f"error_mode must be ErrorMode.STRICT or ErrorMode.LENIENT, not {error_mode!r}")
    if retry_config is not None and not isinstance(retry_config, RetryConfig):
        raise ConfigurationError(f"retry_config must be a RetryConfig, not {type(retry_config).__name__}")
    seconds = check_seconds("timeout", timeout)
    size = _check_size("max_response_size", max_response_size)
    enabled = _check_flag("retry_enabled", retry_enabled)
    use_http2 = _check_flag("http2", http2)
    verify = _check_flag("verify_ssl", verify_ssl)
    base = _check_url(url)
    secret = _check_token(tok)
    retry = retry_config if retry_config is not None else RetryConfig()
    if not enabled:
        retry.enabled = False
    return Settings(
        base_url=base,
        token=secret,
        timeout=seconds,
        verify_ssl=verify,
        error_mode=mode,
        retry=retry,
        http2=use_http2,
        max_response_size=size,
    )
