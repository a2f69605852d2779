"""``python -m contract_analyzer`` runs the CLI (the same as ``contract-analyzer``)."""

from contract_analyzer.cli import main

raise SystemExit(main())
