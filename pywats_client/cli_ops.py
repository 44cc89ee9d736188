"""The operator's commands of ``pywats-client``: ``diagnose``, ``queue list|retry|process``,
``install-service`` and ``uninstall-service`` (the rest is in :mod:`pywats_client.cli`)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

from .commands import NOT_RUNNING, CliError, config_source, load_config, service_status
from .config import ClientConfig, ConfigError, platform_config_path
from .fsutil import unwritable

__all__ = ["diagnose", "install_service", "queue_command", "render_unit", "uninstall_service", "unit_name"]


# -- diagnose ------------------------------------------------------------------------------------


def diagnose(args: argparse.Namespace) -> int:
    """Check everything an operator would, in order; exit 1 if anything failed."""
    problems = 0

    def say(level: str, text: str) -> None:
        nonlocal problems
        problems += level == "FAIL"
        print(f"{level:5} {text}")

    try:
        config = load_config(args, environ=True)
    except ConfigError as exc:
        say("FAIL", f"configuration: {exc}")
        return 1
    if config.path.exists():
        say("OK", f"configuration file {config.path} ({config_source(args)})")
    else:
        say("FAIL", f"no configuration file at {config.path} ({config_source(args)}): run pywats-client config init")
    for warning in config.warnings:
        say("WARN", warning)
    missing = config.missing()
    try:
        config.check()
    except ConfigError as exc:
        say("FAIL", str(exc))
    if missing:
        say("FAIL", f"not configured: {', '.join(missing)} missing (pywats-client config init)")

    folders = [("watch folder", p) for p in config.watch_paths] + [
        ("archive folder", config.archive_path),
        ("error folder", config.error_path),
        ("queue folder", config.queue_path),
    ]
    for what, folder in folders:
        why = unwritable(folder)
        say("OK" if why is None else "FAIL", f"{what} {folder}" + ("" if why is None else f" is not writable: {why}"))

    from .converters import discover

    for conv in discover(config.converters_path, config["disabled_converters"]):
        if conv.error and conv.converter is None and not conv.patterns:
            say("WARN", f"converter {conv.name}: {conv.error}")

    if not missing:
        from .connection import check_server, make_client, server_label

        try:
            with make_client(config) as api:
                check = check_server(api, server_label(config))
        except Exception as exc:
            say("FAIL", f"server: the client cannot be set up: {exc}")
        else:
            if check.ok:
                say("OK", f"server reachable and token accepted: {check.detail}")
            elif check.state == "token_refused":
                say("FAIL", f"token: {check.detail}")
            else:
                say("FAIL", f"server: {check.detail}")

    found, status, problem = service_status(config)
    if found is None:
        say("WARN", "service: not running (pywats-client start)")
    elif status is None:
        detail = f"; control API: {problem}" if problem else " (no control API: start --api for details)"
        say("OK", f"service: {found.state}, pid {found.pid}{detail}")
    else:
        srv = status.get("server", {})
        q = status.get("queue", {})
        say("OK", f"service: {status.get('state')}, pid {found.pid}, {q.get('pending', 0)} report(s) pending")
        if srv.get("state") not in (None, "reachable", "unknown"):
            say("WARN", f"the service sees the server as {srv['state'].replace('_', ' ')}: {srv.get('detail')}")
        if status.get("last_error"):
            say("WARN", f"service's last error: {status['last_error']}")

    log_path = config.daemon_log_path
    recent = _recent_problems(log_path)
    if recent:
        say("INFO", f"recent warnings and errors in {log_path}:")
        for line in recent:
            print(f"      {line}")
    print("All checks passed." if not problems else f"{problems} check(s) failed.")
    return 0 if not problems else 1


def _recent_problems(log_path: Path, n: int = 8) -> list[str]:
    from .control import tail

    try:
        lines = tail(log_path, 2000)
    except OSError:
        return []
    return [line for line in lines if " ERROR " in line or " WARNING " in line or " CRITICAL " in line][-n:]


# -- queue ---------------------------------------------------------------------------------------


def _offline(config: ClientConfig) -> tuple[Any, Any]:
    from .failed import FailedItems
    from .queue import ReportQueue

    queue = ReportQueue(config.queue_path)
    return queue, FailedItems(config, queue)


def queue_command(args: argparse.Namespace) -> int:
    from .control import ControlClient, ControlError

    config = load_config(args)
    found, status, _ = service_status(config)
    api = ControlClient(found.api_url, instance=found.instance) if status is not None and found is not None else None
    if args.action == "process":
        if api is None:
            print(
                "the service is not running with its control API for this config; "
                "queued reports are sent when it starts (pywats-client start --api)"
            )
            return NOT_RUNNING
        pending = api.request("POST", "/queue/process")["pending"]
        print(f"queue processing started: {pending} report(s) pending")
        return 0
    try:
        if args.action == "list":
            return _queue_list(config, api, args.format)
        return _queue_retry(config, api, args)
    except ControlError as exc:
        raise CliError(str(exc)) from None


def _queue_list(config: ClientConfig, api: Any, fmt: str) -> int:
    from .failed import pending

    if api is not None:
        queued, failed = api.request("GET", "/queue/pending"), api.request("GET", "/queue/failed")["items"]
    else:
        queue, items = _offline(config)
        queued, failed = pending(queue), items.list()
    if fmt == "json":
        print(json.dumps({"pending": queued, "failed": failed}, indent=2))
        return 0
    print(f"{queued['total']} report(s) waiting to be sent" + (":" if queued["items"] else ""))
    for item in queued["items"]:
        print(f"  {item['report_id']}  {Path(item['source']).name or item['source']}  ({item['converter']})")
    if queued["total"] > len(queued["items"]):
        print(f"  ... and {queued['total'] - len(queued['items'])} more")
    print(f"{len(failed)} failed item(s)" + (" (pywats-client queue retry NAME):" if failed else ""))
    for item in failed:
        kind = "refused by the server" if item["kind"] == "rejected" else "not converted"
        print(f"  {item['name']}  [{kind}]  {item['reason']}")
    return 0


def _queue_retry(config: ClientConfig, api: Any, args: argparse.Namespace) -> int:
    if not args.name and not args.all:
        raise CliError("say which item: pywats-client queue retry NAME (names from queue list), or --all")
    if api is not None:
        items = api.request("GET", "/queue/failed")["items"] if args.all else [{"name": args.name, "kind": None}]
    else:
        _, failed = _offline(config)
        items = failed.list() if args.all else [{"name": args.name, "kind": None}]
    done = 0
    for item in items:
        try:
            if api is not None:
                body = {"name": item["name"], **({"kind": item["kind"]} if item.get("kind") else {})}
                result = api.request("POST", "/queue/retry", body)
            else:
                result = _offline(config)[1].retry(item["name"], item.get("kind"))
        except (FileNotFoundError, ValueError) as exc:
            raise CliError(str(exc)) from None
        done += 1
        where = "back in the queue" if result["kind"] == "rejected" else "back in the watch folder"
        print(f"{item['name']}: {where}")
    if api is None and done:
        print("(the service is not running: they are handled when it starts)")
    if args.all and not done:
        print("no failed items")
    return 0


# -- systemd -------------------------------------------------------------------------------------


def unit_name(config: ClientConfig) -> str:
    """The unit's name: ``pywats-client.service`` for the default config, else one naming this config."""
    if config.path == platform_config_path().absolute():
        return "pywats-client.service"
    label = config.path.stem if config.path.stem.lower() != "config" else config.path.parent.name
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", label).strip("-.") or "instance"
    return f"pywats-client-{slug}.service"


