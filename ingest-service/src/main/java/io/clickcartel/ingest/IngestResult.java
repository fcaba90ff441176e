package io.clickcartel.ingest;

import java.util.List;

/**
 * What became of a request's events.
 *
 * @param accepted the event ids now acknowledged by Kafka, in request order (ids the service assigned included)
 * @param rejected the events that broke the contract, each written to the rejected topic
 */
public record IngestResult(List<String> accepted, List<Rejection> rejected) {

    public record Rejection(int index, String rule, String field, String reason) {}
}
