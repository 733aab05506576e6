"""bench/soak.py at CI size: 200 mixed requests from 8 clients, once on two instances without
faults and once with Slack failing 10% of its calls; every invariant the soak checks holds.

The full runs (5,000 requests from 20 clients) are in bench/README.md and stay outside CI."""

from __future__ import annotations

import pytest

from bench.soak import SoakConfig, report, run_soak

REQUESTS, CLIENTS = 200, 8


@pytest.mark.parametrize(
    ("faults", "two_servers"), [(0.0, True), (0.1, False)], ids=["two_servers", "faults"]
)
def test_a_small_soak_keeps_every_invariant(tmp_path, faults, two_servers):
    config = SoakConfig(REQUESTS, CLIENTS, faults, seed=7, two_servers=two_servers)
    config.max_seconds, config.log_dir = 120.0, tmp_path

    result = run_soak(config)

    assert result.ok, report(result)
    assert len(result.records) == REQUESTS
    assert sum(result.verdict.outcomes.values()) == REQUESTS
    if not faults:  # nothing to apologise for; "retried" only if an answer took over 3 s
        assert {outcome for _, outcome in result.verdict.outcomes} <= {"ok", "retried"}
