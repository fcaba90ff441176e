package io.clickcartel.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.core.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The oracle's segment rules ({@link GoldOracle#segment}) against the documented rules of gold.customer_value
 * ({@code docs/gold.md}), first match wins: champions R,F,M ≥ 4; loyal F ≥ 4; big_spender M ≥ 4; at_risk R ≤ 2 and
 * F ≥ 3; new F = 1 and R ≥ 4; regular. The table is pipeline-core's {@code SegmentTest}, so both implementations are
 * held to the same documented expectations.
 */
class GoldOracleSegmentTest {

    @ParameterizedTest(name = "R{0} F{1} M{2} is {3}: {4}")
    @CsvSource(delimiter = '|', textBlock = """
            5 | 5 | 5 | champions   | all scores at the top
            4 | 4 | 4 | champions   | all scores at the champions boundary
            3 | 4 | 4 | loyal       | R one below champions
            4 | 4 | 3 | loyal       | M one below champions
            4 | 3 | 4 | big_spender | F one below champions
            3 | 4 | 1 | loyal       | loyal needs only F >= 4
            3 | 3 | 3 | regular     | F one below loyal, M one below big_spender, R one above at_risk
            3 | 3 | 4 | big_spender | big_spender needs only M >= 4
            5 | 4 | 5 | champions   | champions before loyal and big_spender
            3 | 5 | 5 | loyal       | loyal before big_spender
            1 | 4 | 1 | loyal       | loyal before at_risk
            1 | 3 | 4 | big_spender | big_spender before at_risk
            2 | 3 | 3 | at_risk     | at_risk at both boundaries
            1 | 3 | 1 | at_risk     | at_risk with the lowest R
            2 | 2 | 3 | regular     | F one below at_risk
            3 | 3 | 1 | regular     | R one above at_risk
            4 | 1 | 1 | new         | new at both boundaries
            5 | 1 | 3 | new         | new with the highest R
            3 | 1 | 1 | regular     | R one below new
            4 | 2 | 1 | regular     | F one above new
            4 | 1 | 4 | big_spender | big_spender before new
            2 | 1 | 1 | regular     | R <= 2 but F < 3: not at_risk; F = 1 but R < 4: not new
            1 | 1 | 1 | regular     | all scores at the bottom
            """)
    void aBuyersSegmentIsTheFirstDocumentedRuleItsScoresMatch(int r, int f, int m, String segment, String why) {
        assertThat(GoldOracle.segment(r, f, m).id()).as(why).isEqualTo(segment);
    }

    /** Beyond the table: a disagreement on any of the 125 score triples would make gold differ from the truth. */
    @Test
    void theOraclesRulesAndGoldsAgreeOnEveryScoreTriple() {
        for (int r = 1; r <= 5; r++) {
            for (int f = 1; f <= 5; f++) {
                for (int m = 1; m <= 5; m++) {
                    assertThat(GoldOracle.segment(r, f, m))
                            .as("R%d F%d M%d", r, f, m)
                            .isEqualTo(Segment.of(r, f, m));
                }
            }
        }
    }
}
