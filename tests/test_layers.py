"""Start-up: ``import pywats`` loads the facade, not what the first request needs.

Domain services, generated modules and httpcore load when first used (issue 23); the layer
rules themselves are checked by ``lint-imports`` (``[tool.importlinter]`` in pyproject.toml).
"""

from __future__ import annotations

import json
import subprocess
import sys

LATER = ("httpcore", "attrs", "wats_public", "pydantic", "pywats.domains")

PROBE = f"""
import json, sys
def loaded():
    return sorted(p for p in {LATER!r} if any(m == p or m.startswith(p + ".") for m in sys.modules))
import pywats
at_import = loaded()
api = pywats.pyWATS(base_url="http://127.0.0.1:9", token="dTpw")
with_client = loaded()
api.process
print(json.dumps([at_import, with_client, loaded()]))
"""


def test_import_loads_no_domain_generated_module_or_httpcore() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    at_import, with_client, with_service = json.loads(out)
    assert at_import == []
    # a client builds its connection pool (httpcore), still without a domain or its models
    assert "httpcore" in with_client and not {"pywats.domains", "pydantic"} & set(with_client)
    assert {"pywats.domains", "pydantic"} <= set(with_service)
