package dev.redisgen.profile;

@Doc("What the data is for; decides which eviction policies are safe.")
public enum Purpose {
    /** Data that can be recomputed: eviction is fine. */
    CACHE,
    /** A message broker (Celery, Airflow, RQ): an evicted key is a lost task, so noeviction. */
    BROKER,
    /** Data of record: must not be evicted. */
    STORE
}
