"""AI fallback latency and prompt cost (issue: AI layer). Prints its figures; asserts
nothing.

    python bench/ai_fallback.py [--repeat 5] [--timeout 1.0]

Latency: the fallback scenarios through the real openai and google-genai SDKs against
the fake LLM server of the tests (tests/ai/fake_llm.py) on loopback, SDK clients warm,
a fresh cache and fresh breakers per run. "added" is the median time over the happy
path (OpenAI answers at once): the price of each failure mode before the answer, or
before the static fallback.

Cost: the prompt built for every contract of the repository (examples, fixtures, the
bench corpora), its size in characters and estimated tokens, and the cost of 1,000
analyses at the median and 90th-percentile prompt for the default models.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "ai"))

from fake_llm import FakeLLMServer  # noqa: E402

from contract_analyzer import analyze  # noqa: E402
from contract_analyzer.ai import (  # noqa: E402
    DEFAULT_GEMINI_MODEL,
    DEFAULT_OPENAI_MODEL,
    PRICES_AS_OF,
    AILayer,
    AISettings,
    BreakerBoard,
    LRUAnswerCache,
    estimate_cost,
)
from contract_analyzer.ai.prompt import build_request  # noqa: E402
from contract_analyzer.report.models import Report  # noqa: E402

CONTRACT = ROOT / "tests" / "ai" / "data" / "HostileVault.sol"
SOURCES = [
    ROOT / "examples",
    ROOT / "tests" / "fixtures",
    ROOT / "bench" / "corpus",
    ROOT / "bench" / "corpus_safe",
    ROOT / "bench" / "data",
]
# No tokenizer is available offline: Solidity with line numbers runs at about 3.5
# characters per token in OpenAI's and Google's current tokenizers (English prose ~4).
CHARS_PER_TOKEN = 3.5
# The answer: ~60 tokens per verdict, ~150 per added finding (two assumed), ~40 of JSON.
VERDICT_TOKENS, ADDED_TOKENS, ADDED_FINDINGS, ANSWER_OVERHEAD = 60, 150, 2, 40

Setup = Callable[[FakeLLMServer], dict[str, object]]


def scenarios() -> list[tuple[str, Setup, bool | None]]:
    def script(openai: str, gemini: str = "valid") -> Setup:
        def setup(fake: FakeLLMServer) -> dict[str, object]:
            fake.script("openai", default=openai)
            fake.script("gemini", default=gemini)
            return {}

        return setup

    def refused(fake: FakeLLMServer) -> dict[str, object]:
        return {"openai_base_url": "http://127.0.0.1:9/v1"}

    return [
        ("static only (use_ai=False)", script("valid"), False),
        ("OpenAI answers", script("valid"), None),
        ("OpenAI 500, retry 500 -> Gemini", script("error500"), None),
        ("OpenAI 429 -> Gemini", script("error429"), None),
        ("OpenAI 401 -> Gemini", script("error401"), None),
        ("OpenAI timeout -> Gemini", script("slow"), None),
        ("OpenAI malformed x2 -> Gemini", script("malformed"), None),
        ("OpenAI schema-invalid x2 -> Gemini", script("schema_invalid"), None),
        ("OpenAI refused x2 -> Gemini", refused, None),
        ("both 500 -> static", script("error500", "error500"), None),
        ("OpenAI timeout, Gemini timeout -> static", script("slow", "slow"), None),
    ]


def run_latency(repeat: int, timeout: float) -> None:
    source = CONTRACT.read_text(encoding="utf-8")
    report = analyze(source, path=CONTRACT.name)
    results: dict[str, tuple[float, str]] = {}
    with FakeLLMServer() as fake:
        fake.slow_seconds = timeout + 1.0
        base = {
            "openai_api_key": "sk-bench",
            "openai_base_url": fake.openai_base_url,
            "gemini_api_key": "gm-bench",
            "gemini_base_url": fake.gemini_base_url,
            "timeout_seconds": timeout,
            "total_timeout_seconds": 4 * timeout + 2,
        }
        warm = AILayer(AISettings(**base))
        for provider in warm.providers:  # import the SDKs and open connections once
            fake.reset()
            AILayer(AISettings(**base), providers=[provider], cache=LRUAnswerCache()).enrich(
                report, source
            )
        for name, setup, use_ai in scenarios():
            times = []
            service = ""
            for _ in range(repeat):
                fake.reset()
                overrides = setup(fake)
                if overrides:
                    settings = AISettings(**{**base, **overrides})
                    layer = AILayer(
                        settings,
                        providers=[_fresh_or_warm(p, settings) for p in warm.providers],
                        cache=LRUAnswerCache(),
                        breakers=BreakerBoard(),
                    )
                else:
                    layer = AILayer(
                        warm.settings,
                        providers=warm.providers,
                        cache=LRUAnswerCache(),
                        breakers=BreakerBoard(),
                    )
                started = time.perf_counter()
                result = layer.enrich(report, source, use_ai=use_ai)
                times.append(time.perf_counter() - started)
                service = result.service_used
            results[name] = (statistics.median(times), service)
        # a cache hit, on the warm layer
        layer = AILayer(
            warm.settings, providers=warm.providers, cache=LRUAnswerCache(), breakers=BreakerBoard()
        )
        fake.reset()
        layer.enrich(report, source)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            layer.enrich(report, source)
            times.append(time.perf_counter() - started)
        results["cache hit"] = (statistics.median(times), "OpenAI")
        warm.close()

    happy = results["OpenAI answers"][0]
    print(f"AI fallback latency (median of {repeat}; AI_TIMEOUT_SECONDS={timeout:g}; loopback)")
    print(f"{'scenario':44} {'service':8} {'AI time':>10} {'added':>10}")
    for name, (seconds, service) in results.items():
        added = seconds - happy
        print(f"{name:44} {service:8} {seconds * 1000:8.1f} ms {added * 1000:+8.1f} ms")


def _fresh_or_warm(provider: object, settings: AISettings) -> object:
    """A provider for the overridden settings (a new client for the refused URL)."""
    from contract_analyzer.ai.enrich import build_providers

    fresh = {p.name: p for p in build_providers(settings)}
    name = getattr(provider, "name", "")
    if getattr(fresh.get(name), "endpoint", None) != getattr(provider, "endpoint", None):
        return fresh[name]
    return provider


def run_cost() -> None:
    rows: list[tuple[int, int, int]] = []  # prompt chars, findings, lines
    for folder in SOURCES:
        if not folder.exists():
            continue
        for path in sorted(folder.rglob("*.sol")):
            source = path.read_text(encoding="utf-8", errors="replace")
            try:
                report: Report = analyze(source, path=path.name)
            except Exception:
                continue
            request = build_request(report, source, max_output_tokens=8192)
            size = len(request.system) + len(request.user) + len(str(request.schema))
            rows.append((size, len(report.findings), report.lines))
    rows.sort()
    if not rows:
        print("no contracts found")
        return
    chars = [r[0] for r in rows]
    findings = statistics.median(r[1] for r in rows)
    lines = statistics.median(r[2] for r in rows)
    p90 = rows[int(0.9 * (len(rows) - 1))]
    print()
    print(f"Prompt size over {len(rows)} contracts (median {lines:g} lines, {findings:g} findings)")
    print(f"{'':10} {'chars':>8} {'tokens in':>10} {'tokens out':>11}", end="")
    print(f" {DEFAULT_OPENAI_MODEL + ' /1000':>22} {DEFAULT_GEMINI_MODEL + ' /1000':>30}")
    for label, size, count in (
        ("median", statistics.median(chars), findings),
        ("p90", p90[0], p90[1]),
        ("max", rows[-1][0], rows[-1][1]),
    ):
        tokens_in = int(size / CHARS_PER_TOKEN)
        tokens_out = int(count * VERDICT_TOKENS + ADDED_FINDINGS * ADDED_TOKENS + ANSWER_OVERHEAD)
        costs = [
            1000 * (estimate_cost(model, tokens_in, tokens_out) or 0.0)
            for model in (DEFAULT_OPENAI_MODEL, DEFAULT_GEMINI_MODEL)
        ]
        print(
            f"{label:10} {size:8.0f} {tokens_in:10d} {tokens_out:11d}"
            f" {'$' + format(costs[0], '.2f'):>22} {'$' + format(costs[1], '.2f'):>30}"
        )
    print(f"(prices as of {PRICES_AS_OF}; {CHARS_PER_TOKEN} characters per token assumed)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=1.0, help="AI_TIMEOUT_SECONDS")
    args = parser.parse_args()
    run_latency(args.repeat, args.timeout)
    run_cost()


if __name__ == "__main__":
    main()
