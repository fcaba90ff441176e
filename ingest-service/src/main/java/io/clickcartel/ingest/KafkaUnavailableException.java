package io.clickcartel.ingest;

/** Kafka did not acknowledge every record of a request in time: nothing of it may be reported as accepted. */
public class KafkaUnavailableException extends RuntimeException {
    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
