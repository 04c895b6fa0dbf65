"""A fake Hugging Face Hub on loopback, serving the recorded repositories of ``tests/hub_fixtures`` (SOURCES.md).

It answers the requests ``huggingface_hub`` makes for the calls :mod:`bot.hub` uses, as the Hub does:

* ``GET /api/models/{org}/{name}`` (``model_info``; ``?blobs=true`` for sizes): the recorded ``api.json`` with a
  ``siblings`` listing built from the fixture's files (``config.json``) and its recorded ``files.json``;
* ``GET /{org}/{name}/resolve/main/config.json``: the recorded config.json; a gated repository (marker ``GATED``)
  answers ``401`` with ``X-Error-Code: GatedRepo`` unless a bearer token is sent;
* ``GET /api/models?search=...`` (``list_models``): the fixtures whose id contains every word searched;
* anything else: ``404`` with ``X-Error-Code: RepoNotFound``, the Hub's answer for an unknown repository.

Every request is recorded (``requests``), so tests can tell a cached answer from a fetched one.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

FIXTURES = Path(__file__).parent / "hub_fixtures"


def repositories(root: Path = FIXTURES) -> list[str]:
    return sorted(str(p.parent.relative_to(root)) for p in root.glob("*/*/api.json"))


class FakeHub:
    def __init__(self, root: Path = FIXTURES) -> None:
        self.root = root
        self.requests: list[tuple[str, str, str | None]] = []  # (method, path, authorization)
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_HEAD(self) -> None:
                hub._serve(self, body=False)

            def do_GET(self) -> None:
                hub._serve(self, body=True)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- answers ------------------------------------------------------------------------------

    def _repo(self, org: str, name: str) -> Path | None:
        for path in self.root.glob("*/*/api.json"):
            repo = path.parent
            if f"{repo.parent.name}/{repo.name}".lower() == f"{org}/{name}".lower():
                return repo
        return None

    def _info(self, repo: Path) -> dict[str, Any]:
        info: dict[str, Any] = json.loads((repo / "api.json").read_text())
        siblings = (
            [{"rfilename": "config.json", "size": (repo / "config.json").stat().st_size}]
            if (repo / "config.json").exists()
            else []
        )
        if (repo / "files.json").exists():
            siblings += json.loads((repo / "files.json").read_text())
        info["siblings"] = siblings
        return info

    def _serve(self, h: BaseHTTPRequestHandler, *, body: bool) -> None:
        parts = urlsplit(h.path)
        path = unquote(parts.path)
        auth = h.headers.get("authorization")
        self.requests.append((h.command, path, auth))
        segments = [s for s in path.split("/") if s]
        if segments[:2] == ["api", "models"] and len(segments) == 2:
            self._search(h, parse_qs(parts.query), body)
            return
        if segments[:2] == ["api", "models"] and len(segments) == 4:
            repo = self._repo(segments[2], segments[3])
            if repo is not None:
                self._json(h, 200, self._info(repo), body)
                return
        if len(segments) == 5 and segments[2:4] == ["resolve", "main"]:
            repo = self._repo(segments[0], segments[1])
            target = repo / segments[4] if repo is not None else None
            if repo is not None and (repo / "GATED").exists() and not (auth or "").startswith("Bearer "):
                self._error(h, 401, "GatedRepo", "Access to this model is restricted", body)
                return
            if target is not None and target.name != "api.json" and target.is_file():
                self._bytes(h, 200, target.read_bytes(), body)
                return
            if repo is not None:
                self._error(h, 404, "EntryNotFound", "Entry not found", body)
                return
        self._error(h, 404, "RepoNotFound", "Repository not found", body)

    def _search(self, h: BaseHTTPRequestHandler, query: dict[str, list[str]], body: bool) -> None:
        words = " ".join(query.get("search", [""])).lower().replace("-", " ").split()
        limit = int(query.get("limit", ["20"])[0])
        found = [
            {"id": r, "modelId": r}
            for r in repositories(self.root)
            if all(w in r.lower().replace("-", " ").replace("/", " ") for w in words)
        ]
        self._json(h, 200, found[:limit], body)

    def _json(self, h: BaseHTTPRequestHandler, status: int, data: Any, body: bool) -> None:
        self._bytes(h, status, json.dumps(data).encode(), body, "application/json")

    def _error(self, h: BaseHTTPRequestHandler, status: int, code: str, message: str, body: bool) -> None:
        payload = json.dumps({"error": message}).encode()
        h.send_response(status)
        h.send_header("X-Error-Code", code)
        h.send_header("X-Error-Message", message)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        if body:
            h.wfile.write(payload)

    def _bytes(self, h: BaseHTTPRequestHandler, status: int, data: bytes, body: bool, kind: str = "") -> None:
        h.send_response(status)
        h.send_header("Content-Type", kind or "application/octet-stream")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        if body:
            h.wfile.write(data)
