package io.clickcartel.bronze;

import io.clickcartel.core.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the events come from: {@code CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS}, {@code CLICKCARTEL_KAFKA_EVENTS_TOPIC}, and
 * ingest's refusals, {@code CLICKCARTEL_KAFKA_REJECTED_TOPIC}.
 */
@ConfigMapping(prefix = "clickcartel.kafka")
public interface KafkaSourceConfig {

    @WithDefault("localhost:9092")
    String bootstrapServers();

    @WithDefault(Topics.EVENTS)
    String eventsTopic();

    @WithDefault(Topics.REJECTED)
    String rejectedTopic();
}
