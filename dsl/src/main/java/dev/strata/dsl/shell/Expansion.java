package dev.strata.dsl.shell;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Result of {@link ShellLexer#processWordWithMatches}: the expanded word and the variable names
 * that were looked up, split into found ({@code matched}) and not found ({@code unmatched}), which
 * the linter uses to report undefined variables. The sets keep first-lookup order.
 */
public record Expansion(String result, Set<String> matched, Set<String> unmatched) {

  public Expansion {
    matched = Collections.unmodifiableSet(new LinkedHashSet<>(matched));
    unmatched = Collections.unmodifiableSet(new LinkedHashSet<>(unmatched));
  }
}
