package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.bridge.store.OciLayoutStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show 5: a build that would read outside its context, unpack an archive outside its
 * destination, or chown to a name the image does not define is refused with a clear error naming
 * the Containerfile line, and nothing is written to the store (no blob, no tag, no cache record).
 */
class BuildSecurityTest {
  @TempDir Path tmp;
  private OciLayoutStore store;
  private List<String> blobsBefore;
  private String indexBefore;

  @BeforeAll
  static void root() {
    TestBuilds.requireRoot();
  }

  @BeforeEach
  void store() throws Exception {
    store = TestBuilds.storeWithBase(tmp.resolve("store"), Optional.empty());
    blobsBefore = TestBuilds.blobs(store);
    indexBefore = Files.readString(store.root().resolve("index.json"));
  }

  private void assertNothingWritten() throws Exception {
    assertThat(TestBuilds.blobs(store)).isEqualTo(blobsBefore);
    assertThat(Files.readString(store.root().resolve("index.json"))).isEqualTo(indexBefore);
    assertThat(store.root().resolve("cache/steps")).doesNotExist();
  }

  private Path project(String containerfile) throws Exception {
    Path outside = tmp.resolve("p");
    Files.createDirectories(outside);
    Files.writeString(outside.resolve("secret.txt"), "host secret\n");
    return TestBuilds.context(
        outside.resolve("app"),
        "FROM strata-test/busybox:1\n" + containerfile,
        Map.of("ok.txt", "ok"));
  }

  @Test
  void copyOfAParentPathIsRefused() throws Exception {
    Path ctx = project("COPY ../secret.txt /x\n");
    assertThatThrownBy(() -> TestBuilds.buildOne(store, ctx, Optional.empty()))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("Containerfile:2:")
        .hasMessageContaining("'../secret.txt' is outside the build context");
    assertNothingWritten();
  }

  @Test
  void copyThroughAContextSymlinkPointingOutsideIsRefused() throws Exception {
    Path ctx = project("COPY escape /x\n");
    Files.createSymbolicLink(ctx.resolve("escape"), Path.of("../secret.txt"));
    assertThatThrownBy(() -> TestBuilds.buildOne(store, ctx, Optional.empty()))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("Containerfile:2:")
        .hasMessageContaining("follows the symlink escape -> ../secret.txt")
        .hasMessageContaining("points outside the build context");
    assertNothingWritten();
  }

  @Test
  void copyThroughAnAbsoluteContextSymlinkIsRefused() throws Exception {
    Path ctx = project("COPY passwd /x\n");
    Files.createSymbolicLink(ctx.resolve("passwd"), Path.of("/etc/passwd"));
    assertThatThrownBy(() -> TestBuilds.buildOne(store, ctx, Optional.empty()))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("follows the symlink passwd -> /etc/passwd");
    assertNothingWritten();
  }

  @Test
  void addOfAnArchiveWithParentEntriesIsRefused() throws Exception {
    Path ctx = project("ADD evil.tar /opt/\n");
    Path src = tmp.resolve("evil-src/a");
    Files.createDirectories(src);
    Files.writeString(src.resolve("x"), "x");
    // GNU tar keeps "../" names when told to; an attacker's archive would have them anyway.
    TestBuilds.run(
        tmp.resolve("evil-src/a"),
        "tar",
        "-cPf",
        ctx.resolve("evil.tar").toString(),
        "--transform=s,^x,../../escaped,",
        "x");
    assertThatThrownBy(() -> TestBuilds.buildOne(store, ctx, Optional.empty()))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("Containerfile:2:")
        .hasMessageContaining("ADD refuses the archive evil.tar")
        .hasMessageContaining("..");
    assertNothingWritten();
  }

  @Test
  void addOfAnArchiveWithAbsoluteEntriesIsRefused() throws Exception {
    Path ctx = project("ADD abs.tar /opt/\n");
    Path src = tmp.resolve("abs-src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("x"), "x");
    TestBuilds.run(
        src, "tar", "-cPf", ctx.resolve("abs.tar").toString(), "--transform=s,^,/etc/,", "x");
    assertThatThrownBy(() -> TestBuilds.buildOne(store, ctx, Optional.empty()))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("ADD refuses the archive abs.tar")
        .hasMessageContaining("absolute path");
    assertNothingWritten();
  }

  @Test
  void chownToAUserTheImageDoesNotDefineIsRefused() throws Exception {
    Path ctx = project("COPY --chown=nobody-here ok.txt /x\n");
    assertThatThrownBy(() -> TestBuilds.buildOne(store, ctx, Optional.empty()))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("Containerfile:2:")
        .hasMessageContaining("--chown=nobody-here")
        .hasMessageContaining("user 'nobody-here' is not in the image's /etc/passwd");
    assertNothingWritten();
  }

  @Test
  void chownToAGroupTheImageDoesNotDefineIsRefused() throws Exception {
    Path ctx = project("COPY --chown=app:wheel ok.txt /x\n");
    assertThatThrownBy(() -> TestBuilds.buildOne(store, ctx, Optional.empty()))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("group 'wheel' is not in the image's /etc/group");
    assertNothingWritten();
  }
}
