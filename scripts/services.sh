#!/usr/bin/env bash
# Start or stop the services the tests use, on 127.0.0.1, with their data under .run/:
# PostgreSQL (port 55432), Redis (port 56379, append-only persistence) and a Celery worker on the
# test database.
#   scripts/services.sh start   prints the environment to use (also written to .run/env)
#   scripts/services.sh stop
#   scripts/services.sh restart-worker   after changing tasks
# For fault tests (each leaves the data in place; `start` brings back whatever is down):
#   scripts/services.sh kill-worker      SIGKILL the whole worker (main process and its children)
#   scripts/services.sh stop-redis | start-redis
#   scripts/services.sh stop-postgresql | start-postgresql
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
run=$root/.run
pg_port=${CPAS_PG_PORT:-55432}
redis_port=${CPAS_REDIS_PORT:-56379}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
# PostgreSQL refuses to run as root and needs a data folder its user owns, outside /root.
pgdata=${CPAS_PG_DATA:-/tmp/cpas-portal-pg-$(id -u)-$pg_port}

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgresql() {
  if as_postgres "$pgbin/pg_ctl" -D "$pgdata/data" status >/dev/null 2>&1; then return 0; fi
  # A data folder left by a stopped server is started again as it is (fault tests stop it mid-run).
  if [ -f "$pgdata/data/PG_VERSION" ] &&
     as_postgres "$pgbin/pg_ctl" -D "$pgdata/data" -l "$pgdata/server.log" -w \
       -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pgdata/sock -c fsync=off -c max_connections=120" \
       start >/dev/null 2>&1; then
    return 0
  fi
  rm -rf "$pgdata"; mkdir -p "$pgdata/sock"
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$pgdata"
  as_postgres "$pgbin/initdb" -D "$pgdata/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  as_postgres "$pgbin/pg_ctl" -D "$pgdata/data" -l "$pgdata/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pgdata/sock -c fsync=off -c max_connections=120" start >/dev/null
}

stop_postgresql() {
  as_postgres "$pgbin/pg_ctl" -D "$pgdata/data" -m fast -w stop >/dev/null 2>&1 || true
}

# Redis keeps its data (the queued jobs) in an append-only file under .run/redis, so a restart loses
# no message, as in production (docker-compose.yml).
start_redis() {
  if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then return 0; fi
  mkdir -p "$run/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --dir "$run/redis" --save '' \
    --appendonly yes --appendfsync everysec --pidfile "$run/redis.pid" --logfile "$run/redis.log"
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
}

stop_redis() {
  # SHUTDOWN writes the append-only file out before Redis exits.
  redis-cli -p "$redis_port" shutdown >/dev/null 2>&1 || true
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 || break; sleep 0.1; done
}

start() {
  mkdir -p "$run"
  start_postgresql
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='cpas'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE ROLE cpas LOGIN CREATEDB PASSWORD 'cpas'"
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='cpas_portal'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE cpas_portal OWNER cpas"

  start_redis

  cat > "$run/env" <<ENV
export DATABASE_URL=postgres://cpas:cpas@127.0.0.1:$pg_port/cpas_portal
export CELERY_BROKER_URL=redis://127.0.0.1:$redis_port/0
export CELERY_RESULT_BACKEND=redis://127.0.0.1:$redis_port/1
ENV
  # The worker uses pytest-django's test database (test_ + the database name), where tests write.
  if ! { [ -f "$run/worker.pid" ] && kill -0 "$(cat "$run/worker.pid")" 2>/dev/null; }; then
    : > "$run/worker.log"
    ( . "$run/env"
      export DATABASE_URL=postgres://cpas:cpas@127.0.0.1:$pg_port/test_cpas_portal
      # Short job timings, so that fault tests see a lost worker within seconds, not a minute.
      export CPAS_JOB_HEARTBEAT_SECONDS=${CPAS_JOB_HEARTBEAT_SECONDS:-1} CPAS_JOB_STALE_SECONDS=${CPAS_JOB_STALE_SECONDS:-4}
      exec "$root/.venv/bin/celery" --workdir "$root" -A cpas_portal worker --loglevel=INFO --concurrency=2 \
        --max-tasks-per-child=50 --pidfile="$run/worker.pid" >>"$run/worker.log" 2>&1 ) &
    for _ in $(seq 150); do grep -q " ready." "$run/worker.log" 2>/dev/null && break; sleep 0.2; done
    grep -q " ready." "$run/worker.log" || { echo "Celery worker did not start:"; tail -n 20 "$run/worker.log"; exit 1; }
  fi
  cat "$run/env"
}

stop_worker() {
  local pid
  pid=$(cat "$run/worker.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$run/worker.pid"
}

# SIGKILL, as the kernel's out-of-memory killer or a lost machine would: no task gets to finish.
kill_worker() {
  local pid children
  pid=$(cat "$run/worker.pid" 2>/dev/null) || return 0
  children=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
  # shellcheck disable=SC2086
  kill -KILL "$pid" $children 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$run/worker.pid"
}

stop() {
  stop_worker
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$run/redis"
  stop_postgresql
  rm -rf "$pgdata"
}

restart_worker() {
  stop_worker
  start
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart-worker) restart_worker ;;
  kill-worker) kill_worker ;;
  stop-redis) stop_redis ;;
  start-redis) start_redis ;;
  stop-postgresql) stop_postgresql ;;
  start-postgresql) start_postgresql ;;
  *) echo "usage: $0 start|stop|restart-worker|kill-worker|stop-redis|start-redis|stop-postgresql|start-postgresql" >&2
     exit 2 ;;
esac
