"""Arithmetic detectors: overflow and underflow (SWC-101), unsafe downcasts, precision loss."""
