package io.clickcartel.core.contract;

/** The contract's treatment of string values. */
final class Strings {

    private Strings() {}

    /** Without {@link EventContract#TRIMMED_CHARACTERS} at either end. */
    static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isTrimmed(text.charAt(start))) {
            start++;
        }
        while (end > start && isTrimmed(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isTrimmed(char c) {
        return EventContract.TRIMMED_CHARACTERS.indexOf(c) >= 0;
    }
}
