package io.clickcartel.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TimeZone;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.Snapshot$;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A machine in another zone: the session's JVM still runs in UTC, so Delta adds no verification per commit. */
class SparkSessionsTimeZoneTest {

    private TimeZone zoneBefore;
    private String userTimezoneBefore;

    @BeforeEach
    void aMachineInBerlin() {
        zoneBefore = TimeZone.getDefault();
        userTimezoneBefore = System.getProperty("user.timezone");
        TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
        System.setProperty("user.timezone", "Europe/Berlin");
    }

    @AfterEach
    void restore() {
        TimeZone.setDefault(zoneBefore);
        System.setProperty("user.timezone", userTimezoneBefore);
    }

    @Test
    void deltaDoesNotVerifyEveryCommitAgainstAFullStateRebuild() {
        SparkSession spark = SparkSessions.create("local[1]", "time-zone", Map.of());
        try {
            assertThat(TimeZone.getDefault().getID()).isEqualTo("UTC");
            assertThat(System.getProperty("user.timezone")).isEqualTo("UTC");
            // Delta's own predicate for its extra verification (Snapshot.allFilesInCrcVerificationForceEnabled)
            assertThat(Snapshot$.MODULE$.allFilesInCrcVerificationForceEnabled(spark))
                    .isFalse();
        } finally {
            spark.stop();
        }
    }
}
