"""What the serverless deployment costs a month: ``contract-analyzer cost``.

::

    contract-analyzer cost --requests-per-month 10000 [--memory-mb 1024] [--ai-share 0.2]
                           [--duration-ms MS] [--json]

It measures how long our own analysis takes (a quick local run of the example contracts,
or ``--duration-ms`` when you have a figure from CloudWatch), scales it to the Lambda
memory size (Lambda gives a function CPU in proportion to its memory: one full vCPU at
1,769 MB), adds the requests that use an AI provider (the function waits for the
provider; that wait is billed duration) and prices every service the template deploys
from :data:`PRICES`, one dated table, plus the LLM tokens from
:mod:`contract_analyzer.ai.pricing`. The result is printed next to an always-on small
instance doing the same work.

Prices are AWS list prices in us-east-1, without the free tier (which alone would cover
the Lambda, API Gateway and DynamoDB lines of a small deployment for the first year,
and Lambda's 400,000 GB-s forever): change :data:`PRICES` when they change.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from contract_analyzer.cli import EXIT_OK, EXIT_USAGE, command, subcommands

PRICES_AS_OF = "2026-11-26"
"""When :data:`PRICES` was last checked."""

PRICES: dict[str, float] = {
    # AWS Lambda, x86_64
    "lambda_gb_second": 0.0000166667,
    "lambda_request": 0.20 / 1_000_000,
    # API Gateway REST API (first 333 million requests a month)
    "apigw_rest_request": 3.50 / 1_000_000,
    # DynamoDB on-demand (prices of November 2024 onwards)
    "dynamodb_write_unit": 0.625 / 1_000_000,
    "dynamodb_read_unit": 0.125 / 1_000_000,
    # SQS standard queue
    "sqs_request": 0.40 / 1_000_000,
    # SNS publish
    "sns_publish": 0.50 / 1_000_000,
    # CloudWatch
    "logs_ingest_gb": 0.50,
    "logs_store_gb_month": 0.03,
    "custom_metric_month": 0.30,
    "alarm_month": 0.10,
    "dashboard_month": 3.00,
    # Secrets Manager
    "secret_month": 0.40,
    # Always-on comparison: EC2 on demand, 730 h, plus an 8 GB gp3 volume
    "ec2_t4g_small_month": 0.0168 * 730,
    "ec2_t3_small_month": 0.0208 * 730,
    "ebs_gp3_gb_month": 0.08,
}
"""USD list prices, us-east-1, as of :data:`PRICES_AS_OF`."""

FULL_VCPU_MB = 1769
"""Lambda memory at which a function has one full vCPU."""
CHARS_PER_TOKEN = 3.5
"""Solidity with line numbers, in current tokenizers (no tokenizer offline)."""
OUTPUT_TOKENS_PER_INPUT = 0.32
"""Answer length relative to the prompt (bench/ai_fallback.py: ~450 out for ~1,400 in)."""
LOG_BYTES_PER_REQUEST = 2_500
"""JSON log lines and EMF document of one API request (measured: request line, analysis
line, two EMF documents)."""
CUSTOM_METRICS = 12
"""Custom metrics billed in a month of steady traffic. CloudWatch bills a metric by the
hours it is published in: the 8 per-analysis metrics and ``ProviderUsed=static`` are
published every hour; the other 13 (the AI providers, 4 notification kinds, a cold
start per function, the daily report) only in some hours, ~3 metric-months together."""
ALARMS = 12
"""Alarms in the template."""
BRIEF_ESTIMATE = {"requests": 10_000, "memory_mb": 1024, "seconds": 10.0, "usd": 1.70}
"""The product brief's own estimate: Lambda duration only."""


