#!/usr/bin/env bash
# Back up and restore CPAS Portal's PostgreSQL database: every record, its change history and the
# claims' PDF forms (stored in the database, with their SHA-256 checksums).
#   scripts/backup.sh dump [FILE]        pg_dump, custom format (-Fc), of $DATABASE_URL
#                                        (default FILE: backups/cpas_portal-<UTC date and time>.dump)
#   scripts/backup.sh restore FILE URL   pg_restore of FILE into the empty database at URL (create it
#                                        first, owned by the application's role), in one transaction
#   scripts/backup.sh list FILE          what the dump holds
# Needs pg_dump/pg_restore of the server's major version or newer (Debian: postgresql-client).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage() { sed -n '2,10p' "$0" >&2; exit 2; }

dump() {
  local url=${DATABASE_URL:?set DATABASE_URL to the database to back up}
  local file=${1:-$root/backups/cpas_portal-$(date -u +%Y%m%d-%H%M%S).dump}
  mkdir -p "$(dirname "$file")"
  # A consistent snapshot of the whole database, taken while the application keeps running.
  pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$file.partial" --dbname="$url"
  mv "$file.partial" "$file"
  echo "$file"
}

restore() {
  local file=${1:?FILE} url=${2:?URL of the new, empty database}
  [ -f "$file" ] || { echo "No such dump: $file" >&2; exit 1; }
  local tables
  tables=$(psql --dbname="$url" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
  if [ "$tables" != 0 ]; then
    echo "The target database already holds $tables tables: restore into a new, empty database." >&2
    exit 1
  fi
  pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$file"
  echo "Restored $file"
}

case "${1:-}" in
  dump) shift; dump "$@" ;;
  restore) shift; restore "$@" ;;
  list) pg_restore --list "${2:?FILE}" ;;
  *) usage ;;
esac
