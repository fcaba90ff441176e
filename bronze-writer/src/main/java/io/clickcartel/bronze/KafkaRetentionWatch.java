package io.clickcartel.bronze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.spark.StreamingQueries;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.jboss.logging.Logger;

/**
 * Compares, every {@code CLICKCARTEL_BRONZE_RETENTION_CHECK}, how far the Kafka query has read with what Kafka still
 * keeps: the oldest unread record's age against the topic's retention. Published as metrics
 * ({@code clickcartel_bronze_kafka_unread_*}, {@code clickcartel_bronze_kafka_retention_seconds}) and read by the
 * {@code kafka-retention} readiness check, which goes down before unread records would expire.
 */
@ApplicationScoped
public class KafkaRetentionWatch {

    private static final Logger LOG = Logger.getLogger(KafkaRetentionWatch.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaSourceConfig kafka;
    private final BronzeConfig bronze;
    private final StreamingQueries queries;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "kafka-retention-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile UnreadRecords last;
    private volatile boolean warned;
    // used by the check thread only
    private Admin admin;
    private KafkaConsumer<byte[], byte[]> consumer;

    public KafkaRetentionWatch(
            KafkaSourceConfig kafka, BronzeConfig bronze, StreamingQueries queries, MeterRegistry registry) {
        this.kafka = kafka;
        this.bronze = bronze;
        this.queries = queries;
        gauge(
                registry,
                "clickcartel.bronze.kafka.unread.age.seconds",
                "Age of the oldest record bronze has not read",
                u -> u.oldestAge().toMillis() / 1000.0);
        gauge(registry, "clickcartel.bronze.kafka.unread.records", "Records bronze has not read", UnreadRecords::count);
        gauge(
                registry,
                "clickcartel.bronze.kafka.unread.lost",
                "1 when records bronze never read are gone",
                u -> u.lost() ? 1 : 0);
        gauge(
                registry,
                "clickcartel.bronze.kafka.retention.seconds",
                "How long the topic keeps records",
                u -> u.retention() == null
                        ? Double.POSITIVE_INFINITY
                        : u.retention().toMillis() / 1000.0);
    }

    void start(@Observes StartupEvent event) {
        long every = bronze.retentionCheck().toMillis();
        checks.scheduleWithFixedDelay(this::checkQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** The last check's result, if a check has succeeded. */
    public Optional<UnreadRecords> last() {
        return Optional.ofNullable(last);
    }

    /** Whether the last check found unread records at risk of expiring (or already gone). */
    public boolean atRisk() {
        UnreadRecords unread = last;
        return unread != null && unread.atRisk(bronze.retentionWarnShare());
    }

    private void checkQuietly() {
        try {
            Optional<Map<Integer, Long>> positions = positions();
            if (positions.isEmpty()) {
                return; // the query has not reported where it stands yet
            }
            last = check(positions.get());
            boolean risk = atRisk();
            if (risk && !warned) {
                LOG.warnf(
                        "unread Kafka records at risk: the oldest is %s old, the topic %s keeps records for %s%s",
                        last.oldestAge(),
                        kafka.eventsTopic(),
                        last.retention(),
                        last.lost() ? "; some bronze never read are gone already" : "");
            } else if (!risk && warned) {
                LOG.infof("unread Kafka records no longer at risk (oldest %s old)", last.oldestAge());
            }
            warned = risk;
        } catch (RuntimeException e) {
            LOG.debugf("Kafka retention check failed: %s", e.toString());
        }
    }

    /** Bronze's next offset per partition of the topic, from the Kafka query's last reported batch. */
    private Optional<Map<Integer, Long>> positions() {
        Map<Integer, Long> positions = new HashMap<>();
        Optional<StreamingQueryProgress> progress = queries.lastProgress(BronzeStreams.KAFKA_QUERY);
        if (progress.isEmpty()) {
            return Optional.empty();
        }
        for (SourceProgress source : progress.get().sources()) {
            if (source.endOffset() == null) {
                continue;
            }
            try {
                JsonNode topic = JSON.readTree(source.endOffset()).path(kafka.eventsTopic());
                topic.fields()
                        .forEachRemaining(partition -> positions.put(
                                Integer.parseInt(partition.getKey()),
                                partition.getValue().asLong()));
            } catch (java.io.IOException | NumberFormatException notKafkaOffsets) {
                // another source's offsets
            }
        }
        return Optional.of(positions);
    }

    /** One comparison of {@code positions} with the topic as Kafka holds it now. */
    UnreadRecords check(Map<Integer, Long> positions) {
        connect();
        String topic = kafka.eventsTopic();
        List<TopicPartition> partitions = consumer.partitionsFor(topic, CALL_TIMEOUT).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        return UnreadRecords.of(
                positions,
                byPartition(consumer.beginningOffsets(partitions, CALL_TIMEOUT)),
                byPartition(consumer.endOffsets(partitions, CALL_TIMEOUT)),
                this::firstRecord,
                retention(topic),
                Instant.now());
    }

    private Duration retention(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            ConfigEntry entry = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource)
                    .get(TopicConfig.RETENTION_MS_CONFIG);
            long millis = entry == null ? -1 : Long.parseLong(entry.value());
            return millis < 0 ? null : Duration.ofMillis(millis);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the retention of " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The first record from the offset on: a gap is a compacted or aborted record or a transaction marker, and a
     * partition may end in markers, which no poll returns — then the consumer's position reaches the end.
     */
    private Optional<Instant> firstRecord(int partition, long offset, long end) {
        TopicPartition topicPartition = new TopicPartition(kafka.eventsTopic(), partition);
        consumer.assign(List.of(topicPartition));
        consumer.seek(topicPartition, offset);
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                return record.offset() < end ? Optional.of(Instant.ofEpochMilli(record.timestamp())) : Optional.empty();
            }
            if (consumer.position(topicPartition, CALL_TIMEOUT) >= end) {
                return Optional.empty();
            }
        }
        throw new IllegalStateException(
                "no record at " + topicPartition + " offset " + offset + " within " + CALL_TIMEOUT);
    }

    private void connect() {
        if (consumer == null) {
            consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                            false,
                            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                            1,
                            ConsumerConfig.CLIENT_ID_CONFIG,
                            "clickcartel-bronze-retention-watch"),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(),
                    AdminClientConfig.CLIENT_ID_CONFIG,
                    "clickcartel-bronze-retention-watch"));
        }
    }

    private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
        Map<Integer, Long> byPartition = new HashMap<>();
        offsets.forEach((partition, offset) -> byPartition.put(partition.partition(), offset));
        return byPartition;
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<UnreadRecords> value) {
        Gauge.builder(name, () -> {
                    UnreadRecords unread = last;
                    return unread == null ? Double.NaN : value.applyAsDouble(unread);
                })
                .description(description)
                .register(registry);
    }

    @PreDestroy
    void stop() {
        checks.shutdownNow();
        try {
            checks.awaitTermination(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
            admin.close(Duration.ofSeconds(2));
        }
    }
}
