"""Time detectors: block timestamps deciding payouts and unlocks (SWC-116)."""
