#!/usr/bin/env bash
# Run the whole test suite (installs into .venv on first use).
source "$(dirname "$0")/_env.sh"
python -m pytest "$@"
