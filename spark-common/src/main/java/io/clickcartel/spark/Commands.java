package io.clickcartel.spark;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** The services' command lines, answered where they can be before Quarkus and Spark start. */
public final class Commands {

    /** {@link #answerEarly}: the arguments are a valid run, go on with it. */
    public static final int GO_ON = -1;

    private Commands() {}

    /**
     * Parses {@code args}: help requested → printed to the command line's out, exit code 0; a usage error → the
     * message and the usage to its err, exit code 2; otherwise {@link #GO_ON}.
     */
    public static int answerEarly(CommandLine commandLine, String... args) {
        try {
            ParseResult parsed = commandLine.parseArgs(args);
            return CommandLine.printHelpIfRequested(parsed) ? CommandLine.ExitCode.OK : GO_ON;
        } catch (ParameterException e) {
            commandLine.getErr().println(e.getMessage());
            e.getCommandLine().usage(commandLine.getErr());
            return CommandLine.ExitCode.USAGE;
        }
    }
}
