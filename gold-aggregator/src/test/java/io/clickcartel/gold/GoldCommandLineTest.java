package io.clickcartel.gold;

import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.spark.Commands;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The gold-aggregator's command line as its main method answers it before Quarkus and Spark start. */
class GoldCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int answer(String... args) {
        CommandLine commandLine = GoldMain.commandLine(null);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return Commands.answerEarly(commandLine, args);
    }

    @Test
    void helpNamesTheServiceAndEachCommand() {
        assertThat(answer("--help")).isZero();
        assertThat(out.toString()).contains("Usage: gold-aggregator", "refresh", "report", "-h, --help");
        assertThat(answer("refresh", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: gold-aggregator refresh [-h] [--explain]");
        assertThat(answer("report", "--help")).isZero();
        assertThat(out.toString()).contains("--json", "--top=N", "default 10");
        assertThat(answer("maintain", "--help")).isZero();
        assertThat(out.toString())
                .contains("Usage: gold-aggregator maintain", "--retention=RETENTION", "CLICKCARTEL_LAKE_RETENTION");
    }

    @Test
    void theServiceAndWellFormedCommandsGoOn() {
        assertThat(answer()).isEqualTo(Commands.GO_ON);
        assertThat(answer("refresh")).isEqualTo(Commands.GO_ON);
        assertThat(answer("refresh", "--explain")).isEqualTo(Commands.GO_ON);
        assertThat(answer("report", "--json", "--top", "5")).isEqualTo(Commands.GO_ON);
        assertThat(answer("maintain", "--retention", "P30D")).isEqualTo(Commands.GO_ON);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aMissingOrMisspeltArgumentIsAUsageErrorWithExitCode2() {
        assertThat(answer("report", "--top", "many")).isEqualTo(2);
        assertThat(err.toString()).contains("'many'", "--top");
        assertThat(answer("maintain", "--retention", "a week")).isEqualTo(2);
        assertThat(err.toString()).contains("'a week'", "--retention");
        assertThat(answer("refersh")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument");
    }
}
