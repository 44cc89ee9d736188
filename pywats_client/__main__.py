"""``python -m pywats_client``: the ``pywats-client`` command."""

import sys

from .cli import main

sys.exit(main())