def _unit_dir(system: bool) -> Path:
    if system:
        return Path("/etc/systemd/system")
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "systemd" / "user"


def _quote(arg: str) -> str:
    # systemd's ExecStart: "%" starts a specifier, quotes group an argument with spaces
    arg = arg.replace("%", "%%")
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_unit(config: ClientConfig, *, system: bool, user: str | None = None) -> str:
    """The unit file's text for ``config`` (the template ships in the package: data/pywats-client.service)."""
    template = files("pywats_client").joinpath("data/pywats-client.service").read_text(encoding="utf-8")
    command = [sys.executable, "-m", "pywats_client", "--config", str(config.path), "start", "--api"]
    account = ""
    if system:
        who = user or getpass.getuser()
        account = f"User={who}\nWorkingDirectory={_quote(str(config.data_dir))}\n"
    description = config["instance_name"] or config["station_name"] or config.path.name
    return template.format(
        description=str(description).replace("%", "%%"),
        exec_start=" ".join(_quote(a) for a in command),
        account=account,
        wanted_by="multi-user.target" if system else "default.target",
    )


def install_service(args: argparse.Namespace) -> int:
    config = load_config(args)
    if not config.path.exists():
        raise CliError(f"no configuration at {config.path}: run pywats-client config init first")
    name = unit_name(config)
    target = _unit_dir(args.system) / name
    text = render_unit(config, system=args.system, user=args.user_name)
    if target.exists():
        current = target.read_text(encoding="utf-8", errors="replace")
        if _quote(str(config.path)) not in current:
            raise CliError(f"{target} exists and runs another configuration; remove it first (uninstall-service)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except PermissionError:
        raise CliError(f"cannot write {target}: permission denied (a --system unit needs root: sudo)") from None
    ctl = "systemctl" if args.system else "systemctl --user"
    print(f"systemd unit written: {target}")
    print(f"Enable and start it:  {ctl} daemon-reload && {ctl} enable --now {name}")
    print(f"Follow its log:       journalctl {'' if args.system else '--user '}-u {name} -f")
    if not args.system:
        print(f"To run it without a login session:  loginctl enable-linger {getpass.getuser()}")
    return 0


def uninstall_service(args: argparse.Namespace) -> int:
    config = load_config(args)
    name = unit_name(config)
    target = _unit_dir(args.system) / name
    if not target.exists():
        print(f"no unit {target} to remove")
        return 0
    ctl = "systemctl" if args.system else "systemctl --user"
    try:
        target.unlink()
    except PermissionError:
        raise CliError(f"cannot remove {target}: permission denied (a --system unit needs root: sudo)") from None
    print(f"removed {target}; stop it and reload systemd: {ctl} disable --now {name}; {ctl} daemon-reload")
    return 0
