"""Gas optimisation detectors: wasteful patterns with an estimate of the gas saved.

These are not security findings: their analysis type is ``gas`` only, so they never
lower the security score. Cost figures live in :mod:`._costs`.
"""
