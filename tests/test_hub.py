"""Models from the Hugging Face Hub, against a fake Hub on loopback serving recorded, real repositories
(tests/fake_hub.py, tests/hub_fixtures/SOURCES.md). No test reaches the network."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answer import Answer
from bot.catalog import Catalog
from bot.engine import Engine
from bot.estimator import BYTES_PER_PARAM, PRECISION_NAMES
from bot.estimator_weights import weights_bytes
from bot.hub import HubClient, HubSettings
from bot.hub_ask import HubAsk
from bot.hub_model import HubRecord, Unsupported, hub_model
from bot.render import answer_json, render_text
from tests.fake_hub import FIXTURES, FakeHub, repositories

ROOT = Path(__file__).resolve().parent.parent
SAFETENSORS_REPOS = [r for r in repositories() if (FIXTURES / r / "config.json").exists()]


def _api(repo: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((FIXTURES / repo / "api.json").read_text())
    return data


@pytest.fixture(scope="module")
def engine(catalog: Catalog) -> Engine:
    """An engine of these tests' own: the models they look up stay out of the session's shared engine."""
    return Engine(catalog)


def _client(hub: FakeHub, cache: Path | None, **kw: object) -> HubClient:
    return HubClient(HubSettings(endpoint=hub.url, cache=cache, **kw))  # type: ignore[arg-type]


def _ask(engine: Engine, client: HubClient, question: str) -> Answer:
    return HubAsk(engine, lambda: client).ask(question)


def test_fixtures_cover_the_shapes() -> None:
    """At least 8 recorded repositories, of every shape the issue names."""
    assert len(repositories()) >= 8
    configs = {r: json.loads((FIXTURES / r / "config.json").read_text()) for r in SAFETENSORS_REPOS}
    methods = {str((c.get("quantization_config") or {}).get("quant_method")) for c in configs.values()}
    assert {"fp8", "mxfp4"} <= methods
    assert any("kv_lora_rank" in c for c in configs.values())  # MLA
    assert any("num_experts" in c or "num_local_experts" in c or "n_routed_experts" in c for c in configs.values())
    assert any((FIXTURES / r / "GATED").exists() for r in repositories())
    gguf = [r for r in repositories() if (FIXTURES / r / "files.json").exists()]
    assert any(
        "-00002-of-" in f["rfilename"] for r in gguf for f in json.loads((FIXTURES / r / "files.json").read_text())
    )
    assert (FIXTURES / "SOURCES.md").read_text().count("|") > 20


@pytest.mark.parametrize("repo", [r for r in SAFETENSORS_REPOS if not (FIXTURES / r / "GATED").exists()])
def test_parameter_counts_match_the_safetensors_metadata(
    engine: Engine, hub: FakeHub, tmp_path: Path, repo: str
) -> None:
    api = _api(repo)
    st = api["safetensors"]
    assert isinstance(st, dict)
    answer = _ask(engine, _client(hub, tmp_path), f"can I run {repo} on 2x h100 nvl?")
    assert answer.fit is not None and answer.fit["model"] == repo
    text = render_text(answer)
    assert f"{st['total']:,} parameters" in text  # the exact count, as the metadata gives it
    for dtype, count in st["parameters"].items():
        assert f"{dtype} {count:,}" in text
    assert round(answer.fit["params_b"] * 1e9) == st["total"]
    assert f"https://huggingface.co/{repo}" in answer.sources
    json.dumps(answer_json(answer))  # the JSON answer stays serialisable


def test_gguf_weights_are_the_files_bytes(engine: Engine, hub: FakeHub, tmp_path: Path) -> None:
    repo = "Qwen/Qwen2.5-7B-Instruct-GGUF"
    files = json.loads((FIXTURES / repo / "files.json").read_text())
    total = sum(f["size"] for f in files if "q4_k_m" in f["rfilename"])
    result = _client(hub, tmp_path).lookup(repo)
    assert result.record is not None and result.record.gguf_bytes == {"q4_k_m": total}
    model = hub_model(result.record)
    got, how = weights_bytes(model.shape, "q4_k_m", BYTES_PER_PARAM, PRECISION_NAMES)
    assert got == total and "published" in how
    answer = _ask(engine, _client(hub, tmp_path), f"https://huggingface.co/{repo}/tree/main q4_k_m on a 3060 12gb")
    assert answer.fit is not None and answer.fit["precision"] == "q4_k_m"
    assert answer.fit["terms"]["weights"] == pytest.approx(total / 1e9, abs=0.05)
    assert f"Q4_K_M {total:,} bytes" in render_text(answer)


def test_gguf_url_names_its_quantisation(engine: Engine, hub: FakeHub, tmp_path: Path) -> None:
    url = (
        "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct-GGUF/blob/main/qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf"
    )
    answer = _ask(engine, _client(hub, tmp_path), f"{url} on a 4060")
    assert answer.fit is not None and answer.fit["precision"] == "q4_k_m"


def test_split_gguf_set_missing_a_part_is_not_summed() -> None:
    record = HubRecord("o/m-GGUF", files={"m-Q8_0-00001-of-00002.gguf": 5, "m-Q4_K_M.gguf": 3})
    assert record.gguf_bytes == {"q4_k_m": 3}


@pytest.mark.parametrize(
    ("repo", "catalog_name"), [("Qwen/Qwen3-30B-A3B", "qwen3 30b a3b"), ("openai/gpt-oss-20b", "gpt-oss-20b")]
)
@pytest.mark.parametrize(
    "where",
    ["on a 4090", "on a 3090", "on a 4060 ti 16gb", "on an a6000", "on 2x 3090", "on a 3060 12gb", "on an h100 pcie"],
)
def test_same_verdict_as_the_catalog(
    engine: Engine, hub: FakeHub, tmp_path: Path, repo: str, catalog_name: str, where: str
) -> None:
    hub_answer = _ask(engine, _client(hub, tmp_path), f"can I run {repo} {where}?")
    catalog_answer = engine.ask(f"can I run {catalog_name} {where}?")
    assert hub_answer.fit is not None and catalog_answer.fit is not None
    assert hub_answer.fit["model"] == repo
    assert (hub_answer.fit["fits"], hub_answer.fit["precision"]) == (
        catalog_answer.fit["fits"],
        catalog_answer.fit["precision"],
    )


def test_shapes_read_from_config(hub: FakeHub, tmp_path: Path) -> None:
    client = _client(hub, tmp_path)

    def shape(repo: str):  # type: ignore[no-untyped-def]
        result = client.lookup(repo)
        assert result.record is not None
        return hub_model(result.record).shape

    qwen = shape("Qwen/Qwen2.5-7B-Instruct")
    assert (qwen.attention, qwen.kv_heads, qwen.sliding_window) == ("gqa", 4, None)  # use_sliding_window: false
    mistral = shape("mistralai/Mistral-7B-Instruct-v0.1")
    assert (mistral.attention, mistral.sliding_window, mistral.full_attention_layers) == ("sliding", 4096, None)
    oss = shape("openai/gpt-oss-20b")
    assert (oss.sliding_window, oss.full_attention_layers, oss.native_precision) == (128, 12, "mxfp4")
    assert dict(oss.native_split_b) == {"bf16": 1.804459584, "mxfp4": 19.1102976}
    ds = shape("deepseek-ai/DeepSeek-V3")
    assert (ds.attention, ds.kv_lora_rank, ds.qk_rope_head_dim, ds.native_precision) == ("mla", 512, 64, "fp8")
    assert ds.active_params_b is not None and 30 < ds.active_params_b < 45  # DeepSeek: 37B activated
    moe = shape("Qwen/Qwen3-30B-A3B")
    assert moe.active_params_b is not None and 3.0 < moe.active_params_b < 3.6  # Qwen: 3.3B activated
    glm = shape("zai-org/GLM-4.7-Flash")
    assert glm.attention == "mla"


def test_gated_without_token_says_so(engine: Engine, hub: FakeHub, tmp_path: Path) -> None:
    answer = _ask(engine, _client(hub, tmp_path), "google/gemma-3-27b-it on a 4090")
    text = render_text(answer)
    assert "gated" in text and "HF_TOKEN" in text
    assert "27,432,406,640 parameters" in text  # the metadata is public
    assert answer.fit is None or answer.fit["model"] != "google/gemma-3-27b-it"


def test_gated_with_token_answers_and_never_logs_it(
    engine: Engine, hub: FakeHub, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "hf_test0123456789abcdefSECRET"  # noqa: S105 (a made-up token)
    caplog.set_level(logging.DEBUG)
    answer = _ask(engine, _client(hub, tmp_path, token=secret), "google/gemma-3-27b-it on a 4090")
    assert answer.fit is not None and answer.fit["model"] == "google/gemma-3-27b-it"
    assert ("GET", "/google/gemma-3-27b-it/resolve/main/config.json", f"Bearer {secret}") in hub.requests
    assert all(secret not in r.getMessage() for r in caplog.records)
    assert all(secret not in p.read_text() for p in tmp_path.rglob("*") if p.is_file())
    assert secret not in render_text(answer)


def test_unknown_repository(engine: Engine, hub: FakeHub, tmp_path: Path) -> None:
    answer = _ask(engine, _client(hub, tmp_path), "can I run nobody/Nothing-13B-v2 on a 3090?")
    text = render_text(answer)
    assert "no model nobody/Nothing-13B-v2 on the Hugging Face Hub" in text
    assert "size in the name" in text  # what the answer rests on instead


def test_offline_warm_cache_answers_without_the_network(engine: Engine, hub: FakeHub, tmp_path: Path) -> None:
    repo = "Qwen/Qwen2.5-7B-Instruct"
    assert _client(hub, tmp_path).lookup(repo).record is not None
    before = len(hub.requests)
    for settings in (
        HubSettings(endpoint="http://127.0.0.1:9", cache=tmp_path, ttl=0),  # expired and unreachable: stale copy
        HubSettings(endpoint=hub.url, cache=tmp_path, offline=True),
        HubSettings(endpoint=hub.url, cache=tmp_path),  # fresh: no request
    ):
        answer = _ask(engine, HubClient(settings), f"{repo} on a 3060")
        assert answer.fit is not None and answer.fit["model"] == repo
    assert len(hub.requests) == before
    stale = render_text(
        _ask(engine, HubClient(HubSettings(endpoint="http://127.0.0.1:9", cache=tmp_path, ttl=0)), f"{repo} on a 3060")
    )
    assert "copy cached on" in stale


def test_offline_cold_cache_is_a_clear_message(engine: Engine, tmp_path: Path) -> None:
    client = HubClient(HubSettings(endpoint="http://127.0.0.1:9", cache=tmp_path, timeout=2))
    answer = _ask(engine, client, "can I run someone/Some-Model-7B on a 3060?")
    assert "could not be reached" in render_text(answer)


def test_read_only_cache(engine: Engine, hub: FakeHub, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    answer = _ask(engine, _client(hub, blocker / "hub"), "Qwen/Qwen3-30B-A3B on a 4090")  # cannot be created
    assert answer.fit is not None and answer.fit["model"] == "Qwen/Qwen3-30B-A3B"


def test_config_the_estimator_cannot_read() -> None:
    with pytest.raises(Unsupported, match="num_hidden_layers"):
        hub_model(HubRecord("o/m", config={"model_type": "x", "hidden_size": 8}, parameters={"BF16": 5}, total=5))
    with pytest.raises(Unsupported, match="I8"):
        cfg = {
            "num_hidden_layers": 2,
            "hidden_size": 8,
            "num_attention_heads": 2,
            "quantization_config": {"quant_method": "fp8"},
        }
        hub_model(HubRecord("o/m", config=cfg, parameters={"F8_E4M3": 5, "I8": 3}, total=8))


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--no-log", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


def test_cli_ask_with_the_fake_hub_then_offline(hub: FakeHub, tmp_path: Path) -> None:
    env = {"HF_ENDPOINT": hub.url, "GPUBOT_CACHE": str(tmp_path)}
    done = _cli(["ask", "--json", "can I run Qwen/Qwen3-30B-A3B on a 4090?"], env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["fit"]["model"] == "Qwen/Qwen3-30B-A3B"
    offline = _cli(
        ["ask", "--json", "can I run Qwen/Qwen3-30B-A3B on a 4090?"], {**env, "HF_ENDPOINT": "http://127.0.0.1:9"}
    )
    assert offline.returncode == 0 and json.loads(offline.stdout)["fit"]["model"] == "Qwen/Qwen3-30B-A3B"
    cold = _cli(["ask", "can I run Qwen/Qwen3-30B-A3B-Instruct-2507 on a 4090?"], {**env, "HF_HUB_OFFLINE": "1"})
    assert cold.returncode == 0
    assert "could not be reached" in cold.stdout and "Traceback" not in cold.stderr


def test_plain_questions_never_import_the_hub_library() -> None:
    code = (
        "import sys; from bot.cli import main; main(['--no-log', 'ask', 'a6k vram']); "
        "main(['--no-log', 'ask', 'a4000/a6000 for training']); "
        "assert 'huggingface_hub' not in sys.modules, 'imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr


def test_an_unreachable_hub_is_not_asked_again_for_a_while(hub: FakeHub, tmp_path: Path) -> None:
    from dataclasses import replace

    now = [1000.0]
    client = HubClient(HubSettings(endpoint="http://127.0.0.1:9", cache=tmp_path, timeout=2), clock=lambda: now[0])
    assert client.lookup("Qwen/Qwen3-30B-A3B").failure == "unreachable"
    client.settings = replace(client.settings, endpoint=hub.url)
    before = len(hub.requests)
    assert client.lookup("Qwen/Qwen3-30B-A3B").failure == "unreachable"  # at once: a batch waits for one timeout
    assert len(hub.requests) == before
    now[0] += 61
    assert client.lookup("Qwen/Qwen3-30B-A3B").record is not None


def test_gguf_repository_of_a_gated_base(engine: Engine, tmp_path: Path) -> None:
    """A GGUF repository takes its architecture from its base model; a gated base needs the token. The GGUF repository
    here is made up for the test (its sizes too); its base is the recorded gated fixture."""
    import shutil

    root = tmp_path / "hub"
    shutil.copytree(FIXTURES / "google", root / "google")
    repo = root / "test-org" / "gemma-3-27b-it-GGUF"
    repo.mkdir(parents=True)
    (repo / "api.json").write_text(
        json.dumps({"id": "test-org/gemma-3-27b-it-GGUF", "cardData": {"base_model": "google/gemma-3-27b-it"}})
    )
    sizes = [
        {"rfilename": "Q5_K_M/gemma-3-27b-it-Q5_K_M-00001-of-00002.gguf", "size": 10_000_000_000},
        {"rfilename": "Q5_K_M/gemma-3-27b-it-Q5_K_M-00002-of-00002.gguf", "size": 9_000_000_000},
    ]
    (repo / "files.json").write_text(json.dumps(sizes))
    question = "test-org/gemma-3-27b-it-GGUF Q5_K_M on a 4090"
    with FakeHub(root) as server:
        closed = _ask(engine, HubClient(HubSettings(endpoint=server.url, cache=tmp_path / "a")), question)
        text = render_text(closed)
        assert "google/gemma-3-27b-it, which is gated" in text and "Q5_K_M 19,000,000,000 bytes" in text
        assert closed.fit is not None and closed.fit["model"] == "gemma-3-27b"  # said to be the built-in model
        assert "nearest name it knows" in text
        token = HubSettings(endpoint=server.url, cache=tmp_path / "b", token="hf_x")  # noqa: S106 (made up)
        opened = _ask(engine, HubClient(token), question)
    assert opened.fit is not None and opened.fit["model"] == "test-org/gemma-3-27b-it-GGUF"
    assert opened.fit["terms"]["weights"] == pytest.approx(19.0, abs=0.05)
