package dev.redisgen.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The accept/reject examples of the checks' own test tables, each run through {@link Validation}: the cases of
 * k8s.io/apimachinery pkg/util/validation/validation_test.go (IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label,
 * IsValidPortNum, IsValidPortName, IsQualifiedName, IsValidLabelValue, IsValidIP, IsValidUserID/GroupID,
 * IsConfigMapKey), of distribution/reference reference_test.go (image references), and of robfig/cron parser_test.go
 * and the CronJob validation (schedules). The examples are the upstream ones; the code under test is redisgen's.
 */
class ValidationTest {

    private static String a(int n) {
        return "a".repeat(n);
    }

    /** One check, the values it accepts and the values it rejects. */
    record Table(String check, Function<String, List<String>> fn, List<String> good, List<String> bad) {
    }

    static final List<String> LABEL_LIKE_BAD = List.of("", "A", "ABC", "aBc", "A1", "A-1", "1-A",
            "-", "a-", "-a", "1-", "-1",
            "_", "a_", "_a", "a_b", "1_", "_1", "1_2",
            " ", "a ", " a", "a b", "1 ", " 1", "1 2");

    static Stream<Table> tables() {
        List<String> dns1123LabelBad = new ArrayList<>(LABEL_LIKE_BAD);
        dns1123LabelBad.addAll(List.of(".", "a.", ".a", "a.b", "1.", ".1", "1.2", a(64)));
        List<String> dns1035Bad = new ArrayList<>(List.of("0", "01", "012", "1a", "1-a", "1--a--b--2"));
        dns1035Bad.addAll(dns1123LabelBad);
        List<String> subdomainBad = new ArrayList<>(LABEL_LIKE_BAD);
        subdomainBad.addAll(List.of(".", "a.", ".a", "a..b", "1.", ".1", "1..2",
                "A.a", "aB.a", "ab.A", "A1.a", "a1.A", "A.1", "aB.1", "A1.1", "1A.1", "0.A", "01.A", "012.A", "1A.a", "1a.A",
                "A.B.C.D.E", "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee",
                "a@b", "a,b", "a_b", "a;b", "a:b", "a%b", "a?b", "a$b", a(254)));
        return Stream.of(
                new Table("IsDNS1123Label", Validation::isDNS1123Label,
                        List.of("a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", a(63)),
                        dns1123LabelBad),
                new Table("IsDNS1123Subdomain", Validation::isDNS1123Subdomain,
                        List.of("a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2",
                                "a.a", "ab.a", "abc.a", "a1.a", "a-1.a", "a--1--2--b.a", "a.1", "ab.1", "abc.1", "a1.1", "a-1.1",
                                "a--1--2--b.1", "0.a", "01.a", "012.a", "1a.a", "1-a.a", "1--a--b--2", "0.1", "01.1", "012.1", "1a.1",
                                "1-a.1", "1--a--b--2.1", "a.b.c.d.e", "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55", a(253)),
                        subdomainBad),
                new Table("IsDNS1035Label", Validation::isDNS1035Label,
                        List.of("a", "ab", "abc", "a1", "a-1", "a--1--2--b", a(63)),
                        dns1035Bad),
                new Table("IsValidPortName", Validation::isValidPortName,
                        List.of("telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3"),
                        List.of("longerthan15characters", "", a(16), "12345", "1-2-3-4", "-begin", "end-", "two--hyphens", "whois++")),
                new Table("IsQualifiedName", Validation::isQualifiedName,
                        List.of("simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
                                "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple",
                                "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123",
                                "example.com/Uppercase_Is_OK_123", "requests.storage-foo", a(63), a(253) + "/" + "b".repeat(63)),
                        List.of("nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash", "Example.com/abc",
                                "example_com/abc", "example.com/", "/simple", a(64), a(254) + "/abc")),
                new Table("IsValidLabelValue", Validation::isValidLabelValue,
                        List.of("simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", a(63), ""),
                        List.of("nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad", "-starts-with-dash",
                                "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", a(64))),
                new Table("IsValidIP", Validation::isValidIP,
                        List.of("::1", "2a00:79e0:2:0:f1c3:e797:93c1:df80", "::", "2001:4860:4860::8888", "::fff:1.1.1.1", "1.1.1.1",
                                "255.0.0.1", "1.0.0.0", "0.0.0.0"),
                        // "1.1.1.01": current API servers parse IPv4 strictly (no leading zeros) for new objects.
                        List.of("[2001:db8:0:1]:80", "myhost.mydomain", "-1.0.0.0", "[2001:db8:0:1]", "a", "1.1.1.01",
                                "2001:0db8:85a3:0000:0000:8a2e:0370:7334:2001:0db8:85a3:0000:0000:8a2e:0370:7334")),
                new Table("IsValidCIDR", Validation::isValidCIDR,
                        List.of("192.168.0.0/16", "10.0.0.0/8", "2001:db8::/32", "0.0.0.0/0", "::/0", "10.1.2.3/32"),
                        List.of("192.168.0.0", "10.0.0.0/33", "2001:db8::/129", "10.0.0.256/8", "2001::db8::/32", "10.0.0.0/08", "",
                                "a/8", "10.0.0.0/-1")),
                new Table("IsConfigMapKey", Validation::isConfigMapKey,
                        List.of("a", "good", "good-good", "still.good", "this.is.also.good", ".so.is.this", "THIS_IS_GOOD", "so_is_this_17"),
                        List.of(".", "..", "..bad", "b*d", "bad!&bad", "", a(254))),
                new Table("image reference (distribution/reference)", Validation::isValidImageReference,
                        List.of("test_com", "test.com:tag", "test.com:5000", "test.com/repo:tag", "test:5000/repo", "test:5000/repo:tag",
                                "test:5000/repo@sha256:" + "f".repeat(64), "test:5000/repo:tag@sha256:" + "f".repeat(64),
                                "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
                                "b.gcr.io/test.example.com/my-app:test.example.com", "xn--n3h.com/myimage:xn--n3h.com",
                                "xn--7o8h.com/myimage:xn--7o8h.com@sha512:" + "f".repeat(128), "foo_bar.com:8080", "foo/foo_bar.com:8080",
                                "a/".repeat(127) + "a:tag-puts-this-over-max", "redis:7.2-alpine", "oliver006/redis_exporter:v1.55.0-alpine",
                                "Registry.Example.com:5000/team/redis:TAG5", "[fc00::1]:5000/redis:7", "localhost/redis"),
                        List.of("", ":justtag", "@sha256:" + "f".repeat(64), "validname@invaliddigest:" + "f".repeat(64),
                                "a/".repeat(128) + "a:tag", "aa/asdf$$^/aa", "Uppercase:tag", "test.com/Repo:tag", "not an image!!",
                                " redis:7", "redis:7 ", "redis:" + "t".repeat(129), "redis@sha256:abc", "redis@sha256:" + "F".repeat(64),
                                "redis:-tag", "redis//x", "-redis", "redis-", "redis:7:8", "redis.", a(64).replace('a', 'f'))),
                new Table("CronJob schedule (robfig/cron ParseStandard)", Validation::isValidCronSchedule,
                        List.of("0 * * * *", "0 2 * * *", "*/5 * * * *", "5/15 * * * *", "0 0 1,15 * mon-fri", "0 0 * JAN-DEC SUN",
                                "0-59 0-23 1-31 1-12 0-6", "? ? ? ? ?", "@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly",
                                "@annually", "@every 1h30m", "  0 2 * * *  ", "0\t2 * * *"),
                        List.of("", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * 32 * *", "* * * 13 *",
                                "* * * * 7", "*/0 * * * *", "5-1 * * * *", "1-2-3 * * * *", "1/2/3 * * * *", "a * * * *",
                                "TZ=UTC 0 2 * * *", "CRON_TZ=Etc/UTC 0 2 * * *", "@reboot", "@every", "@every 1x", "0 2 * * L",
                                "* * * * mon#2", "-1 * * * *", "99999999999 * * * *")),
                new Table("CronJob timeZone", Validation::isValidTimeZone,
                        List.of("Etc/UTC", "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"),
                        List.of("", "Local", "local", "Mars/Olympus", "Europe/berlin", "UTC+1", "+01:00", "Etc/UTC ")));
    }

