"""Helpers for test stations built on pywats (``pywats.tools.test_uut.TestUUT``)."""
