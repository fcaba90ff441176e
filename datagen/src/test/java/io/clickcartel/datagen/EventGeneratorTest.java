package io.clickcartel.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.clickcartel.core.contract.EventTimes;
import io.clickcartel.core.contract.EventType;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {

    @Test
    void offsetTimestampsOnTheMinuteKeepTheirSecondsSoTheContractAcceptsThem() {
        long onTheMinute = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();
        String text = EventGenerator.isoAtOffset(onTheMinute, ZoneOffset.ofHours(2));
        assertThat(text).isEqualTo("2024-05-01T14:00:00.000+02:00");
        assertThat(EventTimes.parse(TextNode.valueOf(text))).contains(Instant.ofEpochMilli(onTheMinute));
    }

    @Test
    void theTrueEventsTypeCodesAreTheContractsTypesInFunnelOrder() {
        assertThat(EventType.WIRE_NAMES.get(TrueEvents.VIEW)).isEqualTo(EventType.VIEW_PRODUCT.wireName());
        assertThat(EventType.WIRE_NAMES.get(TrueEvents.CART)).isEqualTo(EventType.ADD_TO_CART.wireName());
        assertThat(EventType.WIRE_NAMES.get(TrueEvents.PURCHASE)).isEqualTo(EventType.PURCHASE.wireName());
    }
}
