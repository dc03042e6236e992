"""Start the dashboard (`python -m components.serve [streamlit run options]`, what run.sh does):
the server entry `serve.py` (app.py, with caches warmed when the server starts and when a new
version appears), with the server's own path kept from viewers: Streamlit sends the full path of
the script to every browser in the session-start message; only its file name goes out."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "serve.py"


def harden() -> None:
    """Strip the directory from main_script_path in Streamlit's session-start message."""
    from streamlit.runtime.app_session import AppSession

    make = AppSession._create_new_session_message
    if getattr(make, "_zsyz_hardened", False):
        return

    def new_session_message(self, *args, **kwargs):
        msg = make(self, *args, **kwargs)
        msg.new_session.main_script_path = os.path.basename(msg.new_session.main_script_path)
        return msg

    new_session_message._zsyz_hardened = True
    AppSession._create_new_session_message = new_session_message


def main(argv: list[str] | None = None) -> int:
    harden()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
