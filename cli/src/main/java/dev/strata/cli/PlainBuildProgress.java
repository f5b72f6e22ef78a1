package dev.strata.cli;

import dev.strata.bridge.build.BuildListener;
import dev.strata.bridge.build.NodeResult;
import java.io.PrintWriter;

/**
 * Build progress as plain lines, for logs and pipes: one per node start, step and end, and every
 * line a RUN prints, each prefixed with its node so parallel nodes stay readable.
 */
final class PlainBuildProgress implements BuildListener {
  private final PrintWriter out;

  PlainBuildProgress(PrintWriter out) {
    this.out = out;
  }

  @Override
  public synchronized void nodeStarted(String node) {
    print("[" + node + "] building");
  }

  @Override
  public synchronized void step(String node, String stage, String instruction, boolean cached) {
    print("[" + node + "] " + stage + ": " + instruction + (cached ? "  (cached)" : ""));
  }

  @Override
  public synchronized void output(String node, String line, boolean stderr) {
    print("[" + node + "] | " + line);
  }

  @Override
  public synchronized void nodeFinished(NodeResult result) {
    print(BuildSummary.nodeLine(result));
  }

  @Override
  public synchronized void nodeFailed(String node, String message) {
    print("[" + node + "] FAILED: " + message);
  }

  @Override
  public synchronized void nodeSkipped(String node, String failedParent) {
    print("[" + node + "] not built: " + failedParent + " failed");
  }

  private void print(String line) {
    out.println(line);
    out.flush();
  }
}
