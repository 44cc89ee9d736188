"""Import paths the report guide uses; the models live in ``pywats.domains.report``."""
