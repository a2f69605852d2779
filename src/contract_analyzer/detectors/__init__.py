"""Detectors, one per module, grouped by category (``detectors/<category>/<id>.py``).

See :mod:`contract_analyzer.detectors.base` for how to write one.
"""
