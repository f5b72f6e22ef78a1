package dev.strata.disk.lint;

import java.util.List;

/**
 * One problem a lint rule found: the rule's name (bootc's lint names where they exist), its
 * severity, a sentence saying what is wrong and what to do, and the image paths involved.
 */
public record LintFinding(String rule, Severity severity, String message, List<String> paths) {
  public LintFinding {
    paths = List.copyOf(paths);
  }

  /** {@code rule: message} plus the paths, one line, as the CLI prints it. */
  public String render() {
    String level = severity == Severity.FATAL ? "error" : "warning";
    String where = paths.isEmpty() ? "" : " (" + String.join(", ", paths) + ")";
    return level + ": " + rule + ": " + message + where;
  }
}
