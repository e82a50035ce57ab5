#!/usr/bin/env bash
# Back up the database and the signed documents (docs/deploy.md, "Backups").
#
#   deploy/backup.sh            (make backup; in Docker: docker compose run --rm backup)
#
# Writes BACKUP_DIR/npc-<UTC time>.dump (pg_dump's custom format, of DATABASE_URL) and
# BACKUP_DIR/npc-<UTC time>.media.tar.gz (the media folder), readable by their owner
# only: they hold personal data. Prints the two file names. BACKUP_DIR defaults to the
# project's backups/; DATABASE_URL and DJANGO_MEDIA_ROOT come from the environment or .env.
set -euo pipefail
# shellcheck source=deploy/pgenv.sh
source "$(dirname "${BASH_SOURCE[0]}")/pgenv.sh"
npc_load_database_url

backup_dir=${BACKUP_DIR:-$NPC_ROOT/backups}
media_root=$(npc_media_root)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dump="$backup_dir/npc-$stamp.dump"
media_archive="$backup_dir/npc-$stamp.media.tar.gz"

umask 077
mkdir -p "$backup_dir"
# Written under a temporary name first: a file named npc-*.dump is always complete.
trap 'rm -f "$dump.partial" "$media_archive.partial"' EXIT
pg_dump --format=custom --file="$dump.partial"
mv "$dump.partial" "$dump"
if [[ -d $media_root ]]; then
    tar -C "$media_root" -czf "$media_archive.partial" .
else
    echo "No media folder at $media_root: the archive is empty." >&2
    tar -czf "$media_archive.partial" --files-from /dev/null
fi
mv "$media_archive.partial" "$media_archive"
echo "$dump"
echo "$media_archive"
