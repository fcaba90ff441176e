package io.clickcartel.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The local broker's command line: help, usage errors and {@code status}, with no broker started. */
class LocalKafkaCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine commandLine = LocalKafkaCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void helpNamesEachCommandAndTheSettings() {
        assertThat(execute("--help")).isZero();
        assertThat(out.toString())
                .contains("Usage: local-kafka", "start", "run", "stop", "status", "CLICKCARTEL_KAFKA_PORT");
        assertThat(execute("start", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: local-kafka start");
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageErrorWithExitCode2() {
        assertThat(execute()).isEqualTo(2);
        assertThat(err.toString()).contains("a command is needed", "Usage: local-kafka");
        assertThat(execute("strat")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument");
    }

    @Test
    void statusWithoutABrokerSaysSoWithExitCode3() {
        assertThat(execute("status")).isEqualTo(LocalKafkaCli.NOT_RUNNING);
    }
}