@dataclass
class Assumptions:
    """Every input of the estimate (printed with it)."""

    requests_per_month: int
    memory_mb: int = 1024
    ai_share: float = 0.2
    ai_seconds: float = 10.0
    ai_model: str = "gpt-5.4-mini"
    ai_cache_hit_share: float = 0.3
    cache_hit_share: float = 0.3
    async_share: float = 0.1
    cold_start_share: float = 0.05
    init_seconds: float = 1.2
    static_ms: float = 0.0
    static_ms_source: str = "measured"
    overhead_ms: float = 15.0
    prompt_tokens: int = 0
    secrets: int = 1


@dataclass
class Estimate:
    """Monthly USD per line, and totals."""

    assumptions: Assumptions
    lines: dict[str, float] = field(default_factory=dict)
    fixed: dict[str, float] = field(default_factory=dict)
    always_on: dict[str, float] = field(default_factory=dict)
    brief: dict[str, float] = field(default_factory=dict)

    @property
    def variable_total(self) -> float:
        return sum(self.lines.values())

    @property
    def total(self) -> float:
        return self.variable_total + sum(self.fixed.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "prices_as_of": PRICES_AS_OF,
            "assumptions": asdict(self.assumptions),
            "monthly_usd": {k: round(v, 4) for k, v in self.lines.items()},
            "fixed_monthly_usd": {k: round(v, 4) for k, v in self.fixed.items()},
            "total_usd": round(self.total, 2),
            "always_on_usd": {k: round(v, 2) for k, v in self.always_on.items()},
            "brief_comparison": {k: round(v, 4) for k, v in self.brief.items()},
        }


def lambda_seconds(a: Assumptions) -> tuple[float, float]:
    """Billed seconds of one static analysis and of one AI analysis at ``a.memory_mb``."""
    slowdown = max(1.0, FULL_VCPU_MB / a.memory_mb)
    static = (a.static_ms * slowdown + a.overhead_ms) / 1000
    return static, static + a.ai_seconds


def estimate(a: Assumptions) -> Estimate:
    """The monthly cost of ``a``."""
    from contract_analyzer.ai.pricing import estimate_cost

    p = PRICES
    n = a.requests_per_month
    gb = a.memory_mb / 1024
    static_s, ai_s = lambda_seconds(a)
    ai_calls = n * a.ai_share
    seconds = (n - ai_calls) * static_s + ai_calls * ai_s + n * a.cold_start_share * a.init_seconds
    jobs = n * a.async_share
    result = Estimate(assumptions=a)
    result.lines = {
        "Lambda requests": (n + jobs) * p["lambda_request"],
        "Lambda duration": seconds * gb * p["lambda_gb_second"],
        "API Gateway (REST)": n * p["apigw_rest_request"],
        # cache lookup; cache write on a miss (~2 units: reports are 1-2 KB); the day's
        # counters; jobs: create + two state changes + one read
        "DynamoDB": n * p["dynamodb_read_unit"]
        + n * (1 - a.cache_hit_share) * 2 * p["dynamodb_write_unit"]
        + n * p["dynamodb_write_unit"]
        + jobs * (3 * p["dynamodb_write_unit"] + p["dynamodb_read_unit"]),
        "SQS (jobs: send, receive, delete)": jobs * 3 * p["sqs_request"],
        "CloudWatch Logs": n
        * LOG_BYTES_PER_REQUEST
        / 1e9
        * (p["logs_ingest_gb"] + p["logs_store_gb_month"]),
        "SNS (critical/high notifications, ~30 %)": n * 0.3 * p["sns_publish"],
    }
    tokens_in = a.prompt_tokens
    tokens_out = int(tokens_in * OUTPUT_TOKENS_PER_INPUT)
    per_call = estimate_cost(a.ai_model, tokens_in, tokens_out)
    result.lines[f"LLM tokens ({a.ai_model})"] = (
        ai_calls * (1 - a.ai_cache_hit_share) * per_call if per_call is not None else 0.0
    )
    result.fixed = {
        f"CloudWatch custom metrics ({CUSTOM_METRICS})": CUSTOM_METRICS * p["custom_metric_month"],
        f"CloudWatch alarms ({ALARMS})": ALARMS * p["alarm_month"],
        "CloudWatch dashboard (free for an account's first 3)": p["dashboard_month"],
        f"Secrets Manager ({a.secrets} key{'s' if a.secrets != 1 else ''})": a.secrets
        * p["secret_month"]
        if a.ai_share > 0
        else 0.0,
    }
    volume = 8 * p["ebs_gp3_gb_month"]
    llm = result.lines[f"LLM tokens ({a.ai_model})"]
    result.always_on = {
        "t4g.small (2 vCPU, 2 GB) + 8 GB disk + LLM tokens": p["ec2_t4g_small_month"]
        + volume
        + llm,
        "t3.small (2 vCPU, 2 GB) + 8 GB disk + LLM tokens": p["ec2_t3_small_month"] + volume + llm,
    }
    brief_gb = BRIEF_ESTIMATE["memory_mb"] / 1024
    brief_n = BRIEF_ESTIMATE["requests"]
    ours = Assumptions(**{**asdict(a), "requests_per_month": int(brief_n), "memory_mb": 1024})
    our_static, our_ai = lambda_seconds(ours)
    result.brief = {
        "brief_lambda_duration_usd": brief_n
        * BRIEF_ESTIMATE["seconds"]
        * brief_gb
        * p["lambda_gb_second"],
        "ours_static_only_usd": brief_n * our_static * brief_gb * p["lambda_gb_second"],
        "ours_every_request_with_ai_usd": brief_n * our_ai * brief_gb * p["lambda_gb_second"],
        "our_static_seconds": our_static,
    }
    return result


