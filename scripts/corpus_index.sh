#!/usr/bin/env bash
# Build the benchmark index over the whole development corpus: the default library
# (documents/) plus ../shared/corpus/library and ../shared/corpus/hard, as BENCHMARKS.md uses.
# Usage: bash scripts/corpus_index.sh [INDEX_DIR]   (default .precedent/corpus-index)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared/corpus
index=${1:-.precedent/corpus-index}
corpus=.precedent/corpus-documents
mkdir -p "$corpus"
cp -u documents/*.txt documents/metadata.yaml "$shared"/library/* "$shared"/hard/* "$corpus"/
precedent ingest "$corpus" --index "$index"
