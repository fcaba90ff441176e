package io.clickcartel.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes records to Kafka through the messaging extension's {@value #CHANNEL} channel and returns only once every
 * one of them is acknowledged by all in-sync replicas ({@code acks=all}, idempotent producer): the extension owns
 * the producer (its settings in {@code application.properties} and {@link ProducerTimeouts}, its health checks, its
 * flush and close at shutdown); a request's records are handed to it on the extension's sending thread in one go, and
 * each record's acknowledgement is counted by a plain producer callback (the extension's emitter, with a reactive
 * stage per record, halved the events/s of batches). At most {@code clickcartel.max-in-flight-events} events wait
 * for their acknowledgement at once; past that a request is shed at once instead of queueing for memory.
 */
@ApplicationScoped
public class EventPublisher {

    /** The outgoing channel; its records carry their own topic (events or rejected). */
    public static final String CHANNEL = "collected";

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final KafkaProducer<String, String> producer;
    private final Semaphore inFlight;
    private final Duration ackTimeout;
    private final Timer ackTimer;
    private final LoadShedding shedding;

    public EventPublisher(
            KafkaClientService kafka, IngestConfig config, MeterRegistry registry, LoadShedding shedding) {
        this.producer = kafka.getProducer(CHANNEL);
        this.inFlight = new Semaphore(config.maxInFlightEvents());
        this.ackTimeout = config.kafka().ackTimeout();
        this.shedding = shedding;
        this.ackTimer = Timer.builder("clickcartel.ingest.kafka.ack")
                .description("Time from the first send of a request to Kafka's acknowledgement of its last record")
                .publishPercentileHistogram()
                .register(registry);
    }

    /**
     * Sends every record; the stage completes once all are acknowledged, or fails when the ack timeout passes first
     * (the time waiting to be handed to the producer included).
     *
     * @throws OverloadedException at once when the bound on in-flight events is reached (nothing may be reported
     *     accepted)
     * @return a stage failing with {@link KafkaUnavailableException} when Kafka refuses or does not acknowledge in
     *     time
     */
    public CompletionStage<Void> publishAll(List<ProducerRecord<String, String>> records) {
        if (records.isEmpty()) {
            return DONE;
        }
        if (!inFlight.tryAcquire(records.size())) {
            throw shedding.overloaded("more than the in-flight limit of events wait for Kafka's acknowledgement");
        }
        long started = System.nanoTime();
        Delivery delivery = new Delivery(records.size());
        delivery.acked.orTimeout(ackTimeout.toNanos(), TimeUnit.NANOSECONDS);
        // a send can block (for the topic's metadata while Kafka is away): never on the HTTP event loop
        Consumer<Producer<String, String>> handOver = kafka -> delivery.send(kafka, records);
        producer.runOnSendingThread(handOver).subscribe().with(sent -> {}, delivery::notHandedOver);
        CompletableFuture<Void> published = new CompletableFuture<>();
        delivery.acked.whenComplete((done, failure) -> {
            if (failure == null) {
                ackTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                published.complete(null);
            } else {
                published.completeExceptionally(unavailable(failure));
            }
        });
        return published;
    }

    /** One request's records: its stage completes on the last ack or the first failure. */
    private final class Delivery implements Callback {
        final CompletableFuture<Void> acked = new CompletableFuture<>();
        private final int count;
        private final AtomicInteger waiting;
        private volatile boolean handedOver;

        Delivery(int count) {
            this.count = count;
            this.waiting = new AtomicInteger(count);
        }

        /** On the sending thread. Once the request has failed or timed out, its remaining records are not sent. */
        void send(Producer<String, String> kafka, List<ProducerRecord<String, String>> records) {
            handedOver = true;
            for (int i = 0; i < records.size(); i++) {
                if (acked.isDone()) {
                    inFlight.release(records.size() - i);
                    return;
                }
                try {
                    kafka.send(records.get(i), this);
                } catch (RuntimeException refused) { // not an ApiException: those reach the callback
                    onCompletion(null, refused);
                }
            }
        }

        /** The sending thread refused the task (the service is stopping): none of the records is in the producer. */
        void notHandedOver(Throwable failure) {
            if (!handedOver) {
                inFlight.release(count);
            }
            acked.completeExceptionally(failure);
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception failure) {
            inFlight.release();
            if (failure != null) {
                acked.completeExceptionally(failure);
            } else if (waiting.decrementAndGet() == 0) {
                acked.complete(null);
            }
        }
    }

    private KafkaUnavailableException unavailable(Throwable failure) {
        if (failure instanceof TimeoutException || failure instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new KafkaUnavailableException("Kafka did not acknowledge within " + ackTimeout, failure);
        }
        return new KafkaUnavailableException("Kafka refused the write: " + failure.getMessage(), failure);
    }
}
