package io.clickcartel.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.Topics;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.EventSender;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.datagen.Phase;
import io.clickcartel.testsupport.LocalKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** datagen's sender against this service and a real broker: Kafka ends up holding what the oracle predicts. */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class DatagenSendTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource
    URL service;

    @Test
    void aGeneratedDatasetSentOverHttpLandsInKafkaExactlyAsTheOracleSays(@TempDir Path dataset) throws Exception {
        GeneratorConfig d = GeneratorConfig.defaults();
        GeneratorConfig config = new GeneratorConfig(11, 200, 60, 5_000, d.start(), 1, d.zipfExponent(),
                d.meanViewsPerSession(), d.cartProbability(), d.purchaseProbability(), 0.03, 0.01, 0.03,
                d.messyRate(), d.unknownCustomerRate(), d.unknownProductRate(), d.landingShare(), d.maxJitter(),
                d.watermarkDelay(), d.eventsPerFile());
        Dataset.generate(config, dataset);
        JsonNode expected = JSON.readTree(dataset.resolve("expected/counts.json").toFile());

        List<Path> files = new ArrayList<>(Dataset.eventFiles(dataset, Phase.MAIN_HTTP));
        files.addAll(Dataset.eventFiles(dataset, Phase.LATE_HTTP));
        EventSender.Result result = new EventSender(new EventSender.Options(
                URI.create(service.toString()).resolve("/v1/events/batch"), IngestTestSupport.WRITE_KEY, 250,
                Duration.ofMinutes(1), 3, 0, 3, Duration.ofSeconds(2)), System.err).send(files);

        assertThat(result.sent()).isEqualTo(expected.get("sent_over_http").asLong());
        assertThat(result.accepted()).isEqualTo(expected.get("ingest_accepted").asLong());
        assertThat(result.rejectedByRule()).isEqualTo(
                JSON.convertValue(expected.get("ingest_rejected_by_rule"), new TypeReference<Map<String, Long>>() { }));
        assertThat(result.retries()).isZero();
        long generatedInKafka = TopicReader.readAll(Topics.EVENTS).stream()
                .filter(r -> r.value().matches("\\{\"event_id\":\"e-\\d+\".*"))
                .count();
        assertThat(generatedInKafka).isEqualTo(expected.get("ingest_accepted").asLong());
        Map<String, Long> rejectedInKafka = new TreeMap<>();
        for (var record : TopicReader.readAll(Topics.REJECTED)) {
            JsonNode rejected = JSON.readTree(record.value());
            if (rejected.get("raw").asText().startsWith("{\"event_id\":\"m-")) {
                rejectedInKafka.merge(rejected.get("rule").asText(), 1L, Long::sum);
            }
        }
        assertThat(rejectedInKafka).isEqualTo(result.rejectedByRule());
    }
}
