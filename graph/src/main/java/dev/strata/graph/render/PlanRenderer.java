package dev.strata.graph.render;

import dev.strata.graph.plan.AffectedNodes;
import dev.strata.graph.plan.NodePlan;
import dev.strata.graph.plan.Plan;
import dev.strata.graph.plan.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan as text (one line per node, one indented line per reason) or as JSON, a stable shape:
 *
 * <pre>
 * { "nodes": [ { "node", "status": "up-to-date"|"rebuild", "rebuildFrom": N|null,
 *                "rebuildFromText": TEXT|null, "finalKey": "sha256:…",
 *                "reasons": [ { "kind", "step", "subject", "before", "after", "text" } ] } ],
 *   "rebuild": [NODE, …], "notes": [TEXT, …] }
 * </pre>
 *
 * With {@code --since}: {@code { "since": REV, "affected": [ { "node", "reasons": [TEXT] } ] }}.
 */
public final class PlanRenderer {
  private PlanRenderer() {}

  public static String text(Plan plan) {
    StringBuilder out = new StringBuilder();
    for (NodePlan node : plan.nodes()) {
      out.append(node.node()).append(": ").append(node.summary()).append('\n');
      for (Reason reason : node.reasons()) {
        out.append("  - ").append(reason.describe()).append('\n');
      }
    }
    out.append(plan.rebuilds().size())
        .append(" of ")
        .append(plan.nodes().size())
        .append(plan.nodes().size() == 1 ? " node" : " nodes")
        .append(" to rebuild\n");
    for (String note : plan.notes()) {
      out.append("note: ").append(note).append('\n');
    }
    return out.toString();
  }

  public static String json(Plan plan) {
    return GraphJson.write(toMap(plan));
  }

  public static Map<String, Object> toMap(Plan plan) {
    Map<String, Object> doc = new LinkedHashMap<>();
    List<Object> nodes = new ArrayList<>();
    for (NodePlan node : plan.nodes()) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("node", node.node());
      n.put("status", node.upToDate() ? "up-to-date" : "rebuild");
      n.put("rebuildFrom", node.rebuildFrom().orElse(null));
      n.put("rebuildFromText", node.upToDate() ? null : node.rebuildFromText());
      n.put("finalKey", node.keys().finalKey());
      List<Object> reasons = new ArrayList<>();
      for (Reason reason : node.reasons()) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", reason.kind().name());
        r.put("step", reason.step());
        r.put("subject", reason.subject());
        r.put("before", reason.before().orElse(null));
        r.put("after", reason.after().orElse(null));
        r.put("text", reason.describe());
        reasons.add(r);
      }
      n.put("reasons", reasons);
      nodes.add(n);
    }
    doc.put("nodes", nodes);
    doc.put("rebuild", plan.rebuilds().stream().map(NodePlan::node).toList());
    doc.put("notes", plan.notes());
    return doc;
  }

  public static String affectedText(String since, List<AffectedNodes.Affected> affected) {
    StringBuilder out = new StringBuilder();
    out.append(affected.size())
        .append(affected.size() == 1 ? " node" : " nodes")
        .append(" affected since ")
        .append(since)
        .append('\n');
    for (AffectedNodes.Affected node : affected) {
      out.append(node.node()).append('\n');
      node.reasons().forEach(r -> out.append("  - ").append(r).append('\n'));
    }
    return out.toString();
  }

  public static String affectedJson(String since, List<AffectedNodes.Affected> affected) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("since", since);
    List<Object> nodes = new ArrayList<>();
    for (AffectedNodes.Affected node : affected) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("node", node.node());
      n.put("reasons", node.reasons());
      nodes.add(n);
    }
    doc.put("affected", nodes);
    return GraphJson.write(doc);
  }
}
