# Sourced by the set-up scripts: creates .venv and installs the project on first use,
# and again whenever pyproject.toml changes. Says what it is doing: a step line per phase and
# pip's package lines as they come (a first install takes minutes); pip's whole output goes to
# .venv/pip.log, and its last lines are shown if it fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"

_pip_step() {  # _pip_step "what it does" PIP-ARGS...
  echo "setup: $1 ..." >&2
  shift
  if ! .venv/bin/python -m pip "$@" 2>&1 | tee -a .venv/pip.log | awk '
      /^Collecting / { n++; printf "  [%d] %s\n", n, $0; fflush(); next }
      /^Installing collected packages/ { k = split(substr($0, index($0, ":") + 2), names, ", ")
                                          print "  installing " k " packages ..."; fflush(); next }
      /^Successfully installed/ { print "  done: " NF - 2 " installed or updated"; fflush() }' >&2; then
    echo "setup: pip failed; the end of .venv/pip.log:" >&2
    tail -n 20 .venv/pip.log >&2
    return 1
  fi
}

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $PYTHON (first use) ..." >&2
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -e "$stamp" ]; then
  : >.venv/pip.log
  _pip_step "updating pip" install --upgrade pip
  _pip_step "installing minsheng-kg and its dependencies (pyproject.toml changed or first use)" install -e ".[test]"
  rm -f .venv/.installed-* && touch "$stamp"
  echo "setup: .venv ready" >&2
fi
export PATH="$PWD/.venv/bin:$PATH"
