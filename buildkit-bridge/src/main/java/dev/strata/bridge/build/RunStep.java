package dev.strata.bridge.build;

import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.rootfs.LayerStack;
import dev.strata.bridge.run.CacheTurns;
import dev.strata.bridge.tar.LayerDigests;
import dev.strata.bridge.tar.PieceMemo;
import dev.strata.dsl.instructions.Run;
import dev.strata.graph.project.LayerCompression;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Executes one RUN instruction on a stage's root filesystem and returns the layer it made. The RUN
 * executor (runc over overlayfs) implements it; {@link #UNAVAILABLE} fails every RUN clearly.
 */
public interface RunStep {

  /** Runs {@code input.instruction()} and returns its layer. */
  RunOutput run(RunInput input) throws IOException;

  /**
   * Says that a RUN of this build will probably run soon (a stage reached a step that is not cached
   * and a RUN follows), so the executor may set itself up meanwhile. Never required: {@link #run}
   * works without it.
   */
  default void expect() {}

  /**
   * What a RUN sees: the expanded instruction (its mounts resolved), the root filesystem as layer
   * directories (bottom first; mount them as overlay lowers), the image config so far (Env, User,
   * WorkingDir, Shell), the build args in scope that are not ENV (they are the command's
   * environment too, as in buildah and BuildKit), the build context folder, a way to get other
   * stages' or images' root filesystems for {@code --mount=from=}, {@code SOURCE_DATE_EPOCH} if
   * set, a scratch folder the engine deletes after the step, where the command's output lines go as
   * they come (the node's progress), how the layer is to be compressed, the memo of compressed
   * pieces, and the node's turn at locked cache mounts.
   */
  record RunInput(
      Run instruction,
      LayerStack rootfs,
      ImageConfig config,
      Map<String, String> buildArgs,
      Path contextDirectory,
      MountSources mountSources,
      Optional<Instant> sourceDateEpoch,
      Path scratch,
      OutputLines output,
      LayerCompression compression,
      Optional<PieceMemo> pieces,
      CacheTurns.Turn turn) {
    public RunInput {
      buildArgs = Map.copyOf(buildArgs);
    }
  }

  /**
   * The layer a RUN made: a compressed tar (inside the scratch folder) and its digests, and
   * possibly the layer already extracted in overlay form (a folder inside the scratch folder,
   * exactly what extracting the tar gives), which the engine then takes instead of extracting the
   * tar again. The engine stores and verifies the tar.
   */
  record RunOutput(Path blob, LayerDigests digests, Optional<Path> extracted) {
    /** A layer the engine extracts itself. */
    public RunOutput(Path blob, LayerDigests digests) {
      this(blob, digests, Optional.empty());
    }
  }

  /** The root filesystems of other stages and images, for RUN mounts. */
  @FunctionalInterface
  interface MountSources {
    /** The rootfs a {@code --mount=from=FROM} names: a stage of the same file, or an image. */
    LayerStack rootfs(String from) throws IOException;
  }

  /** Receives a RUN's output, one line at a time (without its line ending). */
  @FunctionalInterface
  interface OutputLines {
    void line(String text, boolean stderr);
  }

  /** No RUN executor: every RUN fails with its place. */
  RunStep UNAVAILABLE =
      input -> {
        throw BuildException.at(
            input.instruction().location(),
            "RUN needs the RUN executor, which this build of strata does not have yet; only"
                + " COPY, ADD and configuration instructions can be built");
      };
}
