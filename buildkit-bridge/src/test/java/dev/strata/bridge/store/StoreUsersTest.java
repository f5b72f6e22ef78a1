package dev.strata.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.Descriptor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreUsersTest {
  @TempDir Path tmp;

  private static Process anotherUser(Path store) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                StoreUserProcess.class.getName(),
                store.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("stored");
    return p;
  }

  @Test
  void collectionWaitsForAnotherProcessThatHasTheStoreOpenAndKeepsWhatItTags() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(tmp);
    Process other = anotherUser(tmp);
    CountDownLatch waited = new CountDownLatch(1);

    CompletableFuture<List<?>> gc =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return store.exclusively(store::gc, waited::countDown);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    assertThat(waited.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(300);
    assertThat(gc).isNotDone();
    other.getOutputStream().close(); // the other process tags its image and exits
    assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(other.exitValue()).isZero();
    assertThat(gc.get(30, TimeUnit.SECONDS)).isEmpty();
    Descriptor tagged = store.resolve("corp/other:latest").orElseThrow();
    assertThat(store.hasBlob(tagged.digest())).isTrue();
  }

  @Test
  void collectionRunsAtOnceWhenOnlyThisProcessHasTheStoreOpen() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(tmp);
    OciLayoutStore.open(tmp); // a second open in the same process is not another user
    AtomicBoolean waited = new AtomicBoolean();

    store.exclusively(store::gc, () -> waited.set(true));

    assertThat(waited).isFalse();
  }

  @Test
  void aProcessThatDiedNoLongerHoldsTheStore() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(tmp);
    Process other = anotherUser(tmp);
    other.destroyForcibly().waitFor();
    AtomicBoolean waited = new AtomicBoolean();

    store.exclusively(store::gc, () -> waited.set(true));

    assertThat(waited).isFalse();
  }
}
