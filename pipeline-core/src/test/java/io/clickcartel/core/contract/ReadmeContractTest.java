package io.clickcartel.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The README's rule table is what users read: it must say what the code does. */
class ReadmeContractTest {

    @ParameterizedTest
    @EnumSource(Rule.class)
    void theReadmeListsEveryRuleWithItsReason(Rule rule) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(readme).contains("| `" + rule.id() + "` | " + rule.reason() + " |");
    }
}
