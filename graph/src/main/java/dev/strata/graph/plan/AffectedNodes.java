package dev.strata.graph.plan;

import com.google.common.collect.ImmutableList;
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

  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }
}
