"""Version of the engine (it is part of cache keys and of every report)."""

__version__ = "0.1.0"
ENGINE_NAME = "contract-analyzer"
ENGINE_ID = f"{ENGINE_NAME} {__version__}"
