"""Run inside a fresh interpreter by bench/imports.py: import main, serve the requests read from
stdin through Flask's test client (functions_framework.create_app), then write the statuses and
every module in sys.modules as JSON to the file named by argv[1]. The bot logs to stdout, so the
answer goes to a file."""

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[0] = str(REPO)


def serve(requests: list[dict]) -> list[int]:
    import functions_framework

    clients = {}
    statuses = []
    for request in requests:
        target = request["target"]
        if target not in clients:
            app = functions_framework.create_app(target, str(REPO / "main.py"))
            clients[target] = app.test_client()
        response = clients[target].post("/", data=request["body"], headers=request["headers"])
        statuses.append(response.status_code)
    return statuses


def probe() -> None:
    import main  # noqa: F401  (what functions-framework imports first)

    statuses = serve(json.load(sys.stdin))
    answer = {"statuses": statuses, "modules": sorted(sys.modules)}
    Path(sys.argv[1]).write_text(json.dumps(answer))


if __name__ == "__main__":
    probe()
