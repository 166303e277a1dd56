package dev.redisgen.cli;

/** The exit codes of every command (SPEC "Interfaces", ARCHITECTURE habit 6), in one place. */
final class ExitCode {
    /** Done; for check and lint: nothing found. */
    static final int OK = 0;
    /** A problem was found: golden drift, lint errors (warnings too with --strict), a missed drill target. */
    static final int PROBLEM = 1;
    /** Bad usage (unknown option, missing argument) or bad input (broken profile, impossible topology, foreign output dir). */
    static final int USAGE = 2;
    /** A bug in redisgen (EX_SOFTWARE from sysexits.h). */
    static final int INTERNAL = 70;

    private ExitCode() {
    }
}
