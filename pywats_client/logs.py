"""The station client's logging: where it goes (the log file or stderr), its level, and the
recent lines the control API serves when there is no log file."""

from __future__ import annotations

import collections
import logging
from pathlib import Path

from .config import ClientConfig, ConfigError

__all__ = ["configure_logging", "open_log_file", "recent_log_lines", "set_log_level"]

_LOGGERS = ("pywats_client", "pywats")
_RECENT: collections.deque[str] = collections.deque(maxlen=5000)
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _RecentLines(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            _RECENT.extend(self.format(record).splitlines())
        except Exception:
            self.handleError(record)


def recent_log_lines(n: int) -> list[str]:
    """The last ``n`` lines logged by this process (what ``GET /log`` serves when there is no log file)."""
    lines = list(_RECENT)
    return lines[-n:] if n else []


def configure_logging(config: ClientConfig, log_path: Path | None = None) -> Path | None:
    """Log to ``log_path`` (or ``log_file``, else stderr); returns the file used, if any."""
    target = log_path or config.log_path
    handler: logging.Handler = open_log_file(config, target) if target else logging.StreamHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    recent = _RecentLines()
    recent.setFormatter(logging.Formatter(_FORMAT))
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler, recent]
        logger.propagate = False
    set_log_level(config)
    return target


def open_log_file(config: ClientConfig, path: Path) -> logging.FileHandler:
    """A handler appending to ``path``; :class:`ConfigError` saying what to do if it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return logging.FileHandler(path, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"log_file: the service cannot write its log to {path} ({exc.strerror or exc}); give the service's "
            f"user write access to it, or choose another file: pywats-client --config {config.path} "
            "config set log_file PATH"
        ) from None


def set_log_level(config: ClientConfig) -> None:
    """``log_level`` for the client and the pyWATS library (DEBUG shows the library's HTTP requests and retries)."""
    for name in _LOGGERS:
        logging.getLogger(name).setLevel(config["log_level"])
