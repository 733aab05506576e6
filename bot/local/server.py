"""The local server: the JSON API (and later the local workspace page) on 127.0.0.1."""

from __future__ import annotations

import json

from flask import Flask, request

from bot.api import handle_api

EXAMPLE = {"definition": "[Candidates] > Screens @ 5\nScreens > Hires @ 0.5", "rounds": 5}


def create_app() -> Flask:
    app = Flask("sysbot-local")
    app.add_url_rule(
        "/api/run",
        "api",
        lambda: handle_api(request),
        methods=["POST", "OPTIONS", "GET", "PUT", "DELETE"],
    )
    return app


def serve(host: str, port: int) -> None:
    print(f"sysbot is running at http://{host}:{port}/\nTry the JSON API:\n")
    print(
        f"  curl -s http://{host}:{port}/api/run -H 'content-type: application/json' \\\n"
        f"       -d '{json.dumps(EXAMPLE)}'\n",
        flush=True,
    )
    create_app().run(host=host, port=port, threaded=True)
