"""Classify JSON records over HTTP: a small standard-library WSGI app.

The ruleset is compiled once, when the module is imported, and the one immutable
`Classifier` is shared by every request and every thread.

Run:

- ``python examples/classify_web_service.py`` (or ``--self-test``): start the server
  on 127.0.0.1 on a free port, POST two records, print the answers and stop;
- ``python examples/classify_web_service.py --serve [--port 8000] [--rules FILE]``:
  serve on 127.0.0.1 until Ctrl-C.

The walk-through is ``docs/how-to/embed-the-classifier-in-a-web-service.md``.
"""

# ruff: noqa: E402  # the docs include the app and the server as sections, each with its imports

# --8<-- [start:app]
import json
from collections.abc import Iterable
from enum import Enum
from http import HTTPStatus
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from countypolicing.datasets import default_ruleset
from countypolicing.exceptions import RuleEvaluationError
from countypolicing.rules import Classifier, Decision, compile_ruleset

MAX_BODY = 1_000_000  # bytes; larger requests are refused before they are read
MAX_RECORDS = 10_000  # records in one batch request


class RequestError(ValueError):
    """A request the client must fix, answered with ``status`` and a JSON error."""

    def __init__(
        self,
        message: str,
        status: HTTPStatus = HTTPStatus.BAD_REQUEST,
        allow: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.allow = allow


def _refuse_constant(name: str) -> float:
    raise RequestError(f"invalid JSON: {name} is not a number")


def read_json(environ: WSGIEnvironment) -> dict[str, object]:
    """The request body as a JSON object; NaN and Infinity are refused."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if length < 0:
        raise RequestError("invalid Content-Length")
    if length > MAX_BODY:
        raise RequestError(
            f"request body over {MAX_BODY} bytes", HTTPStatus.REQUEST_ENTITY_TOO_LARGE
        )
    body = environ["wsgi.input"].read(length)
    try:
        data = json.loads(body, parse_constant=_refuse_constant)
    except RequestError:
        raise
    except (
        ValueError,
        RecursionError,
    ) as exc:  # bad JSON or UTF-8, huge numbers, deep nesting
        raise RequestError(f"invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RequestError('the body must be a JSON object: {"record": {...}}')
    return data


def as_json(value: object) -> object:
    """An output as JSON: enum members as their values, tuples as lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [as_json(v) for v in value]
    return value


def answer(decision: Decision, lang: str | None) -> dict[str, object]:
    """One decision as JSON, with its explanation in ``lang`` when asked for."""
    out: dict[str, object] = {
        "output": as_json(decision.output),
        "rule_ids": list(decision.rule_ids),
        "ruleset": {
            "id": decision.ruleset_id,
            "version": decision.ruleset_version,
            "hash": decision.ruleset_hash,
        },
    }
    if decision.score is not None:
        out["score"] = decision.score
    if lang is not None and decision.explanation is not None:
        out["explanation"] = decision.explanation.text(lang)
    return out


def classify_request(classifier: Classifier, data: dict[str, object]) -> object:
    """``{"record": {...}}`` or ``{"records": [...]}``, with ``"explain": "en"|"zh"``."""
    explain = data.get("explain")
    if explain is not None and explain not in {"en", "zh"}:
        raise RequestError('"explain" must be "en" or "zh"')
    lang = None if explain is None else str(explain)
    if "record" in data:
        record = data["record"]
        if not isinstance(record, dict):
            raise RequestError('"record" must be a JSON object')
        return answer(classifier.classify(record, explain=lang is not None), lang)
    records = data.get("records")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise RequestError('send {"record": {...}} or {"records": [{...}, ...]}')
    if len(records) > MAX_RECORDS:
        raise RequestError(f"more than {MAX_RECORDS} records in one request")
    decisions = classifier.classify_many(records, explain=lang is not None)
    return [answer(d, lang) for d in decisions]


def make_app(classifier: Classifier) -> WSGIApplication:
    """A WSGI app: ``GET /`` describes the ruleset, ``POST /classify`` classifies."""
    ruleset = classifier.ruleset
    about = {
        "ruleset": {
            "id": ruleset.id,
            "version": ruleset.version,
            "hash": ruleset.content_hash,
        },
        "fields": list(classifier.fields),
    }

    def route(method: str, path: str, environ: WSGIEnvironment) -> object:
        if path == "/" and method in {"GET", "HEAD"}:
            return about
        if path == "/classify" and method == "POST":
            return classify_request(classifier, read_json(environ))
        if path in {"/", "/classify"}:
            allow = "GET, HEAD" if path == "/" else "POST"
            raise RequestError(f"use {allow}", HTTPStatus.METHOD_NOT_ALLOWED, allow)
        raise RequestError(f"no such path: {path}", HTTPStatus.NOT_FOUND)

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO") or "/"
        status, headers = HTTPStatus.OK, [("Content-Type", "application/json")]
        try:
            result = route(method, path, environ)
        except RuleEvaluationError as exc:  # the record's fault, not the server's
            status = HTTPStatus.BAD_REQUEST
            result = {
                "error": str(exc),
                "type": type(exc).__name__,
                "rule_id": exc.rule_id,
                "field": exc.field,
                "record_index": exc.record_index,
            }
        except RequestError as exc:
            status = exc.status
            result = {"error": str(exc), "type": "RequestError"}
            if exc.allow is not None:
                headers.append(("Allow", exc.allow))
        body = json.dumps(result, ensure_ascii=False).encode("utf-8")
        headers.append(("Content-Length", str(len(body))))
        start_response(f"{status.value} {status.phrase}", headers)
        return [b"" if method == "HEAD" else body]

    return app


# Compiled once, at start-up; every request and every thread shares it.
CLASSIFIER = compile_ruleset(default_ruleset("community-classification"))
application = make_app(CLASSIFIER)
# --8<-- [end:app]

# --8<-- [start:serve]
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

HOST = "127.0.0.1"  # this example never listens on any other address


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per request (the stdlib one is single-threaded)."""

    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    """Leave the request log out of the example's output."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002  # stdlib name
        pass


def serve(app: WSGIApplication, port: int) -> ThreadingWSGIServer:
    """A threaded server for ``app`` on 127.0.0.1 (port 0: any free port)."""
    return make_server(
        HOST,
        port,
        app,
        server_class=ThreadingWSGIServer,
        handler_class=QuietHandler,
    )


# --8<-- [end:serve]

import argparse
import contextlib
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

from countypolicing.serialization import load_ruleset


def post(url: str, data: dict[str, object]) -> tuple[int, object]:
    """POST ``data`` as JSON without any proxy; the status and the decoded answer."""
    request = urllib.request.Request(  # noqa: S310  # an http:// URL built above
        url,
        data=json.dumps(data).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.load(exc)


#: Two community records (fields of the built-in ``community`` subject).
EXAMPLES: list[dict[str, object]] = [
    {"record": {"major_risks": 1}, "explain": "zh"},
    {
        "record": {
            "major_risks": 0,
            "significant_risks": 0,
            "prior_incidents": 1,
            "disputes_open": 0,
            "calls_per_1000": 4.0,
            "open_hazards": 0,
            "rental_units": 10,
            "population": 2000,
            "general_risks": 1,
        }
    },
]
EXPECTED = ["class_1", "class_3"]


def self_test() -> int:
    """Serve on a free port of 127.0.0.1 in a thread, POST the examples, stop."""
    server = serve(application, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://{HOST}:{server.server_port}/classify"
    failed = 0
    try:
        for data, expected in zip(EXAMPLES, EXPECTED, strict=True):
            status, result = post(url, data)
            print(f"POST /classify {json.dumps(data, ensure_ascii=False)}")
            print(f"  -> {status} {json.dumps(result, ensure_ascii=False, indent=2)}")
            ok = isinstance(result, dict) and result.get("output") == expected
            if status != HTTPStatus.OK or not ok:
                failed += 1
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    print(
        "self-test passed"
        if not failed
        else f"self-test: {failed} unexpected answer(s)"
    )
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--self-test",
        action="store_true",
        help="the default: serve, POST two records, stop",
    )
    mode.add_argument("--serve", action="store_true", help="serve until Ctrl-C")
    parser.add_argument("--port", type=int, default=8000, help="port for --serve")
    parser.add_argument(
        "--rules", type=Path, help="a rule file (default: the shipped one)"
    )
    args = parser.parse_args(argv)
    if not args.serve:
        return self_test()
    app = (
        application
        if args.rules is None
        else make_app(compile_ruleset(load_ruleset(args.rules)))
    )
    with serve(app, args.port) as server:
        print(f"serving on http://{HOST}:{server.server_port}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
