"""Admin password hashing, constant-time check and the delay after failures."""

from __future__ import annotations

import pytest

from components import auth


@pytest.fixture(scope="module")
def stored() -> str:
    return auth.hash_password("correct horse")


def test_hash_format_is_shell_safe(stored):
    parts = stored.split(":")
    assert parts[0] == "scrypt" and len(parts) == 6
    assert not set(stored) & set("$`'\" \\")


def test_right_password_matches(stored):
    assert auth.verify_password("correct horse", stored)


@pytest.mark.parametrize("pw", ["", "correct horse ", "Correct horse", "correct", "correct horse" * 10])
def test_wrong_password_fails(stored, pw):
    assert not auth.verify_password(pw, stored)


def test_same_password_new_salt_each_time(stored):
    other = auth.hash_password("correct horse")
    assert other != stored and auth.verify_password("correct horse", other)


@pytest.mark.parametrize("bad", ["", "plain", "scrypt:1:2:3", "pbkdf2:1:2:3:a:b", "scrypt:x:8:1:AAAA:BBBB",
                                 "scrypt:16384:8:1:!!:??"])
def test_malformed_hash_never_matches(bad):
    assert not auth.verify_password("anything", bad)


def test_compare_is_constant_time(monkeypatch, stored):
    calls = []
    real = auth.hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    auth.verify_password("nope", stored)
    assert calls == [1]


def test_failures_wait_longer_and_success_resets(monkeypatch):
    monkeypatch.setenv(auth.DELAY_ENV, "1")
    slept: list[float] = []
    t = auth.Throttle(sleep=slept.append)
    for _ in range(4):
        t.failed()
    assert slept == [1, 2, 4, 8]
    for _ in range(10):
        t.failed()
    assert slept[-1] == auth.MAX_DELAY_S
    t.succeeded()
    t.failed()
    assert slept[-1] == 1


def test_one_clients_failures_never_slow_another(monkeypatch):
    monkeypatch.setenv(auth.DELAY_ENV, "1")
    slept: list[float] = []
    t = auth.Throttle(sleep=slept.append)
    for _ in range(6):
        t.failed("ip:203.0.113.9")  # an attacker
    assert slept[-1] == auth.MAX_DELAY_S
    t.failed("ip:198.51.100.7")  # the administrator mistypes once
    assert slept[-1] == 1
    t.succeeded("ip:198.51.100.7")
    t.failed("ip:203.0.113.9")
    assert slept[-1] == auth.MAX_DELAY_S


def test_hash_from_environment(monkeypatch, stored):
    monkeypatch.setenv(auth.HASH_ENV, stored)
    assert auth.password_hash() == stored


def test_no_oidc_without_auth_secrets():
    assert not auth.oidc_configured()


def test_admin_emails_from_environment(monkeypatch):
    monkeypatch.setenv(auth.EMAILS_ENV, " A@x.cn, b@y.cn ,")
    assert auth.admin_emails() == {"a@x.cn", "b@y.cn"}


def test_cli_prints_a_hash_that_verifies():
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = subprocess.run([sys.executable, "-m", "components.auth"], input="s3cret\n", capture_output=True,
                         text=True, cwd=ROOT, timeout=60).stdout.strip()
    assert auth.verify_password("s3cret", out) and not auth.verify_password("s3cret2", out)


class _User(dict):
    is_logged_in = True


def test_oidc_admin_only_for_listed_emails(monkeypatch):
    secrets = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "client_id": "x"},
               "admin_emails": ["boss@gov.cn"]}
    monkeypatch.setattr(auth, "_secret", secrets.get)
    assert auth.oidc_configured()
    monkeypatch.setattr(auth.st, "user", _User(email="Boss@gov.cn"))
    assert auth._oidc_admin()
    monkeypatch.setattr(auth.st, "user", _User(email="someone@gov.cn"))
    assert not auth._oidc_admin()