def measure_static_ms(repeat: int = 5) -> tuple[float, int]:
    """Median milliseconds of one warm analysis of the example contracts (full analysis,
    as the API runs it), and the prompt tokens the AI layer would send for them."""
    from contract_analyzer.ai.prompt import build_request
    from contract_analyzer.engine import analyze

    examples = Path(__file__).resolve().parents[3] / "examples"
    sources = [p.read_text(encoding="utf-8") for p in sorted(examples.glob("*.sol"))]
    if not sources:  # an installed package has no examples folder
        from contract_analyzer.service.worker import _WARMUP_SOURCE

        sources = [_WARMUP_SOURCE]
    for source in sources:  # warm: imports, detector registry, parser
        analyze(source, analysis_type="full")
    timings = []
    for _ in range(repeat):
        for source in sources:
            started = time.perf_counter()
            analyze(source, analysis_type="full")
            timings.append((time.perf_counter() - started) * 1000)
    chars = []
    for source in sources:
        request = build_request(analyze(source), source, max_output_tokens=8192)
        chars.append(len(request.system) + len(request.user) + len(json.dumps(request.schema)))
    return statistics.median(timings), int(statistics.median(chars) / CHARS_PER_TOKEN)


def render(result: Estimate) -> str:
    a = result.assumptions
    static_s, ai_s = lambda_seconds(a)
    out = [
        f"Monthly cost of {a.requests_per_month:,} analyses on AWS (list prices, us-east-1, "
        f"as of {PRICES_AS_OF}; no free tier)",
        "",
        f"  analysis: {a.static_ms:.1f} ms {a.static_ms_source} locally -> {static_s * 1000:.0f} ms "
        f"billed at {a.memory_mb} MB (+{a.overhead_ms:g} ms handler); with AI +{a.ai_seconds:g} s "
        f"-> {ai_s:.1f} s",
        f"  AI on {a.ai_share:.0%} of requests ({a.ai_cache_hit_share:.0%} answered from the cache), "
        f"~{a.prompt_tokens:,} tokens in per call; {a.cache_hit_share:.0%} result-cache hits; "
        f"{a.async_share:.0%} async jobs; {a.cold_start_share:.0%} cold starts of {a.init_seconds:g} s",
        "",
    ]
    width = max(len(k) for k in [*result.lines, *result.fixed, *result.always_on]) + 2
    for name, usd in result.lines.items():
        out.append(f"  {name:<{width}} ${usd:>9.2f}")
    out.append(f"  {'variable total':<{width}} ${result.variable_total:>9.2f}")
    out.append("")
    for name, usd in result.fixed.items():
        out.append(f"  {name:<{width}} ${usd:>9.2f}")
    out.append(f"  {'TOTAL':<{width}} ${result.total:>9.2f}")
    out.append("")
    out.append("  Always-on alternative (same work, one small instance, on demand):")
    for name, usd in result.always_on.items():
        out.append(f"  {name:<{width}} ${usd:>9.2f}")
    b = result.brief
    out += [
        "",
        f"  The brief's estimate: {BRIEF_ESTIMATE['requests']:,} analyses x 1 GB x "
        f"{BRIEF_ESTIMATE['seconds']:g} s = ${b['brief_lambda_duration_usd']:.2f} of Lambda duration "
        f"(quoted as ${BRIEF_ESTIMATE['usd']:.2f}).",
        f"  Ours at 1 GB: {b['our_static_seconds'] * 1000:.0f} ms per static analysis -> "
        f"${b['ours_static_only_usd']:.3f}; with an AI call on every one -> "
        f"${b['ours_every_request_with_ai_usd']:.2f} (the wait for the provider is billed).",
    ]
    return "\n".join(out) + "\n"


