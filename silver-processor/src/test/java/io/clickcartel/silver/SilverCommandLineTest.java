package io.clickcartel.silver;

import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.spark.Commands;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The silver-processor's command line as its main method answers it before Quarkus and Spark start. */
class SilverCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int answer(String... args) {
        CommandLine commandLine = SilverMain.commandLine(null);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return Commands.answerEarly(commandLine, args);
    }

    @Test
    void helpNamesTheServiceAndTheBackfill() {
        assertThat(answer("--help")).isZero();
        assertThat(out.toString()).contains("Usage: silver-processor", "backfill", "-h, --help");
        assertThat(answer("backfill", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: silver-processor backfill [-h] FROM TO", "first event date");
    }

    @Test
    void theServiceAndAWellFormedBackfillGoOn() {
        assertThat(answer()).isEqualTo(Commands.GO_ON);
        assertThat(answer("backfill", "2024-05-01", "2024-05-03")).isEqualTo(Commands.GO_ON);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aMissingOrMisspeltArgumentIsAUsageErrorWithExitCode2() {
        assertThat(answer("backfill", "2024-05-01")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'TO'", "Usage: silver-processor backfill");
        assertThat(answer("backfill", "2024-05-01", "May 3rd")).isEqualTo(2);
        assertThat(err.toString()).contains("'May 3rd'", "TO");
        assertThat(answer("backfil", "2024-05-01", "2024-05-03")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched arguments");
    }
}
