"""How the stand-in is reached: kept-alive connections, TLS with a self-signed certificate, the
round trips a far-away Slack costs, and the counts of requests and connections."""

from __future__ import annotations

import http.client
import json
import shutil
import ssl
import time
from collections.abc import Iterator
from http.client import RemoteDisconnected
from pathlib import Path

import pytest
from slack_sdk import WebClient

from slack_standin import Certificate, Latency, SlackStandIn, Traffic
from slack_standin.tls import self_signed, trust_bundle, trust_directory

TOKEN = "xoxb-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    if shutil.which("openssl") is None:
        pytest.skip("making the stand-in's certificate needs the openssl command")
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_standin(certificate: Certificate) -> Iterator[SlackStandIn]:
    with SlackStandIn(bot_token=TOKEN, certificate=certificate) as standin:
        standin.add_channel("C1", name="general")
        yield standin


def connect(standin: SlackStandIn, context: ssl.SSLContext | None) -> http.client.HTTPConnection:
    host, port = standin.base_url.split("://")[1].split(":")
    if context is None:
        return http.client.HTTPConnection(host, int(port), timeout=10)
    return http.client.HTTPSConnection(host, int(port), timeout=10, context=context)


def auth_test(connection: http.client.HTTPConnection) -> dict:
    connection.request("POST", "/api/auth.test", body=b"", headers=AUTH)
    return json.loads(connection.getresponse().read())


def test_calls_share_one_kept_alive_connection(standin: SlackStandIn) -> None:
    before = standin.traffic()
    connection = connect(standin, None)
    assert all(auth_test(connection)["ok"] for _ in range(3))
    after = standin.traffic()
    assert (after.requests - before.requests, after.connections - before.connections) == (3, 1)


def test_https_with_the_self_signed_certificate(
    tls_standin: SlackStandIn, certificate: Certificate
) -> None:
    assert tls_standin.api_url.startswith("https://127.0.0.1:")
    trusting = ssl.create_default_context(cafile=str(certificate.cert_file))
    client = WebClient(token=TOKEN, base_url=tls_standin.api_url, ssl=trusting)
    assert client.chat_postMessage(channel="C1", text="over TLS")["ok"]
    assert [m["text"] for m in tls_standin.messages("C1")] == ["over TLS"]


def test_a_client_that_does_not_trust_the_certificate_is_refused(
    tls_standin: SlackStandIn,
) -> None:
    system_trust_only = ssl.create_default_context()
    with pytest.raises(ssl.SSLCertVerificationError):
        auth_test(connect(tls_standin, system_trust_only))
    assert tls_standin.traffic().requests == 0


def test_trust_bundle_holds_the_system_certificates_and_ours(
    certificate: Certificate, tmp_path: Path
) -> None:
    bundle = trust_bundle(certificate, tmp_path / "bundle.pem").read_text()
    assert bundle.rstrip().endswith(certificate.cert_file.read_text().rstrip())
    assert bundle.count("BEGIN CERTIFICATE") > 1
    context = ssl.create_default_context(cafile=str(tmp_path / "bundle.pem"))
    assert context.cert_store_stats()["x509_ca"] > 1


def test_trust_directory_holds_ours_hashed_and_names_the_systems_after_it(
    certificate: Certificate, tls_standin: SlackStandIn, tmp_path: Path
) -> None:
    setting = trust_directory(certificate, tmp_path / "trusted")
    [hashed] = (tmp_path / "trusted").iterdir()
    assert hashed.read_bytes() == certificate.cert_file.read_bytes()
    assert setting.split(":")[0] == str(tmp_path / "trusted")
    context = ssl.create_default_context(capath=setting)
    assert auth_test(connect(tls_standin, context))["ok"]


def test_latency_costs_a_round_trip_per_request_and_the_handshakes_per_connection(
    standin: SlackStandIn,
) -> None:
    # Only lower bounds: a sleep never ends early, however fast or slow the machine is.
    standin.set_latency(Latency.round_trips(0.05))
    try:
        connection = connect(standin, None)
        started = time.monotonic()
        auth_test(connection)
        first = time.monotonic() - started
        started = time.monotonic()
        auth_test(connection)
        second = time.monotonic() - started
    finally:
        standin.set_latency(Latency())
    assert first >= 0.15  # two handshake round trips, then the request's
    assert second >= 0.05


def test_round_trips_are_one_per_request_and_two_per_connection() -> None:
    assert Latency.round_trips(0.04) == Latency(request=0.04, connection=0.08)


def test_closing_connections_is_what_a_client_sees_as_an_idle_timeout(
    standin: SlackStandIn,
) -> None:
    connection = connect(standin, None)
    auth_test(connection)
    standin.close_connections()
    with pytest.raises((RemoteDisconnected, ConnectionError)):
        auth_test(connection)
    assert auth_test(connect(standin, None))["ok"]


def test_traffic_counts_survive_a_reset(standin: SlackStandIn) -> None:
    auth_test(connect(standin, None))
    standin.reset()
    assert standin.traffic() == Traffic(requests=1, connections=1)


def test_a_stopped_standin_serves_no_kept_alive_connection() -> None:
    standin = SlackStandIn(bot_token=TOKEN).start()
    connection = connect(standin, None)
    auth_test(connection)
    standin.stop()
    with pytest.raises((RemoteDisconnected, ConnectionError)):
        auth_test(connection)
