#!/usr/bin/env bash
# Build the graph, the store and the default views from corpus/ into build/.
source "$(dirname "$0")/_env.sh"
kg build corpus --out build "$@"
