package io.clickcartel.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rule table of docs/contract.md is what users read: it must say what the code does. */
class ContractDocTest {

    private static final String TABLE_HEADER = "| rule id | reason |";

    @ParameterizedTest
    @EnumSource(Rule.class)
    void theContractPageListsEveryRuleWithItsReason(Rule rule) throws Exception {
        assertThat(page()).contains("| `" + rule.id() + "` | " + rule.reason() + " |");
    }

    @Test
    void theTableListsExactlyTheRulesInTheOrderTheyAreChecked() throws Exception {
        // the page says "Rules, checked in this order"; Rule's declaration order is the order they are checked in
        List<String> lines = page().lines().toList();
        int header = lines.indexOf(TABLE_HEADER);
        assertThat(header).as("the rule table's header").isNotNegative();
        List<String> ids = new ArrayList<>();
        for (int row = header + 2; row < lines.size() && lines.get(row).startsWith("| `"); row++) {
            ids.add(lines.get(row).substring(3, lines.get(row).indexOf('`', 3)));
        }
        assertThat(ids)
                .containsExactlyElementsOf(
                        Arrays.stream(Rule.values()).map(Rule::id).toList());
    }

    private static String page() throws IOException {
        return Files.readString(Path.of("..", "docs", "contract.md"));
    }
}
