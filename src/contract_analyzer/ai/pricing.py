"""Prices of the models the AI layer knows, in one dated table.

USD per one million tokens, standard (not batch) tier, prompts under 200k tokens.
Sources: the providers' pricing pages as transcribed in public trackers, read
:data:`PRICES_AS_OF`. Prices change: check them before relying on the estimates, and
add a row here when you configure another model (an unknown model, for example a
self-hosted one, gets no cost estimate: ``None``, not ``0``). Where a cached-input price
was not published we assume a tenth of the input price, the providers' usual discount.
"""

from __future__ import annotations

from dataclasses import dataclass

PRICES_AS_OF = "2026-11-26"


@dataclass(frozen=True)
class Price:
    """USD per 1M tokens."""

    input: float
    cached_input: float
    output: float


PRICES: dict[str, Price] = {
    # OpenAI
    "gpt-5.4-mini": Price(input=0.75, cached_input=0.075, output=4.50),
    "gpt-5-mini": Price(input=0.25, cached_input=0.025, output=2.00),
    "gpt-5.6-luna": Price(input=1.00, cached_input=0.10, output=6.00),
    "gpt-4o-mini": Price(input=0.15, cached_input=0.075, output=0.60),
    # Google (output includes thinking tokens)
    "gemini-3.5-flash-lite": Price(input=0.30, cached_input=0.03, output=2.50),
    "gemini-3.5-flash": Price(input=1.50, cached_input=0.15, output=9.00),
    # Gemini 3.8 Flash: $0.75 / $3.75 until 2026-12-31, then $1.50 / $7.50.
    "gemini-3.8-flash": Price(input=0.75, cached_input=0.075, output=3.75),
    "gemini-2.5-flash": Price(input=0.30, cached_input=0.03, output=2.50),
}


def price_for(model: str) -> Price | None:
    """The price of ``model``; a dated snapshot id (``gpt-5.4-mini-2026-03-17``) or a
    ``models/`` prefix resolves to its base model."""
    name = model.strip().lower().removeprefix("models/")
    if name in PRICES:
        return PRICES[name]
    for base in sorted(PRICES, key=len, reverse=True):
        if name.startswith(base + "-") and name[len(base) + 1 : len(base) + 2].isdigit():
            return PRICES[base]
    return None


def estimate_cost(
    model: str, input_tokens: int, output_tokens: int, cached_input_tokens: int = 0
) -> float | None:
    """Estimated USD cost of one call, or ``None`` when the model has no price here.

    ``input_tokens`` includes the cached ones (as both providers report them)."""
    price = price_for(model)
    if price is None:
        return None
    cached = min(max(cached_input_tokens, 0), max(input_tokens, 0))
    fresh = max(input_tokens, 0) - cached
    cost = (
        fresh * price.input + cached * price.cached_input + max(output_tokens, 0) * price.output
    ) / 1_000_000
    return round(cost, 8)
