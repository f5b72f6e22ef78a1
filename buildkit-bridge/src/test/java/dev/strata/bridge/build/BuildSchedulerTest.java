package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.Digest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How {@link BuildScheduler} orders, parallelises and stops node builds. */
class BuildSchedulerTest {
  /** base → soe → {db, web}; and a second root, tools, with nothing below it. */
  private static final List<String> ORDER = List.of("base", "tools", "soe", "db", "web");

  private static final Map<String, Set<String>> PARENTS =
      Map.of(
          "base", Set.of(),
          "tools", Set.of(),
          "soe", Set.of("base"),
          "db", Set.of("soe"),
          "web", Set.of("soe"));

  private final List<String> started = Collections.synchronizedList(new ArrayList<>());

  @Test
  void siblingsRunAtTheSameTime() throws IOException {
    CountDownLatch bothRunning = new CountDownLatch(2);
    BuildReport report =
        new BuildScheduler(2, false, BuildListener.SILENT)
            .run(
                ORDER,
                PARENTS,
                node -> {
                  if (node.equals("db") || node.equals("web")) {
                    bothRunning.countDown();
                    // Finishes only once its sibling has started too: fails if run one at a time.
                    await(bothRunning);
                  }
                  return result(node);
                });
    assertThat(report.succeeded()).isTrue();
  }

  @Test
  void aNodeStartsOnlyAfterAllItsParents() throws IOException {
    List<String> finished = Collections.synchronizedList(new ArrayList<>());
    new BuildScheduler(4, false, BuildListener.SILENT)
        .run(
            ORDER,
            PARENTS,
            node -> {
              // a copy: a synchronized list is iterated unlocked, while siblings add to it
              List<String> done = List.copyOf(finished);
              for (String parent : PARENTS.get(node)) {
                assertThat(done).as(node + " started before " + parent).contains(parent);
              }
              finished.add(node);
              return result(node);
            });
    assertThat(finished).containsExactlyInAnyOrderElementsOf(ORDER);
  }

  @Test
  void oneJobBuildsOneNodeAtATime() throws IOException {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    new BuildScheduler(1, false, BuildListener.SILENT)
        .run(
            ORDER,
            PARENTS,
            node -> {
              most.accumulateAndGet(running.incrementAndGet(), Math::max);
              sleep();
              running.decrementAndGet();
              return result(node);
            });
    assertThat(most.get()).isEqualTo(1);
  }

  @Test
  void withKeepGoingAFailureFailsItsDescendantsAndSiblingsGoOn() throws IOException {
    BuildReport report =
        new BuildScheduler(2, true, BuildListener.SILENT).run(ORDER, PARENTS, failing("soe"));
    assertThat(report.results()).extracting(NodeResult::node).containsExactly("base", "tools");
    assertThat(report.failures())
        .extracting(BuildReport.Failure::node, BuildReport.Failure::skipped)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("soe", false),
            org.assertj.core.groups.Tuple.tuple("db", true),
            org.assertj.core.groups.Tuple.tuple("web", true));
    assertThat(report.failures().get(0).message()).isEqualTo("soe broke");
  }

  @Test
  void withKeepGoingASiblingFailureDoesNotStopTheOtherSibling() throws IOException {
    BuildReport report =
        new BuildScheduler(2, true, BuildListener.SILENT).run(ORDER, PARENTS, failing("db"));
    assertThat(report.results())
        .extracting(NodeResult::node)
        .containsExactly("base", "tools", "soe", "web");
    assertThat(report.failures()).extracting(BuildReport.Failure::node).containsExactly("db");
  }

  @Test
  void withoutKeepGoingNothingNewStartsAfterAFailure() throws IOException {
    BuildReport report =
        new BuildScheduler(1, false, BuildListener.SILENT).run(ORDER, PARENTS, failing("base"));
    assertThat(started).containsExactly("base");
    assertThat(report.succeeded()).isFalse();
    assertThat(report.notStarted()).containsExactly("tools", "soe", "db", "web");
  }

  private BuildScheduler.NodeTask failing(String broken) {
    return node -> {
      started.add(node);
      if (node.equals(broken)) {
        throw new BuildException(node + " broke");
      }
      return result(node);
    };
  }

  private static NodeResult result(String node) {
    Digest d = Digest.sha256(node);
    return new NodeResult(
        node,
        List.of(node + ":latest"),
        d,
        d,
        1,
        0,
        List.of("RUN x"),
        Duration.ZERO,
        new BuildOrigin(node, Optional.empty(), Optional.empty(), Optional.empty(), d),
        List.of());
  }

  private static void await(CountDownLatch latch) throws IOException {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IOException("the sibling never started: nodes were built one at a time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
