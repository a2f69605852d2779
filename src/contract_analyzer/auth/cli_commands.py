"""``contract-analyzer keys ...``: create, list and revoke API keys.

* ``keys create --name NAME [--plan PLAN] [--json]`` prints the new key once: alone on
  stdout (``KEY=$(contract-analyzer keys create --name ci)`` works), the details on
  stderr; with ``--json`` as ``{"name", "key", "plan"}``.
* ``keys list [--json]`` shows every key's id, name, plan, creation and revocation
  time (never a key or a hash).
* ``keys revoke KEY`` revokes by id (``ca_3f9a...``), by the whole key, or by name
  when one active key has it.

The store is the one ``contract-analyzer serve`` reads: ``keys.sqlite3`` under
``CONTRACT_ANALYZER_DATA_DIR``, or the DynamoDB table ``API_KEYS_TABLE`` when set.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from contract_analyzer.cli import EXIT_OK, EXIT_USAGE, command, subcommands
from contract_analyzer.errors import UsageError

if TYPE_CHECKING:
    from contract_analyzer.auth.apigateway import UsagePlanKeys
    from contract_analyzer.config import Settings


@subcommands
def _add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = sub.add_parser(
        "keys",
        help="create, list and revoke API keys (for AUTH_MODE=api_key)",
        description="Manage the API keys of the store `serve` uses (keys.sqlite3 under "
        "CONTRACT_ANALYZER_DATA_DIR, or the DynamoDB table API_KEYS_TABLE).",
    )
    actions = keys.add_subparsers(dest="keys_command", metavar="ACTION")
    create = actions.add_parser("create", help="create a key and print it (once)")
    create.add_argument("--name", required=True, help="who or what the key is for")
    create.add_argument("--plan", help="usage plan (default: CONTRACT_ANALYZER_DEFAULT_PLAN)")
    create.add_argument("--json", action="store_true", help='print {"name", "key", "plan"}')
    listing = actions.add_parser("list", help="list keys (ids, names, plans; never the keys)")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    revoke = actions.add_parser("revoke", help="revoke a key; requests with it get 403")
    revoke.add_argument("key", metavar="KEY", help="the key's id (ca_...), the key, or its name")


def _settings() -> Settings:
    """The settings, or one line naming what is wrong with them."""
    from pydantic import ValidationError

    from contract_analyzer.config import get_settings

    try:
        return get_settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'settings'}: {error['msg']}"
            for error in exc.errors()
        )
        raise UsageError(f"invalid configuration: {problems}") from None


@command("keys")
def _keys(args: argparse.Namespace) -> int:
    from contract_analyzer.auth.base import CredentialBackendError

    action = getattr(args, "keys_command", None)
    if action is None:
        print(
            "contract-analyzer: error: keys needs an action: create, list or revoke",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        if action == "create":
            return _create(args)
        if action == "list":
            return _list(args)
        return _revoke(args)
    except CredentialBackendError as exc:
        print(f"contract-analyzer: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _create(args: argparse.Namespace) -> int:
    from contract_analyzer.auth.keys import generate_key, open_key_store
    from contract_analyzer.auth.plans import plans_from_settings

    settings = _settings()
    plans = plans_from_settings(settings)
    plan_name = args.plan or settings.default_plan
    plan = plans.get(plan_name)
    if plan is None:
        raise UsageError(f"unknown plan {plan_name!r} (configured: {', '.join(sorted(plans))})")
    key, record = generate_key(args.name, plan.name)
    gateway = _usage_plans(settings)
    gateway_id = None
    if gateway is not None:
        gateway.check_plan(plan.name)
        gateway_id = gateway.register(key, record)
    try:
        open_key_store(settings).create(record)
    except Exception:
        if gateway is not None and gateway_id is not None:
            gateway.remove(gateway_id)
        raise
    if args.json:
        print(json.dumps({"name": record.name, "key": key, "plan": record.plan}))
    else:
        print(key)
        print(
            f"Created API key {record.name!r}: id {record.public_id}, plan {plan.name} "
            f"({plan.describe()}). It is shown only this once: store it now.",
            file=sys.stderr,
        )
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from contract_analyzer.auth.keys import open_key_store

    records = open_key_store(_settings()).list_keys()
    if args.json:
        print(json.dumps([r.public_dict() for r in records], indent=2))
        return EXIT_OK
    if not records:
        print("no API keys (create one with: contract-analyzer keys create --name NAME)")
        return EXIT_OK
    rows = [("ID", "NAME", "PLAN", "CREATED", "STATUS")]
    for r in records:
        status = "active" if r.active else f"revoked {r.revoked_at}"
        rows.append((r.public_id, r.name, r.plan, r.created_at, status))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[4]
        )
    return EXIT_OK


def _revoke(args: argparse.Namespace) -> int:
    from contract_analyzer.auth.keys import now_iso, open_key_store, parse_key_id

    settings = _settings()
    store = open_key_store(settings)
    text = args.key.strip()
    key_id = parse_key_id(text)
    if key_id is None:
        named = [r for r in store.list_keys() if r.name == text and r.active]
        if not named:
            raise UsageError(f"no active API key has the id or name {text!r} (see: keys list)")
        if len(named) > 1:
            raise UsageError(f"{len(named)} active keys are named {text!r}: revoke one by its id")
        key_id = named[0].key_id
    record = store.get(key_id)
    if record is None:
        raise UsageError(f"no API key has the id ca_{key_id}")
    revoked = store.revoke(key_id, now_iso())
    gateway = _usage_plans(settings)
    if gateway is not None and gateway.disable(record):
        print(f"disabled API key {record.public_id} in API Gateway", file=sys.stderr)
    if not revoked:
        print(f"API key {record.public_id} ({record.name}) was already revoked", file=sys.stderr)
        return EXIT_OK
    print(f"revoked API key {record.public_id} ({record.name})", file=sys.stderr)
    return EXIT_OK


def _usage_plans(settings: Settings) -> UsagePlanKeys | None:
    """API Gateway usage plans to keep in step, when configured."""
    if not settings.api_gateway_usage_plans:
        return None
    from contract_analyzer.auth.apigateway import UsagePlanKeys

    return UsagePlanKeys(settings.api_gateway_usage_plans)
