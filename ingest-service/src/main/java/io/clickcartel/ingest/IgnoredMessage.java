package io.clickcartel.ingest;

import io.clickcartel.core.segment.SegmentMapping;

/**
 * A Segment message that is no clickstream event.
 *
 * @param message the message's position in its request and its text, write key removed
 * @param outcome what the mapping made of it: its kind
 */
public record IgnoredMessage(IncomingEvent message, SegmentMapping.Outcome.Ignored outcome) {}
