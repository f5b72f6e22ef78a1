package dev.strata.dsl.ignore;

/**
 * One line of an ignore file as BuildKit keeps it: the pattern after cleaning (no leading {@code
 * !}, no leading {@code /}, {@code filepath.Clean} applied), whether it was an exception ({@code
 * !pattern}, which re-includes what earlier lines excluded), and its 1-based line in the file.
 */
public record IgnorePattern(String text, boolean exclusion, int line) {}
