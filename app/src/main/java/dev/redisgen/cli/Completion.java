package dev.redisgen.cli;

import dev.redisgen.drill.Scenario;
import dev.redisgen.profile.ProfileLoader;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The completion script: picocli's {@link AutoComplete#bash} for the commands and options, plus the values
 * picocli cannot know from the option types, computed here and not in the commands' annotations (picocli
 * would build those candidate lists on every start): the built-in profile names (and files) after
 * {@code --profile} and {@code profiles show}, the scenario names after {@code --scenario}.
 */
final class Completion {
    /** The function picocli generates for the root command; the wrapper hands everything else to it. */
    static final String PICOCLI_FUNCTION = "_complete_redisgen";
    static final String FUNCTION = "_redisgen_complete";

    private Completion() {
    }

    static String script(CommandLine root) {
        String base = AutoComplete.bash("redisgen", root);
        if (!base.contains("function " + PICOCLI_FUNCTION + "()")) {
            throw new IllegalStateException("picocli's completion script has no " + PICOCLI_FUNCTION + " function");
        }
        String profiles = String.join(" ", ProfileLoader.builtinNames());
        String scenarios = Arrays.stream(Scenario.values()).map(Scenario::id).collect(Collectors.joining(" "));
        return base + String.join("\n", List.of(
                "",
                "# redisgen: the values picocli cannot know from the option types. After --profile: the built-in",
                "# profiles and files; after `profiles show`: the built-in profiles; after --scenario: the drill's",
                "# scenarios. Everything else is picocli's " + PICOCLI_FUNCTION + " above.",
                "function " + FUNCTION + "() {",
                "  local curr_word=${COMP_WORDS[COMP_CWORD]}",
                "  local prev_word=${COMP_WORDS[COMP_CWORD-1]}",
                "  local profiles=(" + profiles + ")",
                "  local scenarios=(" + scenarios + ")",
                "  case ${prev_word} in",
                "    --profile)",
                "      # One candidate per line: file names may hold spaces (only here: picocli's functions need the default IFS).",
                "      local IFS=$'\\n'",
                "      COMPREPLY=( $(compgen -W \"${profiles[*]}\" -- \"${curr_word}\") $(compgen -f -- \"${curr_word}\") )",
                "      # bash: a directory gets its trailing slash (zsh's bashcompinit does that by itself).",
                "      [ -n \"${BASH_VERSION-}\" ] && compopt -o filenames 2>/dev/null",
                "      return 0",
                "      ;;",
                "    --scenario)",
                "      COMPREPLY=( $(compgen -W \"${scenarios[*]}\" -- \"${curr_word}\") )",
                "      return 0",
                "      ;;",
                "  esac",
                "  if [ \"${COMP_CWORD}\" -eq 3 ] && [ \"${COMP_WORDS[1]}\" = profiles ] && [ \"${COMP_WORDS[2]}\" = show ]"
                        + " && [[ \"${curr_word}\" != -* ]]; then",
                "    COMPREPLY=( $(compgen -W \"${profiles[*]}\" -- \"${curr_word}\") )",
                "    return 0",
                "  fi",
                "  " + PICOCLI_FUNCTION + " \"$@\"",
                "}",
                "complete -F " + FUNCTION + " -o default redisgen redisgen.sh redisgen.bash",
                ""));
    }
}
