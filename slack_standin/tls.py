"""TLS for the stand-in: a self-signed certificate for 127.0.0.1, and the CA bundle that makes a
client trust it through ``SSL_CERT_FILE`` as it trusts Slack's certificate.

The certificate is made by the ``openssl`` command-line tool (Debian's ``openssl`` package), so
the stand-in needs no Python package for it.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
DAYS = 2  # long enough for any run, short enough to be plainly throwaway
OPENSSL_SECONDS = 30


@dataclass(frozen=True)
class Certificate:
    """A PEM certificate and its private key."""

    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def self_signed(directory: Path) -> Certificate:
    """A new self-signed certificate for 127.0.0.1 (P-256, as cheap to serve as it gets)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the stand-in's TLS needs the openssl command (apt-get install openssl)")
    directory.mkdir(parents=True, exist_ok=True)
    certificate = Certificate(directory / "standin-cert.pem", directory / "standin-key.pem")
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            str(DAYS),
            "-subj",
            f"/CN={HOST}",
            "-addext",
            f"subjectAltName=IP:{HOST}",
            "-keyout",
            str(certificate.key_file),
            "-out",
            str(certificate.cert_file),
        ],
        check=True,
        capture_output=True,
        timeout=OPENSSL_SECONDS,
    )
    return certificate


def trust_bundle(certificate: Certificate, path: Path) -> Path:
    """Write the system's CA bundle followed by `certificate` to `path`, for SSL_CERT_FILE.

    The system's certificates stay in, so a client that loads the bundle for every call pays what
    it pays in production, where the bundle has some 140 certificates."""
    system = _system_bundle()
    trusted = system.read_bytes() if system is not None else b""
    path.write_bytes(trusted + b"\n" + certificate.cert_file.read_bytes())
    return path


def _system_bundle() -> Path | None:
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None
