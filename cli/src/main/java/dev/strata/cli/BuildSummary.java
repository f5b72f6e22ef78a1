package dev.strata.cli;

import dev.strata.bridge.build.BuildReport;
import dev.strata.bridge.build.NodeResult;
import java.time.Duration;
import java.util.Locale;

/** The words a build report is printed with: per node, the totals, sizes and times. */
final class BuildSummary {
  private BuildSummary() {}

  /** {@code [node] LINE}: how every progress line about one node starts. */
  static String about(String node, String line) {
    return "[" + node + "] " + line;
  }

  /** {@code [node] FAILED: MESSAGE}. */
  static String failedLine(String node, String message) {
    return about(node, "FAILED: " + message);
  }

  /** {@code [node] not built: PARENT failed}. */
  static String skippedLine(String node, String failedParent) {
    return about(node, "not built: " + failedParent + " failed");
  }

  /** {@code [node] built|reused REFS DIGEST (N steps run, M cached, T s)}. */
  static String nodeLine(NodeResult result) {
    return "["
        + result.node()
        + "] "
        + (result.reused() ? "reused " : "built ")
        + String.join(", ", result.references())
        + " "
        + result.manifest()
        + " ("
        + result.stepsBuilt()
        + " steps run, "
        + result.stepsReused()
        + " cached, "
        + seconds(result.time())
        + ")";
  }

  /** {@code built B, reused R, failed F in T s}. */
  static String totals(BuildReport report, Duration time) {
    return "built "
        + report.built()
        + ", reused "
        + report.reused()
        + ", failed "
        + report.failures().size()
        + (report.notStarted().isEmpty() ? "" : ", not started " + report.notStarted().size())
        + " in "
        + seconds(time);
  }

  static String seconds(Duration time) {
    return String.format(Locale.ROOT, "%.1f s", time.toMillis() / 1000.0);
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }
}
