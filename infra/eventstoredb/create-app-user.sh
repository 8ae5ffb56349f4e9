#!/bin/sh
# The EventStoreDB user the api and the projector connect as: it reads and appends events and
# nothing else — no stream deletes, no metadata writes, no user or projection management.
# Run once per cluster as the admin (compose: the `esdb-app-user` service; Kubernetes: from an
# operator's shell through `kubectl port-forward`, see infra/README.md). Idempotent: an existing
# user keeps its password.
#
# ACLs in EventStoreDB:
#   - $settings holds the default ACL of every user stream ($userStreamAcl): read ($r) and write
#     ($w) for the app user; delete ($d), metadata read/write ($mr/$mw) for $admins only.
#   - $all is a system stream: reading it (subscriptions, the projector's catch-up) needs $r on
#     $$$all, granted here to the app user alone.
#   - System streams ($systemStreamAcl) stay $admins-only; $ce-Category projections are read by
#     operators, not by the app.
set -eu
: "${ESDB_URL:?ESDB_URL, e.g. https://esdb-1:2113}"
: "${ESDB_CA_FILE:?ESDB_CA_FILE: the cluster CA certificate}"
: "${ESDB_ADMIN_PASSWORD:?ESDB_ADMIN_PASSWORD}"
: "${ESDB_APP_USER:=kyogi}"
: "${ESDB_APP_PASSWORD:?ESDB_APP_PASSWORD}"

esdb() {
  curl --fail-with-body --silent --show-error --cacert "$ESDB_CA_FILE" \
    --user "admin:$ESDB_ADMIN_PASSWORD" "$@"
}
uuid() { cat /proc/sys/kernel/random/uuid; }

if esdb --output /dev/null "$ESDB_URL/users/$ESDB_APP_USER" 2>/dev/null; then
  echo "user $ESDB_APP_USER exists"
else
  esdb --header 'Content-Type: application/json' --data @- "$ESDB_URL/users/" <<JSON
{"loginName": "$ESDB_APP_USER", "fullName": "Kyogi application", "groups": [], "password": "$ESDB_APP_PASSWORD"}
JSON
  echo "user $ESDB_APP_USER created"
fi

esdb --header 'Content-Type: application/vnd.eventstore.events+json' --data @- "$ESDB_URL/streams/%24settings" <<JSON
[{"eventId": "$(uuid)", "eventType": "update-default-acl", "data": {
  "\$userStreamAcl": {"\$r": ["\$admins", "$ESDB_APP_USER"], "\$w": ["\$admins", "$ESDB_APP_USER"],
                      "\$d": "\$admins", "\$mr": "\$admins", "\$mw": "\$admins"},
  "\$systemStreamAcl": {"\$r": "\$admins", "\$w": "\$admins", "\$d": "\$admins", "\$mr": "\$admins", "\$mw": "\$admins"}
}}]
JSON
echo "default ACL set: $ESDB_APP_USER may read and write user streams; delete and metadata stay with \$admins"

esdb --header 'Content-Type: application/vnd.eventstore.events+json' --data @- "$ESDB_URL/streams/%24%24%24all" <<JSON
[{"eventId": "$(uuid)", "eventType": "\$metadata", "data": {"\$acl": {"\$r": ["\$admins", "$ESDB_APP_USER"]}}}]
JSON
echo "\$all readable by $ESDB_APP_USER"
