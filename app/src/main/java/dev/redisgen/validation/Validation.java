package dev.redisgen.validation;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks the API server (and the kubelet, and the CronJob controller) apply to the strings and numbers that
 * reach an object, in one place, named and worded as in Kubernetes so they can be compared line by line:
 * <ul>
 *   <li>k8s.io/apimachinery/pkg/util/validation: {@code IsDNS1123Label}, {@code IsDNS1123Subdomain},
 *       {@code IsDNS1035Label}, {@code IsQualifiedName}, {@code IsValidLabelValue}, {@code IsValidPortNum},
 *       {@code IsValidPortName}, {@code IsValidUserID}, {@code IsValidGroupID}, {@code IsConfigMapKey},
 *       {@code IsValidIP}, {@code IsValidCIDR};</li>
 *   <li>k8s.io/apimachinery/pkg/api/validation and metav1 validation: {@code ValidateLabels},
 *       {@code ValidateAnnotations} (total size), {@code ValidateLabelSelector} for a {@code matchLabels} map;</li>
 *   <li>pkg/apis/core/validation: a container image (required, no surrounding whitespace), to which this adds the
 *       reference grammar of github.com/distribution/reference that the kubelet parses it with
 *       ({@code ParseNormalizedNamed}): an image the API server stores but no node can pull is refused too;</li>
 *   <li>pkg/apis/batch/validation: a CronJob schedule as github.com/robfig/cron/v3 {@code ParseStandard} reads it,
 *       and its {@code timeZone} (an IANA zone, not {@code Local}).</li>
 * </ul>
 * Each method returns the problems found, empty when the value is valid (apimachinery's {@code []string}).
 * JDK only: the profile loader, the lint rules and the tests all use it.
 */
public final class Validation {
    public static final int DNS1123_LABEL_MAX_LENGTH = 63;
    public static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
    public static final int DNS1035_LABEL_MAX_LENGTH = 63;
    public static final int LABEL_VALUE_MAX_LENGTH = 63;
    public static final int QUALIFIED_NAME_MAX_LENGTH = 63;
    /** TotalAnnotationSizeLimitB: the keys and values of one object's annotations together. */
    public static final int TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;
    /** A CronJob name leaves room for the 11 characters its Jobs append ("-" and a minute timestamp). */
    public static final int CRONJOB_NAME_MAX_LENGTH = 52;
    /**
     * A StatefulSet's pods carry {@code controller-revision-hash: <statefulset>-<10 characters>}, a label value of at
     * most 63 characters, so the StatefulSet name is at most 52.
     */
    public static final int STATEFULSET_NAME_MAX_LENGTH = LABEL_VALUE_MAX_LENGTH - 11;
    public static final int PORT_NAME_MAX_LENGTH = 15;
    public static final int CONFIG_MAP_KEY_MAX_LENGTH = 253;
    /** distribution/reference NameTotalLengthMax: the repository name, domain included. */
    public static final int IMAGE_NAME_MAX_LENGTH = 255;

    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
    private static final Pattern PORT_NAME_ONE_LETTER = Pattern.compile(".*[a-z].*");
    private static final Pattern CONFIG_MAP_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private Validation() {
    }

    // ---- k8s.io/apimachinery/pkg/util/validation ------------------------------------------------------------

    /** IsDNS1123Label: namespaces, Service-like names, container, volume and StatefulSet pod host names. */
    public static List<String> isDNS1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_LABEL_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_LABEL_MAX_LENGTH));
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            errs.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end"
                    + " with an alphanumeric character (e.g. 'my-name', or '123-abc')");
        }
        return errs;
    }

    /** IsDNS1123Subdomain: most object names (ConfigMap, Secret, StorageClass, PriorityClass, ...). */
    public static List<String> isDNS1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errs.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start"
                    + " and end with an alphanumeric character (e.g. 'example.com')");
        }
        return errs;
    }

    /** IsDNS1035Label: Service names (they become DNS names, which must not start with a digit). */
    public static List<String> isDNS1035Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1035_LABEL_MAX_LENGTH) {
            errs.add(maxLenError(DNS1035_LABEL_MAX_LENGTH));
        }
        if (!DNS1035_LABEL.matcher(value).matches()) {
            errs.add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character,"
                    + " and end with an alphanumeric character (e.g. 'my-name', or 'abc-123')");
        }
        return errs;
    }

    /** IsQualifiedName: label keys, annotation keys (lower-cased first), topology keys, taint keys. */
    public static List<String> isQualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                isDNS1123Subdomain(prefix).forEach(msg -> errs.add("prefix part " + msg));
            }
        } else {
            errs.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
                    + " alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName'): one '/' at most");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > QUALIFIED_NAME_MAX_LENGTH) {
            errs.add("name part " + maxLenError(QUALIFIED_NAME_MAX_LENGTH));
        }
        if (!name.isEmpty() && !QUALIFIED_NAME.matcher(name).matches()) {
            errs.add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
                    + " alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')");
        }
        return errs;
    }

    /** IsValidLabelValue: label values, and the values of label selectors and taints. */
    public static List<String> isValidLabelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > LABEL_VALUE_MAX_LENGTH) {
            errs.add(maxLenError(LABEL_VALUE_MAX_LENGTH));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errs.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start"
                    + " and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')");
        }
        return errs;
    }

    /** IsValidPortNum. */
    public static List<String> isValidPortNum(long port) {
        return 1 <= port && port <= 65535 ? List.of() : List.of("must be between 1 and 65535, inclusive");
    }

    /** IsValidPortName: IANA_SVC_NAME (RFC 6335), container and Service port names a probe or Service may name. */
    public static List<String> isValidPortName(String port) {
        List<String> errs = new ArrayList<>();
        if (port.length() > PORT_NAME_MAX_LENGTH) {
            errs.add(maxLenError(PORT_NAME_MAX_LENGTH));
        }
        if (!PORT_NAME_CHARS.matcher(port).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (port.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!PORT_NAME_ONE_LETTER.matcher(port).matches()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (port.startsWith("-") || port.endsWith("-")) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    /** IsValidUserID: runAsUser. */
    public static List<String> isValidUserID(long uid) {
        return 0 <= uid && uid <= Integer.MAX_VALUE ? List.of() : List.of("must be between 0 and 2147483647, inclusive");
    }

    /** IsValidGroupID: runAsGroup, fsGroup. */
    public static List<String> isValidGroupID(long gid) {
        return isValidUserID(gid);
    }

    /** IsConfigMapKey: keys of ConfigMaps and Secrets, as a {@code secretKeyRef} names them. */
    public static List<String> isConfigMapKey(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > CONFIG_MAP_KEY_MAX_LENGTH) {
            errs.add(maxLenError(CONFIG_MAP_KEY_MAX_LENGTH));
        }
        if (!CONFIG_MAP_KEY.matcher(value).matches()) {
            errs.add("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME',"
                    + " or 'key-name')");
        }
        if (value.equals(".")) {
            errs.add("must not be '.'");
        } else if (value.equals("..")) {
            errs.add("must not be '..'");
        } else if (value.startsWith("..")) {
            errs.add("must not start with '..'");
        }
        return errs;
    }

    /** IsValidIP, with the strict parsing of current API servers: no leading zeros in an IPv4 octet. */
    public static List<String> isValidIP(String value) {
        return ipv4(value) || ipv6(value) ? List.of() : List.of("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    }

    /** IsValidCIDR: an IPv4 or IPv6 address and a prefix length (a NetworkPolicy ipBlock). */
    public static List<String> isValidCIDR(String value) {
        List<String> bad = List.of("must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        int slash = value.indexOf('/');
        if (slash < 0) {
            return bad;
        }
        String address = value.substring(0, slash);
        String bits = value.substring(slash + 1);
        if (!bits.matches("0|[1-9][0-9]{0,2}")) {
            return bad;
        }
        int prefix = Integer.parseInt(bits);
        if (ipv4(address)) {
            return prefix <= 32 ? List.of() : bad;
        }
        return prefix <= 128 && ipv6(address) ? List.of() : bad;
    }

    // ---- k8s.io/apimachinery/pkg/api/validation, metav1 validation -------------------------------------------

    /** ValidateLabels: every key a qualified name, every value a label value; the problems keyed by label key. */
    public static Map<String, List<String>> validateLabels(Map<String, String> labels) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        labels.forEach((k, v) -> {
            List<String> errs = new ArrayList<>();
            isQualifiedName(k).forEach(m -> errs.add("key: " + m));
            isValidLabelValue(v).forEach(m -> errs.add("value: " + m));
            if (!errs.isEmpty()) {
                out.put(k, errs);
            }
        });
        return out;
    }

    /** ValidateAnnotations, for one key: the API server lower-cases a key before checking it. */
    public static List<String> isValidAnnotationKey(String key) {
        return isQualifiedName(key.toLowerCase(Locale.ROOT));
    }

    /** ValidateAnnotations, the total: keys and values of one object, in bytes. */
    public static List<String> validateAnnotationsSize(Map<String, String> annotations) {
        long size = 0;
        for (var e : annotations.entrySet()) {
            size += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return size > TOTAL_ANNOTATION_SIZE_LIMIT_B
                ? List.of("may not be more than " + TOTAL_ANNOTATION_SIZE_LIMIT_B + " bytes (they take " + size + ")")
                : List.of();
    }

    // ---- pkg/apis/core/validation: container image, and the reference grammar the kubelet parses ----------------

    private static final String ALPHANUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String IPV6_BRACKETED = "\\[(?:[a-fA-F0-9:]+)\\]";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|" + IPV6_BRACKETED + ")(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    /** ReferenceRegexp, anchored: name (domain/path), optional tag, optional digest. */
    private static final Pattern REFERENCE = Pattern.compile(
            "((?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*)(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    /** The same grammar with upper case allowed in the path, to tell "must be lowercase" from "invalid format". */
    private static final Pattern REFERENCE_ANY_CASE = Pattern.compile(
            "((?:" + DOMAIN + "/)?" + PATH_COMPONENT.replace("a-z0-9", "a-zA-Z0-9") + "(?:/" + PATH_COMPONENT.replace("a-z0-9", "a-zA-Z0-9")
                    + ")*)(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    private static final Pattern ANCHORED_IDENTIFIER = Pattern.compile("[a-f0-9]{64}");
    /** Digest algorithms the kubelet's reference parser knows, and the length of their hex encoding. */
    private static final Map<String, Integer> DIGEST_HEX_LENGTH = Map.of("sha256", 64, "sha384", 96, "sha512", 128);

    /**
     * A container image: the API server requires one without surrounding whitespace (core validation), and the kubelet
     * parses it with distribution/reference ParseNormalizedNamed, failing the pod with InvalidImageName otherwise.
     */
    public static List<String> isValidImageReference(String image) {
        if (image.isEmpty()) {
            return List.of("Required value: a container image must not be empty");
        }
        if (!image.strip().equals(image)) {
            return List.of("must not have leading or trailing whitespace");
        }
        Matcher m = REFERENCE.matcher(image);
        if (!m.matches()) {
            if (REFERENCE_ANY_CASE.matcher(image).matches()) {
                return List.of("repository name must be lowercase (the registry host may have upper case, the path may not)");
            }
            return List.of("invalid reference format: [registry[:port]/]path[:tag][@algorithm:hex], the path of lower-case"
                    + " letters, digits and single separators ('.', '_', '__' or dashes), the tag at most 128 of letters, digits, '_', '.' and '-'");
        }
        String name = m.group(1);
        if (name.length() > IMAGE_NAME_MAX_LENGTH) {
            return List.of("repository name must not be more than " + IMAGE_NAME_MAX_LENGTH + " characters");
        }
        String remainder = name.contains("/") ? name.substring(name.indexOf('/') + 1) : name;
        if (!name.contains("/") && ANCHORED_IDENTIFIER.matcher(name).matches()
                || ANCHORED_IDENTIFIER.matcher(remainder).matches()) {
            return List.of("invalid repository name (" + name + "), cannot specify 64-byte hexadecimal strings");
        }
        String digest = m.group(3);
        if (digest != null) {
            String algorithm = digest.substring(0, digest.indexOf(':'));
            String hex = digest.substring(digest.indexOf(':') + 1);
            Integer length = DIGEST_HEX_LENGTH.get(algorithm);
            if (length == null) {
                return List.of("unsupported digest algorithm '" + algorithm + "' (sha256, sha384 or sha512)");
            }
            if (hex.length() != length || !hex.equals(hex.toLowerCase(Locale.ROOT))) {
                return List.of("invalid checksum digest format: " + algorithm + " takes " + length + " lower-case hexadecimal digits");
            }
        }
        return List.of();
    }

    // ---- pkg/apis/batch/validation: CronJob schedule (robfig/cron/v3 ParseStandard) and timeZone ---------------

    private record CronField(String name, int min, int max, List<String> names) {
    }

    private static final List<CronField> CRON_FIELDS = List.of(
            new CronField("minute", 0, 59, List.of()),
            new CronField("hour", 0, 23, List.of()),
            new CronField("day of month", 1, 31, List.of()),
            new CronField("month", 1, 12, List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")),
            new CronField("day of week", 0, 6, List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat")));
    private static final Set<String> CRON_DESCRIPTORS = Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");
    /** time.ParseDuration: one or more decimal numbers, each with a unit. */
    private static final Pattern GO_DURATION = Pattern.compile("(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+");

    /**
     * A CronJob schedule: five fields (minute, hour, day of month, month, day of week) of {@code *}, {@code ?}, numbers,
     * month and weekday names, ranges, lists and steps, or a descriptor ({@code @daily}, {@code @every 1h}); no
     * {@code TZ=} prefix (the CronJob's {@code timeZone} is the place for it).
     */
    public static List<String> isValidCronSchedule(String schedule) {
        if (schedule.contains("TZ")) {
            return List.of("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        }
        String spec = schedule.strip();
        if (spec.isEmpty()) {
            return List.of("empty spec string");
        }
        if (spec.startsWith("@")) {
            if (CRON_DESCRIPTORS.contains(spec)) {
                return List.of();
            }
            if (spec.startsWith("@every ")) {
                String duration = spec.substring("@every ".length()).strip();
                return GO_DURATION.matcher(duration).matches() ? List.of() : List.of("failed to parse duration " + spec + ": '" + duration
                        + "' is not a Go duration (e.g. 1h30m)");
            }
            return List.of("unrecognized descriptor: " + spec);
        }
        String[] fields = spec.split("[ \\t\\n\\x0B\\f\\r]+");
        if (fields.length != CRON_FIELDS.size()) {
            return List.of("expected exactly 5 fields, found " + fields.length + ": [" + String.join(" ", fields) + "]");
        }
        List<String> errs = new ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            for (String range : fields[i].split(",", -1)) {
                String problem = cronRange(range, CRON_FIELDS.get(i));
                if (problem != null) {
                    errs.add(CRON_FIELDS.get(i).name() + " '" + fields[i] + "': " + problem);
                    break;
                }
            }
        }
        return errs;
    }

    private static String cronRange(String expr, CronField f) {
        String[] rangeAndStep = expr.split("/", -1);
        if (rangeAndStep.length > 2) {
            return "too many slashes: " + expr;
        }
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        if (lowAndHigh.length > 2) {
            return "too many hyphens: " + expr;
        }
        long start;
        long end;
        boolean star = lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?");
        if (star) {
            if (lowAndHigh.length > 1) {
                return "a range cannot start with '*': " + expr;
            }
            start = f.min();
            end = f.max();
        } else {
            Long low = cronValue(lowAndHigh[0], f);
            if (low == null) {
                return "failed to parse '" + lowAndHigh[0] + "'";
            }
            start = low;
            if (lowAndHigh.length == 2) {
                Long high = cronValue(lowAndHigh[1], f);
                if (high == null) {
                    return "failed to parse '" + lowAndHigh[1] + "'";
                }
                end = high;
            } else {
                end = start;
            }
        }
        if (rangeAndStep.length == 2) {
            if (!rangeAndStep[1].matches("[0-9]{1,9}")) {
                return "failed to parse step '" + rangeAndStep[1] + "'";
            }
            long step = Long.parseLong(rangeAndStep[1]);
            if (step == 0) {
                return "step of range should be a positive number: " + expr;
            }
            if (!star && lowAndHigh.length == 1) {
                end = f.max(); // "N/step" means N-max/step
            }
        }
        if (start < f.min()) {
            return "beginning of range (" + start + ") below minimum (" + f.min() + ")";
        }
        if (end > f.max()) {
            return "end of range (" + end + ") above maximum (" + f.max() + ")";
        }
        if (start > end) {
            return "beginning of range (" + start + ") beyond end of range (" + end + ")";
        }
        return null;
    }

    private static Long cronValue(String text, CronField f) {
        int named = f.names().indexOf(text.toLowerCase(Locale.ROOT));
        if (named >= 0) {
            return (long) (named + (f.min() == 1 ? 1 : 0));
        }
        if (!text.matches("[0-9]{1,9}")) {
            return null;
        }
        return Long.parseLong(text);
    }

    /** A CronJob's timeZone: a zone of the IANA database, explicit (not {@code Local}). */
    public static List<String> isValidTimeZone(String timeZone) {
        if (timeZone.isEmpty()) {
            return List.of("timeZone must be nil or non-empty string");
        }
        if (timeZone.equalsIgnoreCase("Local")) {
            return List.of("timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones");
        }
        if (!ZoneId.getAvailableZoneIds().contains(timeZone)) {
            return List.of("unknown time zone " + timeZone);
        }
        return List.of();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** MaxLenError. */
    static String maxLenError(int length) {
        return "must be no more than " + length + " characters";
    }

    private static boolean ipv4(String address) {
        return IPV4.matcher(address).matches();
    }

    private static boolean ipv6(String address) {
        if (!address.contains(":")) {
            return false;
        }
        int doubleColon = address.indexOf("::");
        if (doubleColon != address.lastIndexOf("::") || address.contains(":::")) {
            return false;
        }
        List<String> groups = new ArrayList<>();
        if (doubleColon >= 0) {
            String head = address.substring(0, doubleColon);
            String tail = address.substring(doubleColon + 2);
            if (!head.isEmpty()) {
                groups.addAll(List.of(head.split(":", -1)));
            }
            if (!tail.isEmpty()) {
                groups.addAll(List.of(tail.split(":", -1)));
            }
        } else {
            groups.addAll(List.of(address.split(":", -1)));
        }
        int width = 0;
        for (int i = 0; i < groups.size(); i++) {
            String g = groups.get(i);
            if (i == groups.size() - 1 && ipv4(g)) {
                width += 2; // an embedded IPv4 address (::ffff:10.0.0.0) counts as two groups
            } else if (HEX_GROUP.matcher(g).matches()) {
                width += 1;
            } else {
                return false;
            }
        }
        return doubleColon >= 0 ? width < 8 : width == 8;
    }

    /** The value of a quantity as the API server's {@code Quantity.Value()}: rounded up to a whole number. */
    public static BigInteger ceilValue(java.math.BigDecimal quantity) {
        return quantity.setScale(0, java.math.RoundingMode.CEILING).toBigIntegerExact();
    }
}
