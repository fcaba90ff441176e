package io.clickcartel.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.contract.Rule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The oracle's contract on what the hostile-input corpus holds no case of — when a line counts as received — each
 * expectation taken from {@code docs/contract.md}. The rules themselves are held to the corpus in
 * {@link OracleContractAgreesWithEventValidatorTest}.
 */
class OracleContractTest {

    private final OracleContract contract = new OracleContract(new ObjectMapper());

    private static String event(String timestamp, String more) {
        return "{\"event_id\":\"e-1\",\"timestamp\":\"" + timestamp + "\",\"user_id\":\"u-1\","
                + "\"event_type\":\"view_product\",\"product_id\":\"p-1\"" + more + "}";
    }

    private static OracleContract.Accepted accepted(OracleContract.Verdict verdict) {
        assertThat(verdict).isInstanceOf(OracleContract.Accepted.class);
        return (OracleContract.Accepted) verdict;
    }

    @Test
    void aLandingLineIsCorrectedAgainstTheReceiveTimeItsCollectorRecorded() {
        // the client clock runs one hour fast: event_time = received_at − (sent_at − timestamp)
        String line = event(
                "2024-05-01T13:00:00Z",
                ",\"sent_at\":\"2024-05-01T13:00:30Z\",\"received_at\":\"2024-05-01T12:00:30Z\"");

        OracleContract.Accepted event = accepted(contract.landed(line, Instant.parse("2024-05-01T12:05:00Z")));

        assertThat(event.eventTime()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(event.clockSkewMs()).isEqualTo(3_600_000L); // sent_at − received_at
    }

    @Test
    void aLandingLineClaimingToBeReceivedAfterItWasStoredIsJudgedByTheTimeItWasStored() {
        // believed, the claim would let a time 90 minutes past the store time through
        String line = event("2024-05-01T13:30:00Z", ",\"received_at\":\"2024-05-01T15:00:00Z\"");

        assertThat(contract.landed(line, Instant.parse("2024-05-01T12:00:00Z")))
                .isEqualTo(new OracleContract.Broken(Rule.TIMESTAMP_IN_FUTURE));
    }

    @Test
    void aRequestIsReceivedByTheIngestClockWhateverReceivedAtItCarries() {
        String line = event(
                "2024-05-01T12:00:00Z",
                ",\"sent_at\":\"2024-05-01T12:00:00Z\",\"received_at\":\"2024-05-01T12:00:00Z\"");
        Instant now = Instant.parse("2026-01-01T00:00:00.123456789Z");

        // sent the moment it happened: the event time is the receive time, in microseconds
        assertThat(accepted(contract.received(line, now)).eventTime())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
    }

    @Test
    void normalisingANormalisedEventChangesNothing() {
        String normalised =
                event("2024-05-01T12:00:00Z", ",\"received_at\":\"2024-05-01T12:00:30Z\",\"clock_skew_ms\":3600000");

        OracleContract.Accepted event = accepted(contract.landed(normalised, Instant.parse("2024-05-01T12:05:00Z")));

        assertThat(event.eventTime()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(event.clockSkewMs()).isEqualTo(3_600_000L);
    }

    @Test
    void anEventTimeAtMostTheAllowanceAfterItsReceiptIsAcceptedAndAMicrosecondMoreIsNot() {
        Instant received = Instant.parse("2024-05-01T12:00:00Z");

        assertThat(contract.received(event("2024-05-01T13:00:00Z", ""), received))
                .isInstanceOf(OracleContract.Accepted.class);
        assertThat(contract.received(event("2024-05-01T13:00:00.000001Z", ""), received))
                .isEqualTo(new OracleContract.Broken(Rule.TIMESTAMP_IN_FUTURE));
    }
}
