package dev.strata.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds one cycle among derivation edges, as the edges along it (parent → child → … → parent), so
 * the error can show each FROM that closes it. A self-reference is a cycle of one edge.
 */
final class CycleFinder {
  private CycleFinder() {}

  static Optional<List<Edge>> find(Collection<String> nodes, List<Edge> edges) {
    Map<String, List<Edge>> out = new HashMap<>();
    for (Edge e : edges) {
      out.computeIfAbsent(e.parent(), k -> new ArrayList<>()).add(e);
    }
    Map<String, Integer> state = new HashMap<>(); // 1 on the stack, 2 done
    for (String start : nodes) {
      List<Edge> stack = new ArrayList<>();
      Optional<List<Edge>> cycle = visit(start, out, state, stack);
      if (cycle.isPresent()) {
        return cycle;
      }
    }
    return Optional.empty();
  }

  private static Optional<List<Edge>> visit(
      String node, Map<String, List<Edge>> out, Map<String, Integer> state, List<Edge> stack) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return Optional.empty();
    }
    state.put(node, 1);
    for (Edge e : out.getOrDefault(node, List.of())) {
      stack.add(e);
      if (state.get(e.child()) != null && state.get(e.child()) == 1) {
        // The cycle is the part of the stack from the edge leaving e.child().
        int from = 0;
        for (int i = 0; i < stack.size(); i++) {
          if (stack.get(i).parent().equals(e.child())) {
            from = i;
            break;
          }
        }
        return Optional.of(List.copyOf(stack.subList(from, stack.size())));
      }
      Optional<List<Edge>> found = visit(e.child(), out, state, stack);
      if (found.isPresent()) {
        return found;
      }
      stack.remove(stack.size() - 1);
    }
    state.put(node, 2);
    return Optional.empty();
  }
}
