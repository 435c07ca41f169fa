#!/usr/bin/env bash
# The test suite: offline, with the real bundled model, on real files the tests make.
set -euo pipefail
cd "$(dirname "$0")/.."
HF_HUB_OFFLINE=1 python -m pytest -q "$@"
