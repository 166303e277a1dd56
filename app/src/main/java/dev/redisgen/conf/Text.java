package dev.redisgen.conf;

/** A config file under construction: {@code \n} line ends, one trailing newline, no double blank lines. */
final class Text {
    private final StringBuilder sb = new StringBuilder();

    Text line(String line) {
        sb.append(line).append('\n');
        return this;
    }

    Text comment(String text) {
        return line("# " + text);
    }

    /** An indented comment (inside a section). */
    Text comment(String text, int indentLevel) {
        return line("    ".repeat(indentLevel) + "# " + text);
    }

    /** An indented comment, only when {@code when} holds. */
    Text comment(String text, int indentLevel, boolean when) {
        return when ? comment(text, indentLevel) : this;
    }

    Text lines(java.util.List<String> lines) {
        lines.forEach(this::line);
        return this;
    }

    Text blank() {
        if (sb.length() > 0 && !endsWith("\n\n")) {
            sb.append('\n');
        }
        return this;
    }

    private boolean endsWith(String suffix) {
        return sb.length() >= suffix.length() && sb.substring(sb.length() - suffix.length()).equals(suffix);
    }

    @Override
    public String toString() {
        String s = sb.toString();
        while (s.endsWith("\n\n")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
