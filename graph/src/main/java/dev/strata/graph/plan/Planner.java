package dev.strata.graph.plan;

import dev.strata.graph.DerivationGraph;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Plans a build: computes every node's cache keys (bases pinned through strata.lock, or resolved
 * and pinned now) and compares them step by step with the keys of the last build. The first step
 * whose key differs is where the rebuild starts; every step whose own instruction or inputs differ
 * gives a reason.
 */
public final class Planner {
  private static final String RESULT = "result:";

  /** The identity prefix of a base that is neither pinned nor resolved: it is keyed by name. */
  static final String UNPINNED = "unpinned:";

  private Planner() {}

  /**
   * Plans {@code graph} against {@code state}. New pins found through {@code resolver} are added to
   * {@code lock} (the caller decides whether to write it).
   */
  public static Plan plan(
      DerivationGraph graph, LockFile lock, BaseImageResolver resolver, BuildState state) {
    Set<String> notes = new LinkedHashSet<>();
    Map<String, NodeKeys> keys =
        CacheKeys.compute(graph, baseIdentity(lock, resolver, notes), state);
    List<NodePlan> nodes = new ArrayList<>();
    for (NodeKeys current : keys.values()) {
      nodes.add(compare(current, state.lastBuild(current.node())));
    }
    return new Plan(nodes, List.copyOf(notes));
  }

  /**
   * Plans {@code node} alone, as {@link #plan} would: the keys of the nodes it derives from are
   * taken from {@code known} when there (an engine passes the keys of the nodes it planned earlier
   * in the same build), else computed.
   */
  public static NodePlan plan(
      DerivationGraph graph,
      LockFile lock,
      BaseImageResolver resolver,
      BuildState state,
      String node,
      Map<String, NodeKeys> known) {
    NodeKeys current =
        CacheKeys.compute(
            graph, baseIdentity(lock, resolver, new LinkedHashSet<>()), state, known, node);
    return compare(current, state.lastBuild(node));
  }

  /** An external base's identity: its strata.lock pin, else resolved and pinned now, else name. */
  private static Function<String, String> baseIdentity(
      LockFile lock, BaseImageResolver resolver, Set<String> notes) {
    return reference -> {
      Optional<String> pinned = lock.digest(reference);
      if (pinned.isPresent()) {
        return pinned.get();
      }
      Optional<String> resolved = resolver.resolve(reference);
      if (resolved.isPresent()) {
        lock.pin(reference, resolved.get());
        return resolved.get();
      }
      notes.add(
          reference
              + " is not pinned in strata.lock: it is keyed by its name until `strata"
              + " check-updates` pins its digest");
      return UNPINNED + reference;
    };
  }

  static NodePlan compare(NodeKeys current, Optional<NodeKeys> last) {
    List<StepKey> now = current.steps();
    if (last.isEmpty()) {
      return new NodePlan(
          current.node(),
          Optional.of(1),
          now.get(0).text(),
          List.of(
              new Reason(
                  ReasonKind.NEW_NODE, 0, current.node(), Optional.empty(), Optional.empty())),
          current);
    }
    List<StepKey> before = last.get().steps();
    Integer from = null;
    List<Reason> reasons = new ArrayList<>();
    boolean instructionsDiffer = false;
    int common = Math.min(now.size(), before.size());
    for (int i = 0; i < common; i++) {
      StepKey a = before.get(i);
      StepKey b = now.get(i);
      if (a.key().equals(b.key())) {
        continue;
      }
      if (from == null) {
        from = i + 1;
      }
      if (!a.canonical().equals(b.canonical())) {
        if (!instructionsDiffer) {
          reasons.add(
              new Reason(
                  ReasonKind.INSTRUCTION_CHANGED,
                  b.number(),
                  b.text(),
                  Optional.of(a.text()),
                  Optional.of(b.text())));
          instructionsDiffer = true;
        }
        continue;
      }
      inputReasons(b.number(), a.inputs(), b.inputs(), reasons);
    }
    if (now.size() != before.size()) {
      if (from == null) {
        from = Math.min(now.size(), common + 1);
      }
      if (!instructionsDiffer) {
        String what =
            now.size() > before.size()
                ? "added: " + now.get(common).text()
                : (before.size() - now.size()) + " step(s) removed after step " + now.size();
        reasons.add(
            new Reason(
                ReasonKind.INSTRUCTION_CHANGED,
                common + 1,
                what,
                Optional.empty(),
                Optional.empty()));
      }
    }
    if (from == null) {
      return new NodePlan(current.node(), Optional.empty(), "", List.of(), current);
    }
    return new NodePlan(
        current.node(), Optional.of(from), now.get(from - 1).text(), reasons, current);
  }

  private static void inputReasons(
      int step,
      SortedMap<String, String> before,
      SortedMap<String, String> now,
      List<Reason> reasons) {
    Set<String> names = new TreeSet<>(before.keySet());
    names.addAll(now.keySet());
    for (String name : names) {
      Optional<String> a = Optional.ofNullable(before.get(name));
      Optional<String> b = Optional.ofNullable(now.get(name));
      if (a.equals(b)) {
        continue;
      }
      int colon = name.indexOf(':');
      String kind = name.substring(0, colon);
      String subject = name.substring(colon + 1);
      switch (kind) {
        case "file" -> reasons.add(new Reason(ReasonKind.INPUT_FILE_CHANGED, step, subject, a, b));
        case "arg" -> reasons.add(new Reason(ReasonKind.BUILD_ARG_CHANGED, step, subject, a, b));
        case "parent" ->
            // Values are shown only when both sides are built images (config digests).
            reasons.add(
                b.filter(v -> v.startsWith(RESULT)).isPresent()
                        && a.filter(v -> v.startsWith(RESULT)).isPresent()
                    ? new Reason(
                        ReasonKind.PARENT_REBUILT,
                        step,
                        subject,
                        a.map(v -> v.substring(RESULT.length())),
                        b.map(v -> v.substring(RESULT.length())))
                    : new Reason(
                        ReasonKind.PARENT_REBUILT,
                        step,
                        subject,
                        Optional.empty(),
                        Optional.empty()));
        case "layers" ->
            reasons.add(
                new Reason(
                    ReasonKind.LAYER_COMPRESSION_CHANGED,
                    step,
                    subject,
                    Optional.of(a.orElse("gzip")),
                    Optional.of(b.orElse("gzip"))));
        case "base", "image" ->
            reasons.add(new Reason(ReasonKind.BASE_DIGEST_MOVED, step, subject, a, b));
        default -> {
          // stage:NAME changes are explained by the reasons of that stage's own steps.
        }
      }
    }
  }
}
