package dev.strata.graph;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.strata.dsl.eval.ResolvedContainerfile;
import dev.strata.dsl.eval.ResolvedStage;
import dev.strata.graph.project.ImageConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One image of the graph: its configuration, the reference its result is stored under, the
 * evaluated Containerfile, the target stage and the stages it needs (indexes, ascending; internal
 * stages are part of the node, never nodes themselves), where its FROM chain starts ({@code parent}
 * node, or an external base, or scratch), and which image references in the file name other nodes.
 */
public record Node(
    ImageConfig config,
    String imageReference,
    ResolvedContainerfile file,
    int targetStage,
    List<Integer> stages,
    Optional<String> parent,
    Optional<String> externalBase,
    Map<String, String> nodeReferences) {

  public Node {
    stages = ImmutableList.copyOf(stages);
    nodeReferences = ImmutableMap.copyOf(nodeReferences);
  }

  /** The node's name (its key in strata.yaml, or its folder). */
  public String name() {
    return config.name();
  }

  /** The stage whose result is the node's image. */
  public ResolvedStage target() {
    return file.stages().get(targetStage);
  }
}
