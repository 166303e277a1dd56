package dev.redisgen.decorate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.redisgen.pipeline.Pipeline;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Job-name hash's JSON, written by the build-time generated {@code JobSpecJson}, against the JsonMapper it replaces
 * (properties sorted, map entries by key, Jackson's inclusion): the same bytes for every Job the profiles render and for
 * odd values, so Job names stay what they were; a class the writer does not cover is refused, not guessed.
 */
class JobSpecJsonTest {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .build();

    private static String generated(JobSpec spec) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            JobSpecJson.write(g, spec);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyRenderedJobSpecIsWrittenAsTheMapperWroteIt() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (String profile : List.of("analytics-cluster", "jewelry-shop", "gateway-ha", "airflow",
                "app/src/test/resources/profiles/valid/standalone-persistent.yaml")) {
            for (HasMetadata o : Pipeline.render(profile).objects()) {
                if (o instanceof Job job) {
                    jobs.add(job);
                }
            }
        }
        assertThat(jobs).isNotEmpty();
        for (Job job : jobs) {
            assertThat(generated(job.getSpec())).as(job.getMetadata().getName()).isEqualTo(MAPPER.writeValueAsString(job.getSpec()));
        }
    }

    @Test
    void oddValuesAreWrittenAsTheMapperWritesThem() throws Exception {
        Map<String, String> labels = new HashMap<>();
        labels.put("b", "2");
        labels.put("a", null);
        Map<String, Object> extra = new HashMap<>();
        extra.put("z", List.of(1, 2.5, "x", Map.of()));
        extra.put("n", Collections.singletonMap("k", null));
        Job job = new JobBuilder().withNewSpec().withBackoffLimit(0).withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withArgs("a", "").withNewResources()
                .addToLimits("cpu", new Quantity("0.5")).endResources()
                .addNewPort().withContainerPort(6379).endPort()
                .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString("redis")).endTcpSocket().endReadinessProbe()
                .endContainer().withVolumes(List.of()).endSpec().endTemplate().endSpec().build();
        job.getSpec().setAdditionalProperty("extra", extra);
        assertThat(generated(job.getSpec())).isEqualTo(MAPPER.writeValueAsString(job.getSpec()));
        assertThat(generated(new JobSpec())).isEqualTo(MAPPER.writeValueAsString(new JobSpec()));
    }

    @Test
    void aClassTheWriterDoesNotCoverIsRefused() {
        JobSpec spec = new JobSpec();
        spec.setAdditionalProperty("stranger", new StringBuilder("not a model class"));
        assertThatThrownBy(() -> generated(spec)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no generated YAML writer for java.lang.StringBuilder");
    }
}
