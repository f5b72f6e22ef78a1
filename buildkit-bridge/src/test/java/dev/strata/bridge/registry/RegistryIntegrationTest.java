package dev.strata.bridge.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageIndex;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.registry.RegistryAccessException.Kind;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.ImageName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry half of the native engine against the real distribution registry (Debian's
 * docker-registry, in the image setup-machine.sh builds), with and without htpasswd auth. The
 * registry's access log is the witness for uploads and mounts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryIntegrationTest {
  private static final RetryPolicy FAST = new RetryPolicy(5, Duration.ofMillis(300));

  @TempDir Path tmp;
  private Path fixtures;
  private TestRegistry open;
  private TestRegistry secured;

  @BeforeAll
  void startRegistries() throws Exception {
    fixtures = Files.createTempDirectory("strata-registry-it-");
    open = TestRegistry.start(fixtures, false);
    secured = TestRegistry.start(fixtures, true);
  }

  @AfterAll
  void stopRegistries() {
    if (open != null) {
      open.close();
    }
    if (secured != null) {
      secured.close();
    }
  }

  private RegistryConnector connector(TestRegistry registry, CredentialFiles credentials) {
    return new RegistryConnector(Set.of(registry.host()), credentials, FAST);
  }

  private RegistryConnector anonymous(TestRegistry registry) {
    return connector(registry, CredentialFiles.of(List.of()));
  }

  private OciLayoutStore store(String name) throws IOException {
    return OciLayoutStore.open(tmp.resolve(name));
  }

  private static ImageName name(String reference) {
    return ImageName.parse(reference).orElseThrow();
  }

  private List<TransferEvent> events = new ArrayList<>();

  private ImageTransfer transfer(OciLayoutStore store, RegistryConnector connector) {
    events = new ArrayList<>();
    return new ImageTransfer(store, connector, Mirrors.NONE, events::add);
  }

  @Test
  void pushThenPullIntoAnEmptyStoreKeepsEveryDigestAndByte() throws Exception {
    OciLayoutStore source = store("source");
    Descriptor image = TestImages.image(source, tmp, "corp/base:1", "base-a", "base-b", "base-c");
    ImageName remote = name(open.host() + "/roundtrip/base:1");

    PushedImage pushed;
    try (ImageTransfer push = transfer(source, anonymous(open))) {
      pushed = push.push("corp/base:1", remote);
    }
    OciLayoutStore target = store("target");
    PulledImage pulled;
    try (ImageTransfer pull = transfer(target, anonymous(open))) {
      pulled = pull.pull(remote, Platform.LINUX_AMD64);
    }

    assertThat(pushed.digest()).isEqualTo(image.digest());
    assertThat(pushed.count(BlobPush.UPLOADED)).isEqualTo(4);
    assertThat(pulled.manifest().digest()).isEqualTo(image.digest());
    assertThat(target.resolve(remote.canonical()).orElseThrow().digest()).isEqualTo(image.digest());
    assertThat(TestImages.bytes(target, pulled.manifest()))
        .isEqualTo(TestImages.bytes(source, image));
    for (Descriptor blob : TestImages.blobs(source, image)) {
      assertThat(TestImages.bytes(target, blob)).isEqualTo(TestImages.bytes(source, blob));
    }
  }

  @Test
  void pushAndPullWithHtpasswdCredentialsFromAnAuthFile() throws Exception {
    OciLayoutStore source = store("source");
    Descriptor image = TestImages.image(source, tmp, "corp/soe:1", "soe-a", "soe-b");
    CredentialFiles credentials =
        CredentialFiles.of(
            List.of(secured.authFile(tmp, TestRegistry.USER, TestRegistry.PASSWORD)));
    ImageName remote = name(secured.host() + "/auth/soe:1");

    try (ImageTransfer push = transfer(source, connector(secured, credentials))) {
      push.push("corp/soe:1", remote);
    }
    OciLayoutStore target = store("target");
    try (ImageTransfer pull = transfer(target, connector(secured, credentials))) {
      pull.pull(remote, Platform.LINUX_AMD64);
    }

    assertThat(target.resolve(remote.canonical()).orElseThrow().digest()).isEqualTo(image.digest());
    for (Descriptor blob : TestImages.blobs(source, image)) {
      assertThat(target.hasBlob(blob.digest())).isTrue();
    }
  }

  @Test
  void aSecondPushUploadsNoBlob() throws Exception {
    OciLayoutStore source = store("source");
    TestImages.image(source, tmp, "corp/web:1", "web-a", "web-b", "web-c");
    ImageName remote = name(open.host() + "/skip/web:1");
    try (ImageTransfer first = transfer(source, anonymous(open))) {
      first.push("corp/web:1", remote);
    }
    long uploadsAfterFirst = TestRegistry.uploads(open.log(), "skip/web");

    PushedImage second;
    try (ImageTransfer again = transfer(source, anonymous(open))) {
      second = again.push("corp/web:1", remote);
    }

    assertThat(uploadsAfterFirst).isEqualTo(4);
    assertThat(TestRegistry.uploads(open.log(), "skip/web")).isEqualTo(uploadsAfterFirst);
    assertThat(second.count(BlobPush.EXISTED)).isEqualTo(4);
    assertThat(second.count(BlobPush.UPLOADED)).isZero();
  }

  @Test
  void pushingTheSameImageToAnotherRepositoryMountsItsBlobs() throws Exception {
    OciLayoutStore source = store("source");
    TestImages.image(source, tmp, "corp/db:1", "db-a", "db-b");
    PushedImage second;
    try (ImageTransfer push = transfer(source, anonymous(open))) {
      push.push("corp/db:1", name(open.host() + "/mount/a:1"));
      second = push.push("corp/db:1", name(open.host() + "/mount/b:1"));
    }

    String log = open.log();
    assertThat(second.count(BlobPush.MOUNTED)).isEqualTo(3);
    assertThat(TestRegistry.mounts(log, "mount/b")).isEqualTo(3);
    assertThat(TestRegistry.uploads(log, "mount/b")).isZero();
    assertThat(TestRegistry.uploads(log, "mount/a")).isEqualTo(3);
  }

  @Test
  void aBaseRefInTheStoreLetsALaterPushMountFromItsRepository() throws Exception {
    // A build FROM a registry base: the pulled base's store ref names its repository, so pushing
    // the derived image (in a new process) mounts the base layers instead of uploading them.
    OciLayoutStore builder = store("builder");
    TestImages.image(builder, tmp, "corp/base:2", "shared-a", "shared-b");
    ImageName base = name(open.host() + "/derive/base:2");
    try (ImageTransfer push = transfer(builder, anonymous(open))) {
      push.push("corp/base:2", base);
    }
    OciLayoutStore fresh = store("fresh");
    try (ImageTransfer pull = transfer(fresh, anonymous(open))) {
      pull.pull(base, Platform.LINUX_AMD64);
    }
    TestImages.image(fresh, tmp, "corp/app:2", "shared-a", "shared-b", "app-only");

    PushedImage app;
    try (ImageTransfer push = transfer(fresh, anonymous(open))) {
      app = push.push("corp/app:2", name(open.host() + "/derive/app:2"));
    }

    assertThat(app.count(BlobPush.MOUNTED)).isEqualTo(2);
    assertThat(app.count(BlobPush.UPLOADED)).isEqualTo(2); // the new layer and the new config
    assertThat(TestRegistry.uploads(open.log(), "derive/app")).isEqualTo(2);
  }

  @Test
  void aWrongPasswordIsReportedAsRejectedCredentialsWithoutTheSecret() throws Exception {
    String wrong = "not-the-password-123";
    CredentialFiles credentials =
        CredentialFiles.of(List.of(secured.authFile(tmp, TestRegistry.USER, wrong)));
    OciLayoutStore source = store("source");
    TestImages.image(source, tmp, "corp/x:1", "x-a");

    try (ImageTransfer push = transfer(source, connector(secured, credentials))) {
      assertThatThrownBy(() -> push.push("corp/x:1", name(secured.host() + "/auth/x:1")))
          .isInstanceOfSatisfying(
              RegistryAccessException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
                assertThat(e.getMessage())
                    .contains(secured.host())
                    .contains("rejected the credentials of user 'strata'")
                    .doesNotContain(wrong);
                assertThat(stackTraceOf(e)).doesNotContain(wrong);
              });
    }
  }

  @Test
  void noCredentialsForASecuredRegistrySaysWhereTheyWereLookedFor() throws Exception {
    try (Registry registry = anonymous(secured).connect(secured.host())) {
      assertThatThrownBy(() -> registry.manifest("auth/none", "1"))
          .isInstanceOfSatisfying(
              RegistryAccessException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
                assertThat(e.getMessage())
                    .contains("requires credentials")
                    .contains("podman login " + secured.host());
              });
    }
  }

  @Test
  void anUnknownImageIsNotFound() throws Exception {
    try (ImageTransfer pull = transfer(store("target"), anonymous(open))) {
      assertThatThrownBy(
              () -> pull.pull(name(open.host() + "/nothing/here:1"), Platform.LINUX_AMD64))
          .isInstanceOfSatisfying(
              RegistryAccessException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
                assertThat(e.getMessage())
                    .contains("image " + open.host() + "/nothing/here:1 not found");
              });
    }
  }

  @Test
  void aPlainHttpRegistryNotMarkedInsecureIsATlsErrorThatSuggestsTheFlag() throws Exception {
    RegistryConnector strict = new RegistryConnector(Set.of(), CredentialFiles.of(List.of()), FAST);
    try (Registry registry = strict.connect(open.host())) {
      assertThatThrownBy(() -> registry.manifest("any/thing", "1"))
          .isInstanceOfSatisfying(
              RegistryAccessException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.TLS);
                assertThat(e.getMessage()).contains("--insecure-registry " + open.host());
              });
    }
  }

  @Test
  void manifestsAndIndexesRoundTripAsExactBytesAndAnIndexResolvesToLinuxAmd64() throws Exception {
    OciLayoutStore source = store("source");
    Descriptor amd64 = TestImages.image(source, tmp, "multi:amd64", "multi-amd64");
    Descriptor arm64 = TestImages.image(source, tmp, "multi:arm64", "multi-arm64");
    ImageIndex index =
        new ImageIndex(
            List.of(
                amd64.withPlatform(Platform.LINUX_AMD64),
                arm64.withPlatform(new Platform("arm64", "linux", "v8", null))),
            Map.of("org.example.index", "kept"));
    ContentBlob indexBlob = index.render();
    try (ImageTransfer push = transfer(source, anonymous(open))) {
      push.push("multi:amd64", name(open.host() + "/multi/img@" + amd64.digest()));
      push.push("multi:arm64", name(open.host() + "/multi/img@" + arm64.digest()));
    }
    try (Registry registry = anonymous(open).connect(open.host())) {
      registry.pushManifest("multi/img", "1", indexBlob);
      ContentBlob fetched = registry.manifest("multi/img", "1").orElseThrow();
      assertThat(fetched.bytes()).isEqualTo(indexBlob.bytes());
      assertThat(fetched.mediaType()).isEqualTo(MediaTypes.IMAGE_INDEX);
      assertThat(registry.tags("multi/img")).containsExactly("1");
    }

    OciLayoutStore target = store("target");
    PulledImage pulled;
    try (ImageTransfer pull = transfer(target, anonymous(open))) {
      pulled = pull.pull(name(open.host() + "/multi/img:1"), Platform.LINUX_AMD64);
      assertThatThrownBy(
              () ->
                  pull.pull(
                      name(open.host() + "/multi/img:1"),
                      new Platform("s390x", "linux", null, null)))
          .hasMessageContaining("has no linux/s390x image; it offers linux/amd64, linux/arm64/v8");
    }

    assertThat(pulled.manifest().digest()).isEqualTo(amd64.digest());
    assertThat(pulled.resolvedDigest()).isEqualTo(indexBlob.digest());
    assertThat(Files.readAllBytes(target.blobPath(indexBlob.digest())))
        .isEqualTo(indexBlob.bytes());
    assertThat(target.gc()).isEmpty(); // the index is kept with the ref it was resolved for
  }

  @Test
  void aMirrorIsTriedFirstForPulls() throws Exception {
    OciLayoutStore source = store("source");
    Descriptor image = TestImages.image(source, tmp, "mirrored:1", "mirror-a");
    try (ImageTransfer push = transfer(source, anonymous(open))) {
      push.push("mirrored:1", name(open.host() + "/mirror/library/debian:bookworm"));
    }
    OciLayoutStore target = store("target");
    Mirrors mirrors = new Mirrors(Map.of("docker.io", open.host() + "/mirror"));
    PulledImage pulled;
    try (ImageTransfer pull = new ImageTransfer(target, anonymous(open), mirrors, e -> {})) {
      // No network here: the pull can only succeed through the mirror.
      pulled = pull.pull(name("debian:bookworm"), Platform.LINUX_AMD64);
    }

    assertThat(pulled.source().canonical())
        .isEqualTo(open.host() + "/mirror/library/debian:bookworm");
    assertThat(target.resolve("docker.io/library/debian:bookworm").orElseThrow().digest())
        .isEqualTo(image.digest());
  }

  @Test
  void aRegistryRestartedMidPushIsRetriedAndTheTagNamesTheCompleteImage() throws Exception {
    OciLayoutStore source = store("source");
    Descriptor image = TestImages.image(source, tmp, "restart:1", "r-a", "r-b", "r-c", "r-d");
    ImageName remote = name(open.host() + "/restart/img:1");
    List<CompletableFuture<Void>> restarts = new ArrayList<>();
    long startsBefore = starts(open.log());
    PushedImage pushed;
    try (ImageTransfer push =
        new ImageTransfer(
            source,
            anonymous(open),
            Mirrors.NONE,
            event -> {
              if (event.kind() == TransferEvent.Kind.BLOB_UPLOADED && restarts.isEmpty()) {
                open.stop(); // the next request finds the registry down...
                restarts.add(
                    CompletableFuture.runAsync(
                        () -> {
                          try {
                            Thread.sleep(700);
                            open.restart(); // ...and a retry finds it back
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                        }));
              }
            })) {
      pushed = push.push("restart:1", remote);
    }
    restarts.get(0).join();

    assertThat(starts(open.log())).isEqualTo(startsBefore + 1); // it really went down and back
    assertThat(pushed.digest()).isEqualTo(image.digest());
    assertThat(pushed.count(BlobPush.UPLOADED)).isEqualTo(5);
    OciLayoutStore target = store("target");
    try (ImageTransfer pull = transfer(target, anonymous(open))) {
      assertThat(pull.pull(remote, Platform.LINUX_AMD64).manifest().digest())
          .isEqualTo(image.digest());
    }
  }

  @Test
  void aRegistryThatStaysDownMidPushLeavesNoTag() throws Exception {
    OciLayoutStore source = store("source");
    TestImages.image(source, tmp, "down:1", "d-a", "d-b", "d-c");
    ImageName remote = name(open.host() + "/down/img:1");
    boolean[] stopped = {false};
    try (ImageTransfer push =
        new ImageTransfer(
            source,
            anonymous(open).withRetry(new RetryPolicy(3, Duration.ofMillis(100))),
            Mirrors.NONE,
            event -> {
              if (event.kind() == TransferEvent.Kind.BLOB_UPLOADED && !stopped[0]) {
                stopped[0] = true;
                open.stop();
              }
            })) {
      assertThatThrownBy(() -> push.push("down:1", remote))
          .isInstanceOfSatisfying(
              RegistryAccessException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
                assertThat(e.getMessage()).contains(open.host()).contains("gave up after 3");
              });
    } finally {
      open.restart();
    }

    try (Registry registry = anonymous(open).connect(open.host())) {
      assertThat(registry.manifest("down/img", "1")).isEmpty();
      assertThat(registry.tags("down/img")).doesNotContain("1");
    }
  }

  @Test
  void aDigestReferenceIsVerifiedAgainstTheBytesServed() throws Exception {
    OciLayoutStore source = store("source");
    Descriptor image = TestImages.image(source, tmp, "pinned:1", "pin-a");
    try (ImageTransfer push = transfer(source, anonymous(open))) {
      push.push("pinned:1", name(open.host() + "/pinned/img:1"));
    }
    OciLayoutStore target = store("target");
    ImageName pinned = name(open.host() + "/pinned/img@" + image.digest());
    try (ImageTransfer pull = transfer(target, anonymous(open))) {
      pull.pull(pinned, Platform.LINUX_AMD64);
    }

    assertThat(target.resolve(pinned.canonical()).orElseThrow().digest()).isEqualTo(image.digest());
    assertThat(Digest.sha256(TestImages.bytes(target, image))).isEqualTo(image.digest());
  }

  private static long starts(String log) {
    return log.lines().filter(line -> line.contains("listening on")).count();
  }

  private static String stackTraceOf(Throwable e) {
    var out = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
