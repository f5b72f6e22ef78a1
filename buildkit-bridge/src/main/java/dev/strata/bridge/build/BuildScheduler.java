package dev.strata.bridge.build;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Where a build's concurrency lives: runs node builds parents first, up to {@code jobs} at a time,
 * starting each node as soon as every parent it derives from is built (so the siblings of a wave,
 * such as two role images on one SOE, build together). A failed node fails its descendants; with
 * {@code keepGoing} its siblings and their subtrees go on, without it nothing new starts (nodes
 * already running finish).
 */
final class BuildScheduler {

  /** Builds one node; its parents are built when it is called. */
  @FunctionalInterface
  interface NodeTask {
    NodeResult build(String node) throws IOException;
  }

  private final int jobs;
  private final boolean keepGoing;
  private final BuildListener listener;

  BuildScheduler(int jobs, boolean keepGoing, BuildListener listener) {
    if (jobs < 1) {
      throw new IllegalArgumentException("--jobs must be at least 1, got " + jobs);
    }
    this.jobs = jobs;
    this.keepGoing = keepGoing;
    this.listener = listener;
  }

  /**
   * Builds {@code order} (a topological order) where {@code parents} maps each node to the nodes of
   * {@code order} it derives from.
   */
  BuildReport run(List<String> order, Map<String, Set<String>> parents, NodeTask task)
      throws IOException {
    Map<String, NodeResult> done = new LinkedHashMap<>();
    Map<String, BuildReport.Failure> failed = new LinkedHashMap<>();
    Set<String> pending = new LinkedHashSet<>(order);
    Map<Future<NodeResult>, String> running = new HashMap<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            jobs,
            r -> {
              Thread t = new Thread(r, "strata-build");
              t.setDaemon(true);
              return t;
            });
    CompletionService<NodeResult> completions = new ExecutorCompletionService<>(pool);
    boolean stopping = false;
    try {
      while (true) {
        if (!stopping) {
          for (String node : new ArrayList<>(pending)) {
            if (running.size() >= jobs) {
              break;
            }
            Set<String> mine = parents.getOrDefault(node, Set.of());
            String brokenParent =
                mine.stream().filter(failed::containsKey).findFirst().orElse(null);
            if (brokenParent != null) {
              pending.remove(node);
              failed.put(
                  node,
                  new BuildReport.Failure(
                      node, "not built: it derives from " + brokenParent + ", which failed", true));
              listener.nodeSkipped(node, brokenParent);
            } else if (done.keySet().containsAll(mine)) {
              pending.remove(node);
              running.put(completions.submit(() -> task.build(node)), node);
            }
          }
        }
        if (running.isEmpty()) {
          break;
        }
        Future<NodeResult> next = take(completions);
        String node = running.remove(next);
        try {
          done.put(node, next.get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
          failed.put(node, new BuildReport.Failure(node, message, false));
          listener.nodeFailed(node, message);
          if (!(cause instanceof IOException)) {
            // a bug, not a build failure: report it as such
            throw new IllegalStateException("building " + node + " failed unexpectedly", cause);
          }
          stopping = !keepGoing;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while building " + node, e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    List<NodeResult> results = new ArrayList<>();
    for (String node : order) {
      if (done.containsKey(node)) {
        results.add(done.get(node));
      }
    }
    List<String> notStarted = new ArrayList<>(pending);
    return new BuildReport(results, List.copyOf(failed.values()), notStarted);
  }

  private static Future<NodeResult> take(CompletionService<NodeResult> completions)
      throws IOException {
    try {
      return completions.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a node build", e);
    }
  }
}
