package io.clickcartel.core.contract;

/** The outcome of checking one event against the contract. */
public sealed interface Validation {

    record Valid(NormalizedEvent event) implements Validation {}

    record Invalid(Rule rule) implements Validation {
        public String reason() {
            return rule.reason();
        }
    }
}
