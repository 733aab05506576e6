"""TLS for the stand-in: a self-signed certificate for 127.0.0.1, and the CA bundle or the hashed
CA directory that makes a client trust it through ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` as it
trusts Slack's certificate.

The certificate is made by the ``openssl`` command-line tool (Debian's ``openssl`` package), so
the stand-in needs no Python package for it.
"""

from __future__ import annotations

import os
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
    openssl = _openssl()
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


def trust_directory(certificate: Certificate, directory: Path) -> str:
    """Make `directory` a hashed CA directory holding just `certificate`; answers the value for
    SSL_CERT_DIR (see `cert_dir_setting`)."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.iterdir():
        old.unlink()
    done = subprocess.run(
        [_openssl(), "x509", "-hash", "-noout", "-in", str(certificate.cert_file)],
        check=True,
        capture_output=True,
        text=True,
        timeout=OPENSSL_SECONDS,
    )
    shutil.copyfile(certificate.cert_file, directory / f"{done.stdout.strip()}.0")
    return cert_dir_setting(directory)


def cert_dir_setting(directory: Path) -> str:
    """SSL_CERT_DIR naming `directory` before the system's hashed CA directory: a client that
    looks certificates up there trusts the stand-in as it trusts Slack, and one that loads the
    system's bundle (every default client does, SSL_CERT_DIR or not) pays for that as it does
    in production."""
    system = ssl.get_default_verify_paths().openssl_capath
    return os.pathsep.join([str(directory), system] if system else [str(directory)])


def _openssl() -> str:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the stand-in's TLS needs the openssl command (apt-get install openssl)")
    return openssl


def _system_bundle() -> Path | None:
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None
