"""Domain models and services (process, ...)."""
