"""Randomness detectors: block values and stored seeds used as a source of chance (SWC-120)."""
