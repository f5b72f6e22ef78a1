package dev.strata.disk.lint;

import java.util.List;

/** Every finding of one lint run, and whether the image passes. */
public record LintReport(List<LintFinding> findings, List<String> rulesRun) {
  public LintReport {
    findings = List.copyOf(findings);
    rulesRun = List.copyOf(rulesRun);
  }

  /** Passes when nothing is fatal; when {@code strict}, when there is no finding at all. */
  public boolean passes(boolean strict) {
    return findings.stream().noneMatch(f -> strict || f.severity() == Severity.FATAL);
  }

  /** The findings of one rule. */
  public List<LintFinding> of(String rule) {
    return findings.stream().filter(f -> f.rule().equals(rule)).toList();
  }
}
