"""Front-running and transaction-order-dependence detectors (SWC-114)."""
