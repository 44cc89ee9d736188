"""The Process domain: operation types (test, repair, WIP) and their cached lookup."""

from .models import ProcessCode, ProcessInfo, ProcessType

__all__ = ["ProcessCode", "ProcessInfo", "ProcessType"]
