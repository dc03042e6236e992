"""What a viewer's browser is never sent: tracebacks (client.showErrorDetails) and the server's
path to app.py (Streamlit's session-start message)."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_error_details_are_off():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["client"]["showErrorDetails"] in ("none", False)


def test_session_start_message_carries_no_server_path(monkeypatch):
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.app_session import AppSession

    from components import serve

    def stock(self, *args, **kwargs):  # what Streamlit builds: the full path
        msg = ForwardMsg()
        msg.new_session.main_script_path = str(ROOT / "app.py")
        return msg

    monkeypatch.setattr(AppSession, "_create_new_session_message", stock)
    serve.harden()
    msg = AppSession._create_new_session_message(None, "hash", None)
    assert msg.new_session.main_script_path == "app.py"
    assert str(ROOT) not in str(msg)


def test_run_script_starts_the_hardened_server():
    assert "python -m components.serve" in (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")
