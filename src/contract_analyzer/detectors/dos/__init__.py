"""Denial-of-service detectors: unbounded loops, calls that one failure blocks, strict
balance checks and funds that only a privileged account can release."""