@subcommands
def _add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cost = sub.add_parser(
        "cost",
        help="estimate the monthly AWS cost of the serverless deployment",
        description="Monthly cost of the serverless deployment from a quick measurement of "
        "our own analysis time and a dated price table (src/contract_analyzer/aws/cost.py).",
    )
    cost.add_argument("--requests-per-month", type=int, required=True, metavar="N")
    cost.add_argument(
        "--memory-mb", type=int, default=1024, metavar="M", help="Lambda memory (default 1024)"
    )
    cost.add_argument(
        "--ai-share", type=float, default=0.2, help="share of requests with AI (default 0.2)"
    )
    cost.add_argument(
        "--ai-seconds", type=float, default=10.0, help="seconds an AI call takes (default 10)"
    )
    cost.add_argument("--ai-model", default="gpt-5.4-mini", help="model priced for AI calls")
    cost.add_argument(
        "--duration-ms", type=float, help="use this analysis time instead of measuring"
    )
    cost.add_argument(
        "--cache-hit-share", type=float, default=0.3, help="result-cache hits (default 0.3)"
    )
    cost.add_argument(
        "--async-share", type=float, default=0.1, help="requests sent as jobs (default 0.1)"
    )
    cost.add_argument("--json", action="store_true", help="print the estimate as JSON")


def _check(args: argparse.Namespace) -> str | None:
    if args.requests_per_month < 0:
        return "--requests-per-month must be 0 or more"
    if not 128 <= args.memory_mb <= 10240:
        return "--memory-mb must be between 128 and 10240 (Lambda's range)"
    for name in ("ai_share", "cache_hit_share", "async_share"):
        if not 0 <= getattr(args, name) <= 1:
            return f"--{name.replace('_', '-')} must be between 0 and 1"
    if args.ai_seconds < 0 or (args.duration_ms is not None and args.duration_ms < 0):
        return "durations must be 0 or more"
    return None


@command("cost")
def _cost(args: argparse.Namespace) -> int:
    problem = _check(args)
    if problem:
        print(f"contract-analyzer: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    measured_ms, tokens = measure_static_ms()
    assumptions = Assumptions(
        requests_per_month=args.requests_per_month,
        memory_mb=args.memory_mb,
        ai_share=args.ai_share,
        ai_seconds=args.ai_seconds,
        ai_model=args.ai_model,
        cache_hit_share=args.cache_hit_share,
        async_share=args.async_share,
        static_ms=measured_ms if args.duration_ms is None else args.duration_ms,
        static_ms_source="measured" if args.duration_ms is None else "given",
        prompt_tokens=tokens,
    )
    result = estimate(assumptions)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        sys.stdout.write(render(result))
    return EXIT_OK
