package dev.strata.graph.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.Edge;
import dev.strata.graph.Node;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph as JSON, a stable shape for scripts:
 *
 * <pre>
 * { "project": DIR, "projectFile": PATH|null,
 *   "nodes": [ { "name", "image", "containerfile", "context", "parent": NAME|null,
 *                "externalBase": REF|null, "children": [NAME], "wave": N,
 *                "tags": [..], "aliases": [..], "disk": [..] } ],
 *   "edges": [ { "parent", "child", "kind": "FROM"|"COPY_FROM"|"MOUNT_FROM",
 *                "reference", "at": "FILE:LINE:COL" } ],
 *   "waves": [ [NAME, ...], ... ] }
 * </pre>
 *
 * Paths are relative to the project folder.
 */
public final class GraphJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private GraphJson() {}

  public static String render(DerivationGraph graph) {
    return write(toMap(graph));
  }

  /** The JSON document as maps and lists (to embed in another document). */
  public static Map<String, Object> toMap(DerivationGraph graph) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("project", graph.project().directory().toString());
    doc.put("projectFile", graph.project().projectFile().map(Path::toString).orElse(null));
    List<Object> nodes = new ArrayList<>();
    for (Node node : graph.nodes()) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("name", node.name());
      n.put("image", node.imageReference());
      n.put("containerfile", relative(graph, node.config().containerfile()));
      n.put("context", relative(graph, node.config().context()));
      n.put("parent", node.parent().orElse(null));
      n.put("externalBase", node.externalBase().orElse(null));
      n.put("children", graph.children(node.name()).stream().map(Node::name).toList());
      n.put("wave", graph.wave(node.name()));
      n.put("tags", node.config().tags());
      n.put("aliases", node.config().aliases());
      n.put("disk", node.config().disks());
      nodes.add(n);
    }
    doc.put("nodes", nodes);
    List<Object> edges = new ArrayList<>();
    for (Edge e : graph.edges()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("parent", e.parent());
      m.put("child", e.child());
      m.put("kind", e.kind().name());
      m.put("reference", e.reference());
      m.put("at", e.position().toString());
      edges.add(m);
    }
    doc.put("edges", edges);
    doc.put("waves", graph.waves().stream().map(w -> w.stream().map(Node::name).toList()).toList());
    return doc;
  }

  /** Pretty JSON of maps, lists and scalars. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String relative(DerivationGraph graph, Path path) {
    Path dir = graph.project().directory();
    String rel = path.startsWith(dir) ? dir.relativize(path).toString() : path.toString();
    return rel.isEmpty() ? "." : rel;
  }
}
