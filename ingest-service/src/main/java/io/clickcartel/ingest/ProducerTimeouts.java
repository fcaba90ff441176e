package io.clickcartel.ingest;

import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;

/**
 * Derives the producer's timeouts from the one setting a user thinks in, the ack timeout: the producer gives up on a
 * record (blocking for metadata, one request, the whole delivery) no later than a request stops waiting for it.
 */
@ApplicationScoped
public class ProducerTimeouts implements ClientCustomizer<Map<String, Object>> {

    private static final int LINGER_MS = 5;

    private final IngestConfig.Kafka config;

    public ProducerTimeouts(IngestConfig config) {
        this.config = config.kafka();
    }

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> settings) {
        if (!EventPublisher.CHANNEL.equals(channel)) {
            return settings;
        }
        int ackTimeoutMs = (int) config.ackTimeout().toMillis();
        int requestTimeoutMs = Math.max(1_000, ackTimeoutMs / 2);
        // strings: the connector reads some of these back as text
        settings.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(LINGER_MS));
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(ackTimeoutMs));
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(requestTimeoutMs));
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms
        settings.put(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                String.valueOf(Math.max(ackTimeoutMs, LINGER_MS + requestTimeoutMs)));
        return settings;
    }
}
