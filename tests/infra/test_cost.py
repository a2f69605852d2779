"""``contract-analyzer cost``: the estimate's arithmetic and the command."""

from __future__ import annotations

import json

import pytest

from contract_analyzer.aws.cost import PRICES, Assumptions, estimate, lambda_seconds
from contract_analyzer.cli import main


def test_the_briefs_estimate_is_reproduced() -> None:
    result = estimate(Assumptions(requests_per_month=10_000, static_ms=20.0, prompt_tokens=1400))
    # 10,000 x 1 GB x 10 s = 100,000 GB-s
    assert result.brief["brief_lambda_duration_usd"] == pytest.approx(1.67, abs=0.01)
    # an AI call on every request costs what the brief said: the wait dominates
    assert result.brief["ours_every_request_with_ai_usd"] == pytest.approx(1.70, abs=0.05)
    assert result.brief["ours_static_only_usd"] < 0.01


def test_duration_scales_with_memory_and_ai_share() -> None:
    small = Assumptions(requests_per_month=1000, memory_mb=512, static_ms=100, overhead_ms=0)
    large = Assumptions(requests_per_month=1000, memory_mb=2048, static_ms=100, overhead_ms=0)
    assert lambda_seconds(small)[0] == pytest.approx(0.1 * 1769 / 512)
    assert lambda_seconds(large)[0] == pytest.approx(0.1)  # past one vCPU: no faster
    none = Assumptions(
        requests_per_month=1_000_000, ai_share=0, static_ms=50, overhead_ms=0, cold_start_share=0
    )
    result = estimate(none)
    expected = 1_000_000 * 0.05 * 1769 / 1024 * PRICES["lambda_gb_second"]
    assert result.lines["Lambda duration"] == pytest.approx(expected)
    assert result.lines["API Gateway (REST)"] == pytest.approx(3.50)
    assert result.lines["LLM tokens (gpt-5.4-mini)"] == 0
    with_ai = estimate(
        Assumptions(requests_per_month=1_000_000, ai_share=0.5, static_ms=50, prompt_tokens=1400)
    )
    assert with_ai.lines["LLM tokens (gpt-5.4-mini)"] > 100
    assert with_ai.lines["Lambda duration"] > 50 * result.lines["Lambda duration"]


def test_the_command_prints_a_breakdown_next_to_an_instance(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["cost", "--requests-per-month", "10000"]) == 0
    text = capsys.readouterr().out
    for line in (
        "Lambda duration",
        "API Gateway (REST)",
        "DynamoDB",
        "SQS",
        "CloudWatch Logs",
        "LLM tokens",
        "TOTAL",
        "t4g.small",
        "measured locally",
        "$1.67 of Lambda duration",
    ):
        assert line in text, line
    assert (
        main(
            [
                "cost",
                "--requests-per-month",
                "5000",
                "--memory-mb",
                "2048",
                "--ai-share",
                "0",
                "--duration-ms",
                "40",
                "--json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert (
        data["assumptions"]["static_ms"] == 40
        and data["assumptions"]["static_ms_source"] == "given"
    )
    assert data["monthly_usd"]["LLM tokens (gpt-5.4-mini)"] == 0
    assert data["prices_as_of"] == "2026-11-26"
    assert (
        data["total_usd"]
        < data["always_on_usd"]["t4g.small (2 vCPU, 2 GB) + 8 GB disk + LLM tokens"]
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--requests-per-month", "-1"],
        ["--requests-per-month", "10", "--memory-mb", "64"],
        ["--requests-per-month", "10", "--ai-share", "1.5"],
        ["--requests-per-month", "ten"],
        [],
    ],
)
def test_bad_options_are_usage_errors(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(["cost", *args]))
    assert exit_info.value.code == 2
    assert "error" in capsys.readouterr().err
