package dev.redisgen.profile;

@Doc("A client library or program; `explain` prints its connection settings.")
public enum Client {
    REDIS_CLI,
    REDIS_PY,
    DJANGO,
    CELERY,
    AIRFLOW,
    JEDIS,
    LETTUCE,
    GO_REDIS
}
