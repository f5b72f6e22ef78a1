package dev.strata.bridge.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The order in which a build's nodes take a locked cache mount they share. */
class CacheTurnsTest {
  private static final String APT = "/var/cache/apt";

  /** Runs {@code node}'s wait for {@code cacheId} on another thread; done when it may go. */
  private static CompletableFuture<Void> asks(CacheTurns turns, String node, String cacheId) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            new CacheTurns.Turn(turns, node).await(cacheId);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** db-server (13.5 s) and web-server (3 s) claim the apt cache; {@code started} are running. */
  private static CacheTurns dbBeforeWeb(Duration grace, String... started) {
    CacheTurns turns = new CacheTurns(grace);
    turns.claim("db-server", APT, 13.5);
    turns.claim("web-server", APT, 3.0);
    for (String node : started) {
      turns.started(node);
    }
    return turns;
  }

  @Test
  void aRunWaitsUntilARunningNodeOfHigherPriorityHasTakenTheCache() throws Exception {
    CacheTurns turns = dbBeforeWeb(Duration.ofSeconds(30), "db-server", "web-server");

    CompletableFuture<Void> web = asks(turns, "web-server", APT);
    Thread.sleep(300);
    assertThat(web).as("web-server waits for db-server").isNotDone();

    new CacheTurns.Turn(turns, "db-server").passed(APT);
    web.get(5, TimeUnit.SECONDS);
  }

  @Test
  void theNodeOfHigherPriorityGoesAtOnce() throws Exception {
    CacheTurns turns = dbBeforeWeb(Duration.ofSeconds(30), "db-server", "web-server");

    asks(turns, "db-server", APT).get(2, TimeUnit.SECONDS);
  }

  @Test
  void aRunWaitsNoLongerThanTheGraceForAClaimantThatDoesNotAsk() throws Exception {
    CacheTurns turns = dbBeforeWeb(Duration.ofMillis(400), "db-server", "web-server");

    long start = System.nanoTime();
    asks(turns, "web-server", APT).get(10, TimeUnit.SECONDS);
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(waited).isBetween(350L, 3000L);
  }

  @Test
  void aClaimantThatHasNotStartedHoldsNoOneBack() throws Exception {
    // db-server still waits for its parents
    CacheTurns turns = dbBeforeWeb(Duration.ofSeconds(30), "web-server");

    asks(turns, "web-server", APT).get(2, TimeUnit.SECONDS);
  }

  @Test
  void aClaimOnAnotherCacheHoldsNoOneBack() throws Exception {
    CacheTurns turns = new CacheTurns(Duration.ofSeconds(30));
    turns.claim("db-server", "/root/.cache/pip", 13.5);
    turns.claim("web-server", APT, 3.0);
    turns.started("db-server");
    turns.started("web-server");

    asks(turns, "web-server", APT).get(2, TimeUnit.SECONDS);
  }

  @Test
  void aNodeThatEndsReleasesTheNodesWaitingForIt() throws Exception {
    CacheTurns turns = dbBeforeWeb(Duration.ofSeconds(30), "db-server", "web-server");
    CompletableFuture<Void> web = asks(turns, "web-server", APT);
    Thread.sleep(200);
    assertThat(web).isNotDone();

    turns.finished("db-server"); // failed before its RUN, say

    web.get(5, TimeUnit.SECONDS);
  }

  @Test
  void withoutClaimsEveryRunGoesAtOnce() throws Exception {
    CacheTurns.NONE.started("web-server");
    asks(CacheTurns.NONE, "web-server", APT).get(2, TimeUnit.SECONDS);
    CacheTurns.NONE.finished("web-server");
  }
}
