"""The error contract on the builders and utilities: a hostile argument is accepted and still acts,
or is refused with an ``InvalidArgumentError`` naming it.

Every builder and utility of ``tests.hostile_builders.targets`` is called with each hostile value
of ``tests.hostile_builders.HOSTILE`` in each of its parameters (the others kept at its example
call), and once with an unknown keyword. What an accepted value built is then used: a report is
finalised, checked, read back and submitted to the simulator; a cached value is served...
"""

from __future__ import annotations

import pytest

from pywats.simulator import Simulator
from tests.hostile_builders import HOSTILE, baseline_problems, probe


def test_every_example_call_works_as_given() -> None:
    with Simulator() as sim:
        assert baseline_problems(sim) == []


def test_hostile_arguments_are_refused_by_name_or_accepted_and_working(capsys: pytest.CaptureFixture[str]) -> None:
    with Simulator() as sim:
        outcomes = list(probe(sim))
    callables = {o.target for o in outcomes}
    escaped = [str(o) for o in outcomes if o.escaped]
    refused = sum(1 for o in outcomes if o.refused)
    with capsys.disabled():
        print(
            f"\nhostile input (builders and utilities): {len(callables)} callables, {len(outcomes)} calls "
            f"({len(HOSTILE)} values per parameter and an unknown keyword), {refused} refused by name, "
            f"{len(escaped)} escapes"
        )
    assert len(callables) >= 140, f"only {len(callables)} callables probed"
    assert not escaped, f"{len(escaped)} calls escaped the contract:\n" + "\n".join(escaped[:40])
