package dev.redisgen.explain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small reader of Go and Java snippets: tokens (string literals, dotted names, numbers, punctuation;
 * comments and blanks dropped), the arguments of a call and the fields of a Go composite literal, each
 * argument or value as its tokens joined without blanks ({@code System.getenv("X")}, {@code []string{"h:1"}}).
 */
final class CodeTokens {
    private static final Pattern TOKEN = Pattern.compile(
            "\\s+|//[^\\n]*|\"(?:\\\\.|[^\"\\\\])*\"|\\.?[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*|[0-9]+|:=|\\S");

    private final List<String> tokens = new ArrayList<>();

    CodeTokens(String code) {
        Matcher m = TOKEN.matcher(code);
        int at = 0;
        while (m.find()) {
            if (m.start() != at) {
                throw new AssertionError("cannot read the code at " + at + ": " + code.substring(at));
            }
            at = m.end();
            String t = m.group();
            if (!t.isBlank() && !t.startsWith("//")) {
                tokens.add(t);
            }
        }
    }

    private static boolean names(String token, String name) {
        return token.equals(name) || token.endsWith("." + name);
    }

    /** The argument lists of every call of {@code name} (a dotted name, or its last part). */
    List<List<String>> calls(String name) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (names(tokens.get(i), name) && tokens.get(i + 1).equals("(")) {
                out.add(split(i + 1, "(", ")"));
            }
        }
        return out;
    }

    /** The one call of {@code name}; fails when there is none or several. */
    List<String> call(String name) {
        List<List<String>> all = calls(name);
        if (all.size() != 1) {
            throw new AssertionError("expected one call of " + name + ", found " + all.size() + " in " + tokens);
        }
        return all.get(0);
    }

    /** Key to value of the one composite literal {@code Type{Key: value, ...}}. */
    Map<String, String> literal(String type) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).equals(type) && tokens.get(i + 1).equals("{")) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String field : split(i + 1, "{", "}")) {
                    int colon = field.indexOf(':');
                    fields.put(field.substring(0, colon), field.substring(colon + 1));
                }
                return fields;
            }
        }
        throw new AssertionError("no composite literal " + type + " in " + tokens);
    }

    /** The tokens of the statement that declares {@code variable} ({@code Type variable = ...;}), joined. */
    String declaration(String variable) {
        for (int i = 1; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).equals(variable) && tokens.get(i + 1).equals("=")) {
                StringBuilder s = new StringBuilder();
                for (int j = i + 2; j < tokens.size() && !tokens.get(j).equals(";"); j++) {
                    s.append(tokens.get(j));
                }
                return s.toString();
            }
        }
        throw new AssertionError("no declaration of " + variable + " in " + tokens);
    }

    /** The comma-separated parts between the bracket at {@code open} and its match. */
    private List<String> split(int open, String left, String right) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.equals("(") || t.equals("{") || t.equals("[")) {
                depth++;
                if (depth == 1) {
                    continue;
                }
            } else if (t.equals(")") || t.equals("}") || t.equals("]")) {
                depth--;
                if (depth == 0) {
                    if (!part.isEmpty()) {
                        parts.add(part.toString());
                    }
                    return parts;
                }
            } else if (t.equals(",") && depth == 1) {
                parts.add(part.toString());
                part.setLength(0);
                continue;
            }
            part.append(t);
        }
        throw new AssertionError("unbalanced " + left + right + " in " + tokens);
    }
}
