#!/usr/bin/env bash
# Installs the Debian packages repin's tests use: the real OCI registry (distribution 2.8),
# htpasswd for its Basic auth, openssl for its token-auth certificates, git for the GitHub simulator,
# PostgreSQL 15 (the tests start throwaway clusters with initdb + pg_ctl; no server is left running).
set -euo pipefail
needed=(docker-registry apache2-utils openssl git postgresql)
missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
