#!/bin/bash
# Runs once, when the primary's data directory is initialised (docker-entrypoint-initdb.d): a
# replication role for the streaming replica, its physical slot (so WAL is kept until the replica
# has it), and a pg_hba line letting that role replicate over the network.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('replica_1');
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
