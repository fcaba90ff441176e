package io.clickcartel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The demo with its HTTP phases sent as Segment track messages, as a Segment or RudderStack SDK sends them. */
class SegmentDemoIT {

    @Test
    void fedAsSegmentMessagesTheWholePipelineMatchesGroundTruth() throws IOException, InterruptedException {
        String printed = Demos.runMatchingGroundTruth("--events", "3000", "--days", "1", "--seed", "8",
                "--via", "segment");
        assertThat(printed).contains("sending over HTTP to the ingest API (segment)");
        assertThat(printed.lines().filter(line -> line.contains("sent ") && line.contains("ignored ")))
                .as("the sender's summary of Segment answers, per HTTP phase").hasSize(2);
    }
}
