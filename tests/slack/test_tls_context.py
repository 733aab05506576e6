"""The process's one TLS context trusts what OpenSSL trusts by default, without parsing the
whole CA bundle where a hashed CA directory holds the same certificates: it then reads only the
certificate that signed the server's, while verifying."""

from __future__ import annotations

import shutil
import ssl
from pathlib import Path

import pytest

from bot.slack.web_transport import Transport, tls_context
from slack_standin import SlackStandIn
from slack_standin.tls import self_signed, trust_bundle, trust_directory


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory):
    if shutil.which("openssl") is None:
        pytest.skip("making the stand-in's certificate needs the openssl command")
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def no_trust_settings(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    defaults = ssl.get_default_verify_paths()
    monkeypatch.delenv(defaults.openssl_cafile_env, raising=False)
    monkeypatch.delenv(defaults.openssl_capath_env, raising=False)
    return monkeypatch


def auth_test(standin: SlackStandIn, context: ssl.SSLContext) -> int:
    transport = Transport(context)
    try:
        headers = {"Authorization": f"Bearer {standin.bot_token}"}
        return transport.post(
            standin.api_url + "auth.test", b"", headers, 10, replayable=True
        ).status
    finally:
        transport.close()


def test_a_hashed_directory_is_looked_up_not_loaded(certificate, no_trust_settings, tmp_path):
    no_trust_settings.setenv("SSL_CERT_DIR", trust_directory(certificate, tmp_path / "trusted"))
    context = tls_context()

    assert context.cert_store_stats()["x509_ca"] == 0  # nothing parsed yet
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    with SlackStandIn(certificate=certificate) as standin:
        assert auth_test(standin, context) == 200


def test_without_a_hashed_directory_the_bundle_is_loaded(no_trust_settings, tmp_path: Path):
    if not Path(ssl.get_default_verify_paths().openssl_cafile).is_file():
        pytest.skip("no system CA bundle to load")
    no_trust_settings.setenv("SSL_CERT_DIR", str(tmp_path))  # empty: nothing hashed

    assert tls_context().cert_store_stats()["x509_ca"] > 1


def test_ssl_cert_file_is_loaded_as_it_names(certificate, no_trust_settings, tmp_path: Path):
    bundle = trust_bundle(certificate, tmp_path / "bundle.pem")
    no_trust_settings.setenv("SSL_CERT_FILE", str(bundle))
    context = tls_context()

    assert context.cert_store_stats()["x509_ca"] >= 1
    with SlackStandIn(certificate=certificate) as standin:
        assert auth_test(standin, context) == 200


def test_the_stand_in_is_not_trusted_through_the_systems_directory_alone(
    certificate, no_trust_settings
):
    with SlackStandIn(certificate=certificate) as standin, pytest.raises(Exception) as refused:
        auth_test(standin, tls_context())
    assert "CERTIFICATE_VERIFY_FAILED" in str(refused.value)
