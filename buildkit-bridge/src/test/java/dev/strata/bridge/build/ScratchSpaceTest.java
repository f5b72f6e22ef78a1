package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchSpaceTest {
  @TempDir Path store;

  @Test
  void aScratchFolderIsNamedAfterThisProcess() throws Exception {
    Path scratch = ScratchSpace.create(store);
    assertThat(scratch.getFileName().toString())
        .startsWith("step-strata-" + ProcessHandle.current().pid() + "-");
    assertThat(scratch).isEmptyDirectory();
  }

  @Test
  void sweepRemovesWhatADeadProcessLeftAndKeepsTheLiving() throws Exception {
    Path mine = ScratchSpace.create(store);
    Path dead =
        Files.createDirectories(store.resolve("tmp/step-strata-999999999-12345-7/tree/usr"));
    Files.writeString(dead.resolve("half-moved"), "x");
    Path other = Files.createDirectories(store.resolve("tmp/flatten-123"));
    assertThat(ScratchSpace.sweep(store)).isEqualTo(1);
    assertThat(store.resolve("tmp/step-strata-999999999-12345-7")).doesNotExist();
    assertThat(mine).isDirectory();
    assertThat(other).isDirectory();
  }
}
