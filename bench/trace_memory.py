"""What a warm instance keeps per request: `python bench/trace_memory.py [-n N]`.

Serves mixed requests (as bench/profile_request.py does: main.py through functions-framework's
Flask app, a stand-in over TLS) in one process: a warm-up, then N more between two tracemalloc
snapshots. Prints the allocations still held after the N requests, grouped by where they were
made (the stand-in's own are left out), largest first, and the growth per request. A leak shows
as a line growing with N; a bounded cache as one that stops at its bound."""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[0] = str(REPO)

from bench.profile_request import KINDS, TestClientSender, scenes  # noqa: E402
from bench.servers import adopt_server_environment  # noqa: E402
from bench.workload import new_standin, slack_settings  # noqa: E402

MIX = [kind for kind in KINDS if kind != "edit_button"]  # a view can't be opened twice
STANDIN_RESET_EVERY = 200  # keeps the stand-in's channel, and its memory, small


def serve(setups: dict, standin, count: int) -> None:
    for index in range(count):
        setups[MIX[index % len(MIX)]]()()
        if index % STANDIN_RESET_EVERY == 0:
            standin.reset()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=3000)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    with new_standin() as standin:
        adopt_server_environment({**slack_settings(standin), "SYSBOT_SLACK_DEADLINE_SECONDS": "30"})
        import functions_framework

        slack = functions_framework.create_app("slack_events", str(REPO / "main.py"))
        api = functions_framework.create_app("run_model", str(REPO / "main.py"))
        sender = TestClientSender(standin, slack.test_client())
        setups = {kind: scenes(kind, sender, api.test_client()) for kind in MIX}
        serve(setups, standin, 300)  # warm-up
        standin.reset()
        gc.collect()
        tracemalloc.start(12)
        before = tracemalloc.take_snapshot()
        serve(setups, standin, args.n)
        standin.reset()
        gc.collect()
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
    ignore = [tracemalloc.Filter(False, "*/slack_standin/*", all_frames=True)]
    ignore.append(tracemalloc.Filter(False, tracemalloc.__file__))
    growth = after.filter_traces(ignore).compare_to(before.filter_traces(ignore), "traceback")
    total = sum(stat.size_diff for stat in growth)
    print(f"{args.n} requests: {total / 1024:.1f} KiB more held ({total / args.n:.0f} B each)")
    for stat in growth[: args.top]:
        if stat.size_diff <= 0:
            continue
        print(f"\n{stat.size_diff / 1024:8.1f} KiB in {stat.count_diff:+d} blocks, made at:")
        for line in stat.traceback.format(limit=6, most_recent_first=True):
            print("   ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
