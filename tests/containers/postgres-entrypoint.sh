#!/bin/sh
# Entrypoint of the local PostgreSQL image: what the official postgres image does for the lab's
# Compose file and manifests, and no more. A fresh data folder is initialised once (superuser
# POSTGRES_USER with POSTGRES_PASSWORD, scram-sha-256 for connections over the network, database
# POSTGRES_DB); later starts reuse it. The server then replaces this shell as PID 1, so that the
# container's stop signal reaches it directly.
set -eu

PGDATA="${PGDATA:-/var/lib/postgresql/data}"
export PGDATA

if [ "$(id -u)" = 0 ]; then
    # A fresh volume or tmpfs is root's: hand it to postgres, then run again as postgres.
    mkdir -p "$PGDATA" /var/run/postgresql
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set: it is the password of POSTGRES_USER}"
    user="${POSTGRES_USER:-postgres}"
    database="${POSTGRES_DB:-$user}"
    mkdir -p "$PGDATA"
    chmod 700 "$PGDATA"
    # The password goes through a pipe: no file holds it, and the root may be read-only.
    printf '%s\n' "$POSTGRES_PASSWORD" | initdb --pgdata="$PGDATA" --username="$user" \
        --pwfile=/dev/stdin --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8
    echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
    echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
    if [ "$database" != postgres ]; then
        quoted_database=$(printf '%s' "$database" | sed 's/"/""/g')
        quoted_user=$(printf '%s' "$user" | sed 's/"/""/g')
        # Single-user mode: no server to start and stop just to create one database.
        echo "CREATE DATABASE \"$quoted_database\" OWNER \"$quoted_user\"" |
            postgres --single -D "$PGDATA" postgres >/dev/null
    fi
fi

exec postgres -D "$PGDATA" "$@"
