"""Start the dashboard (`python -m components.serve [streamlit run options]`, what run.sh does)
with the server's own path kept from viewers: Streamlit sends the full path of app.py to every
browser in the session-start message; only its file name goes out."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


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
