package io.clickcartel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Smoke test of docker-compose.yml where a Docker engine exists: the images build from this reactor's packages,
 * every service becomes healthy, and an event posted to ingest reaches bronze. Skipped without Docker; the file
 * itself is checked everywhere by {@link DeploymentConsistencyTest}, and the pipeline by {@code DemoIT}.
 */
class ComposeStackIT {

    private static final Pattern BRONZE_KAFKA_ROWS =
            Pattern.compile("clickcartel_stream_rows_total\\{query=\"bronze-kafka\"} ([0-9.E]+)");

    @Test
    void anEventPostedToTheStackReachesBronze() throws Exception {
        assumeTrue(
                DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine here, so the compose stack cannot start (DeploymentConsistencyTest checks it)");
        File composeFile = ServiceSettings.ROOT.resolve("docker-compose.yml").toFile();
        try (ComposeContainer stack = new ComposeContainer(composeFile)
                .withBuild(true)
                .withExposedService("ingest-service", 8080, Wait.forHttp("/q/health/ready"))
                .withExposedService("bronze-writer", 8081, Wait.forHttp("/q/health/ready"))
                .withExposedService("silver-processor", 8082, Wait.forHttp("/q/health/ready"))
                .withExposedService("gold-aggregator", 8083, Wait.forHttp("/q/health/ready"))
                .withStartupTimeout(Duration.ofMinutes(10))) {
            stack.start();
            HttpClient http = HttpClient.newHttpClient();
            String ingest = "http://" + stack.getServiceHost("ingest-service", 8080) + ":"
                    + stack.getServicePort("ingest-service", 8080);
            HttpResponse<String> accepted = http.send(
                    HttpRequest.newBuilder(URI.create(ingest + "/v1/events"))
                            .header("X-Write-Key", "local-dev-key")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"timestamp\":\"" + Instant.now() + "\","
                                    + "\"user_id\":\"u1\",\"event_type\":\"view_product\",\"product_id\":\"p1\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isBetween(200, 299);

            URI bronzeMetrics = URI.create("http://" + stack.getServiceHost("bronze-writer", 8081) + ":"
                    + stack.getServicePort("bronze-writer", 8081) + "/q/metrics");
            await("an event in bronze")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> {
                        Matcher metric = BRONZE_KAFKA_ROWS.matcher(http.send(
                                        HttpRequest.newBuilder(bronzeMetrics).build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body());
                        assertThat(metric.find())
                                .as("bronze reports rows read from Kafka")
                                .isTrue();
                        assertThat(Double.parseDouble(metric.group(1)))
                                .as("rows bronze read from Kafka")
                                .isGreaterThanOrEqualTo(1);
                    });
        }
    }
}
