"""Code quality detectors: hygiene, naming, documentation, dead code.

These are not security findings: their analysis type is ``quality`` only, so they
never lower the security score.
"""
