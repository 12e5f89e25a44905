#!/bin/sh
# Runs the example application's command line on a fresh SQLite file, checking each exit status.
set -eu
app="$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
export DATABASE_URL="sqlite:$dir/app.db"
"$app" migration:run
"$app" db:seed
"$app" migration:status
"$app" migration:status | grep -q "completed"
"$app" migration:run | grep -q "Already up to date"
if "$app" migration:nothing 2>/dev/null; then echo "an unknown command succeeded" >&2; exit 1; fi
"$app" migration:rollback
"$app" migration:status | grep -q "pending"
echo "example app: every command gave the expected status"
