"""``pywats-client``: configure, run and manage the station service (also ``python -m pywats_client``).

Exit codes: 0 success, 1 failure (the message says why), 2 bad command line, 3 not running
(``status``/``stop`` when no service runs for this configuration).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .commands import NOT_RUNNING, CliError, config_source, load_config, service_status
from .config import (
    KEYS,
    SECRET_KEYS,
    ClientConfig,
    ConfigError,
    canonical_key,
    default_config_path,
    mask_token,
    mask_url_password,
)

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", metavar="PATH", default=argparse.SUPPRESS, help=f"config file (default: {default_config_path()})"
    )
    p = argparse.ArgumentParser(
        prog="pywats-client",
        parents=[common],
        description="pyWATS station client: turns test-station files into WATS reports.",
    )
    p.add_argument(
        "--version", action="version", version=f"pywats-client {_version()} (Python {sys.version.split()[0]})"
    )
    # no command opens the GUI when it can (see _no_command)
    sub = p.add_subparsers(dest="command", required=False, metavar="COMMAND")

    cfg = sub.add_parser("config", parents=[common], help="show or change the configuration")
    cs = cfg.add_subparsers(dest="action", required=True, metavar="ACTION")
    init = cs.add_parser("init", parents=[common], help="create the configuration (asks, unless --non-interactive)")
    init.add_argument("--server-url", "--service-address", dest="server_url")
    init.add_argument("--api-token", dest="api_token")
    init.add_argument("--station-name", dest="station_name")
    init.add_argument("--non-interactive", action="store_true", help="take the options only; ask nothing")
    show = cs.add_parser("show", parents=[common], help="show every key (token masked)")
    show.add_argument("--format", choices=("text", "json", "env"), default="text")
    get = cs.add_parser("get", parents=[common], help="print one key")
    get.add_argument("key")
    set_ = cs.add_parser("set", parents=[common], help="set one key (validated)")
    set_.add_argument("key")
    set_.add_argument("value")
    cs.add_parser("keys", parents=[common], help="list the keys and what they mean")

    sub.add_parser("test-connection", parents=[common], help="check the server URL and token")
    start = sub.add_parser("start", parents=[common], help="run the service (foreground unless --daemon)")
    start.add_argument("--daemon", action="store_true", help="run in the background (Unix)")
    start.add_argument("--api", action="store_true", help="serve the local HTTP control API")
    start.add_argument("--api-port", type=int, metavar="N", help="control API port (default: config api_port, 8765)")
    start.add_argument("--api-host", metavar="HOST", help="control API address (default: 127.0.0.1)")
    stop = sub.add_parser("stop", parents=[common], help="stop the running service")
    stop.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for it to exit (default 60)")
    status = sub.add_parser("status", parents=[common], help="is the service running, and how is it doing")
    status.add_argument("--format", choices=("text", "json"), default="text")

    sub.add_parser(
        "diagnose", parents=[common], help="check config, folders, server, token and service; show recent errors"
    )
    queue = sub.add_parser("queue", parents=[common], help="list, retry or send queued and failed reports")
    qs = queue.add_subparsers(dest="action", required=True, metavar="ACTION")
    ql = qs.add_parser("list", parents=[common], help="queued reports and failed items, with reasons")
    ql.add_argument("--format", choices=("text", "json"), default="text")
    qr = qs.add_parser("retry", parents=[common], help="give a failed item (or --all) another go")
    qr.add_argument("name", nargs="?", help="a name from queue list")
    qr.add_argument("--all", action="store_true", help="every failed item")
    qs.add_parser("process", parents=[common], help="send the queue now (ends any back-off)")
    inst = sub.add_parser("install-service", parents=[common], help="write a systemd unit that runs this config")
    inst.add_argument(
        "--system", action="store_true", help="a system unit (/etc/systemd/system) instead of a user unit"
    )
    inst.add_argument("--user-name", metavar="USER", help="for --system: the account that runs it (default: you)")
    uninst = sub.add_parser("uninstall-service", parents=[common], help="remove the systemd unit of this config")
    uninst.add_argument("--system", action="store_true", help="the system unit instead of the user unit")

    sn = sub.add_parser("sn", parents=[common], help="serial numbers from the service's SN handler")
    sn.add_subparsers(dest="action", required=True, metavar="ACTION").add_parser(
        "next", parents=[common], help="print the next serial number (the service must run with --api)"
    )
    conv = sub.add_parser("converters", parents=[common], help="list, enable or disable converters")
    cvs = conv.add_subparsers(dest="action", required=True, metavar="ACTION")
    cvs.add_parser("list", parents=[common], help="converters found (folder, entry points, built-ins)")
    for name in ("enable", "disable"):
        c = cvs.add_parser(name, parents=[common], help=f"{name} a converter by name")
        c.add_argument("name")
    return p


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pywats-api")
    except PackageNotFoundError:  # run from a source tree that was never installed
        from pywats.version import __version__

        return __version__


def _shown(key: str, value: Any) -> str:
    if key in SECRET_KEYS:
        return mask_token(value)
    if key == "proxy_url":
        return mask_url_password(value)
    if isinstance(value, list):
        return os.pathsep.join(value)
    if isinstance(value, dict):
        return ",".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- config ---------------------------------------------------------------------------------------


def _ask(prompt: str, current: str, key: str, *, secret: bool = False) -> str:
    while True:
        hint = f" [{mask_token(current) if secret else current}]" if current else ""
        if secret and sys.stdin.isatty():
            import getpass

            answer = getpass.getpass(f"{prompt}{hint}: ")
        else:
            print(f"{prompt}{hint}: ", end="", flush=True)
            line = sys.stdin.readline()
            if not line:
                raise CliError("input ended before the configuration was complete")
            answer = line.strip()
        value = answer or current
        if not value:
            print(f"  {key} is required", file=sys.stderr)
            continue
        try:
            from .config import parse_value

            return str(parse_value(key, value))
        except ConfigError as exc:
            print(f"  {exc}", file=sys.stderr)


def _config_init(args: argparse.Namespace) -> int:
    config = load_config(args)
    given = {"service_address": args.server_url, "api_token": args.api_token, "station_name": args.station_name}
    for key, value in given.items():
        if value is not None:
            config.set_value(key, value)
    if args.non_interactive:
        if not config["station_name"]:
            config.set_value("station_name", socket.gethostname() or "STATION-01")
        missing = config.missing()
        if missing:
            flags = {"service_address": "--server-url", "api_token": "--api-token"}
            raise CliError(f"--non-interactive needs {' and '.join(flags[k] for k in missing)}")
    else:
        print(f"Configuring pywats-client ({config.path}); Enter keeps the value in brackets.")
        if given["service_address"] is None:
            config.set_value("service_address", _ask("WATS server URL", config["service_address"], "service_address"))
        if given["api_token"] is None:
            config.set_value(
                "api_token", _ask("API token (base64 of user:password)", config["api_token"], "api_token", secret=True)
            )
        if given["station_name"] is None:
            config.set_value(
                "station_name", _ask("Station name", config["station_name"] or socket.gethostname(), "station_name")
            )
    config.save()
    print(f"Configuration written to {config.path}")
    print(
        f"  service_address = {config['service_address']}\n  api_token = {mask_token(config['api_token'])}\n"
        f"  station_name = {config['station_name']}"
    )
    print("Next: pywats-client test-connection, then pywats-client start")
    return 0


def _config(args: argparse.Namespace) -> int:
    if args.action == "init":
        return _config_init(args)
    if args.action == "keys":
        for key, spec in KEYS.items():
            print(f"{key:22} {spec.used_by:8} {spec.doc}")
        return 0
    config = load_config(args, lenient=args.action == "set")  # set repairs a bad value, so it must read past one
    for warning in config.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.action == "show":
        values = config.to_dict()
        if args.format == "json":
            print(
                json.dumps(
                    {"config_file": str(config.path), "config_file_reason": config_source(args), **values}, indent=2
                )
            )
        elif args.format == "env":
            for key, value in values.items():
                # values are masked already: masking the masked token again would hide even its prefix
                text = (
                    json.dumps(value)
                    if isinstance(value, list)
                    else str(value)
                    if key in SECRET_KEYS
                    else _shown(key, value)
                )
                print(f"PYWATS_{key.upper()}={_env_quote(text)}")
        else:
            print(f"# config file: {config.path} ({config_source(args)})")
            if not config.path.exists():
                print("# (not created yet: pywats-client config init)")
            for key, value in values.items():
                print(f"{key} = {_shown(key, value) if key not in SECRET_KEYS else value}")
        return 0
    if args.action == "get":
        key = canonical_key(args.key)
        print(_shown(key, config.get_value(key)))
        return 0
    # set
    key = canonical_key(args.key)
    stored = config.set_value(key, args.value, base=Path.cwd())  # a relative path means from here
    config.save()
    print(f"{key} = {_shown(key, stored)}")
    return 0


def _env_quote(text: str) -> str:
    if text and all(c.isalnum() or c in "-_./:@,+*" for c in text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"


# -- service --------------------------------------------------------------------------------------


def _test_connection(args: argparse.Namespace) -> int:
    config = load_config(args, environ=True)
    missing = config.missing()
    if missing:
        raise CliError(f"not configured ({', '.join(missing)} missing): run pywats-client config init")
    from .connection import check_server, make_client, server_label

    with make_client(config) as api:  # the proxy, TLS and timeout the service uses
        check = check_server(api, server_label(config))
    if not check.ok:
        raise CliError(check.detail)
    print(f"Connected to {config['service_address']} (WATS {check.version}) as station {config['station_name'] or '?'}")
    return 0


def _start(args: argparse.Namespace) -> int:
    from .logs import configure_logging, open_log_file
    from .runner import AlreadyRunning, StartFailed, daemonize, find_service, run_foreground, wait_for_daemon

    config = load_config(args, environ=True)
    missing = config.missing()
    if missing:
        raise CliError(f"not configured ({', '.join(missing)} missing): run pywats-client config init")
    config.check()
    running = find_service(config)
    if running is not None:
        pid = f" (pid {running.pid})" if running.pid else " (starting)"
        raise CliError(f"pywats-client is already running for {config.path}{pid}")
    if args.daemon:
        if os.name == "nt":
            raise CliError("--daemon is for Unix; on Windows run it as a service or a scheduled task")
        log_path = config.daemon_log_path
        open_log_file(config, log_path).close()  # said here: in the daemon it could only be logged to it
        in_daemon, fd = daemonize(log_path)
        if not in_daemon:
            said = wait_for_daemon(fd, 120)
            if "error" in said:
                raise CliError(f"{said['error']} (log: {log_path})")
            api = f", control API {said['api_url']}" if said.get("api_url") else ""
            print(f"pywats-client started in the background (pid {said.get('pid')}{api}); log: {log_path}")
            return 0

        told: list[bool] = []

        def tell(message: dict[str, Any]) -> None:
            if not told:  # once: the descriptor is closed after it (and its number may be reused)
                told.append(True)
                try:
                    os.write(fd, (json.dumps(message) + "\n").encode())
                finally:
                    os.close(fd)

        def ready(info: dict[str, Any]) -> None:
            tell(info)

        import logging

        code = 1
        try:
            used = configure_logging(config, log_path)
            code = run_foreground(
                config, api=args.api, api_host=args.api_host, api_port=args.api_port, ready=ready, log_path=used
            )
        except (AlreadyRunning, StartFailed, ConfigError) as exc:
            logging.getLogger("pywats_client").error("not started: %s", exc)
            _tell_quietly(tell, str(exc))
        except BaseException as exc:
            logging.getLogger("pywats_client").exception("the daemon failed")
            _tell_quietly(tell, f"the daemon failed: {exc}")
        os._exit(code)
    used = configure_logging(config)

    def say(info: dict[str, Any]) -> None:
        api = f", control API {info['api_url']}" if info.get("api_url") else ""
        print(f"pywats-client running (pid {info['pid']}){api}", flush=True)

    try:
        return run_foreground(
            config, api=args.api, api_host=args.api_host, api_port=args.api_port, ready=say, log_path=used
        )
    except (AlreadyRunning, StartFailed) as exc:
        raise CliError(str(exc)) from None


def _tell_quietly(tell: Any, message: str) -> None:
    try:
        tell({"error": message})
    except OSError:
        pass  # the starting process has gone (or was already told)


def _not_running(config: ClientConfig) -> int:
    print(f"pywats-client is not running for {config.path}")
    return NOT_RUNNING


def _status(args: argparse.Namespace) -> int:
    config = load_config(args)
    found, remote, problem = service_status(config)
    if found is None:
        if args.format == "json":
            print(json.dumps({"state": "not running", "config": str(config.path)}))
            return NOT_RUNNING
        return _not_running(config)
    status: dict[str, Any] = {"state": found.state, "pid": found.pid, "api_url": found.api_url}
    if remote is not None:
        status.update(remote)
    if problem:
        status["control_api_error"] = problem
    if args.format == "json":
        print(json.dumps(status, indent=2))
        return 0
    if found.state == "starting":
        print(f"pywats-client is starting for {config.path}" + (f" (pid {found.pid})" if found.pid else ""))
        return 0
    print(f"pywats-client is {status['state']} (pid {status.get('pid')}) for {config.path}")
    if not found.api_url:
        print("  control API not enabled (start --api for queue and counters)")
    else:
        print(f"  control API: {found.api_url}")
    if "server" in status:
        srv = status["server"]
        since = f" since {srv['since']}" if srv.get("since") else ""
        print(
            f"  server: {srv['state'].replace('_', ' ')}{since}" + (f" ({srv['detail']})" if srv.get("detail") else "")
        )
    if "queue" in status:
        q = status["queue"]
        print(f"  queue: {q['pending']} pending, {q['in_flight']} in flight, {q['rejected']} rejected")
        print("  " + ", ".join(f"{k}={v}" for k, v in status["counters"].items()))
        waiting = status.get("watch") or {}
        if waiting.get("cannot_move"):
            print(
                f"  watch folders: {waiting['cannot_move']} file(s) sent but not moved out "
                "(the service may not change their folder; see the log)"
            )
        if waiting.get("open_for_writing"):
            print(f"  watch folders: {waiting['open_for_writing']} file(s) still open for writing (taken once closed)")
        if status.get("last_error"):
            print(f"  last error: {status['last_error']}")
        failed = status.get("last_failed_file")
        if failed:
            print(f"  last failed file: {failed['name']} ({failed['at']}): {failed['reason']}")
    if "control_api_error" in status:
        print(f"  {status['control_api_error']}")
    return 0


def _stop(args: argparse.Namespace) -> int:
    import signal

    from .control import ControlClient, ControlError
    from .runner import find_service

    config = load_config(args)
    deadline = time.monotonic() + args.timeout
    settle = time.monotonic() + min(args.timeout / 2, 30)
    found = find_service(config)
    while found is not None and found.state == "starting" and time.monotonic() < settle:
        time.sleep(0.1)  # it is starting (a plugin importing, its run file being written): let it finish
        found = find_service(config)
    if found is None:
        return _not_running(config)
    if found.pid is None:  # the run file is not this process's yet: never signal the pid a dead one left
        raise CliError(f"the service for {config.path} is still starting; try again")
    asked = False
    if found.api_url:
        try:
            ControlClient(found.api_url, instance=found.instance).request("POST", "/stop")
            asked = True
        except ControlError:
            asked = False  # not ours, or not answering: the verified pid is
    if not asked:
        if not found.alive():
            return _not_running(config)
        os.kill(found.pid, signal.SIGTERM)
    while time.monotonic() < deadline:
        # the lock goes with the service's last step (its parent may not have reaped it yet)
        if find_service(config) is None or not found.alive():
            print(f"pywats-client stopped (pid {found.pid})")
            return 0
        time.sleep(0.1)
    raise CliError(f"pywats-client (pid {found.pid}) did not stop within {args.timeout:g} s")


def _converters(args: argparse.Namespace) -> int:
    from .converters import discover

    config = load_config(args)
    found = discover(config.converters_path, config["disabled_converters"])
    if args.action == "list":
        for c in found:
            state = (
                "error"
                if c.error and c.converter is None and not c.patterns
                else ("enabled" if c.enabled else "disabled")
            )
            print(f"{c.name:16} {state:9} {','.join(c.patterns):20} {c.source}")
            if c.error:
                print(f"{'':16} {c.error}")
        return 0
    names = {c.name.lower(): c.name for c in found if c.converter is not None}
    wanted = args.name.strip().lower()
    if wanted not in names:
        raise CliError(f"no converter named {args.name!r}; known: {', '.join(sorted(names.values())) or 'none'}")
    disabled = [d for d in config["disabled_converters"] if d.lower() != wanted]
    if args.action == "disable":
        disabled.append(names[wanted])
    config.set_value("disabled_converters", disabled)
    config.save()
    print(f"converter {names[wanted]} {args.action}d (a running service applies it on restart)")
    return 0


_HEADLESS_HELP = """\
The GUI cannot open here: {reason}.
Use the headless commands instead:
  pywats-client config init      set the server URL, API token and station name
  pywats-client test-connection  check them
  pywats-client start --api      run the service (--daemon for the background)
  pywats-client status | stop    see or stop the running service
  pywats-client --help           every command"""


def _sn(args: argparse.Namespace) -> int:
    from .sn_pool import cli_next

    return cli_next(load_config(args))


def _no_command(args: argparse.Namespace) -> int:
    from .gui import gui_unavailable_reason, run_gui

    reason = gui_unavailable_reason()
    if reason is not None:
        print(_HEADLESS_HELP.format(reason=reason), file=sys.stderr)
        return 2
    # no check of the config file here: the window opens whatever it holds and shows what is wrong
    return run_gui(Path(args.config) if getattr(args, "config", None) else None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: the command line); returns the exit code."""
    args = _parser().parse_args(argv)
    from .cli_ops import diagnose, install_service, queue_command, uninstall_service

    handlers = {
        "config": _config,
        "test-connection": _test_connection,
        "start": _start,
        "stop": _stop,
        "status": _status,
        "converters": _converters,
        "diagnose": diagnose,
        "queue": queue_command,
        "install-service": install_service,
        "uninstall-service": uninstall_service,
        "sn": _sn,
    }
    try:
        if args.command is None:
            return _no_command(args)
        return handlers[args.command](args)
    except (CliError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
