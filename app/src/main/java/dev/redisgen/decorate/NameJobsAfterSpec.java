package dev.redisgen.decorate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.redisgen.plan.Names;
import dev.redisgen.plan.Plan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Appends a hash of a Job's spec (pod template included, with the checksum of the ConfigMaps it mounts) to its
 * name: a Job's template is immutable, so a changed profile must yield a new Job rather than an object that
 * `kubectl apply` rejects (SPEC "Day 2"; issue 8). An unchanged profile yields the same name, so re-applying
 * is a no-op and a finished Job is not run again. Runs last: the hash covers the Job as it is emitted.
 */
final class NameJobsAfterSpec implements Decorator {
    /** Made on the first Job only (a holder class): most profiles render none, and a JsonMapper loads Jackson databind. */
    private static final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder()
                .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
                .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                .build();
    }

    @Override
    public HasMetadata apply(HasMetadata object, Plan plan) {
        if (!(object instanceof Job job)) {
            return object;
        }
        job.getMetadata().setName(job.getMetadata().getName() + "-" + hash(job));
        return job;
    }

    static String hash(Job job) {
        try {
            byte[] spec = Json.MAPPER.writeValueAsBytes(job.getSpec());
            byte[] sum = MessageDigest.getInstance("SHA-256").digest(spec);
            return HexFormat.of().formatHex(sum).substring(0, Names.JOB_HASH_LENGTH);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Job spec must serialize", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
