package dev.strata.bridge.run;

import dev.strata.dsl.instructions.CacheSharing;
import dev.strata.dsl.instructions.MountType;
import dev.strata.dsl.instructions.RunMount;
import dev.strata.dsl.path.GoPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Who of a build's nodes takes a locked cache mount ({@code RUN --mount=type=cache,sharing=locked})
 * first, when siblings that build at the same time both want it.
 *
 * <p>Without an order they race, and the loser waits for the winner's whole RUN. That costs the
 * build most when the loser has the longer way to go after its RUN: in examples/soe, web-server's
 * and db-server's {@code apt-get install} share the apt cache; when web-server wins, db-server's
 * seven-second install and its 300 MB layer both come after web-server's three-second one. The
 * order that finishes first lets the longest go first (list scheduling by the longest remaining
 * path): each node claims the locked caches its Containerfile names with a priority, the time its
 * steps took when each last ran plus its slowest descendants'. A RUN that asks for a cache that a
 * running node of higher priority still claims lets that node take it first, waiting at most the
 * {@linkplain #CacheTurns(Duration) grace} for it to ask (the claimant may have slow steps before
 * its RUN). A claim is spent when its node takes the cache, runs past the RUN (taken from the step
 * cache) or ends. Nodes without a priority, nodes not yet started and other processes sharing the
 * store are served first come, first served, as before.
 */
public final class CacheTurns {
  /** How long a RUN waits at most for a higher-priority sibling to take a cache first. */
  public static final Duration GRACE = Duration.ofSeconds(2);

  /** No order: every RUN takes a locked cache as it comes. */
  public static final CacheTurns NONE = new CacheTurns(Duration.ZERO);

  private final Duration grace;
  private final Map<String, Double> priorities = new HashMap<>();
  private final Map<String, Set<String>> claims = new HashMap<>(); // cache id -> claiming nodes
  private final Set<String> running = new HashSet<>();
  private final Map<String, Long> waited = new HashMap<>(); // node -> nanoseconds

  /** Turns whose RUNs wait at most {@code grace} for a higher-priority claimant. */
  public CacheTurns(Duration grace) {
    this.grace = grace;
  }

  /** One node's side of the turns, handed to its RUNs. */
  public record Turn(CacheTurns turns, String node) {
    /** A RUN outside any order (first come, first served). */
    public static final Turn ANY = new Turn(NONE, "");

    /** Waits while a running node of higher priority still claims {@code cacheId}. */
    void await(String cacheId) throws InterruptedException {
      turns.await(node, cacheId);
    }

    /** This node has taken {@code cacheId}, or will not ask for it at this step. */
    public void passed(String cacheId) {
      turns.passed(node, cacheId);
    }

    /** This node waited {@code nanos} for a cache (its turn and the lock). */
    void waited(long nanos) {
      turns.waited(node, nanos);
    }
  }

  /** The id of a cache mount, as BuildKit's Dockerfile frontend defaults it: its target. */
  public static String cacheId(RunMount mount) {
    return mount.id().isEmpty() ? GoPath.clean(mount.target()) : mount.id();
  }

  /** Whether a RUN with {@code mount} waits for others that use the same cache. */
  public static boolean locked(RunMount mount) {
    return mount.type() == MountType.CACHE
        && mount.sharing().orElse(CacheSharing.SHARED) == CacheSharing.LOCKED;
  }

  /** {@code node} will ask for {@code cacheId} at {@code priority} (higher goes first). */
  public synchronized void claim(String node, String cacheId, double priority) {
    priorities.put(node, priority);
    claims.computeIfAbsent(cacheId, k -> new HashSet<>()).add(node);
  }

  /** {@code node} has started building: its claims now hold others back. */
  public synchronized void started(String node) {
    running.add(node);
  }

  /** {@code node} is built or failed: its claims are spent. */
  public synchronized void finished(String node) {
    running.remove(node);
    claims.values().forEach(nodes -> nodes.remove(node));
    notifyAll();
  }

  /**
   * {@code node} took {@code cacheId}, or went past the RUN that would have: its claim is spent.
   */
  public synchronized void passed(String node, String cacheId) {
    Set<String> nodes = claims.get(cacheId);
    if (nodes != null && nodes.remove(node)) {
      notifyAll();
    }
  }

  /** Adds {@code nanos} to the time {@code node} spent waiting for caches. */
  synchronized void waited(String node, long nanos) {
    if (!node.isEmpty()) {
      waited.merge(node, nanos, Long::sum);
    }
  }

  /**
   * How long {@code node} waited for locked caches in this build: not work of its own, so its
   * recorded build time leaves it out (else the node that lost the race would seem the longer next
   * time, and the order would flip from build to build).
   */
  public synchronized Duration waitedBy(String node) {
    return Duration.ofNanos(waited.getOrDefault(node, 0L));
  }

  /** The node {@code node} waits for at {@code cacheId}, or null. */
  synchronized String ahead(String node, String cacheId) {
    double mine = priorities.getOrDefault(node, 0.0);
    String best = null;
    for (String other : claims.getOrDefault(cacheId, Set.of())) {
      if (!other.equals(node)
          && running.contains(other)
          && priorities.getOrDefault(other, 0.0) > mine
          && (best == null || priorities.get(other) > priorities.get(best))) {
        best = other;
      }
    }
    return best;
  }

  private synchronized void await(String node, String cacheId) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    while (ahead(node, cacheId) != null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}
