"""Commands of the service, registered into ``contract-analyzer`` on import:

* ``contract-analyzer serve [--host H] [--port P] [--workers N]`` - the HTTP API under
  uvicorn;
* ``contract-analyzer invoke-local EVENT.json [--handler api|s3|worker|notify|report|
  authorizer]`` - a Lambda handler run in this process on an event file (samples in
  ``events/``); prints the handler's answer as JSON, or - when the handler raises -
  Lambda's error answer (``{"errorMessage": ..., "errorType": ...}``, no stack trace)
  and exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from contract_analyzer.cli import EXIT_OK, EXIT_USAGE, command, subcommands
from contract_analyzer.errors import InputError

_HANDLER_NAMES = ("api", "s3", "worker", "notify", "report", "authorizer")
EXIT_HANDLER_ERROR = 1
"""Exit status of ``invoke-local`` when the handler raised (a Lambda function error)."""


@subcommands
def _add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser(
        "serve",
        help="run the HTTP API (uvicorn); settings from CONTRACT_ANALYZER_* variables",
        description="Run the HTTP API. Every setting can also be given by environment "
        "variable; see docs/configuration.md.",
    )
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="TCP port (default 8000)")
    serve.add_argument("--workers", type=int, help="uvicorn worker processes (default 1)")
    invoke = sub.add_parser(
        "invoke-local",
        help="run a Lambda handler in-process on an event file and print its answer",
    )
    invoke.add_argument("event", metavar="EVENT.json", help="the Lambda event, as JSON")
    invoke.add_argument(
        "--handler", choices=_HANDLER_NAMES, default="api", help="which handler (default: api)"
    )


@command("serve")
def _serve(args: argparse.Namespace) -> int:
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    from contract_analyzer.config import get_settings

    settings = get_settings()
    host = args.host or settings.host
    port = settings.port if args.port is None else args.port
    workers = args.workers or settings.workers
    if not 0 <= port <= 65535:
        print(f"contract-analyzer: error: invalid port {port}", file=sys.stderr)
        return EXIT_USAGE
    if workers < 1:
        print("contract-analyzer: error: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    log_config: dict[str, Any] = json.loads(json.dumps(LOGGING_CONFIG))
    log_config["loggers"]["contract_analyzer"] = {
        "handlers": ["default"],
        "level": settings.log_level.upper(),
        "propagate": False,
    }
    _warn_if_open(settings.auth_mode, host, log_config)
    uvicorn.run(
        "contract_analyzer.service.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level,
        log_config=log_config,
        access_log=settings.access_log,
        proxy_headers=False,
        server_header=False,
    )
    return EXIT_OK


def _warn_if_open(auth_mode: str, host: str, log_config: dict[str, Any]) -> None:
    """Log a warning when the API listens beyond loopback with authentication off."""
    import logging.config

    from contract_analyzer.auth.exposure import exposure_warning

    warning = exposure_warning(auth_mode, host)
    if warning:
        logging.config.dictConfig(log_config)
        logging.getLogger("contract_analyzer.auth").warning(warning)


@command("invoke-local")
def _invoke_local(args: argparse.Namespace) -> int:
    from contract_analyzer.aws.local import error_response, invoke

    try:
        with open(args.event, encoding="utf-8") as stream:
            event = json.load(stream)
    except OSError as exc:
        raise InputError(f"{args.event}: cannot read ({exc.strerror or exc})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{args.event}: not a JSON event ({exc})") from None
    if not isinstance(event, dict):
        raise InputError(f"{args.event}: a Lambda event is a JSON object")
    try:
        response = invoke(args.handler, event)
    except Exception as exc:  # the handler failed: what Lambda would answer, no traceback
        print(json.dumps(error_response(exc), indent=2))
        print(
            f"contract-analyzer: the {args.handler} handler raised {type(exc).__name__}",
            file=sys.stderr,
        )
        return EXIT_HANDLER_ERROR
    print(json.dumps(response, indent=2))
    return EXIT_OK
