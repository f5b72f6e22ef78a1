package dev.strata.graph.render;

import dev.strata.graph.DerivationGraph;
import dev.strata.graph.Edge;
import dev.strata.graph.EdgeKind;
import dev.strata.graph.Node;
import java.util.ArrayList;
import java.util.List;

/** The graph as a Mermaid flowchart (renders in GitHub and GitLab Markdown). */
public final class MermaidRenderer {
  private MermaidRenderer() {}

  public static String render(DerivationGraph graph) {
    StringBuilder out = new StringBuilder("flowchart TD\n");
    List<String> externals = new ArrayList<>();
    for (Node node : graph.nodes()) {
      node.externalBase()
          .filter(b -> !externals.contains(b))
          .ifPresent(
              b -> {
                externals.add(b);
                out.append("  x")
                    .append(externals.size() - 1)
                    .append("([\"")
                    .append(b)
                    .append("\"])\n");
              });
    }
    List<Node> nodes = graph.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      out.append("  n")
          .append(i)
          .append("[\"")
          .append(nodes.get(i).name())
          .append("<br/>")
          .append(nodes.get(i).imageReference())
          .append("\"]\n");
    }
    for (int i = 0; i < nodes.size(); i++) {
      int index = i;
      nodes
          .get(i)
          .externalBase()
          .ifPresent(
              b ->
                  out.append("  x")
                      .append(externals.indexOf(b))
                      .append(" --> n")
                      .append(index)
                      .append('\n'));
    }
    List<String> names = nodes.stream().map(Node::name).toList();
    for (Edge e : graph.edges()) {
      out.append("  n").append(names.indexOf(e.parent()));
      if (e.kind() == EdgeKind.FROM) {
        out.append(" --> ");
      } else {
        out.append(" -. \"").append(e.kind().instruction()).append("\" .-> ");
      }
      out.append('n').append(names.indexOf(e.child())).append('\n');
    }
    return out.toString();
  }
}
