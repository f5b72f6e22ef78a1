package dev.strata.graph.render;

import dev.strata.graph.DerivationGraph;
import dev.strata.graph.Edge;
import dev.strata.graph.EdgeKind;
import dev.strata.graph.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The graph as a readable tree: each external base, the nodes derived from it (name, image
 * reference, Containerfile), their children below them; then the other uses between nodes ({@code
 * COPY --from}, mounts) and the build waves.
 */
public final class TextRenderer {
  private TextRenderer() {}

  public static String render(DerivationGraph graph) {
    StringBuilder out = new StringBuilder();
    Map<String, List<Node>> roots = new LinkedHashMap<>();
    for (Node node : graph.nodes()) {
      if (node.parent().isEmpty()) {
        roots
            .computeIfAbsent(node.externalBase().orElse("scratch"), k -> new ArrayList<>())
            .add(node);
      }
    }
    roots.forEach(
        (base, nodes) -> {
          out.append(base).append("  (external base)\n");
          for (int i = 0; i < nodes.size(); i++) {
            tree(graph, nodes.get(i), "", i == nodes.size() - 1, out);
          }
        });
    List<Edge> others = graph.edges().stream().filter(e -> e.kind() != EdgeKind.FROM).toList();
    if (!others.isEmpty()) {
      out.append("\nother uses:\n");
      for (Edge e : others) {
        out.append("  ")
            .append(e.child())
            .append(" ← ")
            .append(e.parent())
            .append("  (")
            .append(e.kind().instruction())
            .append(' ')
            .append(e.reference())
            .append(" at ")
            .append(e.position().file())
            .append(':')
            .append(e.position().line())
            .append(")\n");
      }
    }
    out.append("\nwaves:");
    List<List<Node>> waves = graph.waves();
    for (int i = 0; i < waves.size(); i++) {
      out.append(i == 0 ? " " : " | ")
          .append(i + 1)
          .append(": ")
          .append(waves.get(i).stream().map(Node::name).collect(Collectors.joining(", ")));
    }
    out.append('\n');
    return out.toString();
  }

  private static void tree(
      DerivationGraph graph, Node node, String indent, boolean last, StringBuilder out) {
    out.append(indent)
        .append(last ? "└── " : "├── ")
        .append(node.name())
        .append("  ")
        .append(node.imageReference())
        .append("  (")
        .append(GraphJson.relative(graph, node.config().containerfile()))
        .append(")\n");
    List<Node> children = graph.children(node.name());
    for (int i = 0; i < children.size(); i++) {
      tree(
          graph, children.get(i), indent + (last ? "    " : "│   "), i == children.size() - 1, out);
    }
  }
}
