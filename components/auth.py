"""Administrator access (the import page).

Password: the scrypt hash of the admin password, from env ZSYZ_ADMIN_PASSWORD_HASH or
st.secrets["admin_password_hash"]; print one with `python -m components.auth`. Checked with
hmac.compare_digest; every failed attempt waits (1 s, doubling per consecutive failure, at
most 30 s; base from env ZSYZ_AUTH_DELAY_S).
OIDC: only when st.secrets holds an [auth] section (st.login); a logged-in user whose e-mail
is in ZSYZ_ADMIN_EMAILS or st.secrets["admin_emails"] is an administrator.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time

import streamlit as st

HASH_ENV = "ZSYZ_ADMIN_PASSWORD_HASH"
EMAILS_ENV = "ZSYZ_ADMIN_EMAILS"
DELAY_ENV = "ZSYZ_AUTH_DELAY_S"
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MAX_DELAY_S = 30.0
_SS_ADMIN = "_zsyz_admin"
REFUSED = "无权访问：「导入文档」仅限管理员使用。"
REFUSED_PAGE = "无权访问：「{}」仅限管理员使用。"

# --------------------------------------------------------------------------- hashing (pure)


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode("ascii").rstrip("=")


def _unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def hash_password(password: str, salt: bytes | None = None) -> str:
    """'scrypt:n:r:p:salt:hash' (URL-safe base64; no characters a shell would expand)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    dk = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **SCRYPT)
    return f"scrypt:{SCRYPT['n']}:{SCRYPT['r']}:{SCRYPT['p']}:{_b64(salt)}:{_b64(dk)}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches `stored`; a malformed hash never matches."""
    try:
        algo, n, r, p, salt, dk = (stored or "").strip().split(":")
        if algo != "scrypt":
            return False
        want = _unb64(dk)
        got = hashlib.scrypt(str(password).encode("utf-8"), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(want), maxmem=2**27)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


class Throttle:
    """Delay after failed attempts, shared by all sessions of the server process."""

    def __init__(self, sleep=time.sleep):
        self._lock = threading.Lock()
        self.failures = 0
        self._sleep = sleep

    def delay(self) -> float:
        try:
            base = float(os.environ.get(DELAY_ENV, "1"))
        except ValueError:
            base = 1.0
        return min(max(base, 0.0) * 2 ** max(self.failures - 1, 0), MAX_DELAY_S)

    def failed(self) -> None:
        with self._lock:
            self.failures += 1
            d = self.delay()
        self._sleep(d)

    def succeeded(self) -> None:
        with self._lock:
            self.failures = 0


THROTTLE = Throttle()

# --------------------------------------------------------------------------- configuration


def _secret(key: str):
    try:
        return st.secrets.get(key)
    except Exception:  # no secrets.toml
        return None


def password_hash() -> str | None:
    return os.environ.get(HASH_ENV) or _secret("admin_password_hash") or None


def oidc_configured() -> bool:
    auth = _secret("auth")
    return bool(auth) and hasattr(auth, "get") and bool(auth.get("redirect_uri"))


def admin_emails() -> set[str]:
    raw = os.environ.get(EMAILS_ENV) or _secret("admin_emails") or ""
    items = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
    return {str(e).strip().lower() for e in items if str(e).strip()}


def _oidc_admin() -> bool:
    if not oidc_configured():
        return False
    try:
        user = st.user
        return bool(user.is_logged_in) and str(user.get("email", "")).lower() in admin_emails()
    except Exception:
        return False


def is_admin() -> bool:
    return st.session_state.get(_SS_ADMIN) is True or _oidc_admin()


# --------------------------------------------------------------------------- widgets


def login(password: str) -> bool:
    """Check a password; on success this session is an administrator."""
    h = password_hash()
    if h and password and verify_password(password, h):
        THROTTLE.succeeded()
        st.session_state[_SS_ADMIN] = True
        return True
    THROTTLE.failed()
    return False


def login_form() -> None:
    has_password, has_oidc = bool(password_hash()), oidc_configured()
    if not (has_password or has_oidc):
        st.caption("尚未配置管理员：请按 README 设置环境变量 ZSYZ_ADMIN_PASSWORD_HASH。")
        return
    if has_password:
        with st.form("admin_login", clear_on_submit=True):
            pw = st.text_input("管理员密码", type="password", key="admin_pw")
            if st.form_submit_button("登录"):
                if login(pw):
                    st.rerun()
                st.error("密码错误。")
    if has_oidc and st.button("单点登录（OIDC）", key="admin_oidc"):
        st.login()


def logout_button() -> None:
    if st.sidebar.button("退出管理员登录", key="admin_logout"):
        st.session_state.pop(_SS_ADMIN, None)
        if _oidc_admin():
            st.logout()
        st.rerun()


def admin_email() -> str | None:
    """The e-mail of an administrator logged in through OIDC (None with the password login)."""
    if not _oidc_admin():
        return None
    return str(st.user.get("email", "")) or None


def require_admin(title: str = "导入文档") -> None:
    """Stop the page with a refusal (and the login form) unless this session is an administrator."""
    if is_admin():
        return
    st.title(title)
    st.error(REFUSED_PAGE.format(title), icon=":material/lock:")
    login_form()
    st.stop()


def _main() -> None:  # python -m components.auth
    import getpass
    import sys

    pw = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("管理员密码: ")
    if not pw:
        sys.exit("empty password")
    print(hash_password(pw))


if __name__ == "__main__":
    _main()
