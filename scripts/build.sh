#!/usr/bin/env bash
# Build the graph, the store and the default views from corpus/ into build/.
source "$(dirname "$0")/_env.sh"
echo "building the graph from corpus/ into build/ ..." >&2
kg build corpus --build-dir build "$@"