    static Stream<Arguments> accepted() {
        return tables().flatMap(t -> t.good().stream().map(v -> Arguments.of(t.check(), v, t.fn())));
    }

    static Stream<Arguments> rejected() {
        return tables().flatMap(t -> t.bad().stream().map(v -> Arguments.of(t.check(), v, t.fn())));
    }

    @ParameterizedTest(name = "{0} accepts \"{1}\"")
    @MethodSource("accepted")
    void accepts(String check, String value, Function<String, List<String>> fn) {
        assertThat(fn.apply(value)).as(check + " on '" + value + "'").isEmpty();
    }

    @ParameterizedTest(name = "{0} rejects \"{1}\"")
    @MethodSource("rejected")
    void rejects(String check, String value, Function<String, List<String>> fn) {
        assertThat(fn.apply(value)).as(check + " on '" + value + "'").isNotEmpty();
    }

    @Test
    void portNumbers() {
        for (long good : List.of(1L, 2L, 1000L, 16384L, 32768L, 65535L)) {
            assertThat(Validation.isValidPortNum(good)).as("port %d", good).isEmpty();
        }
        for (long bad : List.of(0L, -1L, 65536L, 100000L)) {
            assertThat(Validation.isValidPortNum(bad)).as("port %d", bad).isNotEmpty();
        }
    }

