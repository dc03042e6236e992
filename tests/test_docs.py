"""The README cannot drift from the code: vocabulary tables and the commands it promises."""

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_vocabulary_tables_generated_from_rules():
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "vocab_docs.py")], capture_output=True, text=True, check=True).stdout
    assert out.strip() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_has_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", readme, re.S).group(1)
    commands = [ln.split("#")[0].strip() for ln in block.splitlines() if ln.strip()]
    assert commands == ["bash scripts/run.sh", "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_cli_subcommands_in_readme_exist():
    from etl.__main__ import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for cmd in set(re.findall(r"python -m etl (\w+)", readme)):
        try:
            main([cmd, "--help"])
        except SystemExit as e:
            assert e.code == 0, cmd
