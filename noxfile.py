"""Developer sessions: `nox -s generate`, `nox -s tests`, `nox -s lint`, `nox -s bench`, `nox -s screenshots`,
`nox -s docs`.

`nox -s tests` runs the suite on every supported Python found (`tests-3.10` ... `tests-3.13` for one).

The spec location comes from `--spec-dir`/`--server` after `--`, or `WATS_SPEC_DIR`.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.default_venv_backend = "venv"
PYTHON = "3.11"
# The Pythons pywats supports (requires-python in pyproject.toml); the generator itself needs 3.11+.
SUPPORTED = ["3.10", "3.11", "3.12", "3.13"]


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from the WATS documents (`-- --check` verifies instead of writing)."""
    session.install("-e", ".[codegen]")
    session.run("python", "-m", "pywats.spec.generate", *session.posargs)


@nox.session(python=SUPPORTED)
def tests(session: nox.Session) -> None:
    """The test suite, as .ci/run runs it, on one supported Python (`nox -s tests-3.10`)."""
    session.install("-e", ".[dev]")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff, mypy --strict on the handwritten code, and the import layers (lint-imports)."""
    session.install("-e", ".[dev]")
    session.run("ruff", "check", "pywats", "pywats_client", "tests", "noxfile.py")
    session.run("mypy")
    session.run("lint-imports")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Facade overhead against raw httpx on a loopback server; prints ratios."""
    session.install("-e", ".[dev]")
    session.run("python", "-m", "tests.bench.bench_core")
    session.run("python", "-m", "tests.bench.bench_import")
    session.run("python", "-m", "tests.bench.bench_concurrency")
    session.run("python", "-m", "tests.bench.bench_spec_diff")
    session.run("python", "-m", "tests.bench.bench_production")
    session.run("python", "-m", "tests.bench.bench_report")
    session.run("python", "-m", "tests.bench.bench_product")
    session.run("python", "-m", "tests.bench.bench_utilities")
    session.run("python", "-m", "tests.bench.bench_outage")
    session.run("python", "-m", "tests.bench.bench_client")


@nox.session(python=PYTHON)
def spec_diff(session: nox.Session) -> None:
    """What changed between two API versions: `nox -s spec_diff -- [OLD] NEW [--format markdown]`.

    Fails on a breaking change (exit 2) or when the tool could not compare (exit 3).
    """
    if not session.posargs:
        session.error("usage: nox -s spec_diff -- [OLD] NEW [--format text|json|markdown] (OLD defaults to snapshot)")
    session.install("-e", ".")
    session.run("python", "-m", "pywats.spec", "diff", *session.posargs, success_codes=[0, 1])


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """The documentation site, built with --strict into site/ (`nox -s docs -- serve` previews it live)."""
    session.install("-e", ".[docs]")
    env = {"NO_MKDOCS_2_WARNING": "1"}
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:], env=env)
    else:
        session.run("mkdocs", "build", "--strict", *session.posargs, env=env)


@nox.session(python=PYTHON)
def screenshots(session: nox.Session) -> None:
    """The GUI screenshots of the docs (pywats_client/gui/screenshots_png/), rendered offscreen: no display needed."""
    session.install("-e", ".[client]")
    session.run("python", "-m", "pywats_client.gui.screenshots", *session.posargs, env={"QT_QPA_PLATFORM": "offscreen"})
