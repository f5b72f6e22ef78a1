package dev.strata.bridge.run;

import dev.strata.bridge.tar.LayerDigests;
import dev.strata.bridge.tar.LayerExtractor;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.bridge.tar.TreeFilter;
import dev.strata.bridge.tar.WhiteoutMode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one RUN did: its exit code, whether it ran out of time, how long it took, and the files it
 * changed (an overlay upperdir, or a rootfs compared with its state before), which {@link
 * #writeLayer} turns into the step's layer. {@link #close()} removes the scratch space.
 */
public final class RunResult implements AutoCloseable {
  private final int exitCode;
  private final boolean timedOut;
  private final Duration elapsed;
  private final Path changes;
  private final TreeFilter diff;
  private final Path scratch;

  RunResult(
      int exitCode,
      boolean timedOut,
      Duration elapsed,
      Path changes,
      TreeFilter diff,
      Path scratch) {
    this.exitCode = exitCode;
    this.timedOut = timedOut;
    this.elapsed = elapsed;
    this.changes = changes;
    this.diff = diff;
    this.scratch = scratch;
  }

  /** The command's exit status (128+N when a signal N ended it). */
  public int exitCode() {
    return exitCode;
  }

  /** Whether the RUN was killed for exceeding its timeout. */
  public boolean timedOut() {
    return timedOut;
  }

  /** Whether the command exited 0 in time. */
  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }

  public Duration elapsed() {
    return elapsed;
  }

  /**
   * Writes the RUN's layer, compressed as {@code writer} says, onto {@code sink}; returns its
   * diffID and digest.
   */
  public LayerDigests writeLayer(LayerWriter writer, OutputStream sink) throws IOException {
    return writer.writeLayer(changes, diff, sink);
  }

  /**
   * Writes the RUN's layer, compressed as {@code writer} says, onto {@code sink} and extracts it,
   * in overlay form, into the new directory {@code extractTo} in the same pass by moving the
   * upperdir's files there (so {@code extractTo} must be on the upperdir's filesystem to gain
   * anything); returns the diffID and digest. The tree is what {@code LayerExtractor} in {@code
   * WhiteoutMode.OVERLAY} makes of the layer. After it the upperdir has lost its files: the layer
   * can be written only once.
   */
  public LayerDigests writeLayerAndExtract(LayerWriter writer, OutputStream sink, Path extractTo)
      throws IOException {
    LayerExtractor.Extraction extraction =
        LayerExtractor.forCurrentUser(WhiteoutMode.OVERLAY).begin(extractTo);
    LayerDigests digests = writer.writeLayerMovingInto(changes, diff, sink, extraction);
    extraction.finish();
    return digests;
  }

  /** The entries the layer holds, in archive order. */
  public List<TarEntry> layerEntries(LayerWriter writer) throws IOException {
    return writer.entries(changes, diff);
  }

  @Override
  public void close() throws IOException {
    RunJanitor.unmountBelow(scratch);
    RunJanitor.deleteTree(scratch);
  }
}
