package dev.redisgen.diag;

/**
 * Where a finding points: a file (or built-in profile resource) and a 1-based line and column.
 * A location with line 0 names only the file.
 */
public record Location(String file, int line, int column) {

    public static Location ofFile(String file) {
        return new Location(file, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
