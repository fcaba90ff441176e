package io.clickcartel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.clickcartel.datagen.GroundTruth;
import io.clickcartel.localkafka.StablePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code ./clickcartel demo --lake s3a://…} with no store of the user's: the demo runs a local S3 API server (S3Proxy)
 * and every process — bronze, silver, gold, the check, the insights service — reaches the lake and the streams'
 * checkpoints only through s3a. The demo exits 0 only if every layer's count and every gold table equal the ground
 * truth; the dashboard's service then holds every gold row and silver's books, read from the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoOnObjectStorageIT {

    private static final String LAKE = "s3a://demo-lake/run";

    private String printed;
    private DemoOracle oracle;

    @BeforeAll
    void runTheDemoOnS3a() throws IOException, InterruptedException {
        printed = Demos.runMatchingGroundTruth(
                Map.of("CLICKCARTEL_S3_PORT", Integer.toString(StablePorts.free())),
                "--events",
                "3000",
                "--days",
                "1",
                "--seed",
                "23",
                "--lake",
                LAKE,
                "--keep");
        oracle = DemoOracle.ofLatestRun();
    }

    @AfterAll
    void stopTheStack() throws IOException, InterruptedException {
        Demos.down();
    }

    @Test
    @Order(1)
    void theLakeAndTheCheckpointsLiveOnlyInTheStore() {
        assertThat(printed)
                .contains("starting a local S3 server")
                .contains("lake: " + LAKE + "/lake, checkpoints: " + LAKE + "/checkpoints");
        assertThat(Files.exists(Demos.LATEST.resolve("lake"))).isFalse();
        assertThat(Files.exists(Demos.LATEST.resolve("checkpoints"))).isFalse();
    }

    @Test
    @Order(2)
    void theInsightsServiceReadsGoldAndSilversBooksFromTheStore() {
        Demos.awaitInsightsHolding(oracle.rowCounts());
        await("silver's books on the pipeline view")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    JsonNode books = Demos.insights("/api/pipeline").get("books");
                    JsonNode counts = oracle.counts();
                    assertThat(books.get("input_rows").asLong())
                            .isEqualTo(counts.get(GroundTruth.BRONZE_ROWS).asLong());
                    assertThat(books.get("written_rows").asLong())
                            .isEqualTo(counts.get(GroundTruth.SILVER_ROWS).asLong());
                });
    }
}
