"""Another import path for the report models, which live in ``pywats.domains.report``."""
