package io.clickcartel.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Writes records to Kafka and returns only once every one of them is acknowledged by all in-sync replicas
 * ({@code acks=all}, idempotent producer), or throws {@link KafkaUnavailableException} within the ack timeout.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final IngestConfig.Kafka config;
    private final Timer ackTimer;
    private volatile Producer<String, String> producer;

    public EventPublisher(IngestConfig config, MeterRegistry registry) {
        this.config = config.kafka();
        this.ackTimer = Timer.builder("clickcartel.ingest.kafka.ack")
                .description("Time from the first send of a request to Kafka's acknowledgement of its last record")
                .publishPercentileHistogram()
                .register(registry);
        this.producer = newProducer();
    }

    public void publishAll(List<ProducerRecord<String, String>> records) {
        if (records.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long deadline = started + config.ackTimeout().toNanos();
        Producer<String, String> current = producer;
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        try {
            for (ProducerRecord<String, String> record : records) {
                acks.add(current.send(record));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not acknowledge within " + config.ackTimeout(), e);
        } catch (ExecutionException e) {
            replaceIfBroken(current, e.getCause());
            throw new KafkaUnavailableException("Kafka refused the write: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while waiting for Kafka", e);
        } catch (RuntimeException e) {
            // send() itself throws when metadata cannot be fetched within max.block.ms (broker down)
            replaceIfBroken(current, e);
            throw new KafkaUnavailableException("Kafka is unavailable: " + e.getMessage(), e);
        }
        ackTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /**
     * Timeouts and retriable errors leave the producer usable (it reconnects by itself); anything else may leave an
     * idempotent producer in a state it cannot leave, so a fresh one takes over.
     */
    private synchronized void replaceIfBroken(Producer<String, String> failed, Throwable error) {
        if (error instanceof RetriableException || error instanceof org.apache.kafka.common.errors.TimeoutException
                || failed != producer) {
            return;
        }
        LOG.warnf("Kafka producer failed with %s; replacing it", error.getClass().getSimpleName());
        producer = newProducer();
        failed.close(Duration.ZERO);
    }

    private Producer<String, String> newProducer() {
        int ackTimeoutMs = (int) config.ackTimeout().toMillis();
        int requestTimeoutMs = Math.max(1_000, ackTimeoutMs / 2);
        int lingerMs = 5;
        Map<String, Object> settings = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) ackTimeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs,
                // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(ackTimeoutMs, lingerMs + requestTimeoutMs),
                ProducerConfig.CLIENT_ID_CONFIG, "clickcartel-ingest");
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
