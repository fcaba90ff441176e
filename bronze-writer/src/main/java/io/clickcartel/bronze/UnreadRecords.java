package io.clickcartel.bronze;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where bronze stands against Kafka's retention, per check: the age of the oldest record it has not read yet (zero
 * when it has read everything), how many records it has not read, whether some it never read are already gone, and
 * the topic's retention (null: kept forever).
 */
record UnreadRecords(Duration oldestAge, long count, boolean lost, Duration retention) {

    /**
     * Whether to warn: records were lost, or the oldest unread record is older than {@code share} of the retention
     * (Kafka deletes whole segments once their newest record is older than the retention, so a record may live
     * longer, never shorter).
     */
    boolean atRisk(double share) {
        return lost || (retention != null && oldestAge.toMillis() >= (long) (retention.toMillis() * share));
    }

    /**
     * @param positions the next offset bronze reads per partition (absent: from the earliest, bronze's start)
     * @param earliest  the first offset Kafka still has per partition
     * @param end       the next offset Kafka will write per partition
     * @param timestampOf the timestamp of the first record from an offset up to the end
     */
    static UnreadRecords of(
            Map<Integer, Long> positions,
            Map<Integer, Long> earliest,
            Map<Integer, Long> end,
            TimestampLookup timestampOf,
            Duration retention,
            Instant now) {
        Duration oldest = Duration.ZERO;
        long count = 0;
        boolean lost = false;
        for (Map.Entry<Integer, Long> partition : end.entrySet()) {
            int id = partition.getKey();
            long first = earliest.getOrDefault(id, 0L);
            long position = positions.getOrDefault(id, first);
            if (position < first) {
                lost = true; // bronze's next record is gone already
            }
            long next = Math.max(position, first);
            long last = partition.getValue();
            if (next < last) {
                // none: only transaction markers are left, which bronze never reads
                Optional<Instant> unread = timestampOf.firstRecord(id, next, last);
                if (unread.isPresent()) {
                    count += last - next;
                    Duration age = Duration.between(unread.get(), now);
                    if (age.compareTo(oldest) > 0) {
                        oldest = age;
                    }
                }
            }
        }
        return new UnreadRecords(oldest, count, lost, retention);
    }

    /** The timestamp of the first record at or after {@code offset} and before {@code end}, if there is one. */
    interface TimestampLookup {
        Optional<Instant> firstRecord(int partition, long offset, long end);
    }
}
