#!/bin/bash
# The streaming replica: on first start, copies the primary with pg_basebackup (-R writes
# standby.signal and primary_conninfo, using the slot made by primary-init.sh); afterwards it
# starts as a hot standby from its own data directory.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  until gosu postgres env PGPASSWORD="$REPLICATION_PASSWORD" \
    pg_basebackup --host="$PRIMARY_HOST" --username=replicator --pgdata="$PGDATA" \
      --wal-method=stream --slot=replica_1 --write-recovery-conf --progress; do
    echo "waiting for the primary at $PRIMARY_HOST" >&2
    rm -rf "${PGDATA:?}"/*
    sleep 2
  done
fi
exec docker-entrypoint.sh postgres -c hot_standby=on
