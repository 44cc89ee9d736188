"""The error contract on the whole facade: hostile arguments get a pywats error, and a bad argument sends nothing.

Every public method of every service is called with each hostile value of ``tests.hostile.HOSTILE``
in each of its parameters, the others kept at the method's example call (``FACADE_CALLS``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pywats.simulator import Simulator
from tests.hostile import HOSTILE, probe


def test_hostile_arguments_raise_only_pywats_errors_and_send_nothing_when_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cwd = os.getcwd()
    os.chdir(tmp_path)  # a path argument such as "." or "ñame" must land (if at all) in a scratch folder
    try:
        with Simulator() as sim:
            outcomes = list(probe(sim))
    finally:
        os.chdir(cwd)
    methods = {o.method for o in outcomes}
    escaped = [str(o) for o in outcomes if o.escaped]
    sent = [str(o) for o in outcomes if o.sent_invalid]
    unnamed = [str(o) for o in outcomes if o.refused_unnamed]
    refused = sum(1 for o in outcomes if o.error is not None and not o.escaped)
    with capsys.disabled():
        print(
            f"\nhostile input: {len(methods)} facade methods, {len(outcomes)} calls "
            f"({len(HOSTILE)} values per parameter), {refused} refused with a pywats error"
        )
    assert len(methods) >= 150, f"only {len(methods)} methods probed"
    assert not escaped, f"{len(escaped)} calls raised something other than a PyWATSError:\n" + "\n".join(escaped[:40])
    assert not sent, f"{len(sent)} calls sent a request before refusing an argument:\n" + "\n".join(sent[:40])
    assert not unnamed, f"{len(unnamed)} calls refused an argument without InvalidArgumentError:\n" + "\n".join(
        unnamed[:40]
    )
