package dev.strata.cli;

import dev.strata.bridge.build.BuildListener;
import dev.strata.bridge.build.NodeResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Build progress on a terminal: a block at the bottom with one line per node being built (its step,
 * the bytes of layers it wrote, its time and its latest output line), redrawn in place a few times
 * a second; finished and failed nodes scroll up above it as permanent lines.
 */
final class LiveBuildProgress implements BuildListener, AutoCloseable {
  private static final String CLEAR_LINE = "\u001b[2K";
  private static final long REDRAW_MILLIS = 150;

  private final PrintWriter out;
  private final int width;
  private final Map<String, Status> active = new LinkedHashMap<>();
  private final Thread ticker;
  private int drawnLines;
  private boolean closed;

  private static final class Status {
    final long started = System.nanoTime();
    String step = "starting";
    long bytes;
    String lastOutput = "";
  }

  LiveBuildProgress(PrintWriter out, int width) {
    this.out = out;
    this.width = Math.max(40, width);
    this.ticker =
        new Thread(
            () -> {
              while (true) {
                try {
                  Thread.sleep(REDRAW_MILLIS);
                } catch (InterruptedException e) {
                  return;
                }
                synchronized (this) {
                  if (closed) {
                    return;
                  }
                  redraw();
                }
              }
            },
            "strata-progress");
    ticker.setDaemon(true);
    ticker.start();
  }

  /** Whether this process writes to a terminal that understands cursor movement. */
  static boolean terminalAttached() {
    String term = System.getenv("TERM");
    return System.console() != null && term != null && !term.equals("dumb");
  }

  /** The terminal's width from {@code COLUMNS}, or 100. */
  static int terminalWidth() {
    try {
      return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100"));
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  @Override
  public synchronized void nodeStarted(String node) {
    active.put(node, new Status());
    redraw();
  }

  @Override
  public synchronized void step(String node, String stage, String instruction, boolean cached) {
    Status s = active.get(node);
    if (s != null) {
      s.step = (cached ? "cached " : "") + instruction;
      s.lastOutput = "";
    }
  }

  @Override
  public synchronized void layer(String node, long bytes) {
    Status s = active.get(node);
    if (s != null) {
      s.bytes += bytes;
    }
  }

  @Override
  public synchronized void output(String node, String line, boolean stderr) {
    Status s = active.get(node);
    if (s != null && !line.isBlank()) {
      s.lastOutput = line.strip();
    }
  }

  @Override
  public synchronized void nodeFinished(NodeResult result) {
    active.remove(result.node());
    permanent(BuildSummary.nodeLine(result));
  }

  @Override
  public synchronized void nodeFailed(String node, String message) {
    active.remove(node);
    permanent(BuildSummary.failedLine(node, message));
  }

  @Override
  public synchronized void nodeSkipped(String node, String failedParent) {
    permanent(BuildSummary.skippedLine(node, failedParent));
  }

  /** A line about {@code node} kept above the live area (push, sign, lint, disk, catalog). */
  synchronized void note(String node, String line) {
    permanent(BuildSummary.about(node, line));
  }

  @Override
  public void close() {
    synchronized (this) {
      erase();
      closed = true;
    }
    ticker.interrupt();
  }

  private void permanent(String line) {
    erase();
    out.println(line);
    draw();
  }

  private void redraw() {
    erase();
    draw();
  }

  private void erase() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < drawnLines; i++) {
      b.append("\u001b[1A").append(CLEAR_LINE);
    }
    b.append('\r');
    out.print(b);
    drawnLines = 0;
  }

  private void draw() {
    for (Map.Entry<String, Status> e : active.entrySet()) {
      Status s = e.getValue();
      long secs = (System.nanoTime() - s.started) / 1_000_000_000L;
      String line =
          String.format(
              "[%s] %4ds %9s  %s%s",
              e.getKey(),
              secs,
              BuildSummary.bytes(s.bytes),
              s.step,
              s.lastOutput.isEmpty() ? "" : "  | " + s.lastOutput);
      out.println(line.length() > width - 1 ? line.substring(0, width - 2) + "…" : line);
      drawnLines++;
    }
    out.flush();
  }
}
