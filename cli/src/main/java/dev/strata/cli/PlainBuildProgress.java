package dev.strata.cli;

import dev.strata.bridge.build.NodeResult;
import dev.strata.bridge.buildkit.BuildKitListener;
import dev.strata.bridge.buildkit.BuildxInvocation;
import java.io.PrintWriter;

/**
 * Build progress as plain lines, for logs and pipes: one per node start, step and end, and every
 * line a RUN prints, each prefixed with its node so parallel nodes stay readable; for the BuildKit
 * engine also each buildx invocation and BuildKit's own progress lines.
 */
final class PlainBuildProgress implements BuildKitListener {
  private final PrintWriter out;

  PlainBuildProgress(PrintWriter out) {
    this.out = out;
  }

  @Override
  public synchronized void nodeStarted(String node) {
    print(BuildSummary.about(node, "building"));
  }

  @Override
  public synchronized void step(String node, String stage, String instruction, boolean cached) {
    print(BuildSummary.about(node, stage + ": " + instruction + (cached ? "  (cached)" : "")));
  }

  @Override
  public synchronized void output(String node, String line, boolean stderr) {
    print(BuildSummary.about(node, "| " + line));
  }

  @Override
  public synchronized void invocation(BuildxInvocation invocation) {
    print(BuildSummary.about(invocation.node(), "$ " + invocation.printable()));
  }

  @Override
  public synchronized void progress(String node, String line) {
    print(BuildSummary.about(node, line));
  }

  @Override
  public synchronized void skipped(String node) {
    print(BuildSummary.about(node, "up to date; not sent to BuildKit"));
  }

  @Override
  public synchronized void nodeFinished(NodeResult result) {
    print(BuildSummary.nodeLine(result));
  }

  @Override
  public synchronized void nodeFailed(String node, String message) {
    print(BuildSummary.failedLine(node, message));
  }

  @Override
  public synchronized void nodeSkipped(String node, String failedParent) {
    print(BuildSummary.skippedLine(node, failedParent));
  }

  /** A line about {@code node} (push, sign, lint, disk, catalog). */
  synchronized void note(String node, String line) {
    print(BuildSummary.about(node, line));
  }

  private void print(String line) {
    out.println(line);
    out.flush();
  }
}
