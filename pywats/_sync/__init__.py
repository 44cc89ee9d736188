# DO NOT EDIT — generated from pywats/_async/__init__.py by `python -m pywats._unasync`.
