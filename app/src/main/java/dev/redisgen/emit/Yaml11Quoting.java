package dev.redisgen.emit;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which strings must be quoted so that every YAML reader reads them back as strings.
 *
 * <p>Jackson's default checker knows the YAML 1.2 keywords; Kubernetes tooling is mixed (the API
 * server's sigs.k8s.io/yaml is YAML 1.1, kustomize's kyaml 1.2, PyYAML 1.1). So on top of the default
 * we quote every plain scalar that a YAML 1.1 <em>or</em> 1.2 resolver would turn into a bool, null,
 * int (also octal {@code 0755}, hex, binary, sexagesimal {@code 1:20}), float ({@code 1e3},
 * {@code .5}, {@code .inf}), timestamp, merge key or value key. An unquoted {@code on} in a label
 * would otherwise reach the API server as {@code true}.
 */
final class Yaml11Quoting extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;

    /** The bool (1.1 and 1.2) and null words. */
    private static final List<String> WORD_LIST = List.of("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True",
            "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL");
    private static final Set<String> WORDS = Set.copyOf(WORD_LIST);

    private static final Pattern NON_STRING = Pattern.compile(String.join("|",
            String.join("|", WORD_LIST),
            // null
            "~",
            // int: binary, octal (1.1 and 1.2 forms), hex, decimal with underscores, sexagesimal
            "[-+]?0b[0-1_]+",
            "[-+]?0o?[0-7_]+",
            "[-+]?0x[0-9a-fA-F_]+",
            "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])*",
            // float: any decimal or exponent form, sexagesimal, infinities, NaN
            "[-+]?(\\.[0-9][0-9_]*|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?",
            "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*",
            "[-+]?\\.(inf|Inf|INF)",
            "\\.(nan|NaN|NAN)",
            // timestamp (1.1): starts like a date
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*",
            // merge and value keys (1.1)
            "<<|="));

    @Override
    public boolean needToQuoteValue(String value) {
        return value.isEmpty() || nonString(value) || super.needToQuoteValue(value);
    }

    @Override
    public boolean needToQuoteName(String name) {
        return name.isEmpty() || nonString(name) || super.needToQuoteName(name);
    }

    /**
     * {@link #NON_STRING} matches, asked only when it can: every alternative that starts with a letter is one of the
     * {@link #WORDS} (a set lookup, not the regex), and the others start with one of {@code ~ - + . < =} or a digit.
     * Most keys and values (names, labels, scripts) are words, and the regex over every one of them was a third of a
     * cold write's time.
     */
    static boolean nonString(String s) {
        char c = s.charAt(0);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            // Of the alternatives, only the bool and null words start with a letter: the regex matches exactly them.
            return s.length() <= 5 && WORDS.contains(s);
        } else if (!(c >= '0' && c <= '9') && "~-+.<=".indexOf(c) < 0) {
            return false;
        }
        return NON_STRING.matcher(s).matches();
    }
}
