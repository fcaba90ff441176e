package io.clickcartel.gold;

import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.datagen.GroundTruth;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The check compares every table gold answers with: none is left out of the ground truth. */
class GroundTruthCoversGoldTest {

    @Test
    void theGroundTruthHoldsEveryAnswerTable() {
        assertThat(Arrays.stream(GoldPipeline.Table.values()).map(GoldPipeline.Table::lakeTable))
                .containsExactlyElementsOf(GroundTruth.GOLD_TABLES);
    }
}
