"""Import paths pyWATS 0.x code uses (``pywats_client.core.config``); the code lives in ``pywats_client``."""
