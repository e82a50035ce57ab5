#!/usr/bin/env bash
# Restore a backup made by backup.sh (docs/deploy.md, "Restore").
#
#   deploy/restore.sh DUMP [MEDIA_ARCHIVE]   (make restore FILE=... [MEDIA=...])
#
# Replaces every object of the dump in the database of DATABASE_URL (from the environment
# or .env), in one transaction: on any error nothing changes. Objects are owned by the
# connecting user. With MEDIA_ARCHIVE, its files are unpacked into the media folder
# (DJANGO_MEDIA_ROOT); files added since the backup are left in place. Stop web, worker
# and beat first. Asks for confirmation when run from a terminal.
set -euo pipefail
# shellcheck source=deploy/pgenv.sh
source "$(dirname "${BASH_SOURCE[0]}")/pgenv.sh"

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 DUMP [MEDIA_ARCHIVE]" >&2
    exit 2
fi
dump=$1
media_archive=${2:-}
for file in "$dump" ${media_archive:+"$media_archive"}; do
    if [[ ! -r $file ]]; then
        echo "Cannot read $file" >&2
        exit 2
    fi
done
npc_load_database_url
media_root=$(npc_media_root)

if [[ -t 0 ]]; then
    target="database $PGDATABASE on ${PGHOST:-the local socket}"
    [[ -n $media_archive ]] && target+=" and the files in $media_root"
    read -r -p "Replace $target with $dump${media_archive:+ and $media_archive}? [y/N] " answer
    [[ $answer == [yY]* ]] || { echo "Nothing restored." >&2; exit 1; }
fi

pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error \
    --dbname="$PGDATABASE" "$dump"
echo "Database $PGDATABASE restored from $dump"
if [[ -n $media_archive ]]; then
    mkdir -p "$media_root"
    tar -C "$media_root" -xzf "$media_archive"
    echo "Media folder $media_root restored from $media_archive"
fi
