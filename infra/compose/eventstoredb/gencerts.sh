#!/bin/sh
# Generates the cluster's CA and one certificate per node with es-gencert-cli (run through the
# `esdb-certs` service of compose.yaml). Each node certificate names the node's fixed address on
# the `stores` network and its service name; `localhost` lets the node's own health check verify it.
# Refuses to overwrite: rotating certificates is a deliberate step (docs/operations.md).
set -eu
cd /certs
if [ -e ca/ca.crt ]; then
  echo "certs/ca/ca.crt exists: remove certs/ to generate a new CA" >&2
  exit 1
fi
es-gencert-cli create-ca -out ./ca
for n in 1 2 3; do
  es-gencert-cli create-node -ca-certificate ./ca/ca.crt -ca-key ./ca/ca.key -out "./node$n" \
    -ip-addresses "127.0.0.1,172.30.240.1$n" -dns-names "localhost,esdb-$n"
done
# No container mounts ca-private/: only the CA certificate is shared with nodes and clients.
mkdir -p ./ca-private
mv ./ca/ca.key ./ca-private/ca.key
chmod 600 ./ca-private/ca.key ./node*/node.key
echo "certificates written to certs/ (CA key in certs/ca-private/ca.key: keep it offline)"
