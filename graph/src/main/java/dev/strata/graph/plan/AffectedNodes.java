package dev.strata.graph.plan;

import com.google.common.collect.ImmutableList;
import dev.strata.dsl.instructions.Add;
import dev.strata.dsl.instructions.Copy;
import dev.strata.dsl.instructions.Instruction;
import dev.strata.dsl.instructions.MountType;
import dev.strata.dsl.instructions.Run;
import dev.strata.dsl.instructions.RunMount;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.GraphException;
import dev.strata.graph.Node;
import dev.strata.graph.project.ImageConfig;
import dev.strata.graph.project.ProjectConfig;
import dev.strata.graph.project.ProjectLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nodes a git change affects since a revision, and why: its Containerfile changed, a file under
 * one of its COPY/ADD sources changed, its strata.yaml entry changed, or a node it reads is
 * affected.
 */
public final class AffectedNodes {
  private AffectedNodes() {}

  /** One affected node and every reason, in words. */
  public record Affected(String node, List<String> reasons) {
    public Affected {
      reasons = ImmutableList.copyOf(reasons);
    }
  }

  /**
   * The nodes of {@code graph} affected since {@code revision}, parents first. {@code keys} are the
   * current cache keys (their {@code file:} inputs say which files each COPY selects).
   */
  public static List<Affected> since(
      DerivationGraph graph, Map<String, NodeKeys> keys, String revision) throws IOException {
    ProjectConfig project = graph.project();
    Path root = project.directory().toRealPath();
    GitChanges changes = GitChanges.since(root, revision);
    Map<String, List<String>> reasons = new LinkedHashMap<>();
    graph.nodes().forEach(n -> reasons.put(n.name(), new ArrayList<>()));
    Optional<ProjectConfig> before = Optional.empty();
    boolean projectFileChanged = false;
    if (project.projectFile().isPresent()) {
      Path file = real(project.projectFile().get());
      if (changes.changed(file)) {
        projectFileChanged = true;
        Optional<String> old = changes.textAt(revision, file);
        if (old.isPresent()) {
          try {
            before = Optional.of(ProjectLoader.parse(project.projectFile().get(), old.get()));
          } catch (GraphException e) {
            before = Optional.empty();
          }
        }
      }
    }
    for (Node node : graph.nodes()) {
      List<String> why = reasons.get(node.name());
      Path containerfile = real(node.config().containerfile());
      if (changes.changed(containerfile)) {
        why.add("Containerfile changed: " + ProjectLoader.display(node.config().containerfile()));
      }
      if (projectFileChanged) {
        ImageConfig now = node.config().withoutPosition();
        Optional<ImageConfig> then =
            before.map(b -> b.images().get(node.name())).map(ImageConfig::withoutPosition);
        if (then.isEmpty() || !then.get().equals(now)) {
          why.add("strata.yaml entry changed: images." + node.name());
        }
      }
      Path context = real(node.config().context());
      for (StepKey step : keys.get(node.name()).steps()) {
        for (String input : step.inputs().keySet()) {
          if (input.startsWith("file:")) {
            String rel = input.substring("file:".length());
            if (changes.changed(context.resolve(rel).normalize())) {
              why.add(
                  "changed file under step " + step.number() + " (" + step.text() + "): " + rel);
            }
          }
        }
      }
    }
    if (changes.changed(real(project.lockFile()))) {
      LockFile now = LockFile.read(project.lockFile());
      LockFile then =
          changes
              .textAt(revision, real(project.lockFile()))
              .map(text -> parseOrEmpty(project.lockFile(), text))
              .orElse(LockFile.parse(project.lockFile(), ""));
      for (Node node : graph.nodes()) {
        node.externalBase()
            .filter(base -> !then.digest(base).equals(now.digest(base)))
            .ifPresent(
                base ->
                    reasons
                        .get(node.name())
                        .add(
                            "base "
                                + base
                                + " re-pinned in strata.lock: "
                                + then.digest(base).orElse("unpinned")
                                + " -> "
                                + now.digest(base).orElse("unpinned")));
      }
    }
    for (Node node : graph.nodes()) {
      Path context = real(node.config().context());
      List<Path> deleted = changes.deletedUnder(context);
      if (!deleted.isEmpty()) {
        reasons.get(node.name()).addAll(deletedSelected(node, context, deleted));
      }
    }
    for (Node node : graph.nodes()) {
      if (reasons.get(node.name()).stream().anyMatch(r -> !r.startsWith("reads affected"))) {
        for (Node child : graph.descendants(node.name())) {
          String reason = "reads affected node " + node.name();
          if (!reasons.get(child.name()).contains(reason)) {
            reasons.get(child.name()).add(reason);
          }
        }
      }
    }
    List<Affected> affected = new ArrayList<>();
    reasons.forEach(
        (name, why) -> {
          if (!why.isEmpty()) {
            affected.add(new Affected(name, why));
          }
        });
    return affected;
  }

  /** Reasons for the deleted context files a COPY/ADD or bind mount of {@code node} selected. */
  private static List<String> deletedSelected(Node node, Path context, List<Path> deleted) {
    ContextFiles files = new ContextFiles(node.config().context(), node.config().containerfile());
    List<String> why = new ArrayList<>();
    int step = 0;
    for (int index : node.stages()) {
      step++; // FROM
      for (Instruction instruction : node.file().stages().get(index).instructions()) {
        step++;
        List<String> sources = localSources(instruction);
        for (Path path : deleted) {
          String rel = context.relativize(path).toString();
          boolean selected =
              !files.ignored(rel) && sources.stream().anyMatch(s -> selectsQuietly(s, rel));
          if (selected) {
            String text = instruction.location().original().lines().findFirst().orElse("").strip();
            why.add("deleted file under step " + step + " (" + text + "): " + rel);
          }
        }
      }
    }
    return why;
  }

  private static List<String> localSources(Instruction instruction) {
    if (instruction instanceof Copy copy && copy.from().isEmpty()) {
      return copy.sources();
    }
    if (instruction instanceof Add add) {
      return add.sources().stream()
          .filter(s -> !s.contains("://") && !s.startsWith("git@"))
          .toList();
    }
    if (instruction instanceof Run run) {
      return run.mounts().stream()
          .filter(m -> m.type() == MountType.BIND && m.from().isEmpty())
          .map(RunMount::source)
          .toList();
    }
    return List.of();
  }

  private static boolean selectsQuietly(String source, String file) {
    try {
      return ContextFiles.selects(source, file);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  private static LockFile parseOrEmpty(Path path, String text) {
    try {
      return LockFile.parse(path, text);
    } catch (GraphException e) {
      return LockFile.parse(path, "");
    }
  }

  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }
}
