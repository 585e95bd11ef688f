#!/bin/sh
# First start of the PostgreSQL volume only: a database and a user of its own for Keycloak.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v kc_password="$KEYCLOAK_DB_PASSWORD" <<'SQL'
create user keycloak with password :'kc_password';
create database keycloak owner keycloak;
SQL
