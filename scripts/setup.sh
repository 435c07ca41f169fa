#!/usr/bin/env bash
# Install Precedent (CPU PyTorch first, so pip never pulls the multi-GB CUDA build) and build
# the default index from documents/. Run inside the virtual environment you want to use.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --upgrade pip
python -m pip install torch==2.13.0
python -m pip install -e ".[test]"
precedent ingest documents
