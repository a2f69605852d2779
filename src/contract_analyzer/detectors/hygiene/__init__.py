"""Hygiene detectors: compiler pragmas, deprecated syntax and code smells that hide bugs."""
