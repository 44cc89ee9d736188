"""Client settings: read from arguments or the environment, validated once, token kept out of sight."""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass, field

import httpx

from .exceptions import ConfigurationError, ErrorMode
from .retry import RetryConfig

__all__ = ["Settings", "resolve_settings"]

ENV_BASE_URL = "WATS_BASE_URL"
ENV_TOKEN = "WATS_AUTH_TOKEN"


@dataclass(frozen=True)
class Settings:
    base_url: str
    token: str = field(repr=False)
    timeout: float
    verify_ssl: bool
    error_mode: ErrorMode
    retry: RetryConfig
    process_refresh_interval: float
    http2: bool = False

    @property
    def auth_header(self) -> str:
        return f"Basic {self.token}"

    @property
    def internal_headers(self) -> dict[str, str]:
        """Headers the WATS server expects on internal (/api/internal/) requests."""
        return {"Referer": self.base_url + "/"}


def _check_url(raw: str) -> str:
    try:
        url = httpx.URL(raw.strip())
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigurationError(f"WATS base URL {raw!r} is not a valid URL: {exc}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(
            f"WATS base URL {raw!r} must be an absolute http:// or https:// URL, e.g. https://wats.example.com"
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
            "(see the Authentication section of the guide)"
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
    process_refresh_interval: float,
    http2: bool = False,
) -> Settings:
    """Validate the constructor arguments, falling back to WATS_BASE_URL / WATS_AUTH_TOKEN."""
    url = base_url if base_url is not None else os.environ.get(ENV_BASE_URL)
    tok = token if token is not None else os.environ.get(ENV_TOKEN)
    missing = [
        f"{what} (pass {arg}= or set {env})"
        for what, arg, env, value in (
            ("base URL", "base_url", ENV_BASE_URL, url),
            ("token", "token", ENV_TOKEN, tok),
        )
        if not (value and value.strip())
    ]
    if missing:
        raise ConfigurationError("WATS connection is not configured: missing " + " and ".join(missing))
    assert url is not None and tok is not None
    if isinstance(error_mode, str):
        try:
            error_mode = ErrorMode(error_mode.lower())
        except ValueError:
            raise ConfigurationError(
                f"error_mode must be ErrorMode.STRICT or ErrorMode.LENIENT, not {error_mode!r}"
            ) from None
    if timeout <= 0:
        raise ConfigurationError(f"timeout must be positive, not {timeout!r}")
    retry = retry_config if retry_config is not None else RetryConfig()
    if not retry_enabled:
        retry.enabled = False
    return Settings(
        base_url=_check_url(url),
        token=_check_token(tok),
        timeout=float(timeout),
        verify_ssl=verify_ssl,
        error_mode=error_mode,
        retry=retry,
        process_refresh_interval=float(process_refresh_interval),
        http2=http2,
    )
