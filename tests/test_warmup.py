"""The dashboard server's warm-up: once per process, only when `sandbox dashboard` asks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sandbox import warmup
from sandbox.servers import dashboard_env

APP = Path(__file__).resolve().parent.parent / "app.py"

WARM_UP = """
import json
from sandbox import lab_session, warmup
assert lab_session.existing() is None
first, second = warmup.start_once(delay=0), warmup.start_once(delay=0)
assert warmup.wait(600)
print(json.dumps({"started": [first, second], "done": [name for name, _ in warmup.done],
                  "sql": lab_session.existing() is not None}))
"""


@pytest.mark.usefixtures("fixture_content")
def test_warm_up_runs_once_and_readies_the_labs() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WARM_UP], capture_output=True, text=True, timeout=600, check=True
    )
    result = json.loads(done.stdout)
    assert result["started"] == [True, False]
    assert result["sql"], "the SQL Lab's session is built"
    assert {"import mlflow", "import shap", "SQL Lab session"} <= set(result["done"])


@pytest.mark.usefixtures("fixture_content")
def test_pages_run_without_it_unless_the_dashboard_asks(home: Path) -> None:
    assert warmup.WARMUP_ENV not in os.environ and not warmup.wanted()
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert not warmup.wait(0), "no warm-up thread in a test (or a plain `streamlit run`)"
    assert dashboard_env(home, "t" * 43, ["127.0.0.1"])[warmup.WARMUP_ENV] == "1"
