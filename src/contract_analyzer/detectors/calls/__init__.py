"""Detectors for external and low-level calls."""
