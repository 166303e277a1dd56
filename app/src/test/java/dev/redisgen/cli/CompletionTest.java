package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.conf.Binaries;
import dev.redisgen.drill.Scenario;
import dev.redisgen.profile.ProfileLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code redisgen completion bash|zsh}: the script is sourced in a real bash (and a real zsh through its
 * bashcompinit), the function it registers for {@code redisgen} is called with COMP_WORDS and COMP_CWORD set
 * as the shell sets them on TAB, and what it offers is checked against the command tree itself, so a command
 * or an option added later is covered without touching this test.
 */
class CompletionTest {
    @TempDir
    Path tmp;

    Path script;

    @BeforeEach
    void writeScript() throws IOException {
        CliRun run = CliRun.of("completion", "bash");
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.err()).isEmpty();
        script = Files.writeString(tmp.resolve("redisgen.bash"), run.out(), StandardCharsets.UTF_8);
    }

    @Test
    void zshGetsTheSameScriptAndAnUnknownShellIsBadUsage() {
        assertThat(CliRun.of("completion", "zsh").out()).isEqualTo(CliRun.of("completion", "bash").out());
        CliRun fish = CliRun.of("completion", "fish");
        assertThat(fish.exit()).isEqualTo(2);
        assertThat(fish.out()).isEmpty();
        assertThat(fish.err()).contains("expected one of [bash, zsh]", "'fish'", "Try 'redisgen completion --help'");
        CliRun none = CliRun.of("completion");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("Missing required parameter: 'SHELL'");
    }

    @Test
    void bashCompletesEveryCommand() throws Exception {
        assertThat(bash(List.of("redisgen", ""))).containsExactlyInAnyOrderElementsOf(subcommands());
        assertThat(bash(List.of("redisgen", "ren"))).containsExactly("render");
        assertThat(bash(List.of("redisgen", "re"))).containsExactlyInAnyOrder("render", "restore");
        assertThat(bash(List.of("redisgen", "di"))).containsExactly("diff");
        assertThat(bash(List.of("redisgen", "profiles", ""))).containsExactly("show");
        assertThat(bash(List.of("redisgen", "--"))).contains("--help", "--version");
    }

    @Test
    void bashCompletesEveryOptionOfEveryCommand() throws Exception {
        for (CommandLine command : CliRun.commandTree()) {
            List<String> words = new ArrayList<>(Arrays.asList(command.getCommandSpec().qualifiedName(" ").split(" ")));
            words.add("--");
            List<String> expected = command.getCommandSpec().options().stream().filter(o -> !o.hidden())
                    .flatMap(o -> Arrays.stream(o.names())).filter(n -> n.startsWith("--")).toList();
            assertThat(bash(words)).as("completions of %s", words).containsAll(expected);
        }
        assertThat(bash(List.of("redisgen", "render", "--out"))).containsExactly("--output-dir");
    }

    @Test
    void bashCompletesProfilesScenariosAndFiles() throws Exception {
        Files.writeString(tmp.resolve("my-team.yaml"), "name: my-team\n");
        Files.createDirectories(tmp.resolve("deploy"));
        assertThat(bash(List.of("redisgen", "render", "--profile", "air"))).containsExactly("airflow");
        assertThat(bash(List.of("redisgen", "lint", "--profile", ""))).containsAll(ProfileLoader.builtinNames())
                .contains("my-team.yaml", "deploy");
        assertThat(bash(List.of("redisgen", "check", "--profile", "my"))).containsExactly("my-team.yaml");
        assertThat(bash(List.of("redisgen", "profiles", "show", "ga"))).containsExactly("gateway-ha");
        assertThat(bash(List.of("redisgen", "drill", "--scenario", "master-"))).containsExactly("master-kill", "master-prestop");
        assertThat(bash(List.of("redisgen", "drill", "--scenario", ""))).hasSize(Scenario.values().length);
        assertThat(bash(List.of("redisgen", "render", "--output-dir", "de"))).containsExactly("deploy");
        assertThat(bash(List.of("redisgen", "diff", "--from", "de"))).containsExactly("deploy");
        assertThat(bash(List.of("redisgen", "diff", "--profile", "air"))).containsExactly("airflow");
        assertThat(bash(List.of("redisgen", "completion", ""))).containsExactly("bash", "zsh");
    }

    /** zsh runs the same functions through bashcompinit's compgen -F, which gives them 0-based arrays as in bash. */
    @Test
    void zshCompletesThroughBashcompinit() throws Exception {
        Path zsh = Binaries.require("zsh");
        String driver = """
                autoload -U +X compinit && compinit -u -D
                source "$1"
                print -r -- "registered: ${_comps[redisgen]}"
                comp() {
                  words=("$@"); CURRENT=$#
                  COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
                  compgen -F _redisgen_complete -- "${@[-1]}"
                }
                print -r -- "--- commands"; comp redisgen ''
                print -r -- "--- render options"; comp redisgen render --
                print -r -- "--- profiles"; comp redisgen lint --profile ''
                """;
        Process p = new ProcessBuilder(zsh.toString(), "-f", "-c", driver, "zsh", script.toString())
                .directory(tmp.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).contains("registered: _bash_complete -F _redisgen_complete -o default")
                .doesNotContain("command not found", "bad substitution");
        List<String> lines = out.lines().toList();
        assertThat(section(lines, "--- commands")).containsAll(subcommands());
        assertThat(section(lines, "--- render options")).contains("--profile", "--output-dir", "--help");
        assertThat(section(lines, "--- profiles")).containsAll(ProfileLoader.builtinNames()).contains("redisgen.bash");
    }

    /** What the registered completion function puts in COMPREPLY for these words, the last being the one completed. */
    private List<String> bash(List<String> words) throws Exception {
        Path bash = Binaries.require("bash");
        // compopt (a builtin) refuses to run outside a completion bash itself started on TAB: a no-op here.
        String driver = """
                compopt() { return 0; }
                source "$1" || exit 3
                shift
                function=$(complete -p redisgen | sed -n 's/.* -F \\([^ ]*\\) .*/\\1/p')
                [ -n "$function" ] || { echo 'nothing registered for redisgen' >&2; exit 4; }
                COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
                "$function" redisgen "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
                printf '%s\\n' "${COMPREPLY[@]}"
                """;
        List<String> command = new ArrayList<>(List.of(bash.toString(), "--norc", "--noprofile", "-c", driver, "bash", script.toString()));
        command.addAll(words);
        Process p = new ProcessBuilder(command).directory(tmp.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("bash: %s", err).isZero();
        assertThat(err).as("stderr of the completion of %s", words).isEmpty();
        return out.lines().filter(l -> !l.isEmpty()).toList();
    }

    private static List<String> section(List<String> lines, String heading) {
        int start = lines.indexOf(heading) + 1;
        int end = start;
        while (end < lines.size() && !lines.get(end).startsWith("--- ")) {
            end++;
        }
        return lines.subList(start, end);
    }

    /** The subcommands of the root command, as picocli registered them. */
    private static List<String> subcommands() {
        return List.copyOf(CliRun.commandTree().get(0).getSubcommands().keySet());
    }
}
