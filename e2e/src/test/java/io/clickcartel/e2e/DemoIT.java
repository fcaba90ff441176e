package io.clickcartel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's run command at small scale: the real stack as separate processes (Kafka broker, ingest, bronze,
 * silver, gold), fed over HTTP and through the landing folder with duplicates, late, malformed and unknown-id
 * events. The demo exits 0 only if the reconciliation holds and every gold table equals the oracle's; this test
 * also reads what it printed. Once with the native batch API, once with the HTTP phases as Segment messages.
 */
class DemoIT {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final long TIMEOUT_MINUTES = 20;

    @Test
    void theWholePipelineMatchesGroundTruth() throws IOException, InterruptedException {
        assertDemoMatchesGroundTruth("--events", "20000", "--days", "1", "--seed", "7");
    }

    @Test
    void fedAsSegmentMessagesTheWholePipelineMatchesGroundTruth() throws IOException, InterruptedException {
        String printed = assertDemoMatchesGroundTruth("--events", "5000", "--days", "1", "--seed", "8",
                "--via", "segment");
        assertThat(printed).contains("sending over HTTP to the ingest API (segment)");
        assertThat(printed.lines().filter(line -> line.contains("sent ") && line.contains("ignored ")))
                .as("the sender's summary of Segment answers, per HTTP phase").hasSize(2);
    }

    private static String assertDemoMatchesGroundTruth(String... options) throws IOException, InterruptedException {
        Path output = Files.createTempFile("clickcartel-demo-", ".txt");
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("clickcartel").toString(), "demo"));
        command.addAll(List.of(options));
        ProcessBuilder demo = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        // the reactor has just packaged every module; other ports than a developer's own stack
        demo.environment().put("CLICKCARTEL_SKIP_BUILD", "1");
        demo.environment().put("CLICKCARTEL_DEMO_PORT_BASE", "18080");
        demo.environment().put("CLICKCARTEL_KAFKA_PORT", "19092");
        Process process = demo.start();
        boolean finished = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            process.destroy(); // SIGTERM: the demo stops its stack
            process.waitFor(2, TimeUnit.MINUTES);
        }
        String printed = Files.readString(output);
        System.out.println(printed);
        assertThat(finished).as("the demo finished within %d minutes", TIMEOUT_MINUTES).isTrue();
        assertThat(process.exitValue()).as("exit code of the demo (output above)").isZero();
        assertThat(printed).contains("matches ground truth");
        for (String table : List.of("gold.product_daily", "gold.funnel_daily", "gold.journey_daily",
                "gold.purchase_paths", "gold.customer_value")) {
            assertThat(printed.lines().filter(line -> line.startsWith(table)))
                    .as("%s compared with the oracle", table).singleElement().asString().endsWith("equal");
        }
        assertThat(printed).contains("accepted (bronze rows)").doesNotContain("MISMATCH");
        return printed;
    }
}
