package io.clickcartel.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clickcartel.core.Topics;
import io.clickcartel.core.contract.EventTimes;
import io.clickcartel.core.contract.EventValidator;
import io.clickcartel.core.contract.NormalizedEvent;
import io.clickcartel.core.contract.Rule;
import io.clickcartel.core.contract.Validation;
import io.clickcartel.core.segment.SegmentMapping;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Validates a request's events against the contract and writes valid ones to the events topic (key = user_id) and
 * invalid ones, with the Segment messages that are no event, to the rejected topic, as one unit that Kafka must
 * acknowledge before anything is reported.
 */
@ApplicationScoped
public class Ingestor {

    private final EventValidator validator;
    private final EventPublisher publisher;
    private final ObjectMapper json;
    private final IngestConfig.Kafka kafka;
    private final Clock clock;
    private final Counter accepted;
    private final Map<Rule, Counter> rejectedByRule = new EnumMap<>(Rule.class);

    public Ingestor(EventPublisher publisher, ObjectMapper json, IngestConfig config, MeterRegistry registry) {
        this.validator = new EventValidator(json, config.maxFuture());
        this.publisher = publisher;
        this.json = json;
        this.kafka = config.kafka();
        this.clock = Clock.systemUTC();
        this.accepted = Counter.builder("clickcartel.ingest.events.accepted")
                .description("Events acknowledged by Kafka on the events topic")
                .register(registry);
        for (Rule rule : Rule.values()) {
            rejectedByRule.put(
                    rule,
                    Counter.builder("clickcartel.ingest.events.rejected")
                            .description("Events refused for breaking a contract rule")
                            .tag("rule", rule.id())
                            .register(registry));
        }
    }

    public CompletionStage<IngestResult> ingest(List<IncomingEvent> events) {
        return ingest(events, List.of());
    }

    /**
     * {@code events} as above, and {@code ignored} Segment messages kept on the rejected topic under
     * {@link SegmentMapping#IGNORED_RULE}, so that what ingest took and did not turn into events is all on Kafka.
     */
    public CompletionStage<IngestResult> ingest(List<IncomingEvent> events, List<IgnoredMessage> ignored) {
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MICROS); // a contract time, as silver reads it
        List<ProducerRecord<String, String>> records = new ArrayList<>(events.size());
        List<String> acceptedIds = new ArrayList<>(events.size());
        List<IngestResult.Rejection> rejections = new ArrayList<>();
        List<Rule> brokenRules = new ArrayList<>();

        for (IncomingEvent event : events) {
            Validation validation = validator.admit(event.raw(), receivedAt);
            if (validation instanceof Validation.Valid valid) {
                NormalizedEvent normalized = valid.event();
                records.add(new ProducerRecord<>(kafka.eventsTopic(), normalized.userId(), valid.json()));
                acceptedIds.add(normalized.eventId());
            } else {
                Rule rule = ((Validation.Invalid) validation).rule();
                records.add(rejectedRecord(event, rule.id(), rule.field(), rule.reason(), receivedAt));
                rejections.add(new IngestResult.Rejection(event.index(), rule.id(), rule.field(), rule.reason()));
                brokenRules.add(rule);
            }
        }

        for (IgnoredMessage message : ignored) {
            records.add(rejectedRecord(
                    message.message(),
                    SegmentMapping.IGNORED_RULE,
                    null,
                    message.outcome().reason(),
                    receivedAt));
        }

        return publisher.publishAll(records).thenApply(published -> {
            accepted.increment(acceptedIds.size());
            brokenRules.forEach(rule -> rejectedByRule.get(rule).increment());
            return new IngestResult(acceptedIds, rejections);
        });
    }

    private ProducerRecord<String, String> rejectedRecord(
            IncomingEvent event, String rule, String field, String reason, Instant receivedAt) {
        ObjectNode record = json.createObjectNode();
        record.put(Topics.RejectedKeys.RULE, rule);
        record.put(Topics.RejectedKeys.FIELD, field);
        record.put(Topics.RejectedKeys.REASON, reason);
        record.put(Topics.RejectedKeys.INDEX, event.index());
        record.put(Topics.RejectedKeys.RECEIVED_AT, EventTimes.format(receivedAt));
        record.put(Topics.RejectedKeys.RAW, event.raw());
        return new ProducerRecord<>(kafka.rejectedTopic(), null, record.toString());
    }
}
