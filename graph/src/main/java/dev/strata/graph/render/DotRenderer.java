package dev.strata.graph.render;

import dev.strata.graph.DerivationGraph;
import dev.strata.graph.Edge;
import dev.strata.graph.EdgeKind;
import dev.strata.graph.Node;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.DefaultAttribute;
import org.jgrapht.nio.dot.DOTExporter;

/**
 * The graph in Graphviz DOT, written by jgrapht-io: nodes as boxes labelled with name and image,
 * external bases as ellipses, FROM edges solid and other uses dashed.
 */
public final class DotRenderer {
  private DotRenderer() {}

  /** One edge of the exported graph (a record, so equal edges stay distinct by position). */
  private record Link(String parent, String child, String style, String label) {}

  public static String render(DerivationGraph graph) {
    DefaultDirectedGraph<String, Link> export = new DefaultDirectedGraph<>(null, null, false);
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, Boolean> external = new HashMap<>();
    for (Node node : graph.nodes()) {
      node.externalBase()
          .ifPresent(
              base -> {
                String id = "ext:" + base;
                if (export.addVertex(id)) {
                  labels.put(id, base);
                  external.put(id, true);
                }
              });
    }
    for (Node node : graph.nodes()) {
      export.addVertex(node.name());
      labels.put(node.name(), node.name() + "\\n" + node.imageReference());
      node.externalBase()
          .ifPresent(
              base ->
                  export.addEdge(
                      "ext:" + base, node.name(), link("ext:" + base, node.name(), "solid", "")));
    }
    for (Edge e : graph.edges()) {
      boolean from = e.kind() == EdgeKind.FROM;
      export.addEdge(
          e.parent(),
          e.child(),
          link(
              e.parent(),
              e.child(),
              from ? "solid" : "dashed",
              from ? "" : e.kind().instruction()));
    }
    List<String> order = List.copyOf(labels.keySet());
    DOTExporter<String, Link> exporter = new DOTExporter<>(v -> "n" + order.indexOf(v));
    exporter.setGraphIdProvider(() -> "strata");
    exporter.setGraphAttributeProvider(
        () -> Map.of("rankdir", DefaultAttribute.createAttribute("TB")));
    exporter.setVertexAttributeProvider(
        v -> {
          Map<String, Attribute> a = new LinkedHashMap<>();
          a.put("label", DefaultAttribute.createAttribute(labels.get(v)));
          a.put(
              "shape",
              DefaultAttribute.createAttribute(external.containsKey(v) ? "ellipse" : "box"));
          return a;
        });
    exporter.setEdgeAttributeProvider(
        e -> {
          Map<String, Attribute> a = new LinkedHashMap<>();
          a.put("style", DefaultAttribute.createAttribute(e.style()));
          if (!e.label().isEmpty()) {
            a.put("label", DefaultAttribute.createAttribute(e.label()));
          }
          return a;
        });
    StringWriter out = new StringWriter();
    exporter.exportGraph(export, out);
    return out.toString();
  }

  private static Link link(String parent, String child, String style, String label) {
    return new Link(parent, child, style, label);
  }
}
