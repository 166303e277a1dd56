package dev.redisgen.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.diag.Location;
import org.junit.jupiter.api.Test;

class SourceMapTest {
    private final SourceMap map = ValidProfileTest.full().sourceMap();

    private static Location at(int line, int column) {
        return new Location("valid/full.yaml", line, column);
    }

    @Test
    void presentFieldsLocateToTheirValue() {
        assertThat(map.locate("/name")).isEqualTo(at(2, 7));
        assertThat(map.locate("/deployments/0/sentinel/quorum")).isEqualTo(at(35, 15));
        assertThat(map.locateKey("/deployments/0/sentinel/quorum")).isEqualTo(at(35, 7));
        assertThat(map.locate("/namespace/labels/team")).isEqualTo(at(9, 11));
        // A block mapping's value starts at its first key.
        assertThat(map.locate("/deployments/0/sentinel")).isEqualTo(at(33, 7));
        assertThat(map.locateKey("/deployments/0/sentinel")).isEqualTo(at(32, 5));
    }

    @Test
    void listItemsAreAddressedByIndex() {
        assertThat(map.locate("/deployments/1")).isEqualTo(at(116, 5));
        assertThat(map.locate("/deployments/0/persistence/rdb/2")).isEqualTo(at(52, 32));
        assertThat(map.locate("/deployments/0/backup/schedules/1/keep")).isEqualTo(at(104, 17));
        assertThat(map.locate(SourceMap.pointer("deployments", 0, "clients", 1))).isEqualTo(at(115, 26));
        // A list item has no key: locateKey falls back to the value.
        assertThat(map.locateKey("/deployments/1")).isEqualTo(at(116, 5));
    }

    @Test
    void missingAndDefaultedFieldsLocateToTheNearestWrittenAncestor() {
        assertThat(map.isWritten("/deployments/1/resources")).isFalse();
        assertThat(map.locate("/deployments/1/resources/redis/limits/memory")).isEqualTo(at(116, 5));
        assertThat(map.locate("/deployments/0/backup/schedules/0/timeZone")).isEqualTo(at(98, 11));
        assertThat(map.locateKey("/deployments/1/sentinel")).isEqualTo(at(116, 5));
    }

    @Test
    void rootIsTheStartOfTheFile() {
        assertThat(map.locate("")).isEqualTo(at(1, 1));
        assertThat(map.locate("/nope")).isEqualTo(at(1, 1));
    }

    @Test
    void pointersEscapeSlashAndTilde() {
        assertThat(SourceMap.pointer("labels", "app.kubernetes.io/name", "a~b", 3)).isEqualTo("/labels/app.kubernetes.io~1name/a~0b/3");
        LoadedProfile p = ProfileLoader.parse("x.yaml", """
                name: x
                namespace:
                  name: x
                  labels:
                    app.kubernetes.io/name: redis
                deployments: [{name: r, topology: standalone}]
                """);
        assertThat(p.sourceMap().locate(SourceMap.pointer("namespace", "labels", "app.kubernetes.io/name")))
                .isEqualTo(new Location("x.yaml", 5, 29));
    }
}
