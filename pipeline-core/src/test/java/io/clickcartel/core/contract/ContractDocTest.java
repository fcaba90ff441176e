package io.clickcartel.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rule table of docs/contract.md is what users read: it must say what the code does. */
class ContractDocTest {

    @ParameterizedTest
    @EnumSource(Rule.class)
    void theContractPageListsEveryRuleWithItsReason(Rule rule) throws Exception {
        String page = Files.readString(Path.of("..", "docs", "contract.md"));
        assertThat(page).contains("| `" + rule.id() + "` | " + rule.reason() + " |");
    }
}
