package dev.redisgen.decorate;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.redisgen.codegen.GenerateYamlWriter;
import dev.redisgen.plan.Names;
import dev.redisgen.plan.Plan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
@GenerateYamlWriter(name = "JobSpecJson", roots = JobSpec.class, jacksonDefaults = true)
final class NameJobsAfterSpec implements Decorator {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public HasMetadata apply(HasMetadata object, Plan plan) {
        if (!(object instanceof Job job)) {
            return object;
        }
        job.getMetadata().setName(job.getMetadata().getName() + "-" + hash(job));
        return job;
    }

    /**
     * The spec as JSON with its properties sorted, hashed. Written by a writer generated at build time from Jackson's
     * view of the classes with a JsonMapper's defaults ({@code JobSpecJson}): the bytes such a mapper writes, without
     * loading Jackson databind (~800 classes, a tenth of a second of a cold render) for one hash.
     */
    static String hash(Job job) {
        try {
            ByteArrayOutputStream spec = new ByteArrayOutputStream(4096);
            try (JsonGenerator g = JSON.createGenerator(spec, JsonEncoding.UTF8)) {
                JobSpecJson.write(g, job.getSpec());
            }
            byte[] sum = MessageDigest.getInstance("SHA-256").digest(spec.toByteArray());
            return HexFormat.of().formatHex(sum).substring(0, Names.JOB_HASH_LENGTH);
        } catch (IOException e) {
            throw new UncheckedIOException("a Job spec must serialize", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
