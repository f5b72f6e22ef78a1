package dev.strata.cli;

import dev.strata.bridge.build.BuildReport;
import dev.strata.bridge.build.NodeResult;
import dev.strata.dsl.eval.ResolvedStage;
import dev.strata.dsl.instructions.Add;
import dev.strata.dsl.instructions.Instruction;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.Node;
import dev.strata.graph.project.ImageConfig;
import dev.strata.graph.project.ProjectConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a project's build reads from disk and leaves in the store, as {@link BuildStamp} records it.
 */
final class BuildInputs {
  private BuildInputs() {}

  /**
   * The stat of every input of {@code project}: strata.yaml and strata.lock (present or not), each
   * node's Containerfile and the ignore files named after it, and every entry of each node's build
   * context.
   */
  static Optional<BuildStamp.Inputs> of(ProjectConfig project) {
    Set<Path> files = new LinkedHashSet<>();
    files.add(project.directory().resolve("strata.yaml"));
    project.projectFile().ifPresent(files::add);
    files.add(project.lockFile());
    Set<Path> trees = new LinkedHashSet<>();
    for (ImageConfig image : project.images().values()) {
      files.add(image.containerfile());
      // the ignore files that may sit beside a Containerfile outside its context
      String name = image.containerfile().getFileName().toString();
      files.add(image.containerfile().resolveSibling(name + ".dockerignore"));
      files.add(image.containerfile().resolveSibling(name + ".containerignore"));
      trees.add(image.context());
    }
    try {
      return Optional.of(BuildStamp.Inputs.take(files, trees));
    } catch (IOException | UncheckedIOException e) {
      // e.g. a context file only root may read: the build decides what it can read, and this
      // build is simply not stamped
      return Optional.empty();
    }
  }

  /**
   * Writes {@code stamp} for a build whose {@code inputs} it may vouch for, or drops it; best
   * effort: a stamp that cannot be written (a read-only home) only costs the next build its
   * shortcut, never this build.
   */
  static void record(
      BuildStamp stamp,
      Optional<BuildStamp.Inputs> inputs,
      Path storeIndex,
      List<BuildStamp.NodeState> nodes) {
    try {
      if (inputs.isPresent()) {
        stamp.write(inputs.get(), storeIndex, nodes);
      } else {
        stamp.forget();
      }
    } catch (IOException | UncheckedIOException e) {
      try {
        stamp.forget();
      } catch (IOException again) {
        // nothing was vouched for that is not still on disk as it was; the next build checks
      }
    }
  }

  /** Whether a stage of {@code graph} ADDs from a URL or a Git repository. */
  static boolean hasRemoteSources(DerivationGraph graph) {
    for (Node node : graph.nodes()) {
      for (ResolvedStage stage : node.file().stages()) {
        for (Instruction instruction : stage.instructions()) {
          if (instruction instanceof Add add && add.hasRemoteSource()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Each built or reused node's references, digest, step count and lint findings. */
  static List<BuildStamp.NodeState> nodes(
      BuildReport report, List<BuildPipeline.Outcome> outcomes) {
    List<BuildStamp.NodeState> nodes = new ArrayList<>();
    for (NodeResult r : report.results()) {
      int findings =
          outcomes.stream()
              .filter(o -> o.node().equals(r.node()))
              .mapToInt(BuildPipeline.Outcome::lintFindings)
              .findFirst()
              .orElse(0);
      nodes.add(
          new BuildStamp.NodeState(
              r.node(),
              String.join(", ", r.references()),
              r.manifest().toString(),
              r.stepsBuilt() + r.stepsReused(),
              findings));
    }
    return nodes;
  }
}