    @Test
    void userAndGroupIds() {
        for (long good : List.of(0L, 1L, 1000L, 65535L, 2147483647L)) {
            assertThat(Validation.isValidUserID(good)).as("uid %d", good).isEmpty();
            assertThat(Validation.isValidGroupID(good)).as("gid %d", good).isEmpty();
        }
        for (long bad : List.of(-1L, -1003L, 2147483648L, 4147483647L)) {
            assertThat(Validation.isValidUserID(bad)).as("uid %d", bad).isNotEmpty();
            assertThat(Validation.isValidGroupID(bad)).as("gid %d", bad).isNotEmpty();
        }
    }

    @Test
    void messagesAreTheApiServers() {
        assertThat(Validation.isQualifiedName("bad key!")).containsExactly("name part must consist of alphanumeric characters, '-', '_' or"
                + " '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')");
        assertThat(Validation.isQualifiedName("Example.com/abc")).hasSize(1).allMatch(m -> m.startsWith("prefix part a lowercase RFC 1123 subdomain"));
        assertThat(Validation.isValidPortName("two--hyphens")).containsExactly("must not contain consecutive hyphens");
        assertThat(Validation.isDNS1123Label(a(64))).containsExactly("must be no more than 63 characters");
        assertThat(Validation.isValidImageReference("")).containsExactly("Required value: a container image must not be empty");
    }

    @Test
    void labelsAndAnnotations() {
        assertThat(Validation.validateLabels(Map.of("team", "platform", "example.com/x", ""))).isEmpty();
        assertThat(Validation.validateLabels(Map.of("bad key!", "x y"))).containsOnlyKeys("bad key!");
        assertThat(Validation.validateLabels(Map.of("bad key!", "x y")).get("bad key!")).hasSize(2);
        // Annotation keys are lower-cased before the check; values are free text, limited only in total.
        assertThat(Validation.isValidAnnotationKey("Example.com/Owner")).isEmpty();
        assertThat(Validation.validateAnnotationsSize(Map.of("a", "x".repeat(256 * 1024 - 1)))).isEmpty();
        assertThat(Validation.validateAnnotationsSize(Map.of("a", "x".repeat(256 * 1024)))).isNotEmpty();
    }
}
