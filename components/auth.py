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
    """Delay after failed attempts, counted per client (its address, else its session), so that
    one client's failures never slow another's login."""

    MAX_CLIENTS = 10_000  # forget the oldest clients beyond this

    def __init__(self, sleep=time.sleep):
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._sleep = sleep

    def delay(self, client: str = "") -> float:
        try:
            base = float(os.environ.get(DELAY_ENV, "1"))
        except ValueError:
            base = 1.0
        return min(max(base, 0.0) * 2 ** max(self._failures.get(client, 0) - 1, 0), MAX_DELAY_S)

    def failed(self, client: str = "") -> None:
        with self._lock:
            self._failures[client] = self._failures.pop(client, 0) + 1
            while len(self._failures) > self.MAX_CLIENTS:
                self._failures.pop(next(iter(self._failures)))
            d = self.delay(client)
        self._sleep(d)

    def succeeded(self, client: str = "") -> None:
        with self._lock:
            self._failures.pop(client, None)


def client_id() -> str:
    """The client's address as Streamlit sees it, else this browser session."""
    try:
        ip = st.context.ip_address
    except Exception:
        ip = None
    if ip:
        return f"ip:{ip}"
    return "session:" + str(st.session_state.setdefault("_zsyz_client", os.urandom(8).hex()))


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
    client = client_id()
    if h and password and verify_password(password, h):
        THROTTLE.succeeded(client)
        st.session_state[_SS_ADMIN] = True
        return True
    THROTTLE.failed(client)
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
