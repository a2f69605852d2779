"""Reentrancy detectors."""
