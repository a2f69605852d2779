"""The result cache behind POST /analyze and /analyze/batch: hits carry the stored
report, ``cached: true`` and the original request id; the wire contract is otherwise
unchanged; renderings come from the cached JSON; the AI layer's answers are cached in
the same store."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from contract_analyzer.config import Settings
from contract_analyzer.service.app import create_app
from contract_analyzer.service.pool import AnalysisPool
from contract_analyzer.storage.cache import ResultCache, normalise_source

ROOT = Path(__file__).resolve().parents[2]
BANK = (ROOT / "examples" / "VulnerableBank.sol").read_text()
VOLATILE = ("request_id", "timestamp", "cached", "cached_request_id", "cached_at")


def _fresh(source: str = BANK) -> str:
    """A source no other test has sent (the cache is shared by the module)."""
    return f"{source}\n// {uuid.uuid4()}\n"


def _stable(body: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(body)
    for key in VOLATILE:
        body.pop(key, None)
    return body


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), analysis_timeout_seconds=10)
    app = create_app(settings, pool=AnalysisPool(2))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def uncached(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("off"), cache_backend="off")
    with TestClient(create_app(settings, pool=AnalysisPool(1))) as test_client:
        yield test_client


def test_a_repeated_request_is_a_hit(client: TestClient) -> None:
    source = _fresh()
    first = client.post("/analyze", json={"contract_code": source}, headers={"X-Request-ID": "a-1"})
    second = client.post(
        "/analyze", json={"contract_code": source}, headers={"X-Request-ID": "a-2"}
    )
    assert first.status_code == second.status_code == 200
    miss, hit = first.json(), second.json()
    assert miss["cached"] is False and "cached_request_id" not in miss
    assert hit["cached"] is True
    assert hit["request_id"] == "a-2" == second.headers["x-request-id"]
    assert hit["cached_request_id"] == "a-1"
    assert hit["cached_at"].endswith("Z")
    assert _stable(hit) == _stable(miss)  # the stored report, processing_time included
    assert hit["analysis_report"]["overall_security_score"] == 25


def test_line_endings_do_not_change_the_key(client: TestClient) -> None:
    source = _fresh()
    client.post("/analyze", json={"contract_code": source})
    crlf = client.post("/analyze", json={"contract_code": source.replace("\n", "\r\n")})
    assert crlf.json()["cached"]
    bom = client.post("/analyze", json={"contract_code": "\ufeff" + source})
    assert not bom.json()["cached"]  # a BOM shows in the first line's snippet


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "examples").glob("*.sol")))
def test_normalised_sources_give_identical_reports(name: str) -> None:
    from contract_analyzer import analyze

    source = (ROOT / "examples" / name).read_text()

    def report(text: str) -> dict[str, Any]:
        data = analyze(text, analysis_type="full").to_dict()
        data.pop("processing_time")
        return data

    crlf = source.replace("\n", "\r\n")
    assert normalise_source(crlf) == source
    assert report(crlf) == report(source)


def test_what_changes_the_report_changes_the_key(client: TestClient) -> None:
    source = _fresh()
    client.post("/analyze", json={"contract_code": source})
    for body in (
        {"contract_code": source, "contract_name": "VulnerableBank"},
        {"contract_code": source, "analysis_type": "full"},
        {"contract_code": source + "\n"},
    ):
        assert client.post("/analyze", json=body).json()["cached"] is False, body


def test_batch_hits_and_file_order_matters(client: TestClient) -> None:
    files = {"b/Bank.sol": _fresh(), "a/Other.sol": "pragma solidity ^0.8.0;\ncontract O {}\n"}
    first = client.post("/analyze/batch", json={"files": files}).json()
    second = client.post("/analyze/batch", json={"files": files}).json()
    assert (first["cached"], second["cached"]) == (False, True)
    assert second["cached_request_id"] == first["request_id"]
    assert _stable(first) == _stable(second)
    reordered = dict(reversed(list(files.items())))
    assert client.post("/analyze/batch", json={"files": reordered}).json()["cached"] is False


def test_formats_are_rendered_from_the_cached_report(
    client: TestClient, uncached: TestClient
) -> None:
    source = _fresh()
    client.post("/analyze", json={"contract_code": source})  # now cached
    for fmt in ("sarif", "markdown"):
        from_cache = client.post(f"/analyze?format={fmt}", json={"contract_code": source})
        from_worker = uncached.post(f"/analyze?format={fmt}", json={"contract_code": source})
        assert from_cache.status_code == from_worker.status_code == 200
        assert from_cache.headers["content-type"] == from_worker.headers["content-type"]
        assert from_cache.text == from_worker.text
    files = {"x/Bank.sol": _fresh()}
    client.post("/analyze/batch", json={"files": files})
    cached_sarif = client.post("/analyze/batch?format=sarif", json={"files": files})
    worker_sarif = uncached.post("/analyze/batch?format=sarif", json={"files": files})
    assert cached_sarif.text == worker_sarif.text


def test_a_rendering_request_fills_the_cache_for_json(client: TestClient) -> None:
    source = _fresh()
    client.post("/analyze?format=markdown", json={"contract_code": source})
    assert client.post("/analyze", json={"contract_code": source}).json()["cached"] is True


def test_cache_off_answers_cached_false(uncached: TestClient) -> None:
    source = _fresh()
    bodies = [uncached.post("/analyze", json={"contract_code": source}).json() for _ in range(2)]
    assert [b["cached"] for b in bodies] == [False, False]


class _BrokenStore:
    name = "broken"
    max_item_bytes = None
    inline = True

    def get(self, key: str) -> bytes | None:
        raise OSError("unreachable")

    def put(self, key: str, value: bytes, expires_at: float | None) -> None:
        raise OSError("unreachable")

    def delete(self, key: str) -> None:
        raise OSError("unreachable")

    def close(self) -> None:
        pass


def test_a_broken_cache_is_never_an_error_to_the_caller(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path), pool=AnalysisPool(1))
    app.state.analysis.cache = ResultCache(_BrokenStore())
    with TestClient(app) as broken:
        for _ in range(2):
            response = broken.post("/analyze", json={"contract_code": BANK})
            assert response.status_code == 200
            assert response.json()["cached"] is False
            assert response.json()["analysis_report"]["overall_security_score"] == 25


def test_the_cache_lives_in_the_data_directory(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "state")
    source = _fresh()
    for expected in (False, True):  # a second app: a restarted server
        with TestClient(create_app(settings, pool=AnalysisPool(1))) as restarted:
            body = restarted.post("/analyze", json={"contract_code": source}).json()
            assert body["cached"] is expected
    assert (tmp_path / "state" / "cache.sqlite3").exists()


# ---------------------------------------------------------------------- AI


@pytest.fixture
def fake_llm(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from ai.fake_llm import OPENAI_KEY, FakeLLMServer
    from contract_analyzer.ai import get_ai_settings

    for name in ("GEMINI_API_KEY", "GOOGLE_API_KEY", "AI_PROVIDERS", "OPENAI_MODEL"):
        monkeypatch.delenv(name, raising=False)
    with FakeLLMServer() as server:
        monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", server.openai_base_url)
        monkeypatch.setenv("AI_TIMEOUT_SECONDS", "2")
        get_ai_settings.cache_clear()
        yield server
    get_ai_settings.cache_clear()


def test_ai_reviews_are_cached_and_never_paid_twice(fake_llm: Any, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    source = _fresh()
    with TestClient(create_app(settings, pool=AnalysisPool(1))) as first_server:
        miss = first_server.post("/analyze", json={"contract_code": source, "use_ai": True}).json()
        hit = first_server.post("/analyze", json={"contract_code": source, "use_ai": True}).json()
        static = first_server.post("/analyze", json={"contract_code": source, "use_ai": False})
    assert fake_llm.count("openai") == 1
    assert miss["analysis_report"]["service_used"] == "OpenAI" and not miss["cached"]
    assert hit["cached"] and hit["analysis_report"]["service_used"] == "OpenAI"
    assert hit["analysis_report"]["ai"]["cache_hit"] is True
    assert hit["analysis_report"]["ai"]["cost_usd"] == 0.0
    assert hit["analysis_report"]["vulnerabilities"] == miss["analysis_report"]["vulnerabilities"]
    assert static.json()["cached"] is False  # the static report has a key of its own
    assert static.json()["analysis_report"]["service_used"] == "static"
    # Another process on the same store (a restarted server): a different request that
    # needs the same AI answer gets it from the store, not from the provider.
    with TestClient(create_app(settings, pool=AnalysisPool(1))) as second_server:
        other = second_server.post(
            "/analyze",
            json={"contract_code": source, "use_ai": True, "contract_name": "VulnerableBank"},
        ).json()
    assert other["cached"] is False
    assert other["analysis_report"]["ai"]["cache_hit"] is True
    assert fake_llm.count("openai") == 1


def test_a_failed_ai_review_is_not_cached(fake_llm: Any, tmp_path: Path) -> None:
    fake_llm.script("openai", default="error500")
    source = _fresh()
    with TestClient(create_app(Settings(data_dir=tmp_path), pool=AnalysisPool(1))) as server:
        bodies = [
            server.post("/analyze", json={"contract_code": source, "use_ai": True}).json()
            for _ in range(2)
        ]
    assert [b["cached"] for b in bodies] == [False, False]
    assert all(b["analysis_report"]["service_used"] == "static" for b in bodies)
    assert fake_llm.count("openai") >= 2
