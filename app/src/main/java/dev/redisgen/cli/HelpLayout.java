package dev.redisgen.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Every {@code --help} prints its examples one per line, as written. Picocli wraps the footer at the usage
 * width (80 columns) like prose, which broke a long example mid-argument ({@code drill --help}: "--scenario" at
 * the end of one line, "master-prestop" at the start of the next) so it could no longer be copied. A footer
 * line that starts with a space is an example and is printed unwrapped; other footer lines are prose and
 * wrap as before. Descriptions and options keep picocli's 80-column layout.
 */
final class HelpLayout {
    private HelpLayout() {
    }

    /** Installs the footer renderer on {@code root} and every subcommand it has now. */
    static void apply(CommandLine root) {
        Map<String, IHelpSectionRenderer> sections = new LinkedHashMap<>(root.getHelpSectionMap());
        sections.put(UsageMessageSpec.SECTION_KEY_FOOTER, HelpLayout::footer);
        // Picocli hands the map down to the whole subcommand hierarchy.
        root.setHelpSectionMap(sections);
    }

    static String footer(Help help) {
        String newline = String.format(Locale.ROOT, "%n");
        UsageMessageSpec usage = help.commandSpec().usageMessage();
        StringBuilder text = new StringBuilder();
        for (String line : usage.footer()) {
            // Footer lines are format strings to picocli ("%n", "%%"); the same here.
            String formatted = String.format(Locale.ROOT, line);
            if (formatted.isEmpty() || formatted.startsWith(" ")) {
                text.append(formatted).append(newline);
            } else {
                TextTable prose = TextTable.forColumns(help.colorScheme(), new Column(usage.width(), 0, Column.Overflow.WRAP));
                prose.setAdjustLineBreaksForWideCJKCharacters(usage.adjustLineBreaksForWideCJKCharacters());
                prose.indentWrappedLines = 0;
                prose.addRowValues(formatted);
                text.append(prose);
            }
        }
        return text.toString();
    }
}
