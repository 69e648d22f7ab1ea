"""scripts/_env.sh says what it does while it installs (issue 13: the first build.sh was silent for 70 s).

Run on a copy of the script with a stand-in Python whose `-m venv` makes a stand-in pip, so the
test installs nothing and never touches the project's own .venv.
"""

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FAKE_PIP = """#!/usr/bin/env bash
# the stand-in .venv/bin/python: `-m pip install ...` prints what pip prints, slowly enough to matter
if [ "$4" = "-e" ]; then
  for p in alpha beta gamma; do echo "Collecting $p"; echo "  Using cached $p-1.0-py3-none-any.whl"; done
  [ -n "${FAIL_PIP:-}" ] && { echo "ERROR: No matching distribution found for gamma"; exit 1; }
  echo "Installing collected packages: alpha, beta, gamma"
  echo "Successfully installed alpha-1.0 beta-1.0 gamma-1.0"
else
  echo "Requirement already satisfied: pip"
fi
"""

FAKE_PYTHON = f"""#!/usr/bin/env bash
# the stand-in system Python: `-m venv .venv` makes .venv/bin/python the stand-in pip above
mkdir -p "$3/bin"
cat >"$3/bin/python" <<'PIP'
{FAKE_PIP}PIP
chmod +x "$3/bin/python"
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "_env.sh", tmp_path / "scripts" / "_env.sh")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    python = tmp_path / "fake-python"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    return tmp_path


def source_env(project: Path, **env) -> subprocess.CompletedProcess:
    script = textwrap.dedent(f"""
        source {project / 'scripts' / '_env.sh'}
        echo "sourced"
    """)
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHON": str(project / "fake-python"), **env})


def test_first_install_says_what_it_is_doing(project):
    result = source_env(project)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("setup: creating .venv")
    assert any(line.startswith("setup: installing minsheng-kg") for line in lines)
    assert [line.strip() for line in lines if "Collecting" in line] == [
        "[1] Collecting alpha", "[2] Collecting beta", "[3] Collecting gamma"]
    assert "  done: 3 installed or updated" in lines and lines[-1] == "setup: .venv ready"
    assert "Using cached" in (project / ".venv" / "pip.log").read_text()  # the whole log is kept
    # installed once: the next use says nothing and installs nothing
    again = source_env(project)
    assert again.returncode == 0 and again.stderr == "" and again.stdout.strip() == "sourced"


def test_failed_install_stops_and_shows_pips_error(project):
    result = source_env(project, FAIL_PIP="1")
    assert result.returncode != 0 and "sourced" not in result.stdout
    assert "setup: pip failed" in result.stderr
    assert "No matching distribution found for gamma" in result.stderr
    assert not list((project / ".venv").glob(".installed-*"))  # so the next run tries again
